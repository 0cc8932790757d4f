"""The corpus in one SQLite file: documents, turns, mentions, and the full-text indexes beside them.

The file is the store of record. Its own full-text index (FTS5) lives in the same file and is written
in the same transaction as the turns, so the two cannot disagree; it answers every query exactly. It
reads the turns' text where it is stored (``turn_texts``) and keeps no copy; each document is kept as
compressed contract JSON whose turns have their paragraphs and not their joined text.
The turn index (``search/turn_index/``, tantivy, in a folder beside the file) answers the common ones
fast; it follows the file through ``index_log`` (``changes``, ``turns_of``, ``forget_changes``) and is
used only while it is in step. ``reindex`` rebuilds the file's own index from the turns; opening a
corpus for writing reconciles it after a crash (the turn index has its own catch-up).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, NamedTuple

import orjson

from stenogram.align import Alignment
from stenogram.align.edits import compare
from stenogram.align.versions import fingerprint
from stenogram.errors import NoSuchVersion, NotFound, SchemaTooNew, StoreError
from stenogram.model import Document, Turn
from stenogram.store import history, links
from stenogram.store.schema import MIGRATIONS, VERSION
from stenogram.store.terms import PendingCounts, year_of

#: characters of text whose words the yearly counts' changes hold at most before they are written (a long
#: transaction, such as counting every document again, writes them as it goes)
MAX_PENDING_COUNTS = 32 << 20

#: what joins a turn's paragraphs into its text (``Turn.text``)
PARAGRAPH_BREAK = "\n\n"

#: what writing a document did: "unchanged" when the transcript as a reader sees it is the same (skipped for the same
#: content hash, or stored again without a new version: another page around it, the same page parsed again)
WriteStatus = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class WriteResult:
    status: WriteStatus
    document_id: str


class MentionRow(NamedTuple):
    """A mention of a country, person or organization in a turn, as the turn index reads it."""
    type: str
    entity_id: str | None
    text: str


class TurnRow(NamedTuple):
    """A turn with what the turn index keeps of it and of its document."""
    rowid: int
    turn_id: str
    document_id: str
    kind: str
    speaker: str | None
    label: str | None
    text: str
    document_kind: str
    source: str
    language: str
    day: str | None
    title: str
    #: the row id of the document's first turn (turn row ids never change)
    first_rowid: int
    #: the day the document's current version was first seen, when it is not its first (store/history.py)
    edited: str | None
    #: the turn's mentions of countries, people and organizations
    mentions: tuple[MentionRow, ...]


#: the mentions the turn index keeps
_INDEXED_MENTIONS = "('country', 'person', 'organization')"


def _connect(path: str, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection to the corpus file; ``immutable``: read through a ``mode=ro&immutable=1`` URI, which
    writes nothing at all (no lock, no ``-shm`` or ``-wal`` file) and takes the file not to change."""
    try:
        if immutable:
            uri = f"{Path(path).absolute().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the corpus ({exc}); check the path and its folder's permissions") from exc
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


