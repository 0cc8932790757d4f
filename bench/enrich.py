"""Enrichment throughput on one core (default gazetteer and rules pipeline): MB/s of turn text.

    python bench/enrich.py [--count 1000] [--size 8000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import documents
from stenogram.enrich import enrich


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--size", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    docs = [stenogram.parse_text(text) for _, text in documents(args.count, seed=args.seed, size=args.size)]
    nbytes = sum(len(t.text.encode("utf-8")) for d in docs for t in d.turns)
    enrich(docs[0])  # load the gazetteers once, as a long-running ingest would
    runs, mentions = [], 0
    for _ in range(args.repeat):
        start = time.process_time()
        mentions = sum(len(enrich(d).mentions) for d in docs)
        runs.append(time.process_time() - start)
    runs.sort()
    print(f"enrich: {len(docs)} documents, {nbytes / 1e6:.1f} MB of turn text, {mentions} mentions; CPU time, one core")
    for label, elapsed in (("best", runs[0]), ("median", runs[len(runs) // 2])):
        print(f"  {label:6s} {elapsed:6.2f} s  {len(docs) / elapsed:7,.0f} documents/s  {nbytes / 1e6 / elapsed:5.2f} MB/s")


if __name__ == "__main__":
    main()
