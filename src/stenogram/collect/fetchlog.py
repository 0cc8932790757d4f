"""The fetch log: every request the crawler made, and where each site's crawl stands.

One SQLite file next to the corpus (``<corpus>.fetch.sqlite``, WAL journal), with:

- ``requests``: one row per fetch of a URL (retries and redirects of that fetch are counted in
  ``attempts`` and end in ``final_url``): time, status, size, SHA-256 of the body (the snapshot key
  for items), ETag, Last-Modified, charset, response headers, and the error text of a failure;
- ``crawls``: per site, the listing frontier (the next listing page, whether the listings are walked
  to their end) and the options of the crawl it belongs to;
- ``frontier``: per site, the items found and not yet dealt with (``queued``), fetched but not yet
  handed over (``fetched``), and dealt with (``done``, ``failed``, ``skipped``);
- ``done``: per site, every item fetched successfully, across crawls.

The crawler commits after each listing page and each item, so a crawl that is killed resumes where
it stopped.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from stenogram.collect.errors import FetchLogError, FetchLogTooNew

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    site          TEXT,
    kind          TEXT NOT NULL,     -- listing | item
    fetched_at    TEXT NOT NULL,     -- UTC, ISO 8601
    status        INTEGER,           -- the last HTTP status; NULL when there was no answer
    bytes         INTEGER,
    sha256        TEXT,
    etag          TEXT,
    last_modified TEXT,
    final_url     TEXT,
    charset       TEXT,
    headers       TEXT,              -- JSON object, names in lower case
    attempts      INTEGER NOT NULL DEFAULT 1,
    error         TEXT
);
CREATE INDEX IF NOT EXISTS requests_url ON requests (url, id);
CREATE TABLE IF NOT EXISTS crawls (
    site          TEXT PRIMARY KEY,
    params        TEXT NOT NULL,     -- JSON: the options the crawl runs with
    status        TEXT NOT NULL,     -- running | complete
    next_page     INTEGER NOT NULL,
    listings_done INTEGER NOT NULL,
    last_listing  TEXT,              -- signature of the last listing page's items
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS frontier (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    site          TEXT NOT NULL,
    key           TEXT NOT NULL,     -- language:item id, or the URL
    url           TEXT NOT NULL,
    lang          TEXT,
    item_id       TEXT,
    listed_date   TEXT,
    found_on      TEXT,
    state         TEXT NOT NULL,     -- queued | fetched | done | failed | skipped
    UNIQUE (site, key)
);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier (site, state, seq);
CREATE TABLE IF NOT EXISTS done (
    site          TEXT NOT NULL,
    key           TEXT NOT NULL,
    url           TEXT NOT NULL,
    request_id    INTEGER NOT NULL,
    sha256        TEXT,
    done_at       TEXT NOT NULL,
    PRIMARY KEY (site, key)
);
"""


