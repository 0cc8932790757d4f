"""Export a corpus, or some of its documents, to files other tools read: JSONL, CSV, Parquet, TEI, ConvoKit;
and the aligned paragraphs of its language versions as a TMX translation memory or a parallel table.

    from stenogram.export import export
    summary = export(corpus.store, "parquet", Path("out/"))
    summary = export_pairs(corpus.store, "tmx", Path("en-ru.tmx"), corpus.version_pairs(), languages=["en", "ru"])

Every writer streams: documents are read from the store one at a time and written as they come.
The output is written under a temporary name beside the target and renamed into place at the end,
so a failed or interrupted export leaves nothing half-written.
"""

from __future__ import annotations

import gc
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from stenogram import limits
from stenogram.align import VersionPair
from stenogram.errors import ExportError, NotFound
from stenogram.export.pairs import Rows
from stenogram.limits import bounded_share
from stenogram.model import Document
from stenogram.store.sqlite import Store

FORMATS = ("jsonl", "csv", "parquet", "tei", "convokit")
#: formats of the aligned paragraphs of language versions (``export_pairs``): one file each
PAIR_FORMATS = ("tmx", "parallel")
#: formats whose output is a folder, with the entries a previous export of theirs leaves there
FOLDER_ENTRIES: dict[str, frozenset[str]] = {
    "parquet": frozenset({"documents", "turns", "mentions"}),
    "convokit": frozenset({"utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json"}),
}
_BATCH = 500  # ids checked per query
#: what a language code looks like (``en``, ``ru``, ``pt-BR``)
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: the format, where, how many documents, turns and mentions, and its size.

    For tmx and parallel: ``pairs`` counts the aligned pairs of paragraphs written (a TMX unit each, a
    merged paragraph's unit counting once), ``versions`` the pairs of language versions read, ``turns``
    the pairs of turns and ``documents`` the documents the written pairs come from."""

    format: str
    path: Path
    documents: int
    turns: int
    mentions: int
    bytes_written: int
    pairs: int = 0
    versions: int = 0


class Source:
    """The documents to export, read from the store one at a time; iterate again to read them again.

    ``documents``, ``turns`` and ``mentions`` count what the latest pass yielded.
    """

    def __init__(self, store: Store, document_ids: list[str] | None) -> None:
        self.store = store
        self.document_ids = document_ids
        self.documents = self.turns = self.mentions = 0
        self._with_record: set[str] | None = None

    def __iter__(self) -> Iterator[Document]:
        self.documents = self.turns = self.mentions = 0
        for doc in self._read():
            self.documents += 1
            self.turns += len(doc.turns)
            self.mentions += len(doc.mentions)
            yield doc

    def blobs(self) -> Iterator[tuple[str, bytes]]:
        """Each document's id and stored JSON as UTF-8 bytes, one compact object each, whose turns have
        their paragraphs and no text (the fast path for Parquet, whose writer parses them itself and sets
        ``turns`` and ``mentions``)."""
        self.documents = self.turns = self.mentions = 0
        for pair in self.store.stored_pairs(self.document_ids):
            self.documents += 1
            yield pair

    def speaker_ids(self, document_ids: Sequence[str]) -> dict[str, str]:
        """Turn id → the person id of its speaker (one id for one person in every language), for the
        named turns of these documents."""
        return self.store.speaker_ids(document_ids)

    def versions_record(self, document_id: str) -> dict[str, Any] | None:
        """The record of a document's versions and withdrawals (without its id's key), when it has more than
        one version or was withdrawn; else None."""
        if self._with_record is None:
            self._with_record = self.store.with_record()
        if document_id not in self._with_record:
            return None
        return self.store.history_of(document_id).to_json()

    def _read(self) -> Iterator[Document]:
        for blob in self.store.stored_documents(self.document_ids):
            yield Document.from_json(orjson.loads(blob))


Writer = Callable[[Source, Path], None]


def export(store: Store, fmt: str, out: Path, *, document_ids: Iterable[str] | None = None) -> ExportSummary:
    """Write the corpus (or the documents named, in their order) to ``out`` in one of FORMATS.

    The whole corpus is written in (day, id) order. ``out`` is a file for jsonl, csv and tei, and a
    folder for parquet and convokit; an existing file is replaced, and so is a folder holding an
    earlier export of the same format, but no other folder.
    """
    if fmt not in FORMATS:
        if fmt in PAIR_FORMATS:
            raise ExportError(f"{fmt} writes the aligned paragraphs of language versions, not documents: export it "
                              "through Corpus.export (or export_pairs with the corpus's version pairs)")
        raise ExportError(f"unknown export format {fmt!r}; formats are: {', '.join(FORMATS + PAIR_FORMATS)}")
    out = Path(out)
    _check_target(fmt, out)
    writer = _writer(fmt)
    ids = None if document_ids is None else list(document_ids)
    with _snapshot(store):
        if ids is not None:
            _check_ids(store, ids)
        source = Source(store, ids)
        written = _write_into_place(out, lambda tmp: writer(source, tmp), folder=fmt in FOLDER_ENTRIES)
    return ExportSummary(format=fmt, path=out, documents=source.documents, turns=source.turns,
                         mentions=source.mentions, bytes_written=written)


def export_pairs(store: Store, fmt: str, out: Path, pairs: Iterable[VersionPair], *,
                 languages: Sequence[str] | None = None, min_confidence: float = 0.0,
                 selected: bool = False) -> ExportSummary:
    """Write the aligned paragraphs of ``pairs`` (pairs of language versions of the corpus in ``store``,
    read one at a time) to the file ``out``: ``tmx`` a TMX 1.4 translation memory, ``parallel`` a table
    of one row a pair of paragraphs (CSV, or Parquet when ``out`` ends in .parquet).

    ``languages`` are the languages the pairs were chosen for (two or more of the corpus's; the first
    named is each row's side a and, of two, the TMX's source language); pairs of paragraphs or turns
    aligned with less than ``min_confidence`` (0 to 1) are left out. ``selected``: the pairs are those of
    a query's documents (for the message when there are none). Raises ExportError, before writing
    anything, when no item has two language versions to pair or a language is not a code of the
    corpus's, and QueryError for a confidence out of range."""
    if fmt not in PAIR_FORMATS:
        raise ExportError(f"unknown format {fmt!r} for aligned language versions; formats are: {', '.join(PAIR_FORMATS)}")
    min_confidence = bounded_share("min_confidence", min_confidence, limits.CONFIDENCE)
    order = _language_codes(languages)
    out = Path(out)
    _check_target(fmt, out)
    if fmt == "tmx":
        from stenogram.export.tmx import write as write_tmx

        srclang = order[0] if order is not None and len(order) == 2 else "*all*"

        def writer(rows: Rows, path: Path) -> None:
            write_tmx(rows, path, srclang=srclang)
    else:
        from stenogram.export.parallel import write_csv, write_parquet

        writer = write_parquet if out.suffix.lower() == ".parquet" else write_csv
    with _snapshot(store):
        if order is not None:
            _check_languages(store, order)
        found = iter(pairs)
        first = next(found, None)
        if first is None:
            raise ExportError(_nothing_to_align(order, selected))
        rows = Rows(chain([first], found), item_of=lambda ident: _item_of(store, ident), order=order,
                    min_confidence=min_confidence)
        written = _write_into_place(out, lambda tmp: writer(rows, tmp), folder=False)
    return ExportSummary(format=fmt, path=out, documents=rows.documents, turns=rows.turns, mentions=0,
                         bytes_written=written, pairs=rows.units, versions=rows.versions)


