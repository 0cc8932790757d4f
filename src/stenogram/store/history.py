"""Every version of a document, and the pages that were withdrawn: the record of edits after publication.

A document that comes again (a crawl with ``--update``, a reparse, an ingest of a changed file with the same
address or id) with other turns or metadata becomes a new version; its earlier versions are kept, each with
when it was first seen, the content hash and origin it was made from, and a summary of what changed
(:mod:`stenogram.align.edits`). A document that comes again with the same substance (its menu, its markup
or its boilerplate changed) stays one version. The current version's JSON is the document's own row; an
earlier one keeps its JSON in ``document_versions``. Withdrawals (the page answered 404 or 410 on a
refresh) and restorations are events of their own; a withdrawn document is kept.

These functions run inside the store's transactions (:meth:`stenogram.store.sqlite.Store.write`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import orjson

from stenogram.align.edits import DocumentDiff, compare, substance
from stenogram.model import Document

#: what happened to a document that is not a new version
EventKind = Literal["withdrawn", "restored"]
#: what a write was to a document's record (``record``)
Recorded = Literal["first", "new", "same"]


class Previous(NamedTuple):
    """The stored row a new write replaces: its id, packed JSON, edit day and withdrawal day."""
    id: str
    json: bytes
    edited: str | None
    withdrawn: str | None


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a document, as the record keeps it."""

    document_id: str
    number: int
    #: when this version was first seen (UTC, ISO 8601)
    seen_at: str
    content_hash: str
    origin: str | None
    #: what changed from the version before (:meth:`DocumentDiff.summary`); None for the first
    changes: dict[str, Any] | None
    current: bool

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document_id, "version": self.number, "seen_at": self.seen_at,
                "content_hash": self.content_hash, "origin": self.origin, "changes": self.changes,
                "current": self.current}


@dataclass(frozen=True, slots=True)
class Event:
    document_id: str
    at: str
    kind: EventKind
    detail: str | None

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document_id, "at": self.at, "kind": self.kind, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Edit:
    """A document edited or withdrawn: a row of ``stenogram edits``."""

    document_id: str
    title: str
    language: str
    source: str
    #: "edited" (a version after the first was seen) or "withdrawn"
    kind: str
    #: when (the day the latest version was first seen, or the page was found gone)
    day: str
    versions: int
    changes: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"document": self.document_id, "title": self.title, "language": self.language, "source": self.source,
                "kind": self.kind, "day": self.day, "versions": self.versions, "changes": self.changes}


@dataclass(frozen=True, slots=True)
class History:
    """A document's record of edits: its versions (the first first), the changes from each to the next
    (``diffs[i]`` leads from ``versions[i]`` to ``versions[i + 1]``), its withdrawals and restorations."""

    document_id: str
    title: str
    versions: tuple[Version, ...]
    events: tuple[Event, ...]
    diffs: tuple[DocumentDiff, ...]
    #: the day its current version was first seen, when it is not its first
    edited: str | None
    #: the day its page was found gone, while it is
    withdrawn: str | None

    def to_json(self) -> dict[str, Any]:
        """The record as JSON: what ``history --format json``, the API and the JSONL export's ``versions``
        records give."""
        return {"document": self.document_id, "title": self.title, "edited": self.edited, "withdrawn": self.withdrawn,
                "versions": [dict(v.to_json(), diff=self.diffs[i - 1].to_json() if i else None)
                             for i, v in enumerate(self.versions)],
                "events": [e.to_json() for e in self.events]}


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def previous(c: sqlite3.Connection, document_id: str) -> Previous | None:
    """The stored row of a document, before a write replaces it."""
    row = c.execute("SELECT id, json, edited, withdrawn FROM documents WHERE id = ?", (document_id,)).fetchone()
    return None if row is None else Previous(row[0], row[1], row[2], row[3])


def record(c: sqlite3.Connection, doc: Document, before: Previous | None, *, content_hash: str, origin: str | None,
           read: Callable[[bytes], Document], seen_at: str | None = None) -> Recorded:
    """Record the write of ``doc`` (just stored, replacing ``before`` if any): its first version, a new version, or
    the same version again (what a reader sees is unchanged: the page changed around the transcript, or it was
    parsed again)."""
    at = seen_at or now()
    if before is not None and before.id != doc.id:      # the address now gives another id: its record follows
        c.execute("UPDATE document_versions SET document_id = ? WHERE document_id = ?", (doc.id, before.id))
        c.execute("UPDATE document_events SET document_id = ? WHERE document_id = ?", (doc.id, before.id))
    latest = c.execute("SELECT max(version) FROM document_versions WHERE document_id = ?", (doc.id,)).fetchone()[0]
    if latest is None:
        c.execute("INSERT INTO document_versions (document_id, version, seen_at, content_hash, origin)"
                  " VALUES (?, 1, ?, ?, ?)", (doc.id, at, content_hash, origin))
        return "first"
    if before is not None and before.withdrawn:
        event(c, doc.id, "restored", "the page is back", at=at)
    old = read(before.json) if before is not None else None
    if old is None or substance(old) == substance(doc):
        # the same version: the page changed outside the transcript, or it was parsed again
        c.execute("UPDATE document_versions SET content_hash = ?, origin = coalesce(?, origin)"
                  " WHERE document_id = ? AND version = ?", (content_hash, origin, doc.id, latest))
        if before is not None and before.edited:
            c.execute("UPDATE documents SET edited = ? WHERE id = ?", (before.edited, doc.id))
        return "same"
    assert before is not None
    changes = compare(old, doc).summary()
    c.execute("UPDATE document_versions SET json = ? WHERE document_id = ? AND version = ?",
              (before.json, doc.id, latest))
    c.execute("INSERT INTO document_versions (document_id, version, seen_at, content_hash, origin, changes)"
              " VALUES (?, ?, ?, ?, ?, ?)", (doc.id, latest + 1, at, content_hash, origin, orjson.dumps(changes).decode()))
    c.execute("UPDATE documents SET edited = ? WHERE id = ?", (at[:10], doc.id))
    return "new"


