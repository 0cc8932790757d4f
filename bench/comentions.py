"""Co-mentions on a corpus of generated transcripts: a query matching about --turns turns, each entity
type's pairs counted --repeat times (first run, median and p95 seconds), beside the time of finding
the matching turns alone.

    python bench/comentions.py [--documents 2000] [--db PATH] [--turns 10000] [--query Q] [--repeat 7]

With --db naming a corpus that exists, it is reused as it is (--documents is then ignored); naming
none, the corpus is built there with --documents generated transcripts and kept; without --db, it is
built in a temporary folder and removed. Without --query, the query is a date range of consecutive
days from the middle of the corpus holding about --turns turns.
"""

from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import documents
from stenogram.analyze.comentions import TYPES, comentions
from stenogram.analyze.text import base, from_where
from stenogram.store.sqlite import Store


def build(db: Path, count: int, *, size: int, seed: int, jobs: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="stenogram-comentions-"))
    try:
        start = time.perf_counter()
        for name, text in documents(count, seed=seed, size=size):
            (folder / name).write_text(text, encoding="utf-8")
        generated = time.perf_counter() - start
        start = time.perf_counter()
        with stenogram.open(db) as corpus:
            report = corpus.ingest([str(folder)], jobs=jobs)
        print(f"built {db}: {count} documents generated in {generated:.1f} s, ingested in "
              f"{time.perf_counter() - start:.1f} s ({len(report.failed)} failed)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def date_query(store: Store, turns: int) -> str:
    """A date range of consecutive days from the middle of the corpus with about ``turns`` turns."""
    days = [(r[0], int(r[1])) for r in store.query(
        "SELECT d.day, count(*) FROM documents d JOIN turns t ON t.document_id = d.id "
        "WHERE d.day IS NOT NULL GROUP BY d.day ORDER BY d.day")]
    if not days:
        sys.exit("the corpus has no dated documents; give a --query")
    start = len(days) // 2
    while start > 0 and sum(n for _, n in days[start:]) < turns:
        start -= 1
    total, end = 0, start
    while end < len(days) and total + days[end][1] <= turns:
        total += days[end][1]
        end += 1
    end = max(end, start + 1)
    return f"date:{days[start][0]}..{days[end - 1][0]}"


def seconds(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return (f"first {times[0]:7.3f} s   median {statistics.median(times):7.3f} s   p95 {p95:7.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a corpus to reuse, or where to build one and keep it")
    ap.add_argument("--documents", type=int, default=2000, help="generated transcripts when building")
    ap.add_argument("--size", type=int, default=8000, help="approximate bytes a generated transcript")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=1, help="parsing processes when building")
    ap.add_argument("--turns", type=int, default=10_000, help="about how many turns the picked query matches")
    ap.add_argument("--query", help="the query to run (default: a date range matching about --turns turns)")
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--limit", type=int, default=50, help="pairs a run asks for")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    types = [t for t in args.types.split(",") if t]

    work: Path | None = None
    if args.db is None:
        work = Path(tempfile.mkdtemp(prefix="stenogram-bench-"))
        db = work / "corpus.db"
    else:
        db = args.db
    try:
        if not db.exists():
            build(db, args.documents, size=args.size, seed=args.seed, jobs=args.jobs)
        store = Store(db, read_only=True)
        try:
            ndocs, nturns = store.count("documents"), store.count("turns")
            query = args.query if args.query is not None else date_query(store, args.turns)
            sql, params = from_where(base(store, query, None))
            found: list[float] = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                matched = int(store.query("SELECT count(*) " + sql, params)[0][0])
                found.append(time.perf_counter() - start)
            print(f"comentions: {db}: {ndocs} documents, {nturns} turns")
            print(f"  query {query!r}: {matched} matching turns; {args.repeat} runs each, --limit {args.limit}")
            print(f"  {'matching turns alone':24s} {seconds(found)}")
            for type in types:
                times: list[float] = []
                pairs = 0
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    pairs = len(comentions(store, query=query, type=type, limit=args.limit))
                    times.append(time.perf_counter() - start)
                print(f"  {type + ' pairs':24s} {seconds(times)}   ({pairs} pairs)")
        finally:
            store.close()
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
