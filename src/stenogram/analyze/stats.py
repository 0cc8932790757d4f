"""A corpus at a glance: counts by source, language, year and kind, top speakers, field completeness."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

from stenogram.analyze.speakers import speakers
from stenogram.search.turn_index.beside import beside
from stenogram.store.sqlite import Store


@dataclass(slots=True)
class Stats:
    documents: int
    turns: int
    mentions: int
    words: int
    by_source: list[tuple[str, int]] = field(default_factory=list)
    by_language: list[tuple[str, int]] = field(default_factory=list)
    by_year: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_turn_kind: list[tuple[str, int]] = field(default_factory=list)
    top_speakers: list[tuple[str, int]] = field(default_factory=list)
    #: share of documents (0..1) that have each field
    completeness: dict[str, float] = field(default_factory=dict)
    #: why the turn index cannot be trusted (searches answer from the corpus file until `stenogram
    #: reindex` or the next ingest rebuilds it), or None
    index_problem: str | None = None


def _pairs(store: Store, sql: str) -> list[tuple[str, int]]:
    return [(str(r[0]), int(r[1])) for r in store.query(sql)]


def corpus_stats(store: Store, *, top: int = 15) -> Stats:
    """The corpus's counts. A file with damaged pages gives a StoreError that says so (and what to do),
    whichever count meets them first."""
    docs = store.count("documents")
    stats = Stats(
        documents=docs,
        turns=store.count("turns"),
        mentions=store.count("mentions"),
        words=int(store.query("SELECT coalesce(sum(words), 0) FROM turns")[0][0]),
        by_source=_pairs(store, "SELECT source, count(*) n FROM documents GROUP BY source ORDER BY n DESC, source"),
        by_language=_pairs(store, "SELECT language, count(*) n FROM documents GROUP BY language ORDER BY n DESC, language"),
        by_year=_pairs(store, "SELECT coalesce(substr(day, 1, 4), 'unknown') y, count(*) FROM documents GROUP BY y ORDER BY y"),
        by_kind=_pairs(store, "SELECT kind, count(*) n FROM documents GROUP BY kind ORDER BY n DESC, kind"),
        by_turn_kind=_pairs(store, "SELECT kind, count(*) n FROM turns GROUP BY kind ORDER BY n DESC, kind"),
        top_speakers=[(s.name, s.turns) for s in speakers(store, limit=int(top))],
    )
    if docs:
        row = store.query(
            "SELECT sum(published IS NOT NULL), sum(event_place IS NOT NULL), sum(event_date IS NOT NULL),"
            " sum(EXISTS (SELECT 1 FROM versions v WHERE v.document_id = documents.id)),"
            " sum(EXISTS (SELECT 1 FROM participants p WHERE p.document_id = documents.id)),"
            " sum(title != '') FROM documents"
        )[0]
        names = ("published date", "event place", "event date", "language versions", "participants", "title")
        stats.completeness = {name: int(row[i] or 0) / docs for i, name in enumerate(names)}
    stats.index_problem = beside(store).problem
    return stats


_CACHE: dict[tuple[str, str, int, int], Stats] = {}
_CACHE_LOCK = threading.Lock()


def cached_stats(store: Store, *, top: int = 15) -> Stats:
    """``corpus_stats``, counted once a corpus state (for servers: not once a request). One thread
    counts; the others wait for its answer instead of counting too. Any write to the corpus changes
    its log number, so a stale summary is never served. The turn index's state is looked at each time
    (a rebuild changes it, not the log number; the look is kept for each state of the index)."""
    key = (store.path, store.corpus_id, store.log_seq(), top)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is None:
            found = corpus_stats(store, top=top)
            if len(_CACHE) > 16:
                _CACHE.clear()
            _CACHE[key] = found
    problem = beside(store).problem
    return found if problem == found.index_problem else replace(found, index_problem=problem)
