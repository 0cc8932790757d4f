"""Running a query: the tree built from the query and its options, answered by the turn index when it
is in step and can give the same answer (``turn_index/answers.py``), else by the corpus file's own
full-text index (``fts.py``); ranked or dated hits at turn or document level, snippets, facets, stable
pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from stenogram import limits
from stenogram.errors import FilterValueError, QueryError, QuerySyntaxError
from stenogram.limits import bounded
from stenogram.search.compile import compile_query
from stenogram.search.filters import BadValue, given
from stenogram.search.fts import facet_counts, iter_hits, store_search
from stenogram.search.hits import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Sort
from stenogram.search.people import by_person, with_every_name
from stenogram.search.query import And, Node, parse_query
from stenogram.search.turn_index.answers import dated_turns, index_search, index_stream
from stenogram.search.turn_index.beside import beside
from stenogram.store.sqlite import Store

__all__ = ["MARK_CLOSE", "MARK_OPEN", "Hit", "SearchResult", "Sort", "build_query", "dated_turns", "facet_counts",
           "iter_hits", "search", "stream"]

MAX_LIMIT = limits.LIMIT.high


def build_query(query: str, options: Mapping[str, str | None] | None = None, store: Store | None = None) -> Node | None:
    """The query's tree with CLI/API options (``speaker=...``) added as filters, checked like typed ones;
    with the corpus, each speaker filter stands for every printed form of its person's name."""
    node = _with_options(parse_query(query), options)
    return with_every_name(node, store) if store is not None else node


def _with_options(node: Node | None, options: Mapping[str, str | None] | None) -> Node | None:
    extra: list[Node] = []
    for f, value in given(options):
        bare = value.replace('"', "")
        try:   # read first, so that a bad value is named as the keyword or option it was given as, not by a column
            f.read(bare)
        except BadValue as exc:
            part = exc.part if exc.part is not None and exc.part != bare.strip() else None
            raise FilterValueError(f.name, value, exc.problem, part) from exc
        quoted = '"' + bare + '"'
        try:
            parsed = parse_query(f"{f.name}:{quoted}")
        except QuerySyntaxError as exc:   # the column is of a query the user did not write: say the value instead
            raise QueryError(exc.problem) from exc
        assert parsed is not None
        extra.append(parsed)
    if not extra:
        return node
    children: list[Node] = list(node.children) if isinstance(node, And) else ([node] if node else [])
    return And(tuple(children + extra))


def search(
    store: Store,
    query: str = "",
    *,
    options: Mapping[str, str | None] | None = None,
    documents: bool = False,
    sort: Sort = "rank",
    limit: int = 20,
    offset: int = 0,
    facets: bool = False,
    with_question: bool = False,
    in_language: str | None = None,
) -> SearchResult:
    """One page of results, the total count, and facet counts over all matches when asked; with
    ``in_language``, each hit names its document's version in that language."""
    bounded("limit", limit, limits.LIMIT)
    bounded("offset", offset, limits.OFFSET)
    node = build_query(query, options, store)
    compiled = compile_query(node)
    if sort not in ("rank", "date", "-date"):
        raise QueryError(f"sort {sort!r}: choose rank, date or -date")
    index = beside(store).in_step()
    if index is not None:
        found = index_search(store, index, node, documents=documents, sort=sort, limit=limit, offset=offset,
                             facets=facets, with_question=with_question, in_language=in_language)
        if found is not None:
            found.query = query
            return _speakers_as_people(store, found)
    return _speakers_as_people(store, store_search(
        store, query, compiled, documents=documents, sort=sort, limit=limit, offset=offset, facets=facets,
        with_question=with_question, in_language=in_language))


def _speakers_as_people(store: Store, result: SearchResult) -> SearchResult:
    """The speaker facet counts people, not printed names: Lavrov once, not once a language."""
    if "speaker" in result.facets:
        result.facets["speaker"] = by_person(store, result.facets["speaker"])
    return result


def stream(store: Store, query: str = "", *, options: Mapping[str, str | None] | None = None, documents: bool = False,
           sort: Sort = "rank", with_question: bool = False) -> Iterator[Hit]:
    """Every hit, one at a time, without holding them in memory (the turn index's ranking when it is in step,
    so a stream lists what the pages of ``search`` list, in the same order)."""
    node = build_query(query, options, store)
    compiled = compile_query(node)
    index = beside(store).in_step() if documents or sort == "rank" else None
    if index is not None:
        hits = index_stream(store, index, node, documents=documents, sort=sort, with_question=with_question)
        if hits is not None:
            yield from hits
            return
    yield from iter_hits(store, compiled, documents=documents, sort=sort, limit=-1, offset=0, with_question=with_question)

