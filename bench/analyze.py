"""Analyses and export on a benchmark corpus: a yearly trend for one term (plain, per 10,000 words,
and with a speaker filter), a KWIC of 100 lines (ranked and by date), and a full Parquet export
(MB/s of turn text written).

    python bench/analyze.py --db CORPUS [--per-band 5] [--seed 7] [--terms a,b,c] [--out /tmp/parquet]

The terms come from `generate.bands`, --per-band of each frequency band of the generator's vocabulary
(ranks 1 to 1,000, 1,001 to 10,000, rarer) and of its phrases (the 100 most used, the rest); use the
same --seed as the corpus. --terms times the terms given instead. Each analysis prints, band by band,
the median and the slowest of its terms and whether the slowest took at most a second (the goal).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import bands
from stenogram.analyze.kwic import kwic
from stenogram.analyze.trend import trend

GOAL_S = 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a corpus made by bench/ingest.py")
    ap.add_argument("--per-band", type=int, default=5, help="terms of each frequency band")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed the corpus was made with")
    ap.add_argument("--terms", help="comma-separated terms to time instead of the bands' (a phrase: words with spaces)")
    ap.add_argument("--out", type=Path, help="where to write the Parquet export (default: a temporary folder)")
    ap.add_argument("--skip-export", action="store_true")
    args = ap.parse_args()
    given = [t for t in (args.terms or "").split(",") if t]
    chosen = {"given": given} if given else bands(args.per_band, seed=args.seed)
    with stenogram.open(args.db, read_only=True) as corpus:
        store = corpus.store
        docs, turns = store.count("documents"), store.count("turns")
        text_mb = float(store.query("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM turns")[0][0]) / 1e6
        print(f"analyze: {args.db}: {docs} documents, {turns} turns, {text_mb:.1f} MB of turn text; "
              f"goal: every term within {GOAL_S:g} s")
        for band, terms in chosen.items():
            print(f"  {band + ':':17s} {', '.join(terms)}")
        analyses: tuple[tuple[str, Callable[[str], object]], ...] = (
            ("trend, yearly, one term", lambda term: trend(store, [term], by="year")),
            ("trend, yearly, per 10k words", lambda term: trend(store, [term], by="year", per="10k-words")),
            # a filter leaves the store's yearly counts aside: every occurrence is read
            ("trend, yearly, one speaker", lambda term: trend(store, [term], by="year",
                                                              options={"speaker": "Sergey Lavrov"})),
            ("kwic, 100 lines", lambda term: kwic(store, term, limit=100)),
            ("kwic, 100 lines, sorted by date", lambda term: kwic(store, term, limit=100, sort="date")),
        )
        print(f"  {'analysis':32s} {'band':16s} {'median ms':>10s} {'max ms':>9s}  goal")
        for label, run in analyses:
            for band, terms in chosen.items():
                times = []
                for term in terms:
                    start = time.perf_counter()
                    run(term)
                    times.append(time.perf_counter() - start)
                goal = "met" if max(times) <= GOAL_S else "MISS"
                print(f"  {label:32s} {band:16s} {statistics.median(times) * 1000:10.0f} {max(times) * 1000:9.0f}  "
                      f"{goal}   ({len(terms)} terms)")
        if not args.skip_export:
            out = args.out or Path(tempfile.mkdtemp(prefix="stenogram-parquet-")) / "parquet"
            start = time.perf_counter()
            summary = corpus.export("parquet", out)
            took = time.perf_counter() - start
            print(f"  parquet export: {summary.documents} documents, {summary.turns} turns, {summary.mentions} mentions in "
                  f"{took:.1f} s: {text_mb / took:.1f} MB/s of turn text ({summary.bytes_written / 1e6:.0f} MB written)")
            if args.out is None:
                shutil.rmtree(out.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
