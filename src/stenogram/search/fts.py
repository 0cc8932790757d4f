"""The SQLite FTS5 path: any query tree answered from the corpus file's own full-text index (compiled
to SQL by ``compile.py``): pages, totals and facets. It answers every query exactly; the turn index
(``turn_index/``) answers the common ones faster."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from stenogram.search.aligned import in_language as in_language_of
from stenogram.search.compile import Compiled
from stenogram.search.hits import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Sort, hit_of
from stenogram.search.snippet import Terms, snippet
from stenogram.store.sqlite import Store


def _from_where(c: Compiled, *, documents_only: bool = False) -> tuple[str, list[Any]]:
    params: list[Any] = []
    if documents_only:
        c = c.for_documents()
    if c.match:
        column = "{text title}" if documents_only else "{text}"
        sql = ("FROM turns_fts JOIN turns t ON t.rowid = turns_fts.rowid JOIN documents d ON d.id = t.document_id "
               "WHERE turns_fts MATCH ? AND ")
        params.append(f"{column} : ({c.match})")
    else:
        sql = "FROM turns t JOIN documents d ON d.id = t.document_id WHERE "
    return sql + c.where_sql(), params + list(c.params)


def _order(sort: Sort, ranked: bool, *, inner: bool = False) -> str:
    """ORDER BY with a unique last key, so pages are stable; ``inner`` names the document query's columns."""
    day, doc, idx, rowid = ("day", "document_id", "idx", "turn_id") if inner else ("d.day", "d.id", "t.idx", "t.rowid")
    if sort == "date":
        return f"{day} ASC, {doc}, {idx}"
    if sort == "-date" or not ranked:
        return f"{day} DESC, {doc}, {idx}"
    return f"score ASC, {rowid}"



def store_search(store: Store, query: str, compiled: Compiled, *, documents: bool, sort: Sort, limit: int,
                 offset: int, facets: bool, with_question: bool, in_language: str | None) -> SearchResult:
    """One page, its total and its facets, from the file's own full-text index (it answers every query)."""
    hits = list(iter_hits(store, compiled, documents=documents, sort=sort, limit=limit, offset=offset,
                          with_question=with_question))
    if in_language:
        hits = in_language_of(store, hits, in_language)
    from_where, params = _from_where(compiled, documents_only=documents)
    if compiled.match and not compiled.where and not documents:
        # words only: the index alone knows how many turns match
        total = int(store.query("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH ?", params[:1])[0][0])
    else:
        count_sql = f"SELECT count(DISTINCT d.id) {from_where}" if documents else f"SELECT count(*) {from_where}"
        total = int(store.query(count_sql, params)[0][0])
    result = SearchResult(query=query, total=total, hits=hits, limit=limit, offset=offset)
    if facets:
        result.facets = facet_counts(store, compiled)
    return result


def iter_hits(store: Store, c: Compiled, *, documents: bool, sort: Sort, limit: int, offset: int,
              with_question: bool) -> Iterator[Hit]:
    from_where, params = _from_where(c, documents_only=documents)
    ranked = c.match is not None
    score = ("bm25(turns_fts, 1.0, 3.0)" if documents else "bm25(turns_fts, 1.0, 0.0)") if ranked else "NULL"
    # the turns' texts are read for the page only (a column of the query would be read for every match
    # before the page is cut), and their snippets made in Python, as the turn index makes them
    columns = (f"t.rowid AS rid, t.id AS turn_id, t.document_id, t.idx, t.kind, t.speaker, t.label, t.affiliation, "
               f"t.reply_to, d.title, d.published, d.source, d.language, {score} AS score")
    terms = c.highlight if ranked else []
    if documents:
        # One row a document: its best turn, and how many of its turns match.
        best = "score, idx" if ranked else "idx"
        sql = (f"SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY document_id ORDER BY {best}) AS rn, "
               f"count(*) OVER (PARTITION BY document_id) AS matches "
               f"FROM (SELECT {columns}, d.day AS day {from_where}) AS x) AS y WHERE rn = 1 "
               f"ORDER BY {_order(sort, ranked, inner=True)}")
    elif ranked and sort == "rank" and not c.where:
        # words only, by relevance: let the index rank and cut the page, then join just those rows
        sql = ("SELECT t.rowid AS rid, t.id AS turn_id, t.document_id, t.idx, t.kind, t.speaker, t.label, "
               "t.affiliation, t.reply_to, d.title, d.published, d.source, d.language, t.text, f.score, "
               "1 AS matches FROM "
               "(SELECT rowid AS rid, rank AS score FROM turns_fts WHERE turns_fts MATCH ? "
               "ORDER BY rank LIMIT ? OFFSET ?) AS f "
               "JOIN turns t ON t.rowid = f.rid JOIN documents d ON d.id = t.document_id ORDER BY f.score, t.rowid")
        for row in store.iterate(sql, [params[0], limit, offset]):
            yield _hit(store, row, row["text"], terms, with_question)
        return
    else:
        sql = f"SELECT {columns}, 1 AS matches {from_where} ORDER BY {_order(sort, ranked)}"
    sql += " LIMIT ? OFFSET ?"
    rows = store.iterate(sql, [*params, limit, offset])
    while batch := list(islice(rows, _TEXTS_AT_ONCE)):
        texts = _texts(store, [row["rid"] for row in batch])
        for row in batch:
            yield _hit(store, row, texts[row["rid"]], terms, with_question)