class Store:
    """One corpus file. Not shared between threads; open one Store per thread or process."""

    def __init__(self, path: str | Path, *, read_only: bool = False, immutable: bool = False) -> None:
        """Open (or create) the corpus file. A writer reconciles the file's FTS5 index (the turn index
        is caught up by whoever holds it: ``search/turn_index/``).

        ``immutable`` (read-only only): a copy that nothing writes while it is open (``serve --read-only``),
        opened without writing anything beside it. A reader opens the file so anyway when its folder cannot
        be written (a read-only file system, a folder of another user), where the usual
        shared-memory file of the write-ahead log could not be made."""
        self.path = str(path)
        if self.path != ":memory:" and not read_only:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: the folder {parent} does not exist; create it or choose another --db")
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no corpus here; build one with `stenogram ingest PATH --db {self.path}`")
        if immutable and not read_only:
            raise StoreError(f"{self.path}: a corpus opened as immutable is read-only; open it with read_only=True")
        self.immutable = read_only and self.path != ":memory:" and (immutable or not _writable(self.path))
        if self.immutable:
            _check_complete(self.path)
        self.conn = _connect(self.path, immutable=self.immutable)
        self._savepoints = 0
        #: the yearly word counts' changes not yet written, one a savepoint open (empty outside a transaction
        #: of ``transaction()``, where they are written at once); written as the transaction commits
        self._counts: list[PendingCounts] = []
        self.read_only = read_only
        try:
            if self.path != ":memory:" and not self.immutable:
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # page cache: 128 MiB for readers, 32 MiB for a writer (so an ingest's memory stays small and flat)
            self.conn.execute("PRAGMA cache_size = -131072" if read_only else "PRAGMA cache_size = -32768")
            if read_only:
                # readers (search, the web server) read through the OS cache, up to 1 GiB; a writer does not,
                # so its resident memory stays flat as it reads back what it wrote for the turn index
                self.conn.execute("PRAGMA mmap_size = 1073741824")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            if not read_only:
                # a writer copies the log back into the file every 20,000 pages (80 MB) instead of 1,000:
                # pages written again and again (the full-text index's, the indexes') are copied once,
                # not once a batch (measured: an ingest about 10% faster, its commits 0.9 → 0.2 ms a
                # document); the log is removed when the last connection closes
                self.conn.execute("PRAGMA wal_autocheckpoint = 20000")
            self._migrate()
            if not read_only:       # a reader cannot repair; a writer opening the file will
                self._reconcile()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF == 11:      # SQLITE_CORRUPT
                raise self.damaged_file(exc) from exc
            raise StoreError(f"{self.path}: not a stenogram corpus or a damaged file ({exc})") from exc
        except StoreError:
            self.conn.close()
            raise
        self.corpus_id = str(self.query("SELECT value FROM corpus_meta WHERE key = 'corpus_id'")[0][0])

    # --- schema ------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        c = self.conn
        if not self.immutable:
            c.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {row[0] for row in c.execute("SELECT name FROM schema_migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = applied - known
        if unknown:
            raise SchemaTooNew(self.path, len(applied), VERSION)
        if self.immutable and known - applied:
            raise StoreError(f"{self.path}: the corpus was made by an older stenogram and needs an upgrade, which "
                             "writes to it, and it is opened without writing (a read-only copy or file system); "
                             "open the original once for writing (`stenogram stats`), then copy it again")
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
            try:
                with self._scratch_on_disk(), self.transaction():
                    for statement in _statements(sql):
                        c.execute(statement)
                    c.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
                    if name == "0005_yearly_word_counts":
                        self._rebuild_year_counts()
                    if name == "0006_full_text_index_without_copies":
                        self._rebuild_index()
                    if name == "0007_compressed_documents":
                        self._compress_documents()
                    if name == "0008_people_and_alignments":
                        links.link_all(c, self.document)
                    if name == "0010_text_once":
                        self._compress_documents(compressed=True)
            except sqlite3.OperationalError as exc:
                raise StoreError(
                    f"{self.path}: cannot upgrade the corpus for this stenogram (step {name}: {exc}); the step "
                    "left the file as it was. If the disk is full, make room (an upgrade writes its changes to a "
                    "log beside the file first, up to the size of the file); if another process is using the "
                    "corpus, let it finish; then open it again") from exc

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0])

    def _reconcile(self) -> None:
        """After a crash the index could only be behind if it was written outside a transaction; check anyway."""
        turns = self.conn.execute("SELECT count(*) FROM turns").fetchone()[0]
        if turns != self.indexed_turns():
            with self._scratch_on_disk(), self.transaction():
                self._rebuild_index()

    def indexed_turns(self) -> int:
        """The number of turns in the full-text index (its own count: ``count(*)`` of the index table
        would count the turns it reads its text from)."""
        return int(self.conn.execute("SELECT count(*) FROM turns_fts_docsize").fetchone()[0])

    def _rebuild_index(self) -> None:
        """Index every turn again, from the turns and their documents' titles (``turn_texts``)."""
        self.conn.execute("INSERT INTO turns_fts(turns_fts) VALUES ('rebuild')")

    def _compress_documents(self, *, compressed: bool = False) -> None:
        """Rewrite every stored document as ``_pack`` keeps it (500 at a time), from plain JSON or, ``compressed``,
        from an earlier packing."""
        c = self.conn
        last = -1
        while rows := c.execute("SELECT rowid, id, json FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 500",
                                (last,)).fetchall():
            texts: dict[str, dict[int, str]] = {}
            for ident, idx, text in c.execute("SELECT document_id, idx, text FROM turns WHERE document_id IN"
                                              " (SELECT value FROM json_each(?))", (orjson.dumps([r[1] for r in rows]),)):
                texts.setdefault(ident, {})[idx] = text
            c.executemany("UPDATE documents SET json = ? WHERE rowid = ?",
                          [(_pack(orjson.loads(unpack(r[2]) if compressed else r[2]), texts.get(r[1], {})), r[0])
                           for r in rows])
            last = rows[-1][0]

    def _rebuild_year_counts(self) -> None:
        """Count every dated document's words again, a document at a time."""
        c = self.conn
        if len(self._counts) == 1:
            self._counts[0].write(c)                # what was pending is counted again below
        c.execute("DELETE FROM term_years")
        c.execute("DELETE FROM year_totals")
        for (ident,) in c.execute("SELECT id FROM documents WHERE day IS NOT NULL").fetchall():
            self._count_years(ident, +1)

    def _count_years(self, document_id: str, sign: int) -> None:
        """Add (+1) or take away (-1) a stored document's words in the yearly counts."""
        c = self.conn
        rows = c.execute("SELECT d.day, t.text, t.words FROM turns t JOIN documents d ON d.id = t.document_id "
                         "WHERE t.document_id = ?", (document_id,)).fetchall()
        year = year_of(rows[0][0]) if rows else None
        if year is None:
            return
        self._add_year_counts(year, [r[1] for r in rows], sum(r[2] for r in rows), sign)

    def _add_year_counts(self, year: int, texts: list[str], nwords: int, sign: int) -> None:
        """Add (+1) or take away (-1) a document's words in the yearly counts: when its transaction commits
        (see PendingCounts), or now outside one."""
        pending = self._counts[-1] if self._counts else PendingCounts()
        pending.add(year, texts, nwords, sign)
        if not self._counts or (len(self._counts) == 1 and pending.chars > MAX_PENDING_COUNTS):
            pending.write(self.conn)

    def reindex(self) -> int:
        """Rebuild the file's full-text index (and the yearly word counts) from the turns; returns the
        number of turns indexed. The turn index is rebuilt by its own ``reindex``."""
        with self._scratch_on_disk(), self.transaction():
            self._rebuild_index()
            self._rebuild_year_counts()
        return self.indexed_turns()

    def size(self) -> int:
        """Bytes of the file's pages (free pages included) and of its write-ahead log."""
        wal = Path(f"{self.path}-wal")
        return self._pages("page_count") + (wal.stat().st_size if wal.is_file() else 0)

    def free_space(self) -> int:
        """Bytes of the file's free pages: what ``compact`` would give back to the disk."""
        return self._pages("freelist_count")

    def _pages(self, pragma: str) -> int:
        count = int(self.conn.execute(f"PRAGMA {pragma}").fetchone()[0])
        return count * int(self.conn.execute("PRAGMA page_size").fetchone()[0])

    def compact(self) -> tuple[int, int]:
        """Write the file again without its free pages (space left by deleted or replaced documents, or by
        an upgrade), and empty its log; returns the bytes before and after. Rows keep their ids, so the
        turn index stays in step."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; open the corpus for writing to compact it")
        if self.conn.in_transaction:
            raise StoreError("compact inside a transaction: finish the transaction first")
        before = self.size()
        try:
            with self._scratch_on_disk():        # VACUUM first copies the file into a temporary one
                self.conn.execute("VACUUM")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot compact the corpus now ({exc}); another process may be writing "
                             "it, or there is not room for a copy of it in the temporary folder ($SQLITE_TMPDIR, else "
                             "/var/tmp or /tmp): let the other process finish, or make room or point SQLITE_TMPDIR "
                             "elsewhere, and run it again") from exc
        return before, self.size()

    @contextmanager
    def _scratch_on_disk(self) -> Iterator[None]:
        """SQLite's temporary files in files, not memory, for work over the whole corpus: a statement
        that changes every page of a table keeps their old contents until it ends (measured, with them in
        memory: dropping the FTS5 index of 20,000 documents took 369 MB, and upgrading 200,000 peaked at 3.0 GB)."""
        self.conn.execute("PRAGMA temp_store = FILE")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA temp_store = MEMORY")

    # --- what the turn index reads (it lives beside the file: search/turn_index/) -------------------
    def log_seq(self) -> int:
        """The number of the newest change to the turns (what an index in step has applied)."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").fetchone()
        return int(row[0]) if row else 0

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def turns_at(self, seq: int) -> int | None:
        """The number of turns in the file while its log is at ``seq``, read in one snapshot; None when
        it has moved on, or the count cannot be read (a damaged file: what reads it says so)."""
        if self.conn.in_transaction:
            return None
        try:
            self.conn.execute("BEGIN")
            try:
                return int(self.conn.execute("SELECT count(*) FROM turns").fetchone()[0]) if self.log_seq() == seq else None
            finally:
                self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                return None
            raise

    def changes(self, after: int, upto: int) -> list[str]:
        """The documents written or deleted by the changes after log number ``after`` up to ``upto``."""
        return [str(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT document_id FROM index_log WHERE seq > ? AND seq <= ?", (after, upto))]

    def forget_changes(self, upto: int) -> None:
        """Drop the log's changes up to ``upto`` (an index has applied them)."""
        self.conn.execute("DELETE FROM index_log WHERE seq <= ?", (upto,))

    def turns_of(self, document_ids: Sequence[str] | None = None) -> Iterator[TurnRow]:
        """The turns of these documents (of all: ``None``), with their documents' fields and their
        mentions, in row id order (a document's turns, written together, come one after another)."""
        ids = None if document_ids is None else list(document_ids)
        where = "" if ids is None else f"WHERE t.document_id IN ({','.join('?' * len(ids))})"
        params: list[str] = [] if ids is None else ids
        mentions: dict[str, list[MentionRow]] | None = None
        if ids is not None:
            # from these documents' turns to their mentions (never a scan of every mention of a type)
            mentions = _group_mentions(self.conn.execute(
                "SELECT m.turn_id, m.type, m.entity_id, m.text FROM turns t CROSS JOIN mentions m INDEXED BY mentions_turn "
                f"ON m.turn_id = t.id {where} AND m.type IN {_INDEXED_MENTIONS}", params))
        rows = self.conn.execute(
            "SELECT t.rowid, t.id, t.document_id, t.kind, t.speaker, t.label, t.text, d.kind AS doc_kind, d.source,"
            " d.language, d.day, d.title, (SELECT min(s.rowid) FROM turns s WHERE s.document_id = t.document_id), d.edited"
            f" FROM turns t JOIN documents d ON d.id = t.document_id {where} ORDER BY t.rowid", params)
        for row in rows:
            found = mentions if mentions is not None else _group_mentions(self.conn.execute(
                "SELECT turn_id, type, entity_id, text FROM mentions INDEXED BY mentions_turn WHERE turn_id = ?"
                f" AND type IN {_INDEXED_MENTIONS}", (row[1],)))
            yield TurnRow._make((*row, tuple(found.get(row[1], ()))))

    # --- transactions ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction; inside another one, a savepoint (so one failed document leaves its batch intact)."""
        if self.conn.in_transaction:
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            counted = bool(self._counts)
            if counted:
                self._counts.append(PendingCounts())
            try:
                yield self.conn
            except BaseException:
                if counted:
                    self._counts.pop()
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
                if counted:
                    kept = self._counts.pop()
                    self._counts[-1].merge(kept)
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._counts = [PendingCounts()]
        try:
            yield self.conn
            self._counts[0].write(self.conn)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._counts = []

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Abort any statement that runs past the deadline (sqlite3.OperationalError: interrupted)."""
        import time

        limit = time.monotonic() + seconds
        self.conn.set_progress_handler(lambda: 1 if time.monotonic() > limit else 0, 20_000)
        try:
            yield
        finally:
            self.conn.set_progress_handler(None, 0)

    def close(self) -> None:
        self.conn.close()

    # --- writing -----------------------------------------------------------------------------------
    def write(self, doc: Document, *, content_hash: str, origin: str | None = None, group: str | None = None) -> WriteResult:
        """Add a document, replace a changed one (same id or same origin), or skip an unchanged one (see WriteStatus).

        ``group`` links language versions of one item (default: the id without its language)."""
        with self.transaction() as c:
            rows = c.execute(
                "SELECT id, content_hash FROM documents WHERE id = ? OR (origin IS NOT NULL AND origin = ?)",
                (doc.id, origin),
            ).fetchall()
            if any(r["id"] == doc.id and r["content_hash"] == content_hash for r in rows):
                if origin:
                    c.execute("UPDATE documents SET origin = ? WHERE id = ?", (origin, doc.id))
                history.restore_unchanged(c, doc.id)
                return WriteResult("unchanged", doc.id)
            # the row this write replaces (the same id first), kept as the version before (store/history.py)
            before = next((history.previous(c, r["id"]) for r in sorted(rows, key=lambda r: r["id"] != doc.id)), None)
            if before is not None:
                before = before._replace(json=self._whole(before.id, before.json))
            for r in rows:
                self._delete(r["id"])
            print_ = fingerprint(doc)
            if group is None and group_of(doc) == doc.id:     # no address names the item: by content
                group = links.version_group(c, doc, self.document, print_=print_)
            self._insert(doc, content_hash, origin, group, print_)
            recorded = history.record(c, doc, before, content_hash=content_hash, origin=origin, read=_document_of)
            links.merge_people(c, doc, links.record_alignments(c, doc, self.document))
            if not rows:
                return WriteResult("added", doc.id)
            # the transcript as a reader sees it, under the same id: stored again, but no new version
            same = recorded == "same" and before is not None and before.id == doc.id
            return WriteResult("unchanged" if same else "updated", doc.id)

    def delete(self, document_id: str) -> None:
        with self.transaction():
            if not self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone():
                raise NotFound("document", document_id)
            self._delete(document_id)
            history.forget(self.conn, document_id)

    def _delete(self, document_id: str) -> None:
        c = self.conn
        c.execute("INSERT INTO index_log (document_id) VALUES (?)", (document_id,))
        self._count_years(document_id, -1)
        # first: the index reads the words to take out from the turns, which go with the document
        c.execute("DELETE FROM turns_fts WHERE rowid IN (SELECT rowid FROM turns WHERE document_id = ?)", (document_id,))
        c.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def _insert(self, doc: Document, content_hash: str, origin: str | None, group: str | None = None,
                print_: str | None = None) -> None:
        c = self.conn
        day = doc.published[:10] if doc.published else doc.event.date
        c.execute(
            "INSERT INTO documents (id, group_id, origin, url, source, language, title, published, day, kind,"
            " event_place, event_date, content_hash, ingested_at, json, fingerprint)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.id, group or group_of(doc), origin, doc.url, doc.source, doc.language, doc.title, doc.published, day, doc.kind,
             doc.event.place, doc.event.date, content_hash, _now(), _pack(doc.to_json(), {t.index: t.text for t in doc.turns}),
             print_ or fingerprint(doc)),
        )
        c.execute("INSERT INTO index_log (document_id) VALUES (?)", (doc.id,))
        c.executemany("INSERT INTO versions VALUES (?, ?)", [(doc.id, v) for v in doc.versions])
        c.executemany(
            "INSERT INTO participants VALUES (?, ?, ?, ?, ?)",
            [(doc.id, i, p.name, p.role, p.country) for i, p in enumerate(doc.participants)],
        )
        words = [len(turn.text.split()) for turn in doc.turns]
        people = {name: links.resolve_person(c, name) for name in {t.speaker for t in doc.turns} if name}
        c.executemany("INSERT OR IGNORE INTO speaker_names VALUES (?, ?, ?)",
                      [(pid, name, doc.language) for name, pid in people.items() if pid])
        c.executemany(
            "INSERT INTO turns (id, document_id, idx, kind, speaker, label, affiliation, translated_from, after,"
            " reply_to, text, notes, words, speaker_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(turn_id(doc.id, turn.index), doc.id, turn.index, turn.kind, turn.speaker, turn.label, turn.affiliation,
              turn.translated_from, turn.after, turn.reply_to, turn.text, orjson.dumps(list(turn.notes)).decode(),
              n, people.get(turn.speaker or "")) for turn, n in zip(doc.turns, words, strict=True)],
        )
        c.execute("INSERT INTO turns_fts(rowid, text, title) SELECT rowid, text, ? FROM turns WHERE document_id = ?",
                  (doc.title, doc.id))     # what turn_texts gives back, so a deletion takes out these words
        c.executemany("INSERT INTO turn_addressees VALUES (?, ?)",
                      [(turn_id(doc.id, turn.index), name) for turn in doc.turns for name in turn.addressed_to])
        year = year_of(day)
        if year is not None and doc.turns:
            self._add_year_counts(year, [t.text for t in doc.turns], sum(words), +1)
        for m in doc.mentions:
            if m.type == "person" and (m.id or m.text) not in people:
                people[m.id or m.text] = links.resolve_person(c, m.id or m.text)
        c.executemany(
            'INSERT INTO mentions (turn_id, type, entity_id, text, start, "end", value, unit, person_id)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(turn_id(doc.id, m.turn), m.type, m.id, m.text, m.start, m.end, m.value, m.unit,
              people.get(m.id or m.text) if m.type == "person" else None) for m in doc.mentions],
        )

    # --- reading -----------------------------------------------------------------------------------
    def document(self, document_id: str) -> Document:
        row = self.conn.execute("SELECT json FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise NotFound("document", document_id)
        return Document.from_json(self._json_of(document_id, row[0]))

    def _json_of(self, document_id: str, stored: bytes) -> dict[str, Any]:
        """A document's contract JSON (without its turns' ``text``) from its row's ``json``, with its turns' paragraphs."""
        texts = dict(self.conn.execute("SELECT idx, text FROM turns WHERE document_id = ?", (document_id,)).fetchall())
        try:
            data = orjson.loads(unpack(stored))
            return _filled(data, texts)
        except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError) as exc:
            raise StoreError(f"{document_id}: the stored document cannot be read (not the JSON the store writes: "
                             f"{type(exc).__name__}: {exc}); the corpus file may be damaged: re-ingest the document "
                             "or restore the file from a copy") from exc

    def _whole(self, document_id: str, stored: bytes) -> bytes:
        """A document's row JSON packed whole (``_pack_whole``), to be kept as an earlier version."""
        return _pack_whole(self._json_of(document_id, stored))

    def stored_documents(self, document_ids: Sequence[str] | None = None) -> Iterator[bytes]:
        """The stored JSON of every document in (day, id) order, or of these documents in their order
        (ids not in the corpus are skipped): contract JSON whose turns have their paragraphs and no
        ``text`` (``Document.from_json`` makes it again)."""
        for _, blob in self.stored_pairs(document_ids):
            yield blob

    def speaker_ids(self, document_ids: Sequence[str]) -> dict[str, str]:
        """Turn id → person id of the speaker, for the named turns of these documents."""
        return {str(r[0]): str(r[1]) for r in self.query(
            "SELECT id, speaker_id FROM turns WHERE document_id IN (SELECT value FROM json_each(?))"
            " AND speaker_id IS NOT NULL", (orjson.dumps(list(document_ids)).decode(),))}

    def stored_pairs(self, document_ids: Sequence[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """(id, stored JSON) of each document, as ``stored_documents`` reads them."""
        if document_ids is None:
            for ident, stored in self.conn.execute("SELECT id, json FROM documents ORDER BY day, id"):
                yield ident, orjson.dumps(self._json_of(ident, stored))
            return
        for ident in document_ids:
            row = self.conn.execute("SELECT json FROM documents WHERE id = ?", (ident,)).fetchone()
            if row is not None:
                yield ident, orjson.dumps(self._json_of(ident, row[0]))

    def turn(self, tid: str) -> tuple[Document, Turn]:
        document_id, _, index = tid.rpartition("#")
        if not document_id or not index.isdigit():
            raise NotFound("turn", tid)
        doc = self.document(document_id)
        if int(index) >= len(doc.turns):
            raise NotFound("turn", tid)
        return doc, doc.turns[int(index)]

    def group_of_any(self, document_ids: list[str]) -> str | None:
        """The group of the first of these documents that is in the corpus (to link a new language version)."""
        for ident in document_ids:
            row = self.conn.execute("SELECT group_id FROM documents WHERE id = ?", (ident,)).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def is_unchanged(self, origin: str, content_hash: str) -> bool:
        """Whether the document stored from ``origin`` was made from content with this hash (reading the
        origin again would change nothing)."""
        return bool(self.query("SELECT 1 FROM documents WHERE origin = ? AND content_hash = ?", (origin, content_hash)))

    def source_of_origin(self, origin: str) -> str | None:
        """The source (site profile) of the document stored from ``origin``, or None."""
        rows = self.query("SELECT source FROM documents WHERE origin = ?", (origin,))
        return None if not rows or rows[0][0] is None else str(rows[0][0])

    def siblings(self, document_id: str) -> list[tuple[str, str]]:
        """(id, language) of the other language versions of a document's item."""
        return [
            (r["id"], r["language"]) for r in self.conn.execute(
                "SELECT id, language FROM documents WHERE group_id = (SELECT group_id FROM documents WHERE id = ?)"
                " AND id != ? ORDER BY language", (document_id, document_id))
        ]

    def alignment(self, first: str, second: str) -> Alignment | None:
        """The stored alignment of two language versions (first → second), or None when none is stored."""
        return links.stored_alignment(self.conn, first, second)

    # --- the record of edits (store/history.py) ----------------------------------------------------
    def document_versions(self, document_id: str) -> list[history.Version]:
        """Every version of a document, the first first; NotFound for a document not in the corpus."""
        found = history.versions(self.conn, document_id)
        if not found and not self.query("SELECT 1 FROM documents WHERE id = ?", (document_id,)):
            raise NotFound("document", document_id)
        return found

    def document_version(self, document_id: str, number: int) -> Document:
        """Version ``number`` of a document (1 is the first seen); NotFound names the versions there are."""
        found = self.document_versions(document_id)
        if not any(v.number == number for v in found):
            raise NoSuchVersion(document_id, number, len(found))
        stored = history.stored_version(self.conn, document_id, number)
        return self.document(document_id) if stored is None else _document_of(stored)

    def history_of(self, document_id: str, *, diffs: bool = True) -> history.History:
        """Every version of a document with what changed from one to the next (without ``diffs``, the versions
        alone: no version is read), and its withdrawals."""
        found = self.document_versions(document_id)
        docs = [self.document_version(document_id, v.number) for v in found] if diffs else []
        edit = self.edit_state([document_id]).get(document_id, (None, None))
        title = docs[-1].title if docs else str(self.query("SELECT title FROM documents WHERE id = ?", (document_id,))[0][0])
        return history.History(document_id, title, tuple(found), tuple(self.document_events(document_id)),
                               tuple(compare(a, b) for a, b in pairwise(docs)), edit[0], edit[1])

    def with_record(self) -> set[str]:
        """The documents with more than one version, or withdrawn or restored at some time."""
        return history.with_record(self.conn)

    def document_events(self, document_id: str) -> list[history.Event]:
        return history.events(self.conn, document_id)

    def edits(self, since: str | None = None, until: str | None = None, *, limit: int | None = None) -> list[history.Edit]:
        """Documents edited or withdrawn between two days (inclusive, either open), newest first."""
        return history.edits(self.conn, since, until, limit=limit)

    def withdraw(self, origin: str, detail: str) -> list[str]:
        """Mark the documents stored from ``origin`` withdrawn (their page is gone); they are kept."""
        with self.transaction() as c:
            return history.withdraw(c, origin, detail)

    def restore(self, origin: str) -> None:
        """The page of ``origin`` is there, unchanged: its documents are no longer withdrawn."""
        if self.query("SELECT 1 FROM documents WHERE origin = ? AND withdrawn IS NOT NULL", (origin,)):
            with self.transaction() as c:
                for (ident,) in c.execute("SELECT id FROM documents WHERE origin = ?", (origin,)).fetchall():
                    history.restore_unchanged(c, ident)

    def edit_state(self, document_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
        """Document id → (day edited, day withdrawn) for those of these documents that were either."""
        return {str(r[0]): (r[1], r[2]) for r in self.query(
            "SELECT id, edited, withdrawn FROM documents WHERE id IN (SELECT value FROM json_each(?))"
            " AND (edited IS NOT NULL OR withdrawn IS NOT NULL)", (orjson.dumps(list(document_ids)).decode(),))}

    def versions_by_count(self) -> list[tuple[int, int]]:
        """(languages, items): how many items the corpus holds in 2, 3, … language versions."""
        return [(int(r[0]), int(r[1])) for r in self.query(
            "SELECT n, count(*) FROM (SELECT count(DISTINCT language) AS n FROM documents GROUP BY group_id)"
            " WHERE n > 1 GROUP BY n ORDER BY n DESC")]

    def version_groups(self, document_ids: Sequence[str] | None = None) -> Iterator[list[tuple[str, str]]]:
        """(id, language) of the documents of each group that has more than one language version, in
        language order; only the groups of ``document_ids`` when given."""
        sql = ("SELECT group_id, id, language FROM documents WHERE group_id IN"
               " (SELECT group_id FROM documents GROUP BY group_id HAVING count(*) > 1)")
        if document_ids is not None:
            wanted = {g for (g,) in self.conn.execute(
                "SELECT DISTINCT group_id FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                (orjson.dumps(list(document_ids)).decode(),))}
        group: list[tuple[str, str]] = []
        current = None
        for row in self.iterate(sql + " ORDER BY group_id, language, id"):
            if row["group_id"] != current:
                if len(group) > 1:
                    yield group
                group, current = [], row["group_id"]
            if document_ids is None or current in wanted:
                group.append((row["id"], row["language"]))
        if len(group) > 1:
            yield group

    def count(self, table: str) -> int:
        if table not in {"documents", "turns", "mentions", "participants"}:
            raise ValueError(table)
        return int(self.query(f"SELECT count(*) FROM {table}")[0][0])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                raise self.damaged_file(exc) from exc
            raise

    def iterate(self, sql: str, params: Sequence[Any] = ()) -> Iterator[sqlite3.Row]:
        try:
            yield from self.conn.execute(sql, params)
        except sqlite3.DatabaseError as exc:
            if _damaged(exc):
                raise self.damaged_file(exc) from exc
            raise

    def damaged_file(self, exc: sqlite3.DatabaseError) -> StoreError:
        """The error to raise when a read met damaged pages of the file: what happened and what to do."""
        return StoreError(f"{self.path}: the corpus file is damaged ({exc}); restore it from a backup, recover "
                          f"what it holds with `sqlite3 {shlex.quote(self.path)} .recover | sqlite3 recovered.db`, "
                          "or ingest the sources again into a new file")


def _pack(data: dict[str, Any], texts: dict[int, str]) -> bytes:
    """A document's contract JSON as its row keeps it: without each turn's text and paragraphs, which the
    turns table holds once (``texts``: its turns' texts there by index; a turn's paragraphs are its text
    split at its blank lines, and a turn whose split does not give them back keeps them), compressed
    (zlib, fastest level). ``_filled`` puts them back."""
    for turn in data["turns"]:
        turn.pop("text", None)
        paragraphs = turn.get("paragraphs")
        text = texts.get(turn["index"])
        if paragraphs and text is not None and text.split(PARAGRAPH_BREAK) == paragraphs:
            del turn["paragraphs"]
    return zlib.compress(orjson.dumps(data), 1)


def _pack_whole(data: dict[str, Any]) -> bytes:
    """A document's contract JSON kept whole (its paragraphs with it), compressed: an earlier version,
    which has no turns in the turns table."""
    for turn in data["turns"]:
        turn.pop("text", None)
    return zlib.compress(orjson.dumps(data), 1)


def _filled(data: dict[str, Any], texts: dict[int, str]) -> dict[str, Any]:
    """A document row's JSON (``_pack``) with each turn's paragraphs, from ``texts``: its turns' texts by index."""
    for turn in data["turns"]:
        if "paragraphs" not in turn:
            text = texts.get(turn["index"])
            if text is None:
                raise StoreError(f"{data.get('id')}: turn {turn['index']} of the stored document has no text in "
                                 "the turns table; the corpus file may be damaged: re-ingest the document or "
                                 "restore the file from a copy")
            turn["paragraphs"] = text.split(PARAGRAPH_BREAK)
    return data


def _document_of(stored: bytes) -> Document:
    """An earlier version's document (kept whole: ``_pack_whole``)."""
    return Document.from_json(orjson.loads(unpack(stored)))


def unpack(stored: bytes) -> bytes:
    """A stored document's JSON (``_pack``) as UTF-8 bytes."""
    try:
        return zlib.decompress(stored)
    except (zlib.error, TypeError) as exc:
        raise StoreError(f"a stored document cannot be read ({exc}); the corpus file may be damaged: "
                         "re-ingest the document or restore the file from a copy") from exc


def _group_mentions(rows: Iterator[Any]) -> dict[str, list[MentionRow]]:
    out: dict[str, list[MentionRow]] = {}
    for turn, kind, entity, text in rows:
        out.setdefault(turn, []).append(MentionRow(kind, entity, text))
    return out


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite found the file damaged (SQLITE_CORRUPT or SQLITE_NOTADB, any extended code)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (11, 26)
    return "malformed" in str(exc)


def _writable(path: str) -> bool:
    """Whether this process can make files beside the corpus file (the write-ahead log's)."""
    return os.access(Path(path).absolute().parent, os.W_OK | os.X_OK)


def _check_complete(path: str) -> None:
    """Refuse to read a file without writing when changes are still in its write-ahead log (not in the file
    itself, so such a reader would not see them): a copy of a corpus taken while a writer had it open."""
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        raise StoreError(f"{path}: its write-ahead log {wal.name} holds changes that are not in the file yet, and "
                         "the corpus is opened without writing (--read-only, or a read-only file system), which "
                         "reads the file alone; copy the corpus after its writers have finished (closing the last "
                         "one moves the log into the file), or serve it without --read-only from a writable folder")


def turn_id(document_id: str, index: int) -> str:
    return f"{document_id}#{index}"


def group_of(doc: Document) -> str:
    """Language versions of one item share a group: the id without its language (``mid.ru:1398712``)."""
    head, _, tail = doc.id.rpartition(":")
    if head and tail == doc.language and not doc.id.startswith("sha256:"):
        return head
    return doc.id


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
