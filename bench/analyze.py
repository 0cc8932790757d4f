"""Analyses and export on a benchmark corpus: a yearly trend for one term (plain, per 10,000 words,
and with a speaker filter), a KWIC of 100 lines (ranked and by date), the analyses of a filter
(a speaker's profile, keyness, co-mentions), and a full Parquet export (MB/s of turn text written).

    python bench/analyze.py --db CORPUS [--per-band 5] [--seed 7] [--terms a,b,c] [--out /tmp/parquet]
                            [--skip-filtered] [--skip-export]

The terms come from `generate.bands`, --per-band of each frequency band of the generator's vocabulary
(ranks 1 to 1,000, 1,001 to 10,000, rarer) and of its phrases (the 100 most used, the rest); use the
same --seed as the corpus. --terms times the terms given instead. Each analysis prints, band by band,
the median and the slowest of its terms and whether the slowest took at most a second (the goal).
The analyses of a filter run on the corpus's two speakers with the most turns and its tenth: a profile
of the first and of the tenth in its busiest year, keyness of the first against the second, of the
first year against the last and of a frequent word's turns against every turn, and co-mentions of
countries in the first speaker's turns and in one year; each is timed twice (the second call may
use what the first kept).
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
from stenogram.analyze.comentions import comentions
from stenogram.analyze.keyness import keyness
from stenogram.analyze.kwic import kwic
from stenogram.analyze.profile import speaker_profile
from stenogram.analyze.trend import trend
from stenogram.store.sqlite import Store

GOAL_S = 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a corpus made by bench/ingest.py")
    ap.add_argument("--per-band", type=int, default=5, help="terms of each frequency band")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed the corpus was made with")
    ap.add_argument("--terms", help="comma-separated terms to time instead of the bands' (a phrase: words with spaces)")
    ap.add_argument("--out", type=Path, help="where to write the Parquet export (default: a temporary folder)")
    ap.add_argument("--skip-export", action="store_true")
    ap.add_argument("--skip-filtered", action="store_true", help="leave out the analyses of a filter")
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
        if not args.skip_filtered:
            filtered(store, next(iter(chosen.values()))[0])
        if not args.skip_export:
            out = args.out or Path(tempfile.mkdtemp(prefix="stenogram-parquet-")) / "parquet"
            start = time.perf_counter()
            summary = corpus.export("parquet", out)
            took = time.perf_counter() - start
            print(f"  parquet export: {summary.documents} documents, {summary.turns} turns, {summary.mentions} mentions in "
                  f"{took:.1f} s: {text_mb / took:.1f} MB/s of turn text ({summary.bytes_written / 1e6:.0f} MB written)")
            if args.out is None:
                shutil.rmtree(out.parent, ignore_errors=True)


def filtered(store: Store, word: str) -> None:
    """Time the analyses of a filter (see the module's description), twice each."""
    speakers = [str(r[0]) for r in store.query(
        "SELECT speaker FROM turns WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY count(*) DESC LIMIT 10")]
    years = [str(r[0]) for r in store.query("SELECT DISTINCT substr(day, 1, 4) FROM documents WHERE day IS NOT NULL ORDER BY 1")]
    if len(speakers) < 2 or not years:
        print("  (too few speakers or dates for the analyses of a filter)")
        return
    tenth = speakers[-1]
    busiest = str(store.query("SELECT substr(d.day, 1, 4) AS y FROM turns t JOIN documents d ON d.id = t.document_id "
                              "WHERE t.speaker = ? AND d.day IS NOT NULL GROUP BY y ORDER BY count(*) DESC LIMIT 1",
                              (tenth,))[0][0])
    first, second = (f'speaker:"{name}"' for name in speakers[:2])
    runs: tuple[tuple[str, Callable[[], object]], ...] = (
        (f"profile, {speakers[0]}", lambda: speaker_profile(store, speakers[0])),
        (f"profile, {tenth}, {busiest}", lambda: speaker_profile(store, tenth, query=f"date:{busiest}")),
        (f"keyness, {first} / {second}", lambda: keyness(store, first, second)),
        (f"keyness, date:{years[0]} / date:{years[-1]}", lambda: keyness(store, f"date:{years[0]}", f"date:{years[-1]}")),
        (f"keyness, {word} / every turn", lambda: keyness(store, word, "")),
        (f"co-mentions, {first}", lambda: comentions(store, query=first)),
        (f"co-mentions, date:{busiest}", lambda: comentions(store, query=f"date:{busiest}")),
    )
    print(f"  {'analysis of a filter':60s} {'first s':>8s} {'again s':>8s}  goal")
    for label, run in runs:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        print(f"  {label:60s} {times[0]:8.2f} {times[1]:8.2f}  {'met' if max(times) <= GOAL_S else 'MISS'}")


if __name__ == "__main__":
    main()
