"""Analyses and export on a benchmark corpus: a yearly trend for one term, a KWIC of 100 lines, and a
full Parquet export (MB/s of turn text written).

    python bench/analyze.py --db CORPUS [--terms cooperation,security,sanctions] [--out /tmp/parquet]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import stenogram
from stenogram.analyze.kwic import kwic
from stenogram.analyze.trend import trend


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a corpus made by bench/ingest.py")
    ap.add_argument("--terms", default="cooperation,security,sanctions,Iraq,treaty")
    ap.add_argument("--out", type=Path, help="where to write the Parquet export (default: a temporary folder)")
    ap.add_argument("--skip-export", action="store_true")
    args = ap.parse_args()
    terms = [t for t in args.terms.split(",") if t]
    with stenogram.open(args.db, read_only=True) as corpus:
        store = corpus.store
        docs, turns = store.count("documents"), store.count("turns")
        text_mb = float(store.query("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM turns")[0][0]) / 1e6
        print(f"analyze: {args.db}: {docs} documents, {turns} turns, {text_mb:.1f} MB of turn text")
        for label, run in (
            ("trend, yearly, one term", lambda term: trend(store, [term], by="year")),
            ("trend, yearly, per 10k words", lambda term: trend(store, [term], by="year", per="10k-words")),
            # a filter leaves the store's yearly counts aside: every occurrence is read
            ("trend, yearly, one speaker", lambda term: trend(store, [term], by="year",
                                                              options={"speaker": "Sergey Lavrov"})),
            ("kwic, 100 lines", lambda term: kwic(store, term, limit=100)),
            ("kwic, 100 lines, sorted by date", lambda term: kwic(store, term, limit=100, sort="date")),
        ):
            times = []
            for term in terms:
                start = time.perf_counter()
                run(term)
                times.append(time.perf_counter() - start)
            print(f"  {label:32s} median {statistics.median(times) * 1000:8.0f} ms   max {max(times) * 1000:8.0f} ms"
                  f"   ({len(terms)} terms)")
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