def _write_into_place(out: Path, write: Callable[[Path], None], *, folder: bool) -> int:
    """Run ``write`` on a temporary name beside ``out`` and rename the result into place; on any failure
    the temporary file or folder is removed and ``out`` is left as it was. Returns the bytes written."""
    tmp = out.parent / f".{out.name}.{secrets.token_hex(4)}.tmp"
    try:
        if folder:
            tmp.mkdir()
        with _without_cycle_collection():
            write(tmp)
        written = _size(tmp)
        _move_into_place(tmp, out, folder=folder)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise ExportError(f"{out}: cannot write the export ({exc.strerror or exc})") from exc
        if isinstance(exc, UnicodeError):
            raise ExportError(f"{out}: a document holds text that cannot be written as UTF-8 ({exc})") from exc
        raise
    return written


def _language_codes(languages: Sequence[str] | None) -> list[str] | None:
    """The languages named, checked: codes (``en``), each once, at least two (a pair has two)."""
    if languages is None:
        return None
    codes = [code.strip() for code in languages]
    for code in codes:
        if not _LANGUAGE.fullmatch(code):
            raise ExportError(f"languages: {code!r} is not a language code; give codes such as en or ru, "
                              "comma-separated (en,ru)")
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ExportError(f"languages: {', '.join(twice)} is named twice; name each language once")
    if len(codes) < 2:
        raise ExportError(f"languages: only {', '.join(codes) or 'none'} is named, and a pair of versions has two "
                          "languages; name two or more (en,ru)")
    return codes