#: hits whose turns' texts are read in one query
_TEXTS_AT_ONCE = 500


def _texts(store: Store, rowids: list[int]) -> dict[int, str]:
    """The texts of these turns (by row id)."""
    marks = ",".join("?" * len(rowids))
    return {int(r[0]): str(r[1]) for r in store.query(f"SELECT rowid, text FROM turns WHERE rowid IN ({marks})", rowids)}


def _hit(store: Store, row: Any, text: str, terms: Terms, with_question: bool) -> Hit:
    question = None
    if with_question and row["kind"] == "answer" and row["reply_to"] is not None:
        question = question_of(store, row["document_id"], row["reply_to"])
    return hit_of(row, snippet=snippet(text, terms, MARK_OPEN, MARK_CLOSE), score=row["score"],
                  matches=row["matches"], question=question)


def question_of(store: Store, document_id: str, index: int) -> Hit | None:
    rows = store.query(
        "SELECT t.id AS turn_id, t.document_id, t.idx, t.kind, t.speaker, t.label, t.affiliation, t.reply_to, t.text,"
        " d.title, d.published, d.source, d.language FROM turns t JOIN documents d ON d.id = t.document_id"
        " WHERE t.document_id = ? AND t.idx = ?", (document_id, index))
    if not rows:
        return None
    return hit_of(rows[0], snippet=rows[0]["text"], score=None)


_FACETS_FROM_HITS = {
    "speaker": "SELECT speaker AS facet, count(*) AS n FROM facet_hits WHERE speaker IS NOT NULL",
    "source": "SELECT source AS facet, count(*) AS n FROM facet_hits WHERE source IS NOT NULL",
    "year": "SELECT year AS facet, count(*) AS n FROM facet_hits WHERE year IS NOT NULL",
    "kind": "SELECT kind AS facet, count(*) AS n FROM facet_hits WHERE kind IS NOT NULL",
    # the hits drive the join (never the other way round: a mention table scanned per match is hopeless)
    "country": "SELECT fm.entity_id AS facet, count(DISTINCT h.rid) AS n FROM facet_hits h CROSS JOIN mentions fm INDEXED BY mentions_turn "
               "ON fm.turn_id = h.id WHERE fm.type = 'country' AND fm.entity_id IS NOT NULL",
}


def facet_counts(store: Store, c: Compiled, *, size: int = 20) -> dict[str, list[tuple[str, int]]]:
    """Counts of matching turns by speaker, source, year, turn kind and country mentioned.

    The matches are gathered once into a temporary table, then counted five ways."""
    from_where, params = _from_where(c)
    # No transaction around this: a temporary table takes no lock on the corpus, so ingest goes on.
    store.conn.execute("DROP TABLE IF EXISTS temp.facet_hits")
    store.query(
        "CREATE TEMP TABLE facet_hits AS SELECT t.rowid AS rid, t.id AS id, t.speaker AS speaker, t.kind AS kind, "
        f"d.source AS source, substr(d.day, 1, 4) AS year {from_where}", params)
    try:
        out: dict[str, list[tuple[str, int]]] = {}
        for name, sql in _FACETS_FROM_HITS.items():
            rows = store.query(f"{sql} GROUP BY facet ORDER BY n DESC, facet LIMIT ?", [size])
            out[name] = [(str(r["facet"]), int(r["n"])) for r in rows]
    finally:
        store.conn.execute("DROP TABLE IF EXISTS temp.facet_hits")
    return out



