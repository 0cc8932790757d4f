"""People's names: splitting a role from a name, and mapping every printed form to one canonical name.

A document's own evidence comes first (participants from the title, bylines, earlier labels); the
registry of officials shipped in ``stenogram/data/officials.json`` fills the gaps (``С.В.Лавров`` in a
page that never spells the first name, ``MR PRICE`` with no byline).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from stenogram.gazetteer import load
from stenogram.parse import patterns as P

_INITIALS = re.compile(r"^((?:[A-ZА-ЯЁ]\.\s?){1,3})\s*([A-ZА-ЯЁ][\w’'\-]+)$")


@lru_cache(maxsize=16384)
def fold(name: str) -> str:
    """A comparison key: accents, case, dots and spaces removed (``С.В. Лавров`` → ``свлавров``)."""
    decomposed = unicodedata.normalize("NFKD", name)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s.\-’'`]", "", base).casefold()


def _surname_keys(surname: str) -> set[str]:
    """A surname and its likely Russian case forms (``Лаврова`` → ``лавров``)."""
    key = fold(surname)
    keys = {key}
    for ending in ("а", "у", "ым", "ом", "ой", "ою", "е", "ее", "ой"):
        if key.endswith(ending) and len(key) > len(ending) + 2:
            keys.add(key[: -len(ending)])
    return keys


@dataclass(frozen=True, slots=True)
class Official:
    id: str
    names: dict[str, tuple[str, ...]]
    offices: tuple[dict[str, Any], ...]
    surname_first: bool = False

    def canonical(self, language: str) -> str:
        forms = self.names.get(language) or self.names.get("en") or next(iter(self.names.values()))
        return forms[0]

    def office_on(self, day: str | None) -> dict[str, Any] | None:
        """The office held on an ISO date (the latest one when the date is unknown)."""
        if not self.offices:
            return None
        if day is None:
            return self.offices[-1]
        for office in self.offices:
            if office["start"] <= day and (office["end"] is None or day <= office["end"]):
                return office
        return None


@dataclass(slots=True)
class _Index:
    full: dict[str, set[str]] = field(default_factory=dict)      # folded full form → ids
    initials: dict[str, set[str]] = field(default_factory=dict)  # folded "svlavrov" / "slavrov" → ids
    surname: dict[str, set[str]] = field(default_factory=dict)   # folded surname (+ case forms) → ids


def _add(index: dict[str, set[str]], key: str, ident: str) -> None:
    index.setdefault(key, set()).add(ident)


def _name_keys(full: str, surname_first: bool = False) -> tuple[list[str], list[str], list[str]]:
    """Folded keys under which a full name is found: itself, initials + surname, surname."""
    parts = full.split()
    if len(parts) < 2:
        return [fold(full)], [], [*_surname_keys(full)]
    if surname_first:
        surname, given = parts[0], parts[1:]
    else:
        surname, given = parts[-1], parts[:-1]
    initials = "".join(g[0] for g in given if g[0].isalpha())
    return (
        [fold(full)],
        [fold(initials + surname), fold(initials[:1] + surname)],
        sorted(_surname_keys(surname)),
    )


class Registry:
    """The shipped officials, indexed by every name form."""

    def __init__(self, officials: list[Official]) -> None:
        self.officials = {o.id: o for o in officials}
        self._index = _Index()
        for o in officials:
            for forms in o.names.values():
                for form in forms:
                    full, initials, surnames = _name_keys(form, o.surname_first)
                    for k in full:
                        _add(self._index.full, k, o.id)
                    for k in initials:
                        _add(self._index.initials, k, o.id)
                    for k in surnames:
                        _add(self._index.surname, k, o.id)

    def find(self, printed: str) -> Official | None:
        """The one official a printed name form (full, with initials, or a surname) points to."""
        key = fold(printed)
        for table in (self._index.full, self._index.initials):
            ids = table.get(key)
            if ids and len(ids) == 1:
                return self.officials[next(iter(ids))]
        if _INITIALS.match(printed):
            # Russian case forms of a surname after initials: "С.В.Лаврова".
            for variant in _surname_keys(printed):
                ids = self._index.initials.get(variant)
                if ids and len(ids) == 1:
                    return self.officials[next(iter(ids))]
        ids = set()
        for k in _surname_keys(printed.split()[-1] if printed.split() else printed):
            ids |= self._index.surname.get(k, set())
        if len(printed.split()) == 1 and len(ids) == 1:
            return self.officials[next(iter(ids))]
        return None


@cache
def registry() -> Registry:
    raw = load("officials.json")
    return Registry([
        Official(
            id=p["id"],
            names={lang: tuple(forms) for lang, forms in p["names"].items()},
            offices=tuple(p.get("offices") or ()),
            surname_first=bool(p.get("surname_first")),
        )
        for p in raw["people"]
    ])


def _is_cap(token: str) -> bool:
    return bool(token) and (token[0].isupper() or (token[0] in "«“\"(" and len(token) > 1 and token[1].isupper()))


_INNER_PARTICLES = frozenset({"al", "al-", "bin", "ibn", "bint", "el", "von", "van", "de", "da", "del", "der"})


def split_role_name(text: str) -> tuple[str | None, str]:
    """``President of Russia Vladimir Putin`` → (``President of Russia``, ``Vladimir Putin``).

    The name is the run of capitalised tokens at the end that are neither role words nor the object of
    ``of``/``for`` (so ``of Turkey`` stays in the role).
    """
    tokens = text.split()
    if not tokens:
        return None, text
    i = len(tokens)
    capitals = 0
    while i > 0:
        tok = tokens[i - 1]
        low = tok.lower().strip(",")
        if low in _INNER_PARTICLES and i >= 2 and capitals and _is_cap(tokens[i - 2]) \
                and tokens[i - 2].lower() not in P.ROLE_WORDS:
            i -= 1
            continue
        if not _is_cap(tok) or low in P.ROLE_WORDS or low in P.NAME_PARTICLES:
            break
        if capitals >= 2 and low in P.ROLE_OBJECT_WORDS:
            break   # "... for Strategic Communications John Kirby": the role's object, not a name
        if i >= 2 and tokens[i - 2].lower() in {"of", "for", "the"}:
            break
        i -= 1
        capitals += 1
        if capitals >= 4:
            break
    name_tokens = tokens[i:]
    if not name_tokens:
        return text, ""
    role = " ".join(tokens[:i]).strip(" ,–—-") or None
    return role, " ".join(name_tokens)


def _surname_of(name: str) -> str:
    """The family name: the one word printed in capitals (``KAMIKAWA Yoko``, ``Emmanuel MACRON``), else the last."""
    tokens = name.split()
    caps = [t for t in tokens if len(t) > 1 and t.isalpha() and t.isupper()]
    return caps[0] if len(caps) == 1 and len(tokens) > 1 else tokens[-1]


def looks_like_person(name: str) -> bool:
    """Two to four capitalised words, or initials and a surname."""
    if _INITIALS.match(name):
        return True
    tokens = name.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if tokens[0].casefold() in P.POSSESSIVES or _DOCUMENT_WORD.search(name):
        # "Our Standards", "My Comment", "Joint Press Conference Transcript", "Event Transcript": no person
        return False
    return all(_is_cap(t) or t.lower() in P.NAME_PARTICLES for t in tokens) and _is_cap(tokens[-1])


# A word naming a kind of document never stands in a person's name.
_DOCUMENT_WORD = re.compile(
    "|".join(rx.pattern for _, rx in P.KIND_REGEXES if rx.pattern) + r"|(?<!\w)(?:transcript|E&OE|press|daily|weekly|regular|joint)(?!\w)",
    re.IGNORECASE)


@dataclass(slots=True)
class Person:
    name: str
    role: str | None = None
    country: str | None = None


class Resolver:
    """Maps the name forms printed in one document to canonical names, in the document's language."""

    def __init__(self, language: str, day: str | None) -> None:
        self.language = language
        self.day = day
        self.people: list[Person] = []
        self._cache: dict[tuple[str, int], str | None] = {}

    def add(self, name: str, role: str | None = None, country: str | None = None) -> Person:
        """Record a person the document names in full; returns the known record if already there."""
        canonical = self.resolve(name) or name
        for p in self.people:
            if p.name == canonical:
                p.role = p.role or role
                p.country = p.country or country
                return p
        person = Person(canonical, role, country)
        self.people.append(person)
        return person

    def resolve(self, printed: str) -> str | None:
        """The canonical name for a printed form, or None when nothing identifies it."""
        key = (printed, len(self.people))
        if key not in self._cache:
            self._cache[key] = self._resolve(printed)
        return self._cache[key]

    def _resolve(self, printed: str) -> str | None:
        printed = re.sub(r"\s+", " ", printed).strip(" ,")
        if not printed:
            return None
        key = fold(printed)
        hon = printed.split()[0].lower().rstrip(".")
        if hon in P.HONORIFICS and len(printed.split()) > 1:
            printed = " ".join(printed.split()[1:])
            key = fold(printed)
        for p in self.people:
            if fold(p.name) == key:
                return p.name
        # Initials or a surname alone: this document's own people first (a "Ms. Brown" whose document
        # names Denise Brown is her, whoever of that name the registry knows).
        m = _INITIALS.match(printed)
        tokens = printed.split()
        short = bool(m) or len(tokens) == 1
        if short:
            found = self._by_surname(m.group(2) if m else tokens[0], m.group(1)[0] if m else None)
            if found is not None:
                return found
        official = registry().find(printed)
        if official is not None and short and not m and self.day is not None and official.offices \
                and official.office_on(self.day) is None:
            # a surname alone on a dated page is not an official out of office then ("Fischer (AA)" in 2024 is
            # the ministry's spokesman, not the foreign minister of 1998-2005)
            official = None
        if official is not None:
            full = official.canonical(self.language)
            for p in self.people:
                if fold(p.name) == fold(full) or any(fold(p.name) == fold(f) for fs in official.names.values() for f in fs):
                    return p.name
            # A label with a middle initial (Sergey V. Lavrov) or initials keeps the full form.
            return full
        if short:
            return None
        # A middle initial: "Sergey V. Lavrov" → "Sergey Lavrov".
        no_middle = [t for t in tokens if not re.fullmatch(r"[A-ZА-ЯЁ]\.", t)]
        if len(no_middle) != len(tokens):
            for p in self.people:
                if fold(p.name) == fold(" ".join(no_middle)):
                    return p.name
            return " ".join(no_middle)
        # A surname of two words ("Ministro Gomes Cravinho"): the one person of this document it ends.
        hits = [p.name for p in self.people
                if len(p.name.split()) > len(tokens) and fold(" ".join(p.name.split()[-len(tokens):])) == key]
        return hits[0] if len(hits) == 1 else None

    def _by_surname(self, surname: str, initial: str | None) -> str | None:
        """The one person of this document with this surname (and first initial, when given)."""
        keys = _surname_keys(surname)
        hits = [p for p in self.people
                if fold(_surname_of(p.name)) in keys and (initial is None or fold(p.name)[0] == fold(initial))]
        return hits[0].name if len(hits) == 1 else None

    def office(self, name: str) -> tuple[str | None, str | None]:
        """Role and country of a registered official on the document's date."""
        official = registry().find(name)
        if official is None:
            return None, None
        office = official.office_on(self.day)
        if office is None:
            return None, None
        return office.get("role"), office.get("country")
