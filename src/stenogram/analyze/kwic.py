"""Keyword in context: every occurrence of a term with its left and right context, aligned."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from stenogram import limits
from stenogram.analyze.languages import Counted
from stenogram.analyze.text import base_node, from_where, term_tokens
from stenogram.errors import QueryError
from stenogram.limits import bounded
from stenogram.search.compile import compile_query
from stenogram.search.engine import dated_turns
from stenogram.search.query import Node
from stenogram.store.sqlite import Store

KwicSort = Literal["left", "right", "date"]
#: turns read a page at first (most terms give 100 lines from far fewer turns); later pages double
PAGE = 200


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
    #: the language of the turn (of its document)
    language: str


class KwicLines(Counted[KwicLine]):
    """The lines, with ``languages``: language → lines taken from turns in it."""


def _pattern(term: str) -> re.Pattern[str]:
    tokens, prefix = term_tokens(term)
    if not tokens:
        raise QueryError(f"{term!r} has no word to look for")
    body = r"\W+".join(re.escape(t) for t in tokens)
    tail = r"\w*" if prefix else ""
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)", re.IGNORECASE)


def kwic(store: Store, term: str, *, query: str = "", options: Mapping[str, str | None] | None = None,
         width: int = 60, sort: KwicSort = "left", limit: int = 100) -> KwicLines:
    """Up to ``limit`` lines, taken from the matching turns in date order, then sorted as asked; the
    result also counts the lines by the language of their turns."""
    if sort not in ("left", "right", "date"):
        raise QueryError(f"--sort {sort!r}: choose left, right or date")
    bounded("width", width, limits.KWIC_WIDTH)
    bounded("limit", limit, limits.KWIC_LIMIT)
    rx = _pattern(term)
    lines: list[KwicLine] = []
    for row in _turns_in_date_order(store, base_node(store, query, options, term=term)):
        text = row["text"]
        for m in rx.finditer(text):
            left = text[max(0, m.start() - width):m.start()].replace("\n", " ")
            right = text[m.end():m.end() + width].replace("\n", " ")
            lines.append(KwicLine(row["turn_id"], row["document_id"], row["published"], row["speaker"], row["kind"],
                                  left, m.group(0), right, row["language"]))
            if len(lines) >= limit:
                break
        if len(lines) >= limit:
            break
    if sort == "left":
        lines.sort(key=lambda ln: (_last_word(ln.left), ln.left[::-1].casefold()))
    elif sort == "right":
        lines.sort(key=lambda ln: ln.right.casefold().lstrip())
    return KwicLines(lines, Counter(ln.language for ln in lines))


def _turns_in_date_order(store: Store, node: Node | None) -> Iterator[Any]:
    """The matching turns, oldest first: page by page from the turn index, or in one pass over the store."""
    offset, page = 0, PAGE
    while True:
        rows = dated_turns(store, node, limit=page, offset=offset)
        if rows is None:
            break
        yield from rows
        if len(rows) < page:
            return
        offset += page
        page = min(page * 2, 5000)
    # no index, or it fell behind between two pages: (go on) from the store, where the pages left off
    sql, params = from_where(compile_query(node))
    yield from store.iterate(
        f"SELECT t.id AS turn_id, t.document_id, t.speaker, t.kind, t.text, d.published, d.language {sql} "
        f"ORDER BY d.day, d.id, t.idx LIMIT -1 OFFSET ?", [*params, offset])


def _last_word(text: str) -> str:
    words = re.findall(r"\w+", text)
    return words[-1].casefold() if words else ""