def _check_languages(store: Store, codes: Sequence[str]) -> None:
    """Every code names a language the corpus has documents in (a look-up each; the list of the corpus's
    languages is read only for the message)."""
    missing = [code for code in codes
               if not store.query("SELECT 1 FROM documents WHERE language = ? LIMIT 1", [code])]
    if missing:
        have = [r[0] for r in store.query("SELECT DISTINCT language FROM documents ORDER BY language")]
        raise ExportError(f"languages: the corpus has no document in {', '.join(missing)}; its languages are "
                          f"{', '.join(have) or 'none (it is empty)'}")


def _nothing_to_align(order: Sequence[str] | None, selected: bool) -> str:
    where = "among the documents the query finds" if selected else "in the corpus"
    which = f" in {' and '.join(order) if len(order) == 2 else 'two of ' + ', '.join(order)}" if order else ""
    return (f"nothing to align: no item {where} has two language versions{which}, so there are no paragraphs to "
            "pair; ingest the item's other language versions (versions are grouped by their address: "
            "mid.ru:1398712:en and mid.ru:1398712:ru are one item's, as pages crawled with --lang en,ru or "
            "saved with their URLs are)")


def _item_of(store: Store, document_id: str) -> str:
    """The item (group of language versions) a document belongs to."""
    row = store.query("SELECT group_id FROM documents WHERE id = ?", [document_id])
    return str(row[0][0]) if row else document_id


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a writer runs. An export makes millions of short-lived
    objects (the stored documents' JSON), none in reference cycles, so reference counting frees them
    all, while the collector, set off by every few hundred allocations, would walk the buffered rows
    again and again (a third of a Parquet export's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _writer(fmt: str) -> Writer:
    # Imported when needed: pyarrow takes a while to load and only parquet needs it.
    if fmt == "jsonl":
        from stenogram.export.jsonl import write as write_jsonl
        return lambda source, path: write_jsonl(source, path, record=source.versions_record)
    if fmt == "csv":
        from stenogram.export.csv import write as write_csv
        return lambda source, path: write_csv(source, path, speaker_ids=source.speaker_ids)
    if fmt == "parquet":
        from stenogram.export.parquet import write as write_parquet
        return write_parquet
    if fmt == "tei":
        from stenogram.export.tei import write as write_tei
        return lambda source, path: write_tei(source, path, speaker_ids=source.speaker_ids)
    from stenogram.export.convokit import write as write_convokit
    return lambda source, path: write_convokit(source, path, speaker_ids=source.speaker_ids)


def _check_target(fmt: str, out: Path) -> None:
    parent = out.absolute().parent
    if not parent.is_dir():
        raise ExportError(f"{out}: the folder {parent} does not exist; create it or choose another place")
    if fmt in FOLDER_ENTRIES:
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out}: a {fmt} export is a folder, and this is a file; choose a folder name")
        if out.is_dir():
            extra = sorted(p.name for p in out.iterdir() if p.name not in FOLDER_ENTRIES[fmt])
            if extra:
                raise ExportError(
                    f"{out}: the folder holds other things ({', '.join(extra[:3])}) than an earlier {fmt} export,"
                    " so it is left alone; choose a new or empty folder"
                )
    elif out.is_dir():
        raise ExportError(f"{out}: a {fmt} export is one file, and this is a folder; give a file name")


def _check_ids(store: Store, ids: list[str]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ExportError(f"document {ident!r} is asked for twice; give each id once")
        seen.add(ident)
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        marks = ",".join("?" * len(chunk))
        found = {r["id"] for r in store.query(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)}
        for ident in chunk:
            if ident not in found:
                raise NotFound("document", ident)


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction around the export, so every pass sees the same corpus while others ingest."""
    conn = store.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _move_into_place(tmp: Path, out: Path, *, folder: bool) -> None:
    if not folder or not out.exists():
        os.replace(tmp, out)
        return
    # An earlier export of this format (checked before writing): swap it out, then delete it.
    old = out.parent / f".{out.name}.{secrets.token_hex(4)}.old"
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove(path: Path) -> None:
    with suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


# --- helpers the writers share ------------------------------------------------------------------------
