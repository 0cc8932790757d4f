"""Search latency on a corpus made by bench/ingest.py: median and p95 per query type, with grep as a floor.

    python bench/search.py --db PATH [--queries 200] [--facet-queries N] [--limit 20] [--grep-runs 50] [--seed 7]

Query types: a common word (the generator's vocabulary, found in about half the turns; a word in at
least 50,000 turns has its first 1,000 hits ranked once for each state of the index, see
``search/turn_index/word_pages.py``), the same words' 51st page (offset 1,000: ranked when asked), a rare word
(the corpus's least frequent indexed words, read from the FTS5 vocabulary), a phrase (real bigrams
taken from stored turns), a word with speaker and date filters, a word with facets, and a search
for documents (a common word; each document's best turn, its matching turns counted). Each type
cycles through many different queries, interleaved with the other types, so no query is timed twice
in a row. "answered by" says which index served them: ``index`` (the tantivy turn index) or
``store`` (the corpus file's FTS5, used when the turn index is missing or behind). Times are
wall-clock per ``corpus.search(...)`` call (the query, the total count, the page of hits with
snippets, and the facets when asked). The floor is ``grep -F -c WORD`` (LC_ALL=C) over
one file holding every turn's text, one turn a line, written once before timing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import WORDS
from stenogram.api import Corpus
from stenogram.search.engine import MARK_CLOSE, MARK_OPEN, SearchResult

SPEAKERS = ("Sergey Lavrov", "Maria Zakharova")
_SENTENCE = re.compile(r"[.?!;:]\s*")
_WORD = re.compile(r"[^\W\d_]+")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def rare_words(corpus: Corpus, count: int) -> list[tuple[str, int]]:
    """(term, turns containing it) for the least frequent words of the turns' text, from the FTS5 vocabulary."""
    corpus.store.query("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, turns_fts, 'col')")
    rows = corpus.store.query(
        "SELECT term, doc FROM temp.bench_vocab WHERE col = 'text' AND length(term) >= 3 ORDER BY doc, term LIMIT ?",
        (count * 4,))
    words = [(r["term"], int(r["doc"])) for r in rows if _WORD.fullmatch(r["term"])]
    return words[:count]


def bigrams(corpus: Corpus, count: int, rng: random.Random) -> list[str]:
    """Distinct pairs of adjacent words (within a sentence) from randomly chosen turns."""
    top = int(corpus.store.query("SELECT max(rowid) FROM turns")[0][0] or 0)
    found: list[str] = []
    seen: set[str] = set()
    for _ in range(count * 20):
        if len(found) >= count or top == 0:
            break
        rows = corpus.store.query("SELECT text FROM turns WHERE rowid = ?", (rng.randint(1, top),))
        if not rows:
            continue
        sentences = [s for s in _SENTENCE.split(rows[0]["text"]) if s.strip()]
        words = _WORD.findall(rng.choice(sentences).lower()) if sentences else []
        if len(words) < 2:
            continue
        i = rng.randrange(len(words) - 1)
        pair = f"{words[i]} {words[i + 1]}"
        if pair not in seen:
            seen.add(pair)
            found.append(pair)
    return found


