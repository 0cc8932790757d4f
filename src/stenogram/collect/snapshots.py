"""Content-addressed, compressed, write-once snapshots of fetched pages.

A page's raw bytes live in ``<corpus>.snapshots/ab/cdef….gz``, where ``abcdef…`` is the SHA-256 of the
bytes (before compression). Writing goes to a temporary file in the same folder and is renamed into
place, so a reader (or a crawl killed mid-write) never sees half a snapshot; a key that exists is never
written again. The gzip header carries no name and no time, so the same bytes always give the same file.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from stenogram.collect.errors import SnapshotCorrupt, SnapshotError, SnapshotMissing

SUFFIX = ".gz"
_KEY = re.compile(r"^[0-9a-f]{64}$")


def snapshots_path(corpus: str | os.PathLike[str]) -> Path:
    """The snapshot folder that belongs to a corpus file: ``<corpus>.snapshots``."""
    return Path(f"{os.fspath(corpus)}.snapshots")


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SnapshotStore:
    """Raw page bytes by their SHA-256."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @classmethod
    def for_corpus(cls, corpus: str | os.PathLike[str]) -> SnapshotStore:
        return cls(snapshots_path(corpus))

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise SnapshotError(str(self.root), f"{key!r} is not a snapshot key", "a key is the 64 hex digits of a SHA-256")
        return self.root / key[:2] / (key[2:] + SUFFIX)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(_KEY.match(key)) and self.path(key).is_file()

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their key."""
        key = content_key(data)
        target = self.path(key)
        if target.is_file():
            return key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                    gz.write(data)
                    gz.close()
                    raw.flush()
                    os.fsync(raw.fileno())
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise SnapshotError(str(self.root), f"cannot write snapshot {key} ({exc.strerror or exc})") from exc
        return key

    def get(self, key: str) -> bytes:
        """The bytes stored under the key, checked against it."""
        target = self.path(key)
        try:
            with gzip.open(target, "rb") as fh:
                data = fh.read()
        except FileNotFoundError as exc:
            raise SnapshotMissing(str(self.root), key) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise SnapshotCorrupt(str(self.root), key, f"cannot be decompressed: {exc}") from exc
        if content_key(data) != key:
            raise SnapshotCorrupt(str(self.root), key, "its bytes do not hash to its name")
        return data

    def keys(self) -> Iterator[str]:
        """Every stored key (temporary files of interrupted writes are skipped), in sorted order."""
        if not self.root.is_dir():
            return
        for shard in sorted(p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 2):
            for f in sorted(shard.iterdir()):
                if f.name.endswith(SUFFIX) and not f.name.startswith("."):
                    key = shard.name + f.name[: -len(SUFFIX)]
                    if _KEY.match(key):
                        yield key

    def clean_temporary(self) -> int:
        """Remove temporary files left by interrupted writes (only while no crawl writes here); returns how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for f in self.root.glob("??/.tmp-*"):
            with contextlib.suppress(OSError):
                f.unlink()
                removed += 1
        return removed

