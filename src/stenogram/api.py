"""The Python facade: what the CLI and other programs call."""

from __future__ import annotations

import sys
from pathlib import Path

from stenogram.errors import InputNotFound, InputUnreadable
from stenogram.model import Document
from stenogram.parse import parse_bytes

MAX_INPUT_BYTES = 64 * 1024 * 1024


def read_input(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``; errors say which file and why."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    p = Path(path)
    if not p.exists():
        raise InputNotFound(path)
    if p.is_dir():
        raise InputUnreadable(path, "it is a folder; give one transcript file")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except PermissionError as exc:
        raise InputUnreadable(path, "permission denied") from exc
    except OSError as exc:
        raise InputUnreadable(path, exc.strerror or str(exc)) from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputUnreadable(path, f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; is it really one transcript?")
    return data


def parse_file(path: str, *, url: str | None = None) -> Document:
    """Parse one transcript file (``-`` for standard input)."""
    name = "<stdin>" if path == "-" else path
    return parse_bytes(read_input(path), name=name, url=url)
