"""Trends: how often terms occur over time, absolute and normalised, optionally split by speaker,
source or country mentioned."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from stenogram import limits
from stenogram.analyze.text import base, count_occurrences, from_where, term_tokens
from stenogram.errors import QueryError
from stenogram.limits import bounded
from stenogram.store.sqlite import Store

By = Literal["day", "week", "month", "year"]
Per = Literal["10k-words", "documents", "turns"]
Split = Literal["speaker", "source", "country"]
PERIOD_SQL = {"day": "d.day", "week": "strftime('%Y-W%W', d.day)", "month": "substr(d.day, 1, 7)",
              "year": "substr(d.day, 1, 4)"}
#: documents with a date a period can be cut from (a corpus stored before dates were checked may hold
#: others, such as "not-a-date", which have no period and are left out like undated documents)
DATED = "d.day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]*'"
SPLIT_SQL = {"speaker": ("t.speaker", ""), "source": ("d.source", ""),
             "country": ("sm.entity_id", "JOIN mentions sm INDEXED BY mentions_turn ON sm.turn_id = t.id AND sm.type = 'country'")}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    term: str
    group: str | None
    count: int
    #: the normaliser's size in that period (words, documents or turns of the base set)
    base: int
    #: count per 10,000 words, per document or per turn; None without a normaliser
    rate: float | None


@dataclass(slots=True)
class Trend:
    terms: list[str]
    by: By
    per: Per | None
    split: Split | None
    periods: list[str] = field(default_factory=list)
    points: list[TrendPoint] = field(default_factory=list)

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


def trend(store: Store, terms: Sequence[str], *, query: str = "", options: Mapping[str, str | None] | None = None,
          by: By = "year", per: Per | None = None, split: Split | None = None, top_groups: int = 8) -> Trend:
    """Occurrences of each term a period (documents without a date are left out)."""
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
    if _counts_answer(terms, query, options, by, split):
        return _yearly_from_counts(store, result, [term_tokens(t) for t in terms])

    # The normaliser: words, documents or turns of the base set, a period (and group).
    sql, params = from_where(base(query, options))
    sql, group = _with_split(sql, split)
    measure = {"10k-words": "sum(t.words)", "documents": "count(DISTINCT d.id)", "turns": "count(DISTINCT t.rowid)",
               None: "count(DISTINCT t.rowid)"}[per]
    totals: dict[tuple[str, str | None], int] = {}
    for row in store.iterate(f"SELECT {period} AS period, {group} AS grp, {measure} AS n {sql} AND {DATED} "
                             f"GROUP BY period, grp", params):
        totals[(row["period"], row["grp"])] = int(row["n"] or 0)
    result.periods = _fill(sorted({p for p, _ in totals}), by)

    keep: set[str | None] | None = None
    if split is not None:
        by_group: dict[str | None, int] = defaultdict(int)
        for (_, g), n in totals.items():
            by_group[g] += n
        keep = {g for g, _ in sorted(by_group.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top_groups] if g is not None}

    for term in terms:
        tokens, prefix = term_tokens(term)
        if not tokens:
            raise QueryError(f"{term!r} has no word to count")
        counts: dict[tuple[str, str | None], int] = defaultdict(int)
        if len(tokens) == 1:
            counts.update(_index_counts(store, tokens[0], prefix, query, options, period, split))
        else:
            # a phrase: read the turns that contain it and count in their text
            sql, params = from_where(base(query, options, term=term))
            sql, group = _with_split(sql, split)
            for row in store.iterate(f"SELECT {period} AS period, {group} AS grp, t.text {sql} AND {DATED}",
                                     params):
                counts[(row["period"], row["grp"])] += count_occurrences(row["text"], tokens, prefix)
        groups = sorted({g for _, g in totals} if keep is None else keep, key=str)
        for g in groups:
            for p in result.periods:
                n = counts.get((p, g), 0)
                size = totals.get((p, g), 0)
                rate = None
                if per is not None and size:
                    rate = n / size * (10_000 if per == "10k-words" else 1)
                result.points.append(TrendPoint(p, term, g, n, size, rate))
    return result


def _counts_answer(terms: Sequence[str], query: str, options: Mapping[str, str | None] | None, by: By,
                   split: Split | None) -> bool:
    """Whether the store's yearly word counts answer this trend: single words, by year, whole corpus."""
    return (by == "year" and split is None and not query.strip() and not any((options or {}).values())
            and all(len(term_tokens(t)[0]) == 1 for t in terms))


def _yearly_from_counts(store: Store, result: Trend, terms: list[tuple[tuple[str, ...], bool]]) -> Trend:
    """Whole-corpus yearly counts of single words, read from the counts the store keeps up to date
    (a few rows a term instead of a pass over every occurrence)."""
    column = {"10k-words": "words", "documents": "documents", "turns": "turns", None: "turns"}[result.per]
    totals = {str(r[0]): int(r[1]) for r in store.query(f"SELECT year, {column} FROM year_totals WHERE documents > 0")}
    result.periods = _fill(sorted(totals), "year")
    for term, (tokens, prefix) in zip(result.terms, terms, strict=True):
        token = tokens[0]
        if prefix:
            rows = store.query("SELECT year, sum(count) FROM term_years WHERE term >= ? AND term < ? GROUP BY year",
                               (token, token + "\U0010ffff"))
        else:
            rows = store.query("SELECT year, count FROM term_years WHERE term = ?", (token,))
        counts = {str(r[0]): int(r[1]) for r in rows}
        for p in result.periods:
            n, size = counts.get(p, 0), totals.get(p, 0)
            rate = n / size * (10_000 if result.per == "10k-words" else 1) if result.per is not None and size else None
            result.points.append(TrendPoint(p, term, None, n, size, rate))
    return result


def _index_counts(store: Store, token: str, prefix: bool, query: str, options: Mapping[str, str | None] | None,
                  period: str, split: Split | None) -> dict[tuple[str, str | None], int]:
    """Occurrences of one word a period, read from the full-text index's own list of instances."""
    store.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.turns_vocab USING fts5vocab(main, turns_fts, instance)")
    c = base(query, options)
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
    return {(r["period"], r["grp"]): int(r["n"]) for r in store.iterate(
        f"SELECT {period} AS period, {group} AS grp, count(*) AS n {sql} GROUP BY period, grp", params)}


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
    for (term, group), points in result.series().items():
        by_period = {p.period: p for p in points}
        ys = [(by_period[p].rate if result.per else by_period[p].count) if p in by_period else 0 for p in result.periods]
        ax.plot(x, [y or 0 for y in ys], marker="o", label=term if group is None else f"{term} · {group}")
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
