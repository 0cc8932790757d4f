"""What a corpus's files hold: the corpus file by table, and the turn index by field, each against the text.

    python bench/sizes.py --db CORPUS.db [--turns N] [--skip-index]

The corpus file is measured with SQLite's ``dbstat`` (the pages each table and index uses), grouped by
what it is for. The turn index is measured as it is (its folder: tantivy's segments, and the answers kept
beside them for frequent words). Then a bare tantivy index of the same turns is built in a temporary
folder: each turn's text (with positions) and the same filter fields, without the fields that are there
to make searches fast (each turn's document title, the pairs of adjacent words, each document's words
on its first turn). Each of those fields is then added to the bare index alone, and all of them
together, to say what each costs in bytes and in indexing time (one indexing thread; the wall clock
of adding the turns and committing). ``--turns`` builds from the first N turns only.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import stenogram  # noqa: F401  (the package must be importable: run from a checkout with its venv)
from stenogram.search.turn_index.fields import ANALYZER, build_analyzer, build_schema, turn_fields
from stenogram.search.turn_index.index import folder_for
from stenogram.store.sqlite import Store

#: the turn index's fields that make searches fast or find documents, over the bare index's text and filters
EXTRAS = ("title", "pairs", "doc_words")

#: what each table and index of the corpus file is for
PARTS = {
    "turns (text and fields)": ("turns",),
    "documents (metadata, compressed JSON)": ("documents",),
    "full-text index (FTS5)": ("turns_fts_data", "turns_fts_idx", "turns_fts_docsize", "turns_fts_config"),
    "mentions": ("mentions",),
    "indexes of turns and mentions": ("sqlite_autoindex_turns_1", "turns_document", "turns_speaker", "turns_label",
                                      "turns_speaker_id", "mentions_turn", "mentions_entity", "mentions_person",
                                      "turn_addressees_turn"),
    "yearly word counts": ("term_years", "year_totals"),
    "versions, alignments, people": ("document_versions", "document_events", "alignments", "alignments_pair",
                                     "alignments_second", "person_keys", "person_keys_person", "speaker_names",
                                     "speaker_names_name"),
}


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def corpus_file(db: Path) -> int:
    """Print the corpus file's parts; returns the bytes of turn text."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pages = {name: size for name, size in con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")}
    text = int(con.execute("SELECT sum(length(CAST(text AS BLOB))) FROM turns").fetchone()[0] or 0)
    turns = int(con.execute("SELECT count(*) FROM turns").fetchone()[0])
    documents = int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
    con.close()
    total = db.stat().st_size
    print(f"corpus file {db}: {documents:,} documents, {turns:,} turns, {mb(text)} of turn text (UTF-8)")
    print(f"  {'part':40s} {'size':>11s} {'× text':>7s}")
    named = 0
    for part, names in PARTS.items():
        size = sum(pages.get(n, 0) for n in names)
        named += size
        print(f"  {part:40s} {mb(size):>11s} {size / max(text, 1):7.2f}")
    rest = sum(pages.values()) - named
    print(f"  {'the rest (small tables, free pages)':40s} {mb(rest + total - sum(pages.values())):>11s}")
    print(f"  {'the whole file':40s} {mb(total):>11s} {total / max(text, 1):7.2f}")
    return text


def turn_documents(db: Path, limit: int | None) -> list[dict[str, Any]]:
    """The turn index's fields of each turn (as the index makes them), each document's words on its first turn."""
    store = Store(db, read_only=True)
    analyzer = build_analyzer()
    out: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    words: set[str] = set()

    def flush() -> None:
        if held and words:
            held[0]["doc_words"] = [" ".join(words)]
        out.extend(held)

    try:
        for row in store.turns_of(None):
            if held and row.document_id != held[0]["doc"][0]:
                flush()
                held, words = [], set()
                if limit is not None and len(out) >= limit:
                    break
            fields, tokens = turn_fields(row, analyzer)
            if not held and row.title:
                words.update(analyzer.analyze(row.title))
            words.update(tokens)
            held.append(fields)
        else:
            flush()
    finally:
        store.close()
    return out


def build(turns: list[dict[str, Any]], keep: tuple[str, ...], work: Path) -> tuple[int, float]:
    """Index the turns with the bare fields and ``keep``; (bytes, seconds)."""
    import tantivy

    folder = work / ("bare" + "".join("+" + k for k in keep))
    folder.mkdir()
    index = tantivy.Index(build_schema(), path=str(folder))
    index.register_tokenizer(ANALYZER, build_analyzer())
    writer = index.writer(256_000_000, 1)
    drop = set(EXTRAS) - set(keep)
    t = time.perf_counter()
    for fields in turns:
        writer.add_document(tantivy.Document(**{k: v for k, v in fields.items() if k not in drop}))
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - t
    size = folder_size(folder)
    shutil.rmtree(folder)
    return size, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--turns", type=int, help="build the comparison indexes from the first N turns only")
    ap.add_argument("--skip-index", action="store_true", help="measure the corpus file only")
    args = ap.parse_args()
    if not args.db.is_file():
        sys.exit(f"{args.db}: no such corpus file")
    text = corpus_file(args.db)
    if args.skip_index:
        return
    folder = folder_for(str(args.db))
    if folder is not None and folder.is_dir():
        kept = sum(p.stat().st_size for p in folder.rglob("*.sqlite*") if p.is_file())
        whole = folder_size(folder)
        print(f"turn index {folder}: {mb(whole)} ({whole / max(text, 1):.2f} × text): segments {mb(whole - kept)}, "
              f"answers kept for frequent words {mb(kept)}")
    t = time.perf_counter()
    turns = turn_documents(args.db, args.turns)
    print(f"comparison indexes of {len(turns):,} turns (their fields made in {time.perf_counter() - t:.0f} s):")
    with tempfile.TemporaryDirectory(prefix="stenogram-sizes-") as tmp:
        work = Path(tmp)
        bare, bare_s = build(turns, (), work)
        print(f"  {'bare: text and filter fields':34s} {mb(bare):>11s}  {bare_s:6.1f} s")
        for keep in [(k,) for k in EXTRAS] + [EXTRAS]:
            size, seconds = build(turns, keep, work)
            print(f"  {'bare + ' + ' + '.join(keep):34s} {mb(size):>11s}  {seconds:6.1f} s  "
                  f"(+{mb(size - bare)}, {size / bare:.2f} × bare; +{seconds - bare_s:.1f} s)")


if __name__ == "__main__":
    main()
