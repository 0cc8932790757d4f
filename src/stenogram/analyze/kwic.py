"""Keyword in context: every occurrence of a term with its left and right context, aligned."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from stenogram.analyze.text import base, from_where, term_tokens
from stenogram.errors import QueryError
from stenogram.store.sqlite import Store

KwicSort = Literal["left", "right", "date"]


@dataclass(frozen=True, slots=True)
class KwicLine:
    turn_id: str
    document_id: str
    published: str | None
    speaker: str | None
    kind: str
    left: str
    keyword: str
    right: str


def _pattern(term: str) -> re.Pattern[str]:
    tokens, prefix = term_tokens(term)
    if not tokens:
        raise QueryError(f"{term!r} has no word to look for")
    body = r"\W+".join(re.escape(t) for t in tokens)
    tail = r"\w*" if prefix else ""
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)", re.IGNORECASE)


def kwic(store: Store, term: str, *, query: str = "", options: Mapping[str, str | None] | None = None,
         width: int = 60, sort: KwicSort = "left", limit: int = 100) -> list[KwicLine]:
    """Up to ``limit`` lines, taken from the matching turns in date order, then sorted as asked."""
    if sort not in ("left", "right", "date"):
        raise QueryError(f"--sort {sort!r}: choose left, right or date")
    if not 1 <= width <= 500:
        raise QueryError("--width must be between 1 and 500")
    rx = _pattern(term)
    sql, params = from_where(base(query, options, term=term))
    lines: list[KwicLine] = []
    for row in store.iterate(
        f"SELECT t.id, t.document_id, t.speaker, t.kind, t.text, d.published {sql} ORDER BY d.day, d.id, t.idx", params
    ):
        text = row["text"]
        for m in rx.finditer(text):
            left = text[max(0, m.start() - width):m.start()].replace("\n", " ")
            right = text[m.end():m.end() + width].replace("\n", " ")
            lines.append(KwicLine(row["id"], row["document_id"], row["published"], row["speaker"], row["kind"],
                                  left, m.group(0), right))
            if len(lines) >= limit:
                break
        if len(lines) >= limit:
            break
    if sort == "left":
        lines.sort(key=lambda ln: (_last_word(ln.left), ln.left[::-1].casefold()))
    elif sort == "right":
        lines.sort(key=lambda ln: ln.right.casefold().lstrip())
    return lines


def _last_word(text: str) -> str:
    words = re.findall(r"\w+", text)
    return words[-1].casefold() if words else ""
