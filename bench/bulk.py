"""Bulk throughput: the same generated transcripts through `stenogram bulk` with one and two workers (a local
cluster of processes each time), and through `ingest --jobs 2`, printed in one run.

    python bench/bulk.py [--count 3000] [--size 8000] [--seed 7] [--workdir DIR]

The documents are written as .txt files first (not timed). Each bulk run writes a fresh dataset; its time
is the wall clock of `stenogram.bulk`, cluster start included (about 2–4 s), and "per worker" is the
documents a second of a worker's busy time. The ingest is into a fresh corpus file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import documents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--size", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="stenogram-bulk-bench-"))
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, text in documents(args.count, seed=args.seed, size=args.size):
        (inputs / name).write_text(text, "utf-8")
    print(f"{args.count} documents of about {args.size} bytes in {inputs}; load before: {os.getloadavg()}")
    figures = {}
    for workers in (1, 2):
        out = work / f"dataset-{workers}"
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        report = stenogram.bulk([str(inputs)], out, workers=workers)
        seconds = time.perf_counter() - started
        assert report.ok and report.documents == args.count, report.failed[:3]
        figures[workers] = args.count / seconds
        per_worker = ", ".join(f"{f.rate:.0f}" for f in report.workers.values())
        print(f"bulk, {workers} worker{'s' if workers > 1 else ''}: {seconds:.1f} s, {figures[workers]:.0f} documents/s "
              f"(per worker, busy time: {per_worker} documents/s); load {os.getloadavg()[0]:.1f}")
    print(f"bulk, 2 workers / 1 worker: {figures[2] / figures[1]:.2f}×")
    db = work / "ingest.db"
    for p in stenogram.api.corpus_files(db):
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)
    started = time.perf_counter()
    with stenogram.open(db) as corpus:
        report = corpus.ingest([str(inputs)], jobs=2)
    seconds = time.perf_counter() - started
    assert report.ok and len(report.added) == args.count
    print(f"ingest --jobs 2 (parse, enrich, store, index): {seconds:.1f} s, {args.count / seconds:.0f} documents/s; "
          f"load {os.getloadavg()[0]:.1f}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
