"""JSONL: one contract document (``stenogram/document@1``) per line, UTF-8."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from stenogram.model import Document

# Characters that some readers take for line ends (str.splitlines does); escaped, so a line is a document.
LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def line(doc: Document) -> str:
    """One document as one line of JSON, without the newline."""
    return json.dumps(doc.to_json(), ensure_ascii=False).translate(LINE_BREAKS)


def write(documents: Iterable[Document], path: Path) -> None:
    """Write each document as one line to ``path``."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for doc in documents:
            fh.write(line(doc))
            fh.write("\n")