def cased(corpus: Corpus, word: str) -> str:
    """The word as it is written in a matching turn (the FTS match is case-insensitive, grep -F is not)."""
    hits = corpus.search(word, limit=1).hits
    if hits and MARK_OPEN in hits[0].snippet:
        return hits[0].snippet.split(MARK_OPEN, 1)[1].split(MARK_CLOSE, 1)[0]
    return word


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a corpus made by bench/ingest.py --db")
    ap.add_argument("--queries", type=int, default=200, help="timed queries per type")
    ap.add_argument("--facet-queries", type=int, help="timed word+facets queries (default: --queries; 0 skips them)")
    ap.add_argument("--document-queries", type=int,
                    help="timed searches for documents (default: --queries; 0 skips them)")
    ap.add_argument("--limit", type=int, default=20, help="hits per page")
    ap.add_argument("--grep-runs", type=int, default=50, help="timed grep runs per word kind")
    ap.add_argument("--seed", type=int, default=7)
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

    common = list(WORDS)
    rng.shuffle(common)
    rare = rare_words(corpus, 40)
    phrases = bigrams(corpus, n, rng)
    years = sorted({int(r[0]) for r in corpus.store.query("SELECT DISTINCT substr(day, 1, 4) FROM documents WHERE day IS NOT NULL")})
    ranges = [f"{y}" if span == 1 else f"{y}..{y + span - 1}" for span in (1, 2, 3) for y in years if y + span - 1 <= years[-1]]
    rng.shuffle(ranges)

    def word(i: int) -> str:
        return common[i % len(common)]

    # type → (description, query for the i-th run)
    kinds: dict[str, tuple[str, Callable[[int], SearchResult]]] = {
        "common word": (f"{len(common)} generator words", lambda i: corpus.search(word(i), limit=args.limit)),
        "common, page 51": ("offset 1000: past the kept hits", lambda i: corpus.search(word(i + 3), limit=args.limit,
                                                                                         offset=1000)),
        "rare word": (f"{len(rare)} least frequent words", lambda i: corpus.search(rare[i % len(rare)][0], limit=args.limit)),
        "phrase": (f'{len(phrases)} bigrams, "a b"', lambda i: corpus.search(f'"{phrases[i % len(phrases)]}"', limit=args.limit)),
        "word+speaker+date": (f"{len(SPEAKERS)} speakers x {len(ranges)} year ranges",
                              lambda i: corpus.search(word(i + 7), limit=args.limit, speaker=SPEAKERS[i % len(SPEAKERS)],
                                                      date=ranges[i % len(ranges)])),
        "word+facets": ("generator words, facets=True", lambda i: corpus.search(word(i + 13), limit=args.limit, facets=True)),
        "documents": ("generator words, documents=True", lambda i: corpus.search(word(i + 17), limit=args.limit,
                                                                                 documents=True)),
    }
    kinds = {k: v for k, v in kinds.items() if counts.get(k, n) > 0}
    for _, run in kinds.values():   # warm up: compiled statements, first pages in the cache (not timed)
        run(len(common) - 1)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    totals: dict[str, list[int]] = {k: [] for k in kinds}
    engines: dict[str, set[str]] = {k: set() for k in kinds}
    start = time.perf_counter()
    for i in range(max(n, *counts.values())):
        for kind, (_, run) in kinds.items():
            if i >= counts.get(kind, n):
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
        grep_words = {"grep common": [word(i) for i in range(len(common))],
                      "grep rare": [cased(corpus, w) for w, _ in rare]}
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
    print(f"search: {args.db} ({db_mb:.1f} MB), {ndocs} documents, {nturns} turns; {n} queries per type{facet_note}, "
          f"limit {args.limit}, {searching:.1f} s searching")
    print(f"  rare words: {', '.join(w for w, _ in rare[:8])}, ... in {rare[0][1]} to {rare[-1][1]} turns "
          f"({100 * rare[0][1] / nturns:.1f}% to {100 * rare[-1][1] / nturns:.1f}% of turns)")
    print(f"  phrases:    {', '.join(phrases[:5])}, ...")
    print(f"  {'type':20s} {'queries':>7s} {'median ms':>10s} {'p95 ms':>9s} {'max ms':>9s} {'median matches':>15s}  "
          f"{'answered by':11s}  what")
    for kind, values in times.items():
        what = kinds[kind][0] if kind in kinds else f"grep -F -c over {text_mb:.1f} MB, one turn a line"
        ms = [v * 1000 for v in values]
        print(f"  {kind:20s} {len(ms):7d} {statistics.median(ms):10.1f} {p95(ms):9.1f} {max(ms):9.1f} "
              f"{statistics.median(totals[kind]):15,.0f}  {'+'.join(sorted(engines.get(kind, {'grep'}))):11s}  {what}")


if __name__ == "__main__":
    main()
