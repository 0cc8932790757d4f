"""JSONL: one contract document (``stenogram/document@1``) per line, UTF-8; after a document edited after
publication or withdrawn, a ``versions`` record (``{"record": "versions", ...}``: its versions, what changed from
each to the next, its withdrawals), which readers of documents skip (``stenogram ingest`` does)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from stenogram.model import Document

# Characters that some readers take for line ends (str.splitlines does); escaped, so a line is a document.
LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def line(doc: Document) -> str:
    """One document as one line of JSON, without the newline."""
    return json.dumps(doc.to_json(), ensure_ascii=False).translate(LINE_BREAKS)


def write(documents: Iterable[Document], path: Path,
          record: Callable[[str], dict[str, Any] | None] | None = None) -> None:
    """Write each document as one line to ``path``, each followed by its versions record when ``record`` gives
    one."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for doc in documents:
            fh.write(line(doc))
            fh.write("\n")
            extra = record(doc.id) if record is not None else None
            if extra is not None:
                fh.write(json.dumps({"record": "versions", **extra}, ensure_ascii=False).translate(LINE_BREAKS))
                fh.write("\n")
