"""Syntax tree → a tantivy query over the turn index, with the same meaning as the SQL that
``compile.py`` writes for the store.

Words are run through the index's own analyzer, so a user term is only ever a term (never query
syntax). Filters become exact term queries on keyword fields with a score of zero, so they narrow
the hits without changing their BM25 order. A tree this cannot express with the same meaning
(``NEAR``, whose order-free window tantivy has no query for) gives ``None``: the store answers it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stenogram.errors import QueryError
from stenogram.search.compile import compile_query
from stenogram.search.people import every_name
from stenogram.search.query import And, Filter, Near, Node, Not, Or, Phrase, Term
from stenogram.search.snippet import terms_of
from stenogram.search.turn_index.fields import SUFFIX, day_number, named_in_year, nocase, org_id, org_text, pair, speaker_in_year
from stenogram.search.turn_index.index import TurnIndex

#: the largest day number (fields.day_number) an edited filter's open end reaches
EDITED_MAX = 99_991_231
#: a date filter is a set of day terms up to this many days (about four years), else a range
DAY_TERMS = 1500
#: in a search for documents, a word in the title weighs this many times one in the text (as in the store)
TITLE_WEIGHT = 3.0


class Unsupported(Exception):
    """This tree has no same-meaning tantivy query; search the store instead."""


@dataclass(slots=True)
class IndexQuery:
    query: Any
    #: whether any words take part (else there is no relevance to rank by)
    ranked: bool
    #: the terms the hits' snippets mark (search/snippet.py's ``terms_of``): (word, is a prefix)
    highlight: list[tuple[str, bool]]
    #: the one term searched for, (field, term), when the query is that and nothing else: one word, or
    #: a two-word phrase (a term of the pairs field). Its count is its document frequency, and the
    #: query is a bare term query, which tantivy can rank without scoring every match.
    term: tuple[str, str] | None = None
    #: in a search for documents of words only (a word, a prefix, words joined by OR): the same search
    #: over the words each document keeps on its first turn (the ``doc_words`` field). A document
    #: matches when one of its turns does, and for these that is when the document holds the words, so
    #: this finds each matching document once, without reading its turns
    doc_query: Any | None = None
    #: and the one term of that search, when it is a single word (its count is its document frequency)
    doc_term: tuple[str, str] | None = None


def index_query(index: TurnIndex, node: Node | None, *, documents: bool = False) -> IndexQuery | None:
    """The tantivy query for a tree, or None when only the store can answer it with the same meaning.
    ``documents``: words match the turn's text or its document's title (weighted TITLE_WEIGHT), as
    a search for documents does."""
    compile_query(node)          # the same checks and the same error messages as the store's path
    if node is None:
        import tantivy

        return IndexQuery(tantivy.Query.all_query(), False, [])
    try:
        return _Builder(index, documents=documents).top(node)
    except Unsupported:
        return None


class _Builder:
    def __init__(self, index: TurnIndex, *, documents: bool = False) -> None:
        import tantivy

        self.t = tantivy
        self.index = index
        self.schema = index.schema
        self.documents = documents
        self.highlight: list[tuple[str, bool]] = []

    def top(self, node: Node) -> IndexQuery:
        t = self.t
        parts = list(node.children) if isinstance(node, And) else [node]
        musts: list[Any] = []
        nots: list[Any] = []
        filters: list[Any] = []
        ranked = False
        speakers = [p for p in parts if isinstance(p, Filter) and p.field == "speaker"]
        dates = [p for p in parts if isinstance(p, Filter) and p.field == "date"]
        # a filter's query depends on the index's contents only: built once for each state of the index
        if len(speakers) == 1 and len(dates) == 1:
            speaker, date = speakers[0], dates[0]
            filters.append(self.index.remembered(
                ("speaker dated", speaker, date),
                lambda: t.Query.const_score_query(self.speaker_dated(speaker, date), 0.0)))
            parts = [p for p in parts if p is not speaker and p is not date]
        for part in parts:
            if _has_filter(part):
                filters.append(self.index.remembered(("filter", part), self.zero_scored(part)))
            elif isinstance(part, Not):
                nots.append(self.text(part.child, collect=False))
            else:
                musts.append(self.text(part))
                ranked = True
        if len(musts) == 1 and not filters and not nots:
            term = self.single_term(parts[0])
            if self.documents:
                return IndexQuery(musts[0], ranked, self.highlight, doc_query=self.in_documents(parts[0]),
                                  doc_term=("doc_words", term[1]) if term is not None and term[0] == "text" else None)
            return IndexQuery(musts[0], ranked, self.highlight, term)
        clauses = [(t.Occur.Must, q) for q in musts + filters]
        if not clauses:
            clauses.append((t.Occur.Must, t.Query.all_query()))
        clauses += [(t.Occur.MustNot, q) for q in nots]
        return IndexQuery(t.Query.boolean_query(clauses), ranked, self.highlight)

    def zero_scored(self, node: Node) -> Callable[[], Any]:
        """What builds a filter's query, scoring nothing."""
        return lambda: self.t.Query.const_score_query(self.filter(node), 0.0)

    # --- words -----------------------------------------------------------------------------------
    def tokens(self, text: str) -> list[str]:
        return [str(tok) for tok in self.index.analyzer.analyze(text)]

    def single_term(self, node: Node) -> tuple[str, str] | None:
        """The (field, term) a word or a two-word phrase is looked up as, or None for anything else."""
        if isinstance(node, Term) and not node.prefix and len(words := self.tokens(node.text)) == 1:
            return ("text", words[0])
        if isinstance(node, Phrase) and len(words := self.tokens(node.words)) == 2:
            return ("pairs", pair(*words))
        return None

    def in_documents(self, node: Node) -> Any | None:
        """The query over the documents' words (``doc_words``) that finds the documents with a turn
        matching ``node``, or None when that is not the same (a phrase, a word of several tokens, words
        that must meet or avoid each other in one turn)."""
        t = self.t
        if isinstance(node, Term):
            words = self.tokens(node.text)
            if len(words) != 1:
                return None
            if node.prefix:
                return t.Query.regex_query(self.schema, "doc_words", _regex_literal(words[0]) + ".*")
            return t.Query.term_query(self.schema, "doc_words", words[0])
        if isinstance(node, Or):
            either = [self.in_documents(c) for c in node.children]
            if any(q is None for q in either):
                return None
            return t.Query.boolean_query([(t.Occur.Should, q) for q in either])
        return None

    def text(self, node: Node, *, collect: bool = True) -> Any:
        t = self.t
        if isinstance(node, Term | Phrase):
            prefix = isinstance(node, Term) and node.prefix
            words = self.tokens(node.text if isinstance(node, Term) else node.words)
            if collect:
                self.highlight.extend(terms_of(node))     # the store's snippets mark the same terms
            if not words:
                return t.Query.empty_query()
            if not self.documents:
                return self.words(words, prefix, "text")
            return self.any_of(self.words(words, prefix, "text"),
                               t.Query.boost_query(self.words(words, prefix, "title"), TITLE_WEIGHT))
        if isinstance(node, Near):
            raise Unsupported
        if isinstance(node, Or):
            return t.Query.boolean_query([(t.Occur.Should, self.text(c, collect=collect)) for c in node.children])
        if isinstance(node, And):
            clauses = [(t.Occur.MustNot, self.text(c.child, collect=False)) if isinstance(c, Not)
                       else (t.Occur.Must, self.text(c, collect=collect)) for c in node.children]
            return t.Query.boolean_query(clauses)
        raise QueryError("field filters cannot stand inside a group of words; put them outside the parentheses")

    def words(self, words: list[str], prefix: bool, field: str) -> Any:
        """Words in a row in one text field, the last one a prefix if ``prefix``."""
        t, schema = self.t, self.schema
        if prefix:
            if len(words) == 1:
                return t.Query.regex_query(schema, field, _regex_literal(words[0]) + ".*")
            return t.Query.phrase_prefix_query(schema, field, words)
        if len(words) == 1:
            return t.Query.term_query(schema, field, words[0])
        if len(words) == 2 and field == "text":
            return t.Query.term_query(schema, "pairs", pair(*words), index_option="freq")
        return t.Query.phrase_query(schema, field, words)

    # --- filters ---------------------------------------------------------------------------------
    def filter(self, node: Node) -> Any:
        t = self.t
        if isinstance(node, Filter):
            return self.field(node)
        if isinstance(node, Not):
            return t.Query.boolean_query([(t.Occur.Must, t.Query.all_query()), (t.Occur.MustNot, self.filter(node.child))])
        if isinstance(node, And):
            return t.Query.boolean_query([(t.Occur.Must, self.filter(c)) for c in node.children])
        if isinstance(node, Or):
            return t.Query.boolean_query([(t.Occur.Should, self.filter(c)) for c in node.children])
        raise QueryError("words cannot stand inside a group of field filters; put them outside the parentheses")

    def term(self, field: str, value: str) -> Any:
        return self.t.Query.term_query(self.schema, field, value, index_option="basic")

    def any_of(self, *queries: Any) -> Any:
        return self.t.Query.boolean_query([(self.t.Occur.Should, q) for q in queries])

    def field(self, f: Filter) -> Any:
        t, v = self.t, f.value
        if f.field == "date":
            # the days of the index inside the range, as terms: met with a word's matches several times
            # faster than a range over the day column; a range again when they are too many
            inside = self.days_inside(f)
            if not inside:
                return t.Query.empty_query()
            if len(inside) <= DAY_TERMS:
                return t.Query.term_set_query(self.schema, "day", inside)
            return t.Query.range_query(self.schema, "day", t.FieldType.Integer, day_number(f.low), day_number(f.high))
        if f.field == "speaker":
            keys, labelled = self.speaker_terms(v, f.forms)
            named = [self.term("speaker_key", k) for k in keys]
            if labelled:
                named.append(t.Query.term_set_query(self.schema, "speaker", labelled))
            if not named:
                return t.Query.empty_query()
            return named[0] if len(named) == 1 else self.any_of(*named)
        if f.field == "edited":
            if v in ("yes", "no"):
                return (t.Query.range_query(self.schema, "edited", t.FieldType.Integer, 1, EDITED_MAX) if v == "yes"
                        else t.Query.term_query(self.schema, "edited", 0))
            return t.Query.range_query(self.schema, "edited", t.FieldType.Integer, day_number(f.low) or 1,
                                       day_number(f.high) or EDITED_MAX)
        if f.field == "kind":
            return self.term("kind", v)
        if f.field == "doc_kind":
            return self.term("doc_kind", v)
        if f.field == "source":
            return self.term("source_key", nocase(v))
        if f.field == "lang":
            return self.term("lang", v)
        if f.field == "country":
            return self.term("country", v)
        if f.field == "person":     # every form of the person's name (search/people.py)
            return self.any_of(*(self.term("person", key) for form in f.forms or (v,)
                                 for key in (nocase(form), SUFFIX + nocase(form))))
        if f.field == "org":
            return self.any_of(self.term("org", org_id(v)), self.term("org", org_text(v)))
        raise Unsupported

    def speaker_terms(self, name: str, forms: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
        """What a speaker filter looks for: keys (the name itself, a tail of it: a surname) and the
        canonical names printed under this label, for every form of the name of a person the registry
        knows (search/people.py). Left out: keys no turn has, and labelled names the
        first key already finds, so that the usual filter, a full name, is one term rather than a union."""
        searcher = self.index.searcher()
        keys: list[str] = []
        labelled: list[str] = []
        for form in forms or every_name(name):     # every form of the person's name (search/people.py)
            keys.extend(k for k in (nocase(form), SUFFIX + nocase(form))
                        if k not in keys and searcher.doc_freq("speaker_key", k))
            labelled.extend(n for n in self.speakers_labelled(form) if n not in labelled)
        return keys, [n for n in labelled if nocase(n) not in keys]

    def speaker_dated(self, speaker: Filter, date: Filter) -> Any:
        """A speaker filter and a date filter together. The years the range covers whole (every day the
        index has in them) are terms of the speaker in that year, one short list of postings; the days
        of the years it covers in part are met with the speaker filter as before."""
        t = self.t
        inside = self.days_inside(date)
        keys, labelled = self.speaker_terms(speaker.value, speaker.forms)
        if not inside or not (keys or labelled):
            return t.Query.empty_query()
        every_day = self.days_by_year()
        by_year: dict[int, list[int]] = {}
        for day in inside:
            by_year.setdefault(day // 10000, []).append(day)
        whole = [year for year, days in by_year.items() if len(days) == len(every_day[year])]
        clauses = []
        if whole:
            clauses.append(t.Query.term_set_query(self.schema, "speaker_year",
                                                  [speaker_in_year(k, y) for k in keys for y in whole]
                                                  + [named_in_year(n, y) for n in labelled for y in whole]))
        some = [day for year, days in by_year.items() if year not in whole for day in days]
        if some:
            clauses.append(t.Query.boolean_query([(t.Occur.Must, self.field(speaker)),
                                                  (t.Occur.Must, t.Query.term_set_query(self.schema, "day", some))]))
        return clauses[0] if len(clauses) == 1 else self.any_of(*clauses)

    def days_inside(self, date: Filter) -> list[int]:
        """The index's days inside a date filter's range."""
        days = self.days()
        low, high = day_number(date.low), day_number(date.high)
        return days[bisect_left(days, low) if low is not None else 0:
                    bisect_right(days, high) if high is not None else len(days)]

    def days_by_year(self) -> dict[int, list[int]]:
        """The index's days, by year."""
        def look_up() -> dict[int, list[int]]:
            out: dict[int, list[int]] = {}
            for day in self.days():
                out.setdefault(day // 10000, []).append(day)
            return out

        return dict(self.index.remembered(("days by year",), look_up))

    def days(self) -> list[int]:
        """The distinct days of the turns in the index (as day numbers), in order."""
        def look_up() -> list[int]:
            found = self.index.searcher().aggregate(
                self.t.Query.all_query(), {"d": {"terms": {"field": "day", "size": 1_000_000, "segment_size": 1_000_000}}})
            return sorted(int(b["key"]) for b in found["d"]["buckets"])

        return list(self.index.remembered(("days",), look_up))

    def speakers_labelled(self, label: str) -> list[str]:
        """Canonical names of the turns printed under this label (a label alone names its speaker)."""
        def look_up() -> list[str]:
            found = self.index.searcher().aggregate(
                self.t.Query.boolean_query([(self.t.Occur.Must, self.term("label", nocase(label))),
                                            (self.t.Occur.Must, self.t.Query.exists_query("speaker"))]),
                {"s": {"terms": {"field": "speaker", "size": 10_000, "segment_size": 10_000}}})
            return [str(b["key"]) for b in found["s"]["buckets"]]

        return list(self.index.remembered(("speakers labelled", nocase(label)), look_up))


def _has_filter(node: Node) -> bool:
    if isinstance(node, Filter):
        return True
    if isinstance(node, Not):
        return _has_filter(node.child)
    if isinstance(node, And | Or):
        return any(_has_filter(c) for c in node.children)
    return False


_REGEX_META = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")


def _regex_literal(text: str) -> str:
    """A token as a literal in tantivy's regex syntax."""
    return _REGEX_META.sub(r"\\\1", text)
