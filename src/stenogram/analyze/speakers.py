"""People who speak in the corpus, one entry a person across languages: their id, their name in each
language they speak in, and how many turns they have in each; for listings (``stenogram speakers``,
``/api/speakers``) and for suggestions as a name is typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from stenogram import limits
from stenogram.limits import bounded
from stenogram.search.people import names_of
from stenogram.store.sqlite import Store


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    #: the display name (English)
    name: str
    turns: int
    #: the person id (the registry's, or ``~key`` for a person the corpus found); None for an unnamed speaker
    id: str | None = None
    #: the display name in each language the person speaks in
    names: dict[str, str] = field(default_factory=dict)
    #: turns in each language
    languages: dict[str, int] = field(default_factory=dict)
    #: every name as printed on their turns
    printed: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "turns": self.turns, "names": self.names,
                "languages": self.languages, "printed": list(self.printed)}


def speakers(store: Store, prefix: str = "", *, limit: int = 20) -> list[SpeakerCount]:
    """People with their turn counts, most turns first; ``prefix`` keeps the people one of whose printed
    names has a first or last word that begins with it, any case (``Lav`` and ``Лав`` find Sergey Lavrov,
    with his turns in every language)."""
    bounded("limit", limit, limits.SPEAKERS)
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    named = ("" if not prefix else
             " AND t.speaker_id IN (SELECT speaker_id FROM turns WHERE speaker_id IS NOT NULL AND"
             " (speaker LIKE ? ESCAPE '\\' OR speaker LIKE '% ' || ? ESCAPE '\\' OR speaker LIKE '%.' || ? ESCAPE '\\'))")
    rows = store.query(
        "SELECT t.speaker_id, d.language, t.speaker, count(*) AS n FROM turns t JOIN documents d ON d.id = t.document_id"
        f" WHERE t.speaker_id IS NOT NULL{named} GROUP BY 1, 2, 3", (like, like, like) if prefix else ())
    people: dict[str, tuple[int, dict[str, int], dict[str, int]]] = {}
    for pid, language, speaker, n in rows:
        total, by_language, printed = people.get(pid, (0, {}, {}))
        by_language[language] = by_language.get(language, 0) + n
        printed[speaker] = printed.get(speaker, 0) + n
        people[pid] = (total + n, by_language, printed)
    top = sorted(people.items(), key=lambda p: (-p[1][0], p[0]))[:limit]
    names = names_of(store, {pid for pid, _ in top})
    return [SpeakerCount(names[pid]["en"], total, pid, names[pid], dict(sorted(by_language.items())),
                         tuple(sorted(printed, key=lambda s: (-printed[s], s))))
            for pid, (total, by_language, printed) in top]
