"""A small SQLite file in the index folder holding answers worked out for one state of the turn index.

The file records the index state (log number) its answers belong to. A reader uses them only when
that is the state of the index it searches. The index's writer marks the file as belonging to no
state before it changes the index, and records the new state in the same transaction as the new
answers. So the answers are exact or unused, never stale.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"


class KeptFile:
    """One such file; subclasses name it and give the tables their answers are kept in."""

    FILE = ""
    SCHEMA = ""

    def __init__(self, folder: Path, *, immutable: bool = False) -> None:
        """``immutable``: a copy nothing writes; read without writing anything (no ``-shm`` or ``-wal`` file)."""
        # absolute: a file is opened read-only through a file: URI, which a relative path cannot be
        self.path = (folder / self.FILE).absolute()
        self._mode = "mode=ro&immutable=1" if immutable else "mode=ro"
        self._reader: sqlite3.Connection | None = None
        self._reader_inode = 0
        self._lock = threading.Lock()

    # --- reading -------------------------------------------------------------------------------
    def read(self, seq: int, fetch: Callable[[sqlite3.Connection], T]) -> T | None:
        """``fetch``'s answer from the file, read in one transaction, when the file holds index state
        ``seq``; None when it holds another state, cannot be read, or is not there."""
        with self._lock:
            conn = self._read_connection()
            if conn is None:
                return None
            try:
                conn.execute("BEGIN")
                try:
                    return fetch(conn) if self._seq(conn) == seq else None
                finally:
                    conn.execute("COMMIT")
            except sqlite3.Error:
                self._close_reader()
                return None

    def _read_connection(self) -> sqlite3.Connection | None:
        """The reading connection, to the file now at the path (a writer that cleared the folder made a
        new one: a connection to the old one is dropped)."""
        try:
            inode = self.path.stat().st_ino
        except OSError:
            self._close_reader()
            return None
        if self._reader is not None and inode != self._reader_inode:
            self._close_reader()
        if self._reader is None:
            try:
                self._reader = sqlite3.connect(f"{self.path.as_uri()}?{self._mode}", uri=True, check_same_thread=False,
                                               isolation_level=None)
            except sqlite3.Error:
                return None
            self._reader_inode = inode
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    @staticmethod
    def _seq(conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    # --- writing (the index's writer only) -----------------------------------------------------
    def _write_connection(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_META + self.SCHEMA)
        return conn

    def _write(self, seq: int, change: Callable[[sqlite3.Connection], None]) -> None:
        """Make ``change`` and record that the file now belongs to index state ``seq``, in one transaction."""
        conn = self._write_connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                change(conn)
                conn.execute("INSERT INTO meta VALUES ('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             (str(seq),))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def settled_at(self) -> int | None:
        """The index state the file belongs to (None: unknown, or no file)."""
        if not self.path.is_file():
            return None
        conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        try:
            return self._seq(conn)
        except sqlite3.Error:
            return None
        finally:
            conn.close()

    def unsettle(self) -> None:
        """Mark the file as belonging to no state, before the index it follows is changed."""
        conn = self._write_connection()
        try:
            conn.execute("INSERT INTO meta VALUES ('seq', NULL) ON CONFLICT(key) DO UPDATE SET value = NULL")
        finally:
            conn.close()

    def remove(self) -> None:
        """Forget the file (it could not be written)."""
        with self._lock:
            self._close_reader()
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
