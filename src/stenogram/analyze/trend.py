"""Trends: how often terms occur over time, absolute and normalised, optionally split by speaker,
source or country mentioned.

A word is written in one language (``Iraq``, ``Irak``, ``Ирак``), and the corpus holds the same events
in several, so a word's rate is counted against the words (turns, documents) of the languages it
occurs in, not of every language. An entity search as a term (``country:IQ``, ``person:...``,
``org:...``) finds the entity's mentions in every language, so its rate is counted against all of
them. The result says which, term by term."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from stenogram import limits
from stenogram.analyze.languages import listed, ordered
from stenogram.analyze.text import base, base_node, count_occurrences, from_where, term_query, term_tokens
from stenogram.errors import QueryError
from stenogram.limits import bounded
from stenogram.search.compile import compile_query
from stenogram.search.query import And, Filter, Node, parse_query
from stenogram.store.sqlite import Store

By = Literal["day", "week", "month", "year"]
Per = Literal["10k-words", "documents", "turns"]
Split = Literal["speaker", "source", "country"]
PERIOD_SQL = {"day": "d.day", "week": "strftime('%Y-W%W', d.day)", "month": "substr(d.day, 1, 7)",
              "year": "substr(d.day, 1, 4)"}
#: documents with a date a period can be cut from (a corpus stored before dates were checked may hold
#: others, such as "not-a-date", which have no period and are left out like undated documents)
DATED = "d.day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]*'"
#: the same documents as a filter of the query language, for counts the search engine makes
DATED_FILTER = "date:0001..9999-12-31"
SPLIT_SQL = {"speaker": ("t.speaker", ""), "source": ("d.source", ""),
             "country": ("sm.entity_id", "JOIN mentions sm INDEXED BY mentions_turn ON sm.turn_id = t.id AND sm.type = 'country'")}
MEASURE = {"10k-words": "sum(t.words)", "documents": "count(DISTINCT d.id)", "turns": "count(DISTINCT t.rowid)",
           None: "count(DISTINCT t.rowid)"}
#: the fields whose searches find an entity's mentions in every language
ENTITY_FIELDS = ("country", "person", "org")
_ENTITY_TERM = re.compile(r"\s*(?:country|person|org)\s*:", re.IGNORECASE)

#: (period, group) → language → a count
Cells = dict[tuple[str, str | None], dict[str, int]]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    term: str
    group: str | None
    count: int
    #: the normaliser's size in that period (words, documents or turns of the base set, in the
    #: languages the term is counted in)
    base: int
    #: count per 10,000 words, per document or per turn; None without a normaliser
    rate: float | None


@dataclass(frozen=True, slots=True)
class TermLanguages:
    """The languages a term is counted in."""
    term: str
    #: the languages whose words (turns, documents) the term's rates are counted against
    languages: tuple[str, ...]
    #: dated turns of the base set the term was found in, by language (with a country split, a turn
    #: counts once for each country it mentions)
    turns: dict[str, int]
    #: an entity search (country:, person:, org:), found in every language and counted against all
    entity: bool = False

    @property
    def note(self) -> str:
        """``counted in: en``, or why the term is counted against all languages."""
        if self.entity:
            return "counted against all languages: an entity search"
        if not self.turns:
            return "counted against all languages: not found"
        return f"counted in: {listed(self.languages)}"

    def to_json(self) -> dict[str, object]:
        return {"term": self.term, "languages": list(self.languages), "turns": self.turns, "entity": self.entity,
                "note": self.note}


@dataclass(slots=True)
class Trend:
    terms: list[str]
    by: By
    per: Per | None
    split: Split | None
    periods: list[str] = field(default_factory=list)
    points: list[TrendPoint] = field(default_factory=list)
    #: for each term, in order, the languages it is counted in
    counted: list[TermLanguages] = field(default_factory=list)

    @property
    def languages(self) -> dict[str, int]:
        """Language → turns the terms were found in (every term's together), most first."""
        total: dict[str, int] = defaultdict(int)
        for c in self.counted:
            for lang, n in c.turns.items():
                total[lang] += n
        return ordered(total)

    def series(self) -> dict[tuple[str, str | None], list[TrendPoint]]:
        out: dict[tuple[str, str | None], list[TrendPoint]] = defaultdict(list)
        for p in self.points:
            out[(p.term, p.group)].append(p)
        return dict(out)


def _with_split(sql: str, split: Split | None) -> tuple[str, str]:
    if split is None:
        return sql, "NULL"
    expr, join = SPLIT_SQL[split]
    if join:
        head, _, tail = sql.partition(" WHERE ")
        sql = f"{head} {join} WHERE {tail}"
    return sql, expr


def entity_term(term: str) -> Filter | None:
    """The filter of a term that is an entity search (``country:IQ``, ``person:"Fuad Hussein"``), else None."""
    if not _ENTITY_TERM.match(term):
        return None
    node = parse_query(term)
    if not isinstance(node, Filter) or node.field not in ENTITY_FIELDS:
        raise QueryError(f"{term!r}: a trend term is a word, a \"phrase\", a prefix* or one entity search "
                         "(country:IQ, person:\"Fuad Hussein\", org:UN); give other filters with --query")
    return node


def trend(store: Store, terms: Sequence[str], *, query: str = "", options: Mapping[str, str | None] | None = None,
          by: By = "year", per: Per | None = None, split: Split | None = None, top_groups: int = 8) -> Trend:
    """Occurrences of each term a period (documents without a date are left out), each term's rates
    counted against the languages it occurs in (an entity search: against every language)."""
    if not terms:
        raise QueryError("trend needs at least one term")
    if by not in PERIOD_SQL:
        raise QueryError(f"--by {by!r}: choose day, week, month or year")
    if per is not None and per not in ("10k-words", "documents", "turns"):
        raise QueryError(f"--per {per!r}: choose 10k-words, documents or turns")
    if split is not None and split not in SPLIT_SQL:
        raise QueryError(f"--split {split!r}: choose speaker, source or country")
    bounded("top_groups", top_groups, limits.GROUPS)
    period = PERIOD_SQL[by]
    result = Trend(terms=list(terms), by=by, per=per, split=split)
    entities = [entity_term(t) for t in terms]
    if _counts_answer(terms, query, options, by, split) and not any(entities):
        return _yearly_from_counts(store, result, [term_tokens(t) for t in terms])

    totals = base_totals(store, query, options, by, per, split)
    result.periods = _fill(sorted({p for p, _ in totals}), by)
    every = sorted({lang for cell in totals.values() for lang in cell})

    keep: set[str | None] | None = None
    if split is not None:
        by_group: dict[str | None, int] = defaultdict(int)
        for (_, g), cell in totals.items():
            by_group[g] += sum(cell.values())
        keep = {g for g, _ in sorted(by_group.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top_groups] if g is not None}
    groups = sorted({g for _, g in totals} if keep is None else keep, key=str)

    for term, entity in zip(terms, entities, strict=True):
        if entity is not None:
            counts = turns = _entity_counts(store, entity, query, options, period, split)
        else:
            tokens, prefix = term_tokens(term)
            if not tokens:
                raise QueryError(f"{term!r} has no word to count")
            if len(tokens) == 1:
                counts, turns = _index_counts(store, tokens[0], prefix, query, options, period, split)
            else:
                counts, turns = _phrase_counts(store, term, tokens, prefix, query, options, period, split)
        found: dict[str, int] = defaultdict(int)
        for cell in turns.values():
            for lang, n in cell.items():
                found[lang] += n
        counted = _counted(term, found, every, entity=entity is not None)
        result.counted.append(counted)
        for g in groups:
            for p in result.periods:
                n = sum(counts.get((p, g), {}).values())
                size = sum(totals.get((p, g), {}).get(lang, 0) for lang in counted.languages)
                rate = None
                if per is not None and size:
                    rate = n / size * (10_000 if per == "10k-words" else 1)
                result.points.append(TrendPoint(p, term, g, n, size, rate))
    return result


#: a corpus state (path, id, log number) and a base set's query, options, periods, measure and split → its totals
_BASES: dict[tuple[object, ...], Cells] = {}
_BASES_LOCK = threading.Lock()
#: the base sets' totals kept (a trend page asks for several terms, and again as its terms change)
_BASES_KEPT = 32


def base_totals(store: Store, query: str, options: Mapping[str, str | None] | None, by: By, per: Per | None,
                split: Split | None) -> Cells:
    """The normaliser: the words, documents or turns of the base set (the query and options), a period (and
    group) and language; counted once a corpus state (any write changes its log number, so never stale)."""
    # today's date too: a filter of recent days (edited:30) moves with it
    key = (store.path, store.corpus_id, store.log_seq(), dt.date.today(), query, tuple(sorted((options or {}).items())),
           by, per, split)
    with _BASES_LOCK:
        kept = _BASES.get(key)
    if kept is not None:
        return kept
    totals: Cells = defaultdict(dict)
    unfiltered = base_node(store, query, options) is None
    if unfiltered and by == "year" and split is None:
        # every turn by year: the yearly totals of each language, counted once a corpus state for every trend
        column = {"10k-words": 2, "documents": 0}.get(per or "", 1)
        for (year, lang), figures in language_totals(store).items():
            totals[(year, None)][lang] = figures[column]
        return dict(totals)
    if unfiltered and split in (None, "source"):
        # every turn: summed a document in one pass over the turns as they are stored, then each document's date,
        # language and source looked up once (a join of every turn with its document takes six times as long)
        per_document = {"10k-words": "sum(per.words)", "documents": "count(*)"}.get(per or "", "sum(per.turns)")
        rows = store.iterate(
            "WITH per AS (SELECT t.document_id AS id, count(*) AS turns, sum(t.words) AS words FROM turns t NOT INDEXED "
            f"GROUP BY t.document_id) SELECT {PERIOD_SQL[by]} AS period, {'d.source' if split else 'NULL'} AS grp, "
            f"d.language AS lang, {per_document} AS n FROM per JOIN documents d ON d.id = per.id WHERE {DATED} "
            "GROUP BY period, grp, lang")
    else:
        sql, params = from_where(base(store, query, options))
        sql, group = _with_split(sql, split)
        # a turn is one row unless the split joins its country mentions: then its distinct row ids are counted
        measure = "count(*)" if MEASURE[per] == MEASURE[None] and split != "country" else MEASURE[per]
        rows = store.iterate(f"SELECT {PERIOD_SQL[by]} AS period, {group} AS grp, d.language AS lang, {measure} AS n "
                             f"{sql} AND {DATED} GROUP BY period, grp, lang", params)
    for row in rows:
        totals[(row["period"], row["grp"])][row["lang"]] = int(row["n"] or 0)
    counted = dict(totals)
    with _BASES_LOCK:
        if len(_BASES) >= _BASES_KEPT:
            _BASES.clear()
        _BASES[key] = counted
    return counted


def _counted(term: str, found: Mapping[str, int], every: Sequence[str], *, entity: bool) -> TermLanguages:
    """The languages a term is counted in: those it was found in; every language of the base set for an
    entity search or a term found nowhere (its counts are all 0)."""
    turns = ordered(found)
    languages = tuple(every) if entity or not turns else tuple(sorted(turns))
    return TermLanguages(term, languages, turns, entity)


def _counts_answer(terms: Sequence[str], query: str, options: Mapping[str, str | None] | None, by: By,
                   split: Split | None) -> bool:
    """Whether the store's yearly word counts answer this trend: single words, by year, whole corpus."""
    return (by == "year" and split is None and not query.strip() and not any((options or {}).values())
            and all(len(term_tokens(t)[0]) == 1 for t in terms))


def _yearly_from_counts(store: Store, result: Trend, terms: list[tuple[tuple[str, ...], bool]]) -> Trend:
    """Whole-corpus yearly counts of single words, read from the counts the store keeps up to date
    (a few rows a term instead of a pass over every occurrence). A word's count is its count in every
    language, which is its count in the languages it occurs in; the languages are found by the search
    engine (a count of matching turns a language), the yearly totals of each language are counted from
    the turns once a corpus state (``language_totals``)."""
    from stenogram.search.engine import search

    column = {"10k-words": 2, "documents": 0, "turns": 1, None: 1}[result.per]
    by_language = language_totals(store)
    every = sorted({lang for _, lang in by_language})
    result.periods = _fill(sorted({year for year, _ in by_language}), "year")
    for term, (tokens, prefix) in zip(result.terms, terms, strict=True):
        token = tokens[0]
        if prefix:
            rows = store.query("SELECT year, sum(count) FROM term_years WHERE term >= ? AND term < ? GROUP BY year",
                               (token, token + "\U0010ffff"))
        else:
            rows = store.query("SELECT year, count FROM term_years WHERE term = ?", (token,))
        counts = {str(r[0]): int(r[1]) for r in rows}
        found = {lang: search(store, f"{term_query(term)} lang:{lang} {DATED_FILTER}", limit=1).total for lang in every}
        counted = _counted(term, found, every, entity=False)
        result.counted.append(counted)
        for p in result.periods:
            n = counts.get(p, 0)
            size = sum(by_language.get((p, lang), (0, 0, 0))[column] for lang in counted.languages)
            rate = n / size * (10_000 if result.per == "10k-words" else 1) if result.per is not None and size else None
            result.points.append(TrendPoint(p, term, None, n, size, rate))
    return result


#: a corpus state (path, id, log number) → (year, language) → (documents, turns, words)
_TOTALS: dict[tuple[str, str, int], dict[tuple[str, str], tuple[int, int, int]]] = {}
_TOTALS_LOCK = threading.Lock()


def language_totals(store: Store) -> dict[tuple[str, str], tuple[int, int, int]]:
    """The dated documents, turns and words of each year and language, counted from the turns and
    documents tables once a corpus state (any write changes its log number, so they are never stale).
    The store's yearly totals (``year_totals``) have every language together; these take one pass over
    the turns in the order they are stored (summed a document, then each document's date and language
    looked up), like ``corpus_stats``: 0.2 s at 20,000 documents."""
    key = (store.path, store.corpus_id, store.log_seq())
    with _TOTALS_LOCK:
        found = _TOTALS.get(key)
        if found is None:
            found = {(str(r[0]), str(r[1])): (int(r[2]), int(r[3]), int(r[4] or 0)) for r in store.query(
                "WITH per AS (SELECT t.document_id AS id, count(*) AS turns, sum(t.words) AS words FROM turns t NOT INDEXED "
                "GROUP BY t.document_id) "
                "SELECT substr(d.day, 1, 4) AS year, d.language, count(*), sum(per.turns), sum(per.words) "
                f"FROM per JOIN documents d ON d.id = per.id WHERE {DATED} GROUP BY year, d.language")}
            if len(_TOTALS) > 16:
                _TOTALS.clear()
            _TOTALS[key] = found
    return found


def _index_counts(store: Store, token: str, prefix: bool, query: str, options: Mapping[str, str | None] | None,
                  period: str, split: Split | None) -> tuple[Cells, Cells]:
    """Occurrences of one word, and the turns holding it, a period and language, read from the full-text
    index's own list of instances."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.turns_vocab USING fts5vocab(main, turns_fts, instance)")
    c = base(store, query, options)
    params: list[object] = [token, token + "\U0010ffff"] if prefix else [token]
    term_sql = "v.term >= ? AND v.term < ?" if prefix else "v.term = ?"
    conds = [term_sql, "v.col = 'text'", DATED]
    if c.match:
        conds.append("t.rowid IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)")
        params.append("{text} : (" + c.match + ")")
    conds.append(c.where_sql())
    params.extend(c.params)
    sql = ("FROM temp.turns_vocab v JOIN turns t ON t.rowid = v.doc JOIN documents d ON d.id = t.document_id WHERE "
           + " AND ".join(conds))
    sql, group = _with_split(sql, split)
    counts: Cells = defaultdict(dict)
    turns: Cells = defaultdict(dict)
    for r in store.iterate(f"SELECT {period} AS period, {group} AS grp, d.language AS lang, count(*) AS n, "
                           f"count(DISTINCT v.doc) AS turns {sql} GROUP BY period, grp, lang", params):
        counts[(r["period"], r["grp"])][r["lang"]] = int(r["n"])
        turns[(r["period"], r["grp"])][r["lang"]] = int(r["turns"])
    return counts, turns


def _phrase_counts(store: Store, term: str, tokens: tuple[str, ...], prefix: bool, query: str,
                   options: Mapping[str, str | None] | None, period: str, split: Split | None) -> tuple[Cells, Cells]:
    """Occurrences of a phrase, and the turns holding it, a period and language: the turns that contain it
    are read and the phrase counted in their text."""
    sql, params = from_where(base(store, query, options, term=term))
    sql, group = _with_split(sql, split)
    counts: Cells = defaultdict(lambda: defaultdict(int))
    turns: Cells = defaultdict(lambda: defaultdict(int))
    for row in store.iterate(f"SELECT {period} AS period, {group} AS grp, d.language AS lang, t.text {sql} AND {DATED}",
                             params):
        n = count_occurrences(row["text"], tokens, prefix)
        if n:
            counts[(row["period"], row["grp"])][row["lang"]] += n
            turns[(row["period"], row["grp"])][row["lang"]] += 1
    return counts, turns


def _entity_counts(store: Store, entity: Filter, query: str, options: Mapping[str, str | None] | None, period: str,
                   split: Split | None) -> Cells:
    """Turns of the base set that mention the entity, a period and language (an entity search counts the
    turns it finds, as a search does)."""
    node: Node | None = base_node(store, query, options)
    parts = list(node.children) if isinstance(node, And) else ([node] if node is not None else [])
    sql, params = from_where(compile_query(And((*parts, entity))))
    sql, group = _with_split(sql, split)
    counts: Cells = defaultdict(dict)
    for r in store.iterate(f"SELECT {period} AS period, {group} AS grp, d.language AS lang, count(DISTINCT t.rowid) AS n "
                           f"{sql} AND {DATED} GROUP BY period, grp, lang", params):
        counts[(r["period"], r["grp"])][r["lang"]] = int(r["n"])
    return counts


def _fill(periods: list[str], by: By) -> list[str]:
    """Years and months without documents still get a point, so the time axis is even."""
    if len(periods) < 2 or by not in ("year", "month"):
        return periods
    if by == "year":
        return [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    y, m = map(int, periods[0].split("-"))
    end = tuple(map(int, periods[-1].split("-")))
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def plot(result: Trend, path: str) -> None:
    """A line chart of the trend (PNG or SVG by the file name), with a date axis and a legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5), dpi=110)
    x = list(range(len(result.periods)))
    # each term named with the languages it is counted in
    named = {c.term: f"{c.term} ({'all languages' if c.entity else listed(c.languages)})" for c in result.counted}
    for (term, group), points in result.series().items():
        by_period = {p.period: p for p in points}
        ys = [(by_period[p].rate if result.per else by_period[p].count) if p in by_period else 0 for p in result.periods]
        label = named.get(term, term)
        ax.plot(x, [y or 0 for y in ys], marker="o", label=label if group is None else f"{label} · {group}")
    step = max(1, len(result.periods) // 12)
    ax.set_xticks(x[::step], result.periods[::step], rotation=45 if result.by != "year" else 0, ha="right")
    ax.set_xlabel(result.by)
    ax.set_ylabel({"10k-words": "occurrences per 10,000 words", "documents": "occurrences per document",
                   "turns": "occurrences per turn", None: "occurrences"}[result.per])
    ax.set_title("Trend: " + ", ".join(result.terms))
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
