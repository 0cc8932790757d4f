"""The query language: text → syntax tree, with errors that say where.

    words  "phrases"  prefix*  AND  OR  NOT  -word  NEAR(a b, 5)  ( ... )
    speaker:"Sergey Lavrov"  kind:answer  doc_kind:briefing  source:mid.ru  lang:en
    date:2020-01-01..2020-12-31  date:2020..  country:IQ  person:"Fuad Hussein"  org:UN

Juxtaposed terms mean AND. Operators are upper case; lower-case ``and``/``or``/``not`` are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

from stenogram.errors import QueryError, QuerySyntaxError, UnknownField
from stenogram.search.filters import BY_NAME, NAMES, BadValue

MAX_QUERY_LENGTH = 2000
MAX_TERMS = 200
MAX_DEPTH = 32
FIELDS = NAMES


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    words: str


@dataclass(frozen=True, slots=True)
class Near:
    terms: tuple[Term | Phrase, ...]
    distance: int


@dataclass(frozen=True, slots=True)
class Filter:
    field: str
    value: str
    #: for date: ISO bounds, either may be None
    low: str | None = None
    high: str | None = None
    #: for speaker: every printed form of the person's name (search/people.py fills them); empty: the value
    forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Union[Term, Phrase, Near, Filter, And, Or, Not]  # noqa: UP007 (recursive alias needs Union at runtime)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str       # WORD PHRASE FIELD LPAREN RPAREN AND OR NOT MINUS NEAR COMMA
    value: str
    column: int     # 1-based
    field: str = ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD_END = re.compile(r'[\s()"]|,(?=\s|\d|$)')
_FIELD = re.compile(r"([A-Za-z_]+):")


def _lex(query: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        col = i + 1
        if ch.isspace():
            i += 1
        elif ch == "(":
            toks.append(_Tok("LPAREN", ch, col))
            i += 1
        elif ch == ")":
            toks.append(_Tok("RPAREN", ch, col))
            i += 1
        elif ch == ",":
            toks.append(_Tok("COMMA", ch, col))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(query, col, "unclosed quote")
            toks.append(_Tok("PHRASE", query[i + 1:end], col))
            i = end + 1
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace() and (not toks or toks[-1].kind != "WORD" or query[i - 1].isspace()):
            toks.append(_Tok("MINUS", ch, col))
            i += 1
        else:
            m = _FIELD.match(query, i)
            if m and m.group(1).lower() in FIELDS:
                field = m.group(1).lower()
                j = m.end()
                if j < n and query[j] == '"':
                    end = query.find('"', j + 1)
                    if end < 0:
                        raise QuerySyntaxError(query, j + 1, "unclosed quote")
                    value, i = query[j + 1:end], end + 1
                else:
                    k = j
                    while k < n and not query[k].isspace() and query[k] not in '()"':
                        k += 1
                    value, i = query[j:k], k
                if not value.strip():
                    raise QuerySyntaxError(query, col, f"{field}: needs a value")
                toks.append(_Tok("FIELD", value, col, field))
                continue
            if m and not m.group(1).isdigit():
                raise UnknownField(m.group(1), FIELDS, col)
            e = _WORD_END.search(query, i)
            j = e.start() if e else n
            word = query[i:j]
            i = j
            if word in ("AND", "OR", "NOT"):
                toks.append(_Tok(word, word, col))
            elif word == "NEAR" and i < n and query[i] == "(":
                toks.append(_Tok("NEAR", word, col))
                i += 1
            else:
                toks.append(_Tok("WORD", word, col))
    return toks


class _Parser:
    def __init__(self, query: str, toks: list[_Tok]) -> None:
        self.query, self.toks, self.pos = query, toks, 0
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def error(self, problem: str, tok: _Tok | None = None) -> QuerySyntaxError:
        column = tok.column if tok else len(self.query) + 1
        return QuerySyntaxError(self.query, column, problem)

    def parse(self) -> Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise self.error("unexpected ')'" if tok.kind == "RPAREN" else f"unexpected {tok.value!r}", tok)
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", "RPAREN", "COMMA"):
            if tok.kind == "AND":
                self.take()
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("the query ends where a word was expected")
        if tok.kind in ("NOT", "MINUS"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"more than {MAX_DEPTH} nested operators", tok)
            node = Not(self.unary() if tok.kind == "NOT" else self.atom())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("the query ends where a word was expected")
        self.take()
        if tok.kind == "LPAREN":
            if (nxt := self.peek()) is not None and nxt.kind == "RPAREN":
                raise self.error("empty parentheses", nxt)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"parentheses nested more than {MAX_DEPTH} deep", tok)
            node = self.or_expr()
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind != "RPAREN":
                raise self.error(f"unclosed parenthesis opened at column {tok.column}", closing)
            self.take()
            return node
        if tok.kind == "WORD":
            return _term(tok, self.query)
        if tok.kind == "PHRASE":
            words = " ".join(tok.value.split())
            if not words:
                raise self.error("empty phrase", tok)
            return Phrase(words)
        if tok.kind == "FIELD":
            return _filter(tok, self.query)
        if tok.kind == "NEAR":
            return self.near(tok)
        raise self.error(f"unexpected {tok.value!r}", tok)

    def near(self, start: _Tok) -> Near:
        terms: list[Term | Phrase] = []
        distance = 10
        while True:
            tok = self.peek()
            if tok is None:
                raise self.error(f"unclosed NEAR( opened at column {start.column}")
            self.take()
            if tok.kind == "RPAREN":
                break
            if tok.kind == "COMMA":
                num = self.peek()
                if num is None or num.kind != "WORD" or not num.value.isdigit():
                    raise self.error("NEAR(...) wants a distance after the comma, e.g. NEAR(a b, 5)", num)
                self.take()
                distance = int(num.value)
                if not 0 <= distance <= 100:
                    raise self.error("NEAR distance must be between 0 and 100", num)
                continue
            if tok.kind == "WORD":
                terms.append(_term(tok, self.query))
            elif tok.kind == "PHRASE":
                terms.append(Phrase(" ".join(tok.value.split())))
            else:
                raise self.error("NEAR(...) takes words and phrases only", tok)
        if len(terms) < 2:
            raise self.error("NEAR(...) needs at least two words", start)
        return Near(tuple(terms), distance)


def _term(tok: _Tok, query: str) -> Term:
    word = tok.value
    prefix = word.endswith("*")
    word = word.rstrip("*")
    if not word or not any(ch.isalnum() for ch in word):
        raise QuerySyntaxError(query, tok.column, f"{tok.value!r} is not a word to search for")
    if prefix and len(word) < 2:
        raise QuerySyntaxError(query, tok.column, "a prefix needs at least two letters before *")
    return Term(word, prefix)


def _filter(tok: _Tok, query: str) -> Filter:
    """A field filter, its value read as the vocabulary says (search/filters.py)."""
    try:
        read = BY_NAME[tok.field].read(tok.value)
    except BadValue as exc:
        raise QuerySyntaxError(query, tok.column, str(exc)) from exc
    return Filter(tok.field, read.value, read.low, read.high)


def parse_query(query: str) -> Node | None:
    """The syntax tree of a query; None for an empty query (everything)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is {len(query)} characters long; the limit is {MAX_QUERY_LENGTH}")
    query = _CONTROL.sub(" ", query)   # control characters (NUL included) are never part of a word
    toks = _lex(query)
    if not toks:
        return None
    if sum(1 for t in toks if t.kind in ("WORD", "PHRASE", "FIELD")) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms; narrow it down or split it")
    return _Parser(query, toks).parse()


def describe(node: Node | None) -> str:
    """The query in words, for people: ``turns by speaker Sergey Lavrov containing "Iraq"``."""
    if node is None:
        return "all turns"
    if isinstance(node, Term):
        return f'"{node.text}{"*" if node.prefix else ""}"'
    if isinstance(node, Phrase):
        return f'the phrase "{node.words}"'
    if isinstance(node, Near):
        return "words near each other: " + ", ".join(describe(t) for t in node.terms)
    if isinstance(node, Filter):
        return f"{node.field} {node.value}"
    if isinstance(node, Not):
        return f"not {describe(node.child)}"
    joiner = " and " if isinstance(node, And) else " or "
    return "(" + joiner.join(describe(c) for c in node.children) + ")"