def event(c: sqlite3.Connection, document_id: str, kind: EventKind, detail: str | None, *, at: str | None = None) -> None:
    c.execute("INSERT INTO document_events VALUES (?, ?, ?, ?)", (document_id, at or now(), kind, detail))


def withdraw(c: sqlite3.Connection, origin: str, detail: str, *, at: str | None = None) -> list[str]:
    """Mark the documents stored from ``origin`` withdrawn (kept, with the day); the ids newly marked."""
    when = at or now()
    ids = [str(r[0]) for r in c.execute("SELECT id FROM documents WHERE origin = ? AND withdrawn IS NULL", (origin,))]
    for ident in ids:
        c.execute("UPDATE documents SET withdrawn = ? WHERE id = ?", (when[:10], ident))
        event(c, ident, "withdrawn", detail, at=when)
    return ids


def restore_unchanged(c: sqlite3.Connection, document_id: str) -> None:
    """A withdrawn document's page came back with the same content: it is no longer withdrawn."""
    if c.execute("UPDATE documents SET withdrawn = NULL WHERE id = ? AND withdrawn IS NOT NULL",
                 (document_id,)).rowcount:
        event(c, document_id, "restored", "the page is back, unchanged")


def forget(c: sqlite3.Connection, document_id: str) -> None:
    """Drop a deleted document's record."""
    c.execute("DELETE FROM document_versions WHERE document_id = ?", (document_id,))
    c.execute("DELETE FROM document_events WHERE document_id = ?", (document_id,))


def versions(c: sqlite3.Connection, document_id: str) -> list[Version]:
    rows = c.execute("SELECT version, seen_at, content_hash, origin, changes, json IS NULL FROM document_versions"
                     " WHERE document_id = ? ORDER BY version", (document_id,)).fetchall()
    last = rows[-1][0] if rows else None
    return [Version(document_id, int(r[0]), r[1], r[2], r[3], orjson.loads(r[4]) if r[4] else None, r[0] == last)
            for r in rows]


def stored_version(c: sqlite3.Connection, document_id: str, number: int) -> bytes | None:
    """The packed JSON of an earlier version; None when ``number`` is the current version (the document's own
    row) or not a version of the document (the caller tells the two apart with :func:`versions`)."""
    row = c.execute("SELECT json FROM document_versions WHERE document_id = ? AND version = ?",
                    (document_id, number)).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def events(c: sqlite3.Connection, document_id: str) -> list[Event]:
    return [Event(document_id, r[0], r[1], r[2]) for r in c.execute(
        "SELECT at, kind, detail FROM document_events WHERE document_id = ? ORDER BY at, rowid", (document_id,))]


def edits(c: sqlite3.Connection, since: str | None = None, until: str | None = None, *, limit: int | None = None
          ) -> list[Edit]:
    """Documents edited (a version after the first seen) or withdrawn between ``since`` and ``until`` (days,
    inclusive), newest first."""
    low, high = since or "0000", until or "9999"
    rows = c.execute(
        "SELECT d.id, d.title, d.language, d.source, 'edited' AS kind, d.edited AS day,"
        " (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id) AS n,"
        " (SELECT v.changes FROM document_versions v WHERE v.document_id = d.id ORDER BY v.version DESC LIMIT 1)"
        " FROM documents d WHERE d.edited IS NOT NULL AND d.edited >= ? AND d.edited <= ?"
        " UNION ALL "
        "SELECT d.id, d.title, d.language, d.source, 'withdrawn', d.withdrawn,"
        " (SELECT count(*) FROM document_versions v WHERE v.document_id = d.id), NULL"
        " FROM documents d WHERE d.withdrawn IS NOT NULL AND d.withdrawn >= ? AND d.withdrawn <= ?"
        " ORDER BY day DESC, 1" + (" LIMIT ?" if limit else ""),
        (low, high, low, high, *((limit,) if limit else ()))).fetchall()
    return [Edit(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), orjson.loads(r[7]) if r[7] else None) for r in rows]


def with_record(c: sqlite3.Connection) -> set[str]:
    """The documents with more than one version, or withdrawn or restored at some time."""
    return {str(r[0]) for r in c.execute("SELECT document_id FROM document_versions WHERE version > 1"
                                         " UNION SELECT document_id FROM document_events")}
