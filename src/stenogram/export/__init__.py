"""Export a corpus, or some of its documents, to files other tools read: JSONL, CSV, Parquet, TEI, ConvoKit.

    from stenogram.export import export
    summary = export(corpus.store, "parquet", Path("out/"))

Every writer streams: documents are read from the store one at a time and written as they come.
The output is written under a temporary name beside the target and renamed into place at the end,
so a failed or interrupted export leaves nothing half-written.
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import orjson

from stenogram.errors import ExportError, NotFound
from stenogram.model import Document
from stenogram.store.sqlite import Store

FORMATS = ("jsonl", "csv", "parquet", "tei", "convokit")
#: formats whose output is a folder, with the entries a previous export of theirs leaves there
FOLDER_ENTRIES: dict[str, frozenset[str]] = {
    "parquet": frozenset({"documents", "turns", "mentions"}),
    "convokit": frozenset({"utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json"}),
}
_BATCH = 500  # ids checked per query


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: the format, where, how many documents, turns and mentions, and its size."""

    format: str
    path: Path
    documents: int
    turns: int
    mentions: int
    bytes_written: int


class Source:
    """The documents to export, read from the store one at a time; iterate again to read them again.

    ``documents``, ``turns`` and ``mentions`` count what the latest pass yielded.
    """

    def __init__(self, store: Store, document_ids: list[str] | None) -> None:
        self.store = store
        self.document_ids = document_ids
        self.documents = self.turns = self.mentions = 0

    def __iter__(self) -> Iterator[Document]:
        self.documents = self.turns = self.mentions = 0
        for doc in self._read():
            self.documents += 1
            self.turns += len(doc.turns)
            self.mentions += len(doc.mentions)
            yield doc

    def blobs(self) -> Iterator[bytes]:
        """The documents' stored JSON as UTF-8 bytes, one compact object each, whose turns have their
        paragraphs and no text (the fast path for Parquet, whose writer parses them itself and sets
        ``turns`` and ``mentions``)."""
        self.documents = self.turns = self.mentions = 0
        for blob in self.store.stored_documents(self.document_ids):
            self.documents += 1
            yield blob

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
        raise ExportError(f"unknown export format {fmt!r}; formats are: {', '.join(FORMATS)}")
    out = Path(out)
    _check_target(fmt, out)
    writer = _writer(fmt)
    ids = None if document_ids is None else list(document_ids)
    with _snapshot(store):
        if ids is not None:
            _check_ids(store, ids)
        source = Source(store, ids)
        folder = fmt in FOLDER_ENTRIES
        tmp = out.parent / f".{out.name}.{secrets.token_hex(4)}.tmp"
        try:
            if folder:
                tmp.mkdir()
            with _without_cycle_collection():
                writer(source, tmp)
            written = _size(tmp)
            _move_into_place(tmp, out, folder=folder)
        except BaseException as exc:
            _remove(tmp)
            if isinstance(exc, OSError):
                raise ExportError(f"{out}: cannot write the export ({exc.strerror or exc})") from exc
            if isinstance(exc, UnicodeError):
                raise ExportError(f"{out}: a document holds text that cannot be written as UTF-8 ({exc})") from exc
            raise
    return ExportSummary(format=fmt, path=out, documents=source.documents, turns=source.turns,
                         mentions=source.mentions, bytes_written=written)


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
        return write_jsonl
    if fmt == "csv":
        from stenogram.export.csv import write as write_csv
        return write_csv
    if fmt == "parquet":
        from stenogram.export.parquet import write as write_parquet
        return write_parquet
    if fmt == "tei":
        from stenogram.export.tei import write as write_tei
        return write_tei
    from stenogram.export.convokit import write as write_convokit
    return write_convokit


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