def fetchlog_path(corpus: str | os.PathLike[str]) -> Path:
    """The fetch log that belongs to a corpus file: ``<corpus>.fetch.sqlite``."""
    return Path(f"{os.fspath(corpus)}.fetch.sqlite")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    id: int
    url: str
    site: str | None
    kind: str
    fetched_at: str
    status: int | None
    bytes: int | None
    sha256: str | None
    etag: str | None
    last_modified: str | None
    final_url: str | None
    charset: str | None
    headers: Mapping[str, str]
    attempts: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.error is None


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An item to put on the frontier."""

    key: str
    url: str
    lang: str | None = None
    item_id: str | None = None
    listed_date: str | None = None
    found_on: str | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    seq: int
    site: str
    key: str
    url: str
    lang: str | None
    item_id: str | None
    listed_date: str | None
    found_on: str | None
    state: str


@dataclass(slots=True)
class CrawlState:
    site: str
    params: dict[str, Any]
    status: str
    next_page: int
    listings_done: bool
    last_listing: str | None
    #: True when this continues an interrupted crawl with the same options
    resumed: bool = False
    started_at: str = field(default_factory=_now)


class FetchLog:
    """The fetch log in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self._depth = 0
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(row["value"]) > SCHEMA_VERSION:
                found = int(row["value"])
                self._db.close()
                raise FetchLogTooNew(self.path, found, SCHEMA_VERSION)
        except sqlite3.Error as exc:
            raise FetchLogError(self.path, f"cannot be opened ({exc})") from exc

    @classmethod
    def for_corpus(cls, corpus: str | os.PathLike[str]) -> FetchLog:
        return cls(fetchlog_path(corpus))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FetchLog:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes; they are committed together at the end of the outermost block."""
        if self._depth == 0:
            self._execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self._db.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self._execute("COMMIT")

    def _execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise FetchLogError(self.path, f"cannot be written ({exc})") from exc

    # -- requests -------------------------------------------------------------------------------

    def record(
        self,
        *,
        url: str,
        kind: str,
        site: str | None = None,
        status: int | None = None,
        size: int | None = None,
        sha256: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        final_url: str | None = None,
        charset: str | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int = 1,
        error: str | None = None,
    ) -> int:
        """Add one request row; returns its id."""
        cur = self._execute(
            "INSERT INTO requests (url, site, kind, fetched_at, status, bytes, sha256, etag, last_modified, final_url, charset,"
            " headers, attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (url, site, kind, _now(), status, size, sha256, etag, last_modified, final_url or url, charset,
             json.dumps(dict(headers), ensure_ascii=False) if headers is not None else None, attempts, error),
        )
        return int(cur.lastrowid or 0)

    @staticmethod
    def _request(row: sqlite3.Row) -> RequestRecord:
        headers: dict[str, str] = json.loads(row["headers"]) if row["headers"] else {}
        return RequestRecord(
            id=row["id"], url=row["url"], site=row["site"], kind=row["kind"], fetched_at=row["fetched_at"], status=row["status"],
            bytes=row["bytes"], sha256=row["sha256"], etag=row["etag"], last_modified=row["last_modified"], final_url=row["final_url"],
            charset=row["charset"], headers=headers, attempts=row["attempts"], error=row["error"],
        )

    def requests(self, *, url: str | None = None, kind: str | None = None, site: str | None = None) -> list[RequestRecord]:
        """Request rows in the order they were made, optionally for one URL, kind or site."""
        where, params = [], []
        for column, value in (("url", url), ("kind", kind), ("site", site)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM requests" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [self._request(r) for r in self._execute(sql, params)]

    def site_of(self, url: str) -> str | None:
        """The site profile a page (by its URL or the URL it redirected to) was last fetched under, if any."""
        row = self._execute(
            "SELECT site FROM requests WHERE (final_url = ? OR url = ?) AND site IS NOT NULL ORDER BY id DESC LIMIT 1", (url, url),
        ).fetchone()
        return str(row[0]) if row else None

    def last_success(self, url: str) -> RequestRecord | None:
        """The latest fetch of the URL that returned content."""
        row = self._execute(
            "SELECT * FROM requests WHERE url = ? AND status BETWEEN 200 AND 299 AND error IS NULL ORDER BY id DESC LIMIT 1", (url,),
        ).fetchone()
        return self._request(row) if row else None

    def successes(self, *, kind: str = "item", every_version: bool = False) -> Iterator[RequestRecord]:
        """Successful fetches with a body: the latest per URL (or every one), in the order they were made."""
        if every_version:
            sql = ("SELECT * FROM requests WHERE kind = ? AND status BETWEEN 200 AND 299 AND error IS NULL AND sha256 IS NOT NULL"
                   " ORDER BY id")
        else:
            sql = ("SELECT * FROM requests WHERE id IN (SELECT MAX(id) FROM requests WHERE kind = ? AND status BETWEEN 200 AND 299"
                   " AND error IS NULL AND sha256 IS NOT NULL GROUP BY url) ORDER BY id")
        for row in self._execute(sql, (kind,)).fetchall():
            yield self._request(row)

    # -- crawl state ----------------------------------------------------------------------------

    def state(self, site: str) -> CrawlState | None:
        row = self._execute("SELECT * FROM crawls WHERE site = ?", (site,)).fetchone()
        if row is None:
            return None
        return CrawlState(site, json.loads(row["params"]), row["status"], row["next_page"], bool(row["listings_done"]),
                          row["last_listing"], started_at=row["started_at"])

    def begin(self, site: str, params: Mapping[str, Any]) -> CrawlState:
        """Resume the site's interrupted crawl if it ran with the same options, else start afresh.

        Starting afresh empties the site's frontier (but for items fetched and not yet handed over);
        items fetched before stay in ``done``.
        """
        wanted = json.loads(json.dumps(dict(params), sort_keys=True, default=str))
        with self.transaction():
            old = self.state(site)
            if old is not None and old.status == "running" and old.params == wanted:
                old.resumed = True
                return old
            now = _now()
            # Items fetched but never handed over stay, to be handed over from their snapshots.
            self._execute("DELETE FROM frontier WHERE site = ? AND state != 'fetched'", (site,))
            self._execute(
                "INSERT OR REPLACE INTO crawls (site, params, status, next_page, listings_done, last_listing, started_at, updated_at)"
                " VALUES (?, ?, 'running', 1, 0, NULL, ?, ?)",
                (site, json.dumps(wanted, sort_keys=True), now, now),
            )
        return CrawlState(site, wanted, "running", 1, False, None, started_at=now)

    def save_listing(self, site: str, *, next_page: int, listings_done: bool, last_listing: str | None) -> None:
        self._execute(
            "UPDATE crawls SET next_page = ?, listings_done = ?, last_listing = ?, updated_at = ? WHERE site = ?",
            (next_page, int(listings_done), last_listing, _now(), site),
        )

    def finish(self, site: str) -> None:
        """Mark the site's crawl complete: the next crawl starts from the first listing page."""
        with self.transaction():
            self._execute("UPDATE crawls SET status = 'complete', updated_at = ? WHERE site = ?", (_now(), site))
            self._execute("DELETE FROM frontier WHERE site = ?", (site,))

    # -- frontier -------------------------------------------------------------------------------

    def enqueue(self, site: str, entries: Iterable[NewEntry]) -> int:
        """Queue items not on the frontier yet; returns how many were added."""
        added = 0
        for e in entries:
            cur = self._execute(
                "INSERT OR IGNORE INTO frontier (site, key, url, lang, item_id, listed_date, found_on, state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued')",
                (site, e.key, e.url, e.lang, e.item_id, e.listed_date, e.found_on),
            )
            added += cur.rowcount
        return added

    @staticmethod
    def _entry(row: sqlite3.Row) -> QueueEntry:
        return QueueEntry(row["seq"], row["site"], row["key"], row["url"], row["lang"], row["item_id"], row["listed_date"],
                          row["found_on"], row["state"])

    def next_queued(self, site: str) -> QueueEntry | None:
        row = self._execute("SELECT * FROM frontier WHERE site = ? AND state = 'queued' ORDER BY seq LIMIT 1", (site,)).fetchone()
        return self._entry(row) if row else None

    def entries(self, site: str, state: str | None = None) -> list[QueueEntry]:
        if state is None:
            rows = self._execute("SELECT * FROM frontier WHERE site = ? ORDER BY seq", (site,))
        else:
            rows = self._execute("SELECT * FROM frontier WHERE site = ? AND state = ? ORDER BY seq", (site, state))
        return [self._entry(r) for r in rows]

    def on_frontier(self, site: str, key: str) -> bool:
        return self._execute("SELECT 1 FROM frontier WHERE site = ? AND key = ?", (site, key)).fetchone() is not None

    def count(self, site: str, state: str = "queued") -> int:
        row = self._execute("SELECT COUNT(*) FROM frontier WHERE site = ? AND state = ?", (site, state)).fetchone()
        return int(row[0])

    def set_state(self, site: str, key: str, state: str) -> None:
        self._execute("UPDATE frontier SET state = ? WHERE site = ? AND key = ?", (state, site, key))

    def mark_done(self, site: str, key: str, *, url: str, request_id: int, sha256: str | None) -> None:
        """Remember an item as fetched successfully (across crawls)."""
        self._execute(
            "INSERT OR REPLACE INTO done (site, key, url, request_id, sha256, done_at) VALUES (?, ?, ?, ?, ?, ?)",
            (site, key, url, request_id, sha256, _now()),
        )

    def is_done(self, site: str, key: str) -> bool:
        return self._execute("SELECT 1 FROM done WHERE site = ? AND key = ?", (site, key)).fetchone() is not None

    def attempted(self, url: str) -> bool:
        """Whether the URL was ever asked for (or refused by robots.txt), whatever came of it."""
        return self._execute("SELECT 1 FROM requests WHERE url = ? LIMIT 1", (url,)).fetchone() is not None

    def done_items(self, site: str) -> dict[str, str]:
        """key → URL of every item of the site fetched successfully."""
        return {r["key"]: r["url"] for r in self._execute("SELECT key, url FROM done WHERE site = ? ORDER BY key", (site,))}
