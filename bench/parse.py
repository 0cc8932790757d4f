"""Parser throughput on one core: documents/s and MB/s for text input.

    python bench/parse.py [--count 2000] [--size 8000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import documents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--size", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5, help="runs; the best and the median are printed")
    args = ap.parse_args()
    docs = [text for _, text in documents(args.count, seed=args.seed, size=args.size)]
    nbytes = sum(len(t.encode("utf-8")) for t in docs)
    stenogram.parse_text(docs[0])  # warm the caches (registry, compiled patterns)
    runs = []
    turns = 0
    for _ in range(args.repeat):
        turns = 0
        start = time.process_time()
        for text in docs:
            turns += len(stenogram.parse_text(text).turns)
        runs.append(time.process_time() - start)
    runs.sort()
    print(f"parse: {len(docs)} documents, {nbytes / 1e6:.1f} MB, {turns} turns; {args.repeat} runs, CPU time on one core")
    for label, elapsed in (("best", runs[0]), ("median", runs[len(runs) // 2])):
        print(f"  {label:6s} {elapsed:6.2f} s  {len(docs) / elapsed:7,.0f} documents/s  {nbytes / 1e6 / elapsed:5.2f} MB/s"
              f"  {turns / elapsed:8,.0f} turns/s")


if __name__ == "__main__":
    main()
