"""Words as the search index sees them (case and diacritics folded, letters and digits), and the
base set of turns an analysis runs over (a query with its filters)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from stenogram.analyze.stopwords import stopwords
from stenogram.search.compile import Compiled, compile_query
from stenogram.search.engine import build_query
from stenogram.search.query import And, Node, parse_query
from stenogram.store.sqlite import Store
from stenogram.store.terms import count_terms, fold, words

_WORD = re.compile(r"[^\W_]+")


def term_tokens(term: str) -> tuple[tuple[str, ...], bool]:
    """A term or phrase as folded tokens, and whether its last token is a prefix (``terror*``)."""
    prefix = term.rstrip().endswith("*")
    return tuple(_WORD.findall(fold(term.rstrip().rstrip("*")))), prefix


def count_occurrences(text: str, tokens: tuple[str, ...], prefix: bool) -> int:
    """How often the token sequence occurs in the text."""
    if not tokens:
        return 0
    ws = words(text)
    k = len(tokens)
    n = 0
    for i in range(len(ws) - k + 1):
        if ws[i:i + k - 1] == tokens[:-1] and (ws[i + k - 1].startswith(tokens[-1]) if prefix else ws[i + k - 1] == tokens[-1]):
            n += 1
    return n


def term_query(term: str) -> str:
    """The query-language form of a term: a phrase in quotes, a prefix kept."""
    tokens, prefix = term_tokens(term)
    if not tokens:
        return ""
    if len(tokens) == 1:
        return tokens[0] + ("*" if prefix else "")
    return '"' + " ".join(tokens) + '"'


def base_node(store: Store, query: str, options: Mapping[str, str | None] | None, *,
              term: str | None = None) -> Node | None:
    """The query tree for the turns an analysis reads: the user's query and filters, and the term when given."""
    node = build_query(query, options, store)
    if term:
        term_node = parse_query(term_query(term))
        if term_node is not None:
            parts = list(node.children) if isinstance(node, And) else ([node] if node else [])
            node = And((*parts, term_node))
    return node


def base(store: Store, query: str, options: Mapping[str, str | None] | None, *, term: str | None = None) -> Compiled:
    """``base_node`` compiled to SQL for the store."""
    return compile_query(base_node(store, query, options, term=term))


def from_where(c: Compiled) -> tuple[str, list[object]]:
    """FROM/WHERE over turns t and documents d for a compiled query (words matched in the turn text)."""
    params: list[object] = []
    if c.match:
        sql = ("FROM turns_fts JOIN turns t ON t.rowid = turns_fts.rowid JOIN documents d ON d.id = t.document_id "
               "WHERE turns_fts MATCH ? AND ")
        params.append("{text} : (" + c.match + ")")
    else:
        sql = "FROM turns t JOIN documents d ON d.id = t.document_id WHERE "
    return sql + c.where_sql(), params + list(c.params)


#: characters of text counted together (``ContentCounts``)
_COUNT_CHARS = 4 << 20


class ContentCounts:
    """The content words (``content_words``) of many texts counted by language: the texts of a language are
    gathered and counted a few MB at a time, by distinct word (``count_terms``) instead of word by word."""

    def __init__(self, *, min_length: int = 3) -> None:
        self.min_length = min_length
        self.counts: dict[str | None, Counter[str]] = {}
        self._held: dict[str | None, list[str]] = {}
        self._chars = 0

    def add(self, text: str, language: str | None) -> None:
        self._held.setdefault(language, []).append(text)
        self._chars += len(text)
        if self._chars >= _COUNT_CHARS:
            self._count()

    def _count(self) -> None:
        for language, texts in self._held.items():
            stop = stopwords(language)
            mine = self.counts.setdefault(language, Counter())
            for w, n in count_terms(texts).items():
                if len(w) >= self.min_length and w not in stop and not w.isdigit():
                    mine[w] += n
        self._held, self._chars = {}, 0

    def by_language(self) -> dict[str | None, Counter[str]]:
        """Each language's content words and how often they occur."""
        self._count()
        return self.counts


def content_words(text: str, *, language: str | None = None, min_length: int = 3) -> Iterator[str]:
    """The words of a text that carry meaning: without the function words of its ``language`` (of every
    language stenogram lists when None), numbers and words shorter than ``min_length``."""
    stop = stopwords(language)
    for w in words(text):
        if len(w) >= min_length and w not in stop and not w.isdigit():
            yield w

