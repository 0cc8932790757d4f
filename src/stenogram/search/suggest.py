"""Searches a query may have meant. A word that names a country (``Iraq``, ``Irak``, ``Ирак``) finds
only the turns written in its language, while ``country:IQ`` finds every turn that mentions the
country, in every language. A speaker filter that matches nobody (``speaker:Lavrof``) gets the nearest
speakers' names. The CLI prints the suggestion, the web links it, the API returns it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from stenogram.errors import QueryError
from stenogram.gazetteer import country_code, load
from stenogram.search.hits import SearchResult
from stenogram.search.people import names_of, nearest_speakers, speaker_filters
from stenogram.search.query import And, Filter, Node, Phrase, Term
from stenogram.store.sqlite import Store


@dataclass(frozen=True, slots=True)
class Suggestion:
    #: the words as the query has them
    text: str
    field: str
    value: str
    #: the entity's name in English
    name: str
    #: the query that finds it in every language
    query: str
    turns: int
    languages: int
    #: the query's own value matches nothing; this is the nearest thing that does
    instead: bool = False

    def message(self) -> str:
        if self.instead and not self.query:
            return (f"no {self.field} is called {self.text!r}, and no name is near it; `stenogram speakers` "
                    "lists the speakers")
        if self.instead:
            return (f"no {self.field} is called {self.text!r}; nearest: {self.name} ('{self.query}' finds "
                    f"{self.turns:,} turns in {self.languages} language{'s' if self.languages != 1 else ''})")
        named = "" if self.name.casefold() == self.text.casefold() else f" ({self.name})"
        return (f"{self.text} is also a {self.field}{named}: '{self.query}' finds {self.turns:,} turns in "
                f"{self.languages} language{'s' if self.languages != 1 else ''}")

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "field": self.field, "value": self.value, "name": self.name, "query": self.query,
                "turns": self.turns, "languages": self.languages, "instead": self.instead}


def country_name(code: str) -> str:
    """A country's English name (its code when the table does not know it)."""
    names = load("countries.json")["names"].get(code, {}).get("en")
    return str(names[0]) if names else code


def suggestions(store: Store, query: str, languages: Sequence[str],
                options: Mapping[str, str | None] | None = None) -> list[Suggestion]:
    """For each word or phrase the query looks for (not excludes) that names a country the query does not
    already filter on, the country search and what it finds among the corpus's ``languages``; for each
    speaker filter (in the query or ``options``) that finds no turn, the nearest speakers. The counts
    are searches like any other (answered by the turn index), so a suggestion costs a few milliseconds.
    An unparsable query suggests nothing."""
    from stenogram.search.engine import build_query, search

    try:
        node = build_query(query, options)
    except QueryError:   # the search itself reports the query's problem
        return []
    out = _countries(store, node, languages, search)
    for wanted in speaker_filters(node):
        if search(store, "", options={"speaker": wanted.value}, limit=1).total:
            continue
        nearest = nearest_speakers(store, wanted.value, limit=3)
        if not nearest:
            out.append(Suggestion(wanted.value, "speaker", "", "", "", 0, 0, instead=True))
        for name, pid, _ in nearest:
            person = names_of(store, {pid})[pid]["en"] if pid else name
            found = f'speaker:"{pid or name}"'
            turns = search(store, found, limit=1).total
            written_in = sum(1 for lang in languages if search(store, f"{found} lang:{lang}", limit=1).total)
            out.append(Suggestion(wanted.value, "speaker", pid or name, person, found, turns, written_in, instead=True))
    return out


def _countries(store: Store, node: Node | None, languages: Sequence[str],
               search: Callable[..., SearchResult]) -> list[Suggestion]:
    parts: list[Node] = list(node.children) if isinstance(node, And) else ([node] if node is not None else [])
    filtered = {p.value for p in parts if isinstance(p, Filter) and p.field == "country"}
    out: list[Suggestion] = []
    for part in parts:
        text = part.text if isinstance(part, Term) and not part.prefix else part.words if isinstance(part, Phrase) else None
        code = country_code(text) if text else None
        if text is None or code is None or code in filtered or any(s.value == code for s in out):
            continue
        turns = search(store, f"country:{code}", limit=1).total
        if turns:
            written_in = sum(1 for lang in languages if search(store, f"country:{code} lang:{lang}", limit=1).total)
            out.append(Suggestion(text, "country", code, country_name(code), f"country:{code}", turns, written_in))
    return out
