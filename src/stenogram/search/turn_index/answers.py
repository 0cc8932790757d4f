"""Searches answered by the turn index: pages of turns or documents, in rank or date order, their
totals and facets, and streams of every hit, with the store's meaning and order. Each answer is None
when the index cannot give it with the same meaning (the store's own search answers instead); an
error or a panic in the index marks it damaged and gives None too."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from stenogram.search.aligned import in_language as in_language_of
from stenogram.search.fts import question_of
from stenogram.search.hits import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Sort, hit_of
from stenogram.search.query import Node
from stenogram.search.snippet import snippet as make_snippet
from stenogram.search.turn_index.beside import beside
from stenogram.search.turn_index.facet_counts import TERM_FACETS, YEAR_AGGREGATION, largest, year_counts
from stenogram.search.turn_index.index import TurnIndex, describe, is_index_error
from stenogram.search.turn_index.query import IndexQuery, index_query
from stenogram.store.sqlite import Store

T = TypeVar("T")


def index_search(store: Store, index: TurnIndex, node: Node | None, *, documents: bool, sort: Sort, limit: int,
                 offset: int, facets: bool, with_question: bool, in_language: str | None) -> SearchResult | None:
    """One page from the turn index (None: the store answers)."""
    answer = _documents_from_index if documents else _from_index
    found = _answered(index, partial(answer, store, index, node, sort=sort, limit=limit, offset=offset,
                                     facets=facets, with_question=with_question))
    if found is not None and in_language:
        found.hits = in_language_of(store, found.hits, in_language)
    return found


def index_stream(store: Store, index: TurnIndex, node: Node | None, *, documents: bool, sort: Sort,
                 with_question: bool) -> Iterator[Hit] | None:
    """Every hit in the turn index's order (what the pages of ``index_search`` list), made as they are
    read; None when the index does not answer this (the store streams it)."""
    if documents:
        listed = _answered(index, partial(_documents_to_stream, index, node))
        return None if listed is None else _stream_documents(store, *listed, sort=sort, with_question=with_question)
    ranked = _answered(index, partial(_turns_to_stream, index, node))
    return None if ranked is None else _stream_turns(store, *ranked, with_question=with_question)


def _stream_turns(store: Store, iq: IndexQuery, scored: list[tuple[int, float]], *,
                  with_question: bool) -> Iterator[Hit]:
    for at in range(0, len(scored), 500):
        chunk = scored[at:at + 500]
        rows = _rows(store, [rowid for rowid, _ in chunk])
        for rowid, score in chunk:
            if rowid in rows:
                yield _index_hit(store, rows[rowid], score, iq, with_question)


def _answered(index: TurnIndex, answer: Callable[[], T]) -> T | None:
    """``answer()``, worked out with the turn index; None when the index fails (an error or a panic
    in it): the index is then marked damaged (searches answer from the store until it is rebuilt),
    and the caller answers from the store. Errors of the query or of the store go through."""
    try:
        return answer()
    except BaseException as exc:
        if not is_index_error(exc):
            raise
        index.fail(f"a search failed in it: {describe(exc)}")
        return None


_HIT_COLUMNS = ("t.rowid AS rid, t.id AS turn_id, t.document_id, t.idx, t.kind, t.speaker, t.label, t.affiliation, "
                "t.reply_to, t.text, d.title, d.published, d.source, d.language, d.day")


def _from_index(store: Store, index: TurnIndex, node: Node | None, *, sort: Sort, limit: int, offset: int,
                facets: bool, with_question: bool) -> SearchResult | None:
    """One page from the turn index (None: this query needs the store's own search)."""
    iq = index_query(index, node)
    if iq is None:
        return None
    searcher = index.searcher()
    # a frequent word's counts are kept up to date by the index's writer; anything else is counted now
    kept = index.facets_of_word(iq.term[1]) if facets and iq.term is not None and iq.term[0] == "text" else None
    counting = _start_facets(searcher, iq) if facets and kept is None else None
    if iq.ranked and sort == "rank":
        # a frequent word's first hits are ranked once for each state of the index; others are ranked now
        page = (index.page_of_word(iq.term[1], offset=offset, limit=limit)
                if iq.term is not None and iq.term[0] == "text" else None)
        if page is None:
            known = _word_count(searcher, iq)
            res = searcher.search(iq.query, limit=limit, offset=offset, count=known is None)
            total = int(res.count) if known is None else known
            scores = [float(score) for score, _ in res.hits]
            rowids = searcher.fast_field_values("rowid", [a for _, a in res.hits]) if res.hits else []
        else:
            total, best = page
            rowids, scores = [r for r, _ in best], [s for _, s in best]
        rows = _rows(store, rowids)
        ordered: list[tuple[Any, float | None]] = [
            (rows[r], -s) for r, s in zip(rowids, scores, strict=True) if r in rows]
    else:
        paged = _by_date(store, index, iq, descending=sort != "date", limit=limit, offset=offset)
        if paged is None:
            if counting:
                _finish_facets(counting)     # let the threads finish before the store takes over
            return None
        total, ordered = paged
    hits = [_index_hit(store, row, score, iq, with_question) for row, score in ordered]
    return _answer(hits, total, limit=limit, offset=offset, kept=kept, counting=counting)


def _documents_from_index(store: Store, index: TurnIndex, node: Node | None, *, sort: Sort, limit: int,
                          offset: int, facets: bool, with_question: bool) -> SearchResult | None:
    """One page of documents from the turn index, as the store gives it (None: a query only the store
    knows). A document matches when one of its turns does, its words in the turn's text or the
    document's title; each hit is its best turn (by score, then turn number; without words, its first
    matching turn) with how many of its turns match. Ranked by the best turn's score, or by date."""
    iq = index_query(index, node, documents=True)
    turn_iq = index_query(index, node) if facets else None
    if iq is None or (facets and turn_iq is None):
        return None
    searcher = index.searcher()
    # facets count the matching turns, words in the text only, as the store counts them: a frequent
    # word's are kept, as for a search for turns
    kept = (index.facets_of_word(turn_iq.term[1])
            if turn_iq is not None and turn_iq.term is not None and turn_iq.term[0] == "text" else None)
    counting = _start_facets(searcher, turn_iq) if turn_iq is not None and kept is None else None
    turns = int(searcher.search(iq.query, limit=1, count=True).count)
    page: list[tuple[int, float]]          # (best turn's row id, score) of each document on the page
    if turns <= _LISTED_PER_DOCUMENT * index.remembered(("documents",), lambda: store.count("documents")):
        # few enough matching turns to read them all: the documents, their best turns and counts at once
        listed, counted = _listed_documents(searcher, iq, turns)
        total = len(listed)
        ordered = iter(listed) if iq.ranked and sort == "rank" else _documents_in_date_order(
            store, listed, descending=sort != "date")
        numbers = list(islice(ordered, offset, offset + limit))
        page = [listed[no] for no in numbers]
        rows = _rows(store, [rowid for rowid, _ in page])
        how_many = {listed[no][0]: counted[no] for no in numbers}
    elif iq.doc_query is not None and (paged := _documents_of_words(store, index, iq, sort=sort, limit=limit,
                                                                     offset=offset)) is not None:
        total, counted_page = paged
        page = [(rowid, score) for rowid, score, _ in counted_page]
        rows = _rows(store, [rowid for rowid, _ in page])
        how_many = {rowid: n if n is not None else _matching_turns(searcher, index, iq, rows[rowid]["document_id"])
                    for rowid, _, n in counted_page if rowid in rows}
    else:
        matches = {str(doc): int(n) for doc, n in searcher.terms_with_prefix("doc", "", filter_query=iq.query) if n}
        total = len(matches)
        if iq.ranked and sort == "rank":
            page = _ranked_documents(searcher, iq, offset + limit)[offset:]
        else:
            page = [(rowid, score) for rowid, score, _ in _best_turns(
                searcher, index, iq, _documents_by_date(store, matches, descending=sort != "date", limit=limit,
                                                        offset=offset))]
        rows = _rows(store, [rowid for rowid, _ in page])
        how_many = {rowid: matches.get(rows[rowid]["document_id"], 1) for rowid, _ in page if rowid in rows}
    hits = [replace(_index_hit(store, rows[rowid], -score if iq.ranked else None, iq, with_question),
                    matches=how_many[rowid])
            for rowid, score in page if rowid in rows]
    return _answer(hits, total, limit=limit, offset=offset, kept=kept, counting=counting)


#: a search for documents reads every matching turn when they are at most this many for each document
#: in the corpus; else it counts the documents from the index's document terms. Reading a turn costs
#: about what counting a document term costs (measured: 2.2 and 2.0–2.5 µs), and the terms cost the
#: same whatever the matches
_LISTED_PER_DOCUMENT = 1.0
#: up to this many matching documents are put in date order by one query naming them; more, by reading
#: the documents table in date order
_SORTED_BY_QUERY = 5000
#: a ranked page of documents looks at this many best turns first, or this many for each document wanted
_FIRST_TURNS = 64
_TURNS_A_DOCUMENT = 4


def _listed_documents(searcher: Any, iq: IndexQuery, turns: int) -> tuple[dict[int, tuple[int, float]], Counter[int]]:
    """Every matching turn read once (about 100 bytes a turn): for each document (its number), its best
    turn's (row id, score), by score, then turn number (a document's turns are indexed together, their
    row ids in turn order), the documents in the order first met in the ranking; and its matching turns."""
    found = searcher.search(iq.query, limit=max(1, turns), count=False)
    addresses = [a for _, a in found.hits]
    scores = [float(score) for score, _ in found.hits] if iq.ranked else [0.0] * len(addresses)
    del found
    rowids = searcher.fast_field_values("rowid", addresses) if addresses else []
    doc_nos = searcher.fast_field_values("doc_no", addresses) if addresses else []
    del addresses
    best: dict[int, tuple[int, float]] = {}
    for rowid, score, doc_no in zip(rowids, scores, doc_nos, strict=True):
        held = best.get(doc_no)
        if held is None or (score, -rowid) > (held[1], -held[0]):
            best[doc_no] = (rowid, score)
    return best, Counter(doc_nos)


def _documents_of_words(store: Store, index: TurnIndex, iq: IndexQuery, *, sort: Sort, limit: int,
                        offset: int) -> tuple[int, list[tuple[int, float, int | None]]] | None:
    """(matching documents, one page of their best turns with each document's matching turns where
    already counted) for a search of words only (``iq.doc_query``), the documents found through their
    words (the ``doc_words`` field, on each document's first turn) rather than by reading their
    matching turns; None when the store has to order the page (undated documents in a date order)."""
    searcher = index.searcher()
    holding = IndexQuery(iq.doc_query, False, [], iq.doc_term)
    if iq.ranked and sort == "rank":
        known = _word_count(searcher, holding)
        total = known if known is not None else int(searcher.search(holding.query, limit=1, count=True).count)
        return total, [(rowid, score, None) for rowid, score in _ranked_documents(searcher, iq, offset + limit)[offset:]]
    # the documents' first turns in date order, ties by document id: the store's order of documents
    paged = _by_date(store, index, holding, descending=sort != "date", limit=limit, offset=offset)
    if paged is None:
        return None
    total, firsts = paged
    return total, _best_turns(searcher, index, iq, [str(row["document_id"]) for row, _ in firsts])


def _in_document(index: TurnIndex, iq: IndexQuery, document_id: str) -> Any:
    """The query, within one document's turns."""
    import tantivy

    return tantivy.Query.boolean_query([(tantivy.Occur.Must, iq.query),
                                        (tantivy.Occur.Must, tantivy.Query.term_query(index.schema, "doc", document_id))])


def _matching_turns(searcher: Any, index: TurnIndex, iq: IndexQuery, document_id: str) -> int:
    """How many of a document's turns match."""
    return int(searcher.search(_in_document(index, iq, document_id), limit=1, count=True).count)


def _documents_in_date_order(store: Store, numbers: Mapping[int, Any], *, descending: bool) -> Iterator[int]:
    """These documents (by number) in date order, ties by id, as the store orders them."""
    by_date = "DESC" if descending else "ASC"
    if len(numbers) <= _SORTED_BY_QUERY:
        marks = ",".join("?" * len(numbers))
        yield from (int(r[0]) for r in store.query(
            f"SELECT t.rowid FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.rowid IN ({marks})"
            f" ORDER BY d.day {by_date}, d.id", list(numbers)))
        return
    yield from (r[0] for r in store.iterate(
        "SELECT (SELECT min(t.rowid) FROM turns t WHERE t.document_id = d.id) FROM documents d"
        f" ORDER BY d.day {by_date}, d.id") if r[0] in numbers)


def _ranked_documents(searcher: Any, iq: IndexQuery, want: int) -> list[tuple[int, float]]:
    """The first ``want`` documents by their best turn's score: (best turn's row id, score).
    A document's best turn is its first in the ranking of turns, so the first ``want`` documents met
    in the best turns, taken more at a time until there are enough, are the answer."""
    take = max(_FIRST_TURNS, _TURNS_A_DOCUMENT * want)
    while True:
        found = searcher.search(iq.query, limit=take, count=False)
        addresses = [a for _, a in found.hits]
        rowids = searcher.fast_field_values("rowid", addresses) if addresses else []
        best: dict[int, tuple[int, float]] = {}
        for (score, _), rowid, doc_no in zip(found.hits, rowids, searcher.fast_field_values("doc_no", addresses),
                                             strict=True):
            if doc_no not in best:
                best[doc_no] = (rowid, float(score))
        if len(best) >= want or len(found.hits) < take:
            return list(best.values())[:want]
        take *= 4


def _documents_by_date(store: Store, matches: Mapping[str, int], *, descending: bool, limit: int,
                       offset: int) -> list[str]:
    """The ids of one page of the matching documents in date order (ties by id, as the store orders them)."""
    order = "DESC" if descending else "ASC"
    if len(matches) <= _SORTED_BY_QUERY:
        marks = ",".join("?" * len(matches))
        return [str(r[0]) for r in store.query(
            f"SELECT id FROM documents WHERE id IN ({marks}) ORDER BY day {order}, id LIMIT ? OFFSET ?",
            [*matches, limit, offset])]
    page: list[str] = []
    skip = offset
    for (ident,) in store.iterate(f"SELECT id FROM documents ORDER BY day {order}, id"):
        if ident in matches:
            if skip:
                skip -= 1
                continue
            page.append(ident)
            if len(page) == limit:
                break
    return page


#: a document's matching turns read at most to find its best one
_TURNS_READ = 10_000


def _best_turns(searcher: Any, index: TurnIndex, iq: IndexQuery, docs: list[str]) -> list[tuple[int, float, int | None]]:
    """Each document's best matching turn and how many of its turns match: (row id, score, turns); the
    best by score, then turn number, when words are searched, else its first matching turn."""
    out: list[tuple[int, float, int | None]] = []
    for doc in docs:
        found = searcher.search(_in_document(index, iq, doc), limit=_TURNS_READ, count=False)
        rowids = searcher.fast_field_values("rowid", [a for _, a in found.hits]) if found.hits else []
        # a document's turns are indexed together in turn order, so row ids follow turn numbers
        turns = sorted(((-float(score) if iq.ranked else 0.0, rowid) for (score, _), rowid in zip(found.hits, rowids, strict=True)))
        if turns:
            # all of them were read, unless the limit cut them short (then they are counted when needed)
            out.append((turns[0][1], -turns[0][0], len(turns) if len(turns) < _TURNS_READ else None))
    return out


def dated_turns(store: Store, node: Node | None, *, limit: int, offset: int = 0) -> list[Any] | None:
    """Rows of the matching turns in date order (oldest first, ties by document and turn), one page,
    from the turn index; None when the index cannot answer (behind, or a query only the store knows).
    Each row has the turn's id, document id, index, kind, speaker, text, and the document's date."""
    index = beside(store).in_step()
    if index is None:
        return None

    def answer(index: TurnIndex) -> list[Any] | None:
        iq = index_query(index, node)
        if iq is None:
            return None
        paged = _by_date(store, index, iq, descending=False, limit=limit, offset=offset)
        return None if paged is None else [row for row, _ in paged[1]]

    return _answered(index, partial(answer, index))


def _rows(store: Store, rowids: list[int]) -> dict[int, Any]:
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    sql = f"SELECT {_HIT_COLUMNS} FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.rowid IN ({marks})"
    return {int(r["rid"]): r for r in store.query(sql, rowids)}


#: hits on one day fetched in one go (more are fetched in a second search)
_TIED = 10_000


def _by_date(store: Store, index: TurnIndex, iq: IndexQuery, *, descending: bool, limit: int,
             offset: int) -> tuple[int, list[tuple[Any, float | None]]] | None:
    """A page in date order with the store's tie-break (document id, turn number).

    The index orders by day only. Its first offset + limit hits by day hold every hit of each day
    before the last one reached (the edge); the days that reach into the page are read from the
    store (with every hit on the edge day, from a second search) and ordered in full here."""
    import tantivy

    searcher = index.searcher()
    order = tantivy.Order.Desc if descending else tantivy.Order.Asc
    want = offset + limit
    known = _word_count(searcher, iq)
    res = searcher.search(iq.query, limit=want, count=known is None, order_by_field="day", order=order)
    total = int(res.count) if known is None else known
    if total and _undated_turns(index, searcher):
        dated = tantivy.Query.boolean_query([(tantivy.Occur.Must, iq.query),
                                             (tantivy.Occur.Must, tantivy.Query.exists_query("day"))])
        if searcher.search(dated, limit=1, count=True).count != total:
            return None        # undated turns match: the store knows where they sort
    if not res.hits or offset >= total:
        return total, []
    hits = res.hits                     # (day, address), in day order
    first, edge = hits[offset][0], hits[-1][0]
    # hits on days before the page's first day are skipped; the page's days are read in full
    skipped = next(i for i, (day, _) in enumerate(hits) if day == first)
    addrs = [addr for day, addr in hits[skipped:] if day != edge]
    same_day = tantivy.Query.boolean_query([
        (tantivy.Occur.Must, iq.query),
        (tantivy.Occur.Must, tantivy.Query.term_query(index.schema, "day", edge))])  # the day's postings
    tied = searcher.search(same_day, limit=_TIED, count=True)
    if tied.count > _TIED:
        tied = searcher.search(same_day, limit=int(tied.count), count=False)
    addrs += [addr for _, addr in tied.hits]
    rowids = searcher.fast_field_values("rowid", addrs)
    rows = list(_rows(store, rowids).values())
    rows.sort(key=lambda r: (r["document_id"], r["idx"]))
    rows.sort(key=lambda r: r["day"] or "", reverse=descending)
    return total, [(r, None) for r in rows[offset - skipped:offset - skipped + limit]]


def _word_count(searcher: Any, iq: IndexQuery) -> int | None:
    """How many turns hold the query's one term (a word, or a pair of words), from the term dictionary
    (no pass over the matches), or None. Exact only while the index holds no deleted entries (a
    replaced document's old turns are counted there until segments merge): so only when the
    languages' counts add up to the turns."""
    if iq.term is None:
        return None
    if sum(n for _, n in searcher.terms_with_prefix("lang", "")) != searcher.num_docs:
        return None
    return int(searcher.doc_freq(*iq.term))


def _undated_turns(index: TurnIndex, searcher: Any) -> bool:
    """Whether any turn in the index has no date (then a date order needs the store's help)."""
    import tantivy

    def count() -> int:
        return int(searcher.num_docs) - int(searcher.search(tantivy.Query.exists_query("day"), limit=1,
                                                           count=True).count)

    return index.remembered(("undated turns",), count) > 0


def _index_hit(store: Store, row: Any, score: float | None, iq: IndexQuery, with_question: bool) -> Hit:
    question = None
    if with_question and row["kind"] == "answer" and row["reply_to"] is not None:
        question = question_of(store, row["document_id"], row["reply_to"])
    text = make_snippet(row["text"], iq.highlight if iq.ranked else [], MARK_OPEN, MARK_CLOSE)
    return hit_of(row, snippet=text, score=score if iq.ranked else None, question=question)


_facet_threads: ThreadPoolExecutor | None = None
_facet_threads_lock = threading.Lock()


FacetJobs = dict[str, "Future[Any]"]


def _start_facets(searcher: Any, iq: IndexQuery) -> FacetJobs:
    """Start counting the matching turns five ways, in two threads (each call lets go of Python's lock,
    so they run while the caller finds the page of hits). A word field's counts come from its term
    dictionary, each word's postings met with the query's matches: several times faster than
    aggregating the field's column over a million matches, which for a field of several values a
    turn (countries) is slow. The year, a number, is aggregated. Every value is counted in every
    segment, so the counts are exact."""
    global _facet_threads
    with _facet_threads_lock:
        if _facet_threads is None:
            _facet_threads = ThreadPoolExecutor(2, thread_name_prefix="stenogram-facets")
    jobs: FacetJobs = {name: _facet_threads.submit(searcher.terms_with_prefix, name, "", filter_query=iq.query)
                       for name in TERM_FACETS}
    jobs["year"] = _facet_threads.submit(searcher.aggregate, iq.query, YEAR_AGGREGATION)
    return jobs


def _answer(hits: list[Hit], total: int, *, limit: int, offset: int, kept: dict[str, list[tuple[str, int]]] | None,
            counting: FacetJobs | None) -> SearchResult:
    """A page of hits from the index, with the facets kept for its word or those counted for it."""
    result = SearchResult(query="", total=total, hits=hits, limit=limit, offset=offset, engine="index")
    if kept is not None:
        result.facets = kept
    elif counting:
        result.facets = _finish_facets(counting)
    return result


def _finish_facets(jobs: FacetJobs, *, size: int = 20) -> dict[str, list[tuple[str, int]]]:
    """The counts started by _start_facets, the largest ``size`` of each, ties broken by name like the store."""
    found = {name: [(str(term), int(n)) for term, n in jobs[name].result() if n] for name in TERM_FACETS}
    found["year"] = year_counts(jobs["year"].result())
    return largest(found, size)



def _turns_to_stream(index: TurnIndex, node: Node | None) -> tuple[IndexQuery, list[tuple[int, float]]] | None:
    """Every matching turn ranked by the index, (row id, score) best first; None when the index does
    not rank this query (the store streams it)."""
    iq = index_query(index, node)
    if iq is None or not iq.ranked:
        return None
    searcher = index.searcher()
    total = int(searcher.search(iq.query, limit=1, count=True).count)
    res = searcher.search(iq.query, limit=max(1, total), count=False)
    scores = [-float(score) for score, _ in res.hits]
    rowids = searcher.fast_field_values("rowid", [addr for _, addr in res.hits]) if res.hits else []
    return iq, list(zip((int(r) for r in rowids), scores, strict=True))


def _documents_to_stream(index: TurnIndex, node: Node | None) -> tuple[
        IndexQuery, dict[int, tuple[int, float]], Counter[int]] | None:
    """Every matching document's best turn and matching turns, read once from the index (about 100
    bytes a turn; see ``_listed_documents``); None when only the store knows the query."""
    iq = index_query(index, node, documents=True)
    if iq is None:
        return None
    searcher = index.searcher()
    best, matches = _listed_documents(searcher, iq, int(searcher.search(iq.query, limit=1, count=True).count))
    return iq, best, matches


def _stream_documents(store: Store, iq: IndexQuery, best: dict[int, tuple[int, float]], matches: Counter[int], *,
                      sort: Sort, with_question: bool) -> Iterator[Hit]:
    """Every matching document with its best turn, in the order of ``_documents_from_index``'s pages;
    the hits are made 500 at a time."""
    if iq.ranked and sort == "rank":
        order: Iterator[int] = iter(list(best))
    else:
        order = _documents_in_date_order(store, best, descending=sort != "date")
    while chunk_ids := list(islice(order, 500)):
        rows = _rows(store, [best[doc][0] for doc in chunk_ids])
        for doc in chunk_ids:
            rowid, score = best[doc]
            if rowid in rows:
                yield replace(_index_hit(store, rows[rowid], -score if iq.ranked else None, iq, with_question),
                              matches=matches[doc])


