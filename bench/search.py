"""Search latency on a corpus made by bench/ingest.py: median and p95 per query type and frequency band,
with grep as a floor.

    python bench/search.py --db PATH [--queries 200] [--words N] [--facet-queries N] [--limit 20] [--grep-runs 50]
                           [--seed 7]

The query words come from `generate.bands`: words of the generator's vocabulary from each frequency
band (ranks 1 to 1,000, 1,001 to 10,000, and rarer; English and Russian, one in seven Russian;
function words left out) and its multiword phrases (the 100 most used, and the rest), --words of
each (default: --queries), so a type rarely repeats a query. Use the same --seed as the corpus.
Query types, each timed in every band: a word; the word with speaker and date filters; the word with
facets; a search for documents (each document's best turn, its matching turns counted). Besides:
the top band's words' 51st page (offset 1,000: past the first 1,000 hits a frequent word keeps,
see ``search/turn_index/word_pages.py``) and phrases ("a b", in both phrase bands). Each type cycles
through its queries, interleaved with the other types, so no query is timed twice in a row.
"answered by" says which index served them: ``index`` (the tantivy turn index) or ``store`` (the
corpus file's FTS5, used when the turn index is missing or behind). Times are wall-clock per
``corpus.search(...)`` call (the query, the total count, the page of hits with snippets, and the
facets when asked); "goal" says whether the median is at most 10 ms and the p95 at most 50 ms. The
floor is ``grep -F -c WORD`` (LC_ALL=C) over one file holding every turn's text, one turn a line,
written once before timing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import BANDS, PHRASE_BANDS, bands
from stenogram.api import Corpus
from stenogram.search.engine import MARK_CLOSE, MARK_OPEN, SearchResult

SPEAKERS = ("Sergey Lavrov", "Maria Zakharova")
GOAL_MEDIAN_MS, GOAL_P95_MS = 10.0, 50.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def cased(corpus: Corpus, word: str) -> str:
    """The word as it is written in a matching turn (the FTS match is case-insensitive, grep -F is not)."""
    hits = corpus.search(word, limit=1).hits
    if hits and MARK_OPEN in hits[0].snippet:
        return hits[0].snippet.split(MARK_OPEN, 1)[1].split(MARK_CLOSE, 1)[0]
    return word


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a corpus made by bench/ingest.py --db")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per type and band")
    ap.add_argument("--words", type=int, help="query words (and phrases) per band (default: --queries)")
    ap.add_argument("--facet-queries", type=int, help="timed word+facets queries (default: --queries; 0 skips them)")
    ap.add_argument("--document-queries", type=int,
                    help="timed searches for documents (default: --queries; 0 skips them)")
    ap.add_argument("--limit", type=int, default=20, help="hits per page")
    ap.add_argument("--grep-runs", type=int, default=50, help="timed grep runs per band (top and rarest)")
    ap.add_argument("--seed", type=int, default=7, help="the generator's seed the corpus was made with")
    args = ap.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db}: no corpus; make one with bench/ingest.py --db {args.db}")
    rng = random.Random(args.seed)
    n = args.queries
    counts = {"word+facets": n if args.facet_queries is None else args.facet_queries,
              "documents": n if args.document_queries is None else args.document_queries}

    corpus = stenogram.open(args.db, read_only=True)
    ndocs, nturns = corpus.store.count("documents"), corpus.store.count("turns")
    db_mb = sum(p.stat().st_size for p in args.db.parent.glob(args.db.name + "*") if p.is_file()) / 1e6

    chosen = bands(args.words or n, seed=args.seed)
    word_bands = [name for name, _, _ in BANDS]
    phrase_bands = [name for name, _, _ in PHRASE_BANDS]
    years = sorted({int(r[0]) for r in corpus.store.query("SELECT DISTINCT substr(day, 1, 4) FROM documents WHERE day IS NOT NULL")})
    ranges = [f"{y}" if span == 1 else f"{y}..{y + span - 1}" for span in (1, 2, 3) for y in years if y + span - 1 <= years[-1]]
    rng.shuffle(ranges)

    def pick(band: str, i: int) -> str:
        return chosen[band][i % len(chosen[band])]

    Run = Callable[[int], SearchResult]

    def word(band: str, shift: int) -> Run:
        return lambda i: corpus.search(pick(band, i + shift), limit=args.limit)

    def page_51(band: str, shift: int) -> Run:
        return lambda i: corpus.search(pick(band, i + shift), limit=args.limit, offset=1000)

    def filtered(band: str, shift: int) -> Run:
        return lambda i: corpus.search(pick(band, i + shift), limit=args.limit, speaker=SPEAKERS[i % len(SPEAKERS)],
                                       date=ranges[i % len(ranges)])

    def faceted(band: str, shift: int) -> Run:
        return lambda i: corpus.search(pick(band, i + shift), limit=args.limit, facets=True)

    def documents(band: str, shift: int) -> Run:
        return lambda i: corpus.search(pick(band, i + shift), limit=args.limit, documents=True)

    def phrase(band: str, shift: int) -> Run:
        return lambda i: corpus.search(f'"{pick(band, i + shift)}"', limit=args.limit)

    # (type, band) → (description, query for the i-th run); each type starts at its own place in the words
    kinds: dict[tuple[str, str], tuple[str, Run]] = {}
    for band in word_bands:
        size = len(chosen[band])
        kinds[("word", band)] = (f"{size} words", word(band, 0))
        if band == word_bands[0]:
            kinds[("word, page 51", band)] = ("offset 1000", page_51(band, 3))
        kinds[("word+speaker+date", band)] = (f"x {len(SPEAKERS)} speakers x {len(ranges)} year ranges", filtered(band, 7))
        kinds[("word+facets", band)] = ("facets=True", faceted(band, 13))
        kinds[("documents", band)] = ("documents=True", documents(band, 17))
    for band in phrase_bands:
        kinds[("phrase", band)] = (f'{len(chosen[band])} phrases, "a b" or "a b c"', phrase(band, 0))
    kinds = {k: v for k, v in kinds.items() if counts.get(k[0], n) > 0}
    for _, run in kinds.values():   # warm up: compiled statements, first pages in the cache (not timed)
        run(-1)
    times: dict[tuple[str, str], list[float]] = {k: [] for k in kinds}
    totals: dict[tuple[str, str], list[int]] = {k: [] for k in kinds}
    engines: dict[tuple[str, str], set[str]] = {k: set() for k in kinds}
    start = time.perf_counter()
    for i in range(max(n, *counts.values())):
        for kind, (_, run) in kinds.items():
            if i >= counts.get(kind[0], n):
                continue
            t = time.perf_counter()
            result = run(i)
            times[kind].append(time.perf_counter() - t)
            totals[kind].append(result.total)
            engines[kind].add(result.engine)
    searching = time.perf_counter() - start

    # The floor: grep over every turn's text, one turn a line.
    with tempfile.TemporaryDirectory(prefix="stenogram-grep-") as tmp:
        text_file = Path(tmp) / "turns.txt"
        with text_file.open("w", encoding="utf-8") as fh:
            for row in corpus.store.iterate("SELECT text FROM turns ORDER BY rowid"):
                fh.write(row["text"].replace("\n", " ").replace("\r", " ") + "\n")
        text_mb = text_file.stat().st_size / 1e6
        env = {**os.environ, "LC_ALL": "C"}
        grep_words = {("grep", band): [cased(corpus, w) for w in chosen[band][:args.grep_runs]]
                      for band in (word_bands[0], word_bands[-1])}
        for words in grep_words.values():
            subprocess.run(["grep", "-F", "-c", words[0], str(text_file)], env=env, capture_output=True, check=False)
        for kind, words in grep_words.items():
            times[kind], totals[kind] = [], []
            for i in range(args.grep_runs):
                t = time.perf_counter()
                out = subprocess.run(["grep", "-F", "-c", words[i % len(words)], str(text_file)], env=env,
                                     capture_output=True, text=True, check=False)
                times[kind].append(time.perf_counter() - t)
                totals[kind].append(int(out.stdout.strip() or 0))
    corpus.close()

    facet_note = "".join(f" ({counts[k]} {k})" for k in ("word+facets", "documents") if counts[k] != n)
    print(f"search: {args.db} ({db_mb:.1f} MB), {ndocs} documents, {nturns} turns; {n} queries per type and band"
          f"{facet_note}, limit {args.limit}, {searching:.1f} s searching; goal: median <= {GOAL_MEDIAN_MS:g} ms, "
          f"p95 <= {GOAL_P95_MS:g} ms")
    for band in (*word_bands, *phrase_bands):
        matches = totals.get(("phrase" if band in phrase_bands else "word", band), [])
        spread = f" (matching turns: median {statistics.median(matches):,.0f}, max {max(matches):,})" if matches else ""
        print(f"  {band + ':':17s} {', '.join(chosen[band][:6])}, ...{spread}")
    print(f"  {'type':18s} {'band':16s} {'queries':>7s} {'median ms':>10s} {'p95 ms':>9s} {'max ms':>9s} "
          f"{'median matches':>15s}  {'answered by':11s}  {'goal':4s}  what")
    for kind, values in times.items():
        what = kinds[kind][0] if kind in kinds else f"grep -F -c over {text_mb:.1f} MB, one turn a line"
        ms = [v * 1000 for v in values]
        goal = "" if kind[0] == "grep" else "met" if statistics.median(ms) <= GOAL_MEDIAN_MS and p95(ms) <= GOAL_P95_MS \
            else "MISS"
        print(f"  {kind[0]:18s} {kind[1]:16s} {len(ms):7d} {statistics.median(ms):10.1f} {p95(ms):9.1f} {max(ms):9.1f} "
              f"{statistics.median(totals[kind]):15,.0f}  {'+'.join(sorted(engines.get(kind, {'grep'}))):11s}  {goal:4s}  "
              f"{what}")

if __name__ == "__main__":
    main()
