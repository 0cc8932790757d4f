"""A speaker's profile: turns and words over time, the kinds of turn, top words, what they mention,
and who asked them questions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from stenogram.analyze.languages import ordered
from stenogram.analyze.text import ContentCounts, base, from_where
from stenogram.errors import NotFound
from stenogram.store.sqlite import Store


@dataclass(slots=True)
class Profile:
    speaker: str
    names: list[str]
    turns: int
    words: int
    by_year: list[tuple[str, int, int]] = field(default_factory=list)      # year, turns, words
    kinds: list[tuple[str, int]] = field(default_factory=list)
    top_terms: list[tuple[str, int]] = field(default_factory=list)
    countries: list[tuple[str, int]] = field(default_factory=list)
    organizations: list[tuple[str, int]] = field(default_factory=list)
    questioners: list[tuple[str, int]] = field(default_factory=list)     # outlet, or "unnamed", or a name
    #: language → the speaker's turns counted in it (every figure above counts them all)
    languages: dict[str, int] = field(default_factory=dict)


def speaker_profile(store: Store, speaker: str, *, query: str = "", options: Mapping[str, str | None] | None = None,
                    top: int = 15) -> Profile:
    if not speaker.strip():
        raise NotFound("speaker", speaker)
    opts = dict(options or {})
    opts["speaker"] = speaker
    sql, params = from_where(base(store, query, opts))
    # one pass over the speaker's turns: names, totals, years, languages, kinds and words
    names: set[str] = set()
    turns = words = 0
    years: dict[str | None, list[int]] = {}
    languages: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    counts = ContentCounts(min_length=4)            # without each turn's language's function words
    for name, year, language, kind, nwords, text in store.iterate(
            f"SELECT t.speaker, substr(d.day, 1, 4), d.language, t.kind, t.words, t.text {sql}", params):
        if name is not None:            # a turn matched by its label alone has no speaker's name
            names.add(name)
        turns += 1
        words += nwords
        year_row = years.setdefault(year, [0, 0])
        year_row[0] += 1
        year_row[1] += nwords
        languages[language] += 1
        kinds[kind] += 1
        counts.add(text, language)
    if not turns:
        raise NotFound("speaker", speaker)
    listed = sorted(names)
    prof = Profile(speaker=listed[0] if len(listed) == 1 else speaker, names=listed, turns=turns, words=words)
    prof.by_year = [(y or "undated", n, w) for y, (n, w) in sorted(years.items(), key=lambda kv: (kv[0] is not None, kv[0] or ""))]
    prof.languages = ordered(dict(languages))
    prof.kinds = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    terms: Counter[str] = Counter()
    for found in counts.by_language().values():
        terms.update(found)
    prof.top_terms = terms.most_common(top)
    with_mentions = sql.replace(" WHERE ", " JOIN mentions pm INDEXED BY mentions_turn ON pm.turn_id = t.id WHERE ", 1)
    for kind, attr in (("country", "countries"), ("organization", "organizations")):
        rows = store.query(
            f"SELECT pm.entity_id, count(DISTINCT t.rowid) AS n {with_mentions}"
            f" AND pm.type = ? AND pm.entity_id IS NOT NULL GROUP BY pm.entity_id ORDER BY n DESC, pm.entity_id LIMIT ?",
            [*params, kind, top])
        setattr(prof, attr, [(r[0], int(r[1])) for r in rows])
    rows = store.query(
        f"SELECT coalesce(q.affiliation, q.speaker, 'unnamed') AS who, count(*) AS n "
        f"{sql.replace(' WHERE ', ' JOIN turns q ON q.document_id = t.document_id AND q.idx = t.reply_to WHERE ', 1)}"
        f" AND t.kind = 'answer' GROUP BY who ORDER BY n DESC, who LIMIT ?", [*params, top])
    prof.questioners = [(r[0], int(r[1])) for r in rows]
    return prof
