"""A speaker's profile: turns and words over time, the kinds of turn, top words, what they mention,
and who asked them questions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from stenogram.analyze.languages import ordered
from stenogram.analyze.text import base, content_words, from_where
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
    opts = dict(options or {})
    opts["speaker"] = speaker
    sql, params = from_where(base(store, query, opts))
    names = [r[0] for r in store.query(f"SELECT DISTINCT t.speaker {sql} ORDER BY 1", params)]
    if not names:
        raise NotFound("speaker", speaker)
    total = store.query(f"SELECT count(*), coalesce(sum(t.words), 0) {sql}", params)[0]
    prof = Profile(speaker=names[0] if len(names) == 1 else speaker, names=names, turns=int(total[0]),
                   words=int(total[1]))
    prof.by_year = [(r[0] or "undated", int(r[1]), int(r[2])) for r in store.query(
        f"SELECT substr(d.day, 1, 4) AS y, count(*), sum(t.words) {sql} GROUP BY y ORDER BY y", params)]
    prof.languages = ordered({r[0]: int(r[1]) for r in store.query(
        f"SELECT d.language, count(*) {sql} GROUP BY d.language", params)})
    prof.kinds = [(r[0], int(r[1])) for r in store.query(
        f"SELECT t.kind, count(*) AS n {sql} GROUP BY t.kind ORDER BY n DESC", params)]
    terms: Counter[str] = Counter()
    for row in store.iterate(f"SELECT t.text, d.language {sql}", params):   # without each turn's language's function words
        terms.update(content_words(row["text"], language=row["language"], min_length=4))
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
