"""The manifest of a bulk dataset, in ``DATASET/_manifest/`` (the leading underscore makes Parquet readers skip
it): one JSON file an input, and the last run's summary.

    _manifest/inputs/3f2a….json   {"input": "crawl/ru.warc.gz", "hash": "…", "status": "done", "documents": 812,
                                   "turns": 9120, "mentions": 30411, "skipped": [[where, reason], …],
                                   "failed": [[where, reason], …], "files": ["documents/year=2020/…", …], …}
    _manifest/run.json            the last run's summary (inputs, counts, failures, throughput per worker)

An input's file is named by the SHA-256 of its name, and says the content hash it was read with: an input
whose status is ``done`` and whose content has that hash is not read again. ``files`` are the Parquet files
its documents went to. Every file is written under a temporary name and renamed into place, so a reader sees
the previous version or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson

__all__ = ["MANIFEST", "Manifest", "write_atomically"]

#: the manifest's folder in a dataset
MANIFEST = "_manifest"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` through a hidden temporary file beside it, renamed into place once written and flushed."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


class Manifest:
    """The manifest of the dataset in ``folder``: what each input gave, read and written one input at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.inputs = folder / MANIFEST / "inputs"
        self.inputs.mkdir(parents=True, exist_ok=True)

    def _path(self, name: str) -> Path:
        return self.inputs / f"{hashlib.sha256(name.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}.json"

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every input's entry (one that cannot be read, as a crash could leave only a stray temporary file, is
        passed over: its input is read again)."""
        for path in sorted(self.inputs.glob("*.json")):
            with suppress(OSError, orjson.JSONDecodeError):
                entry = orjson.loads(path.read_bytes())
                if isinstance(entry, dict) and isinstance(entry.get("input"), str):
                    yield entry

    def load(self) -> dict[str, dict[str, Any]]:
        """Input name → its entry."""
        return {entry["input"]: entry for entry in self.entries()}

    def record(self, entry: dict[str, Any], previous: dict[str, Any] | None, hashes_in_use: set[str]) -> None:
        """Write an input's entry; when it replaces one read with other content, the files of that content go
        (unless another input has the same content, in ``hashes_in_use``), so no document is there twice."""
        write_atomically(self._path(entry["input"]), orjson.dumps(entry, option=orjson.OPT_INDENT_2))
        if previous is None or previous.get("hash") in (entry.get("hash"), None) or previous["hash"] in hashes_in_use:
            return
        keep = set(entry.get("files") or ())
        for name in previous.get("files") or ():
            if name not in keep:
                with suppress(FileNotFoundError):
                    (self.folder / name).unlink()

    def write_run(self, summary: dict[str, Any]) -> None:
        """The summary of the latest run."""
        write_atomically(self.folder / MANIFEST / "run.json", orjson.dumps(summary, option=orjson.OPT_INDENT_2))

    def clear_temporaries(self) -> None:
        """Remove the hidden temporary files a killed run or worker left (Parquet readers skip them anyway)."""
        for dataset in ("documents", "turns", "mentions", MANIFEST):
            root = self.folder / dataset
            if root.is_dir():
                for path in root.rglob(".*.tmp"):
                    with suppress(OSError):
                        path.unlink()
