"""People: the document's own people by name, officials from the registry, people named with a role
(``Deputy Prime Minister Yury Borisov``), and later references (``Mr Hussein``, ``С.В.Лавров``), each
mapped to one full name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from stenogram.enrich.countries import country_matcher
from stenogram.enrich.matcher import PhraseMatcher
from stenogram.enrich.organizations import organization_matcher
from stenogram.model import Document
from stenogram.parse.names import Resolver, looks_like_person, registry


def _word_start(alternatives: Iterable[str]) -> str:
    r"""``\b(?:a|b|...)`` for alternatives that begin with a letter (regex source; a leading class of
    letters such as ``[Mm]`` is written out), shaped so the regex engine can skip ahead to their
    first letters: the word-boundary check comes right after the first letter (no word character
    before it) instead of before it, which would make the engine try every position. Same matches,
    in the same order of preference."""
    out: list[str] = []
    for alt in alternatives:
        if alt.startswith("["):
            close = alt.index("]")
            firsts, rest = alt[1:close], alt[close + 1:]
        else:
            firsts, rest = alt[0], alt[1:]
        out.extend(f"{first}(?<!\\w.){rest}" for first in firsts)
    return "(?:" + "|".join(out) + ")"


_MODIFIERS = ("Deputy ", "Vice ", "First ", "Acting ", "Former ", "Foreign ", "Defen[cs]e ", "Energy ", "Finance ",
              "Interior ", "Economy ", "Trade ", "Presidential ", "Special ", "High ", "State ", "Prime ")
_ROLES = (
    "President", "Prime Minister", "Minister", "Secretary(?:-General| of State)?", "Commissioner", "Spokesperson",
    "Spokesman", "Spokeswoman", "Chancellor", "Ambassador", "Envoy", "Governor", "Mayor", "King", "Emir",
    "Crown Prince", "Prince", "Premier", "Chairman", "Chair", "Director(?:-General)?", "Representative", "Senator",
    "Speaker", "Adviser", "Advisor", "Leader", "General", "Pope", "Sheikh", "Coordinator",
    "Außenminister(?:in)?", "Präsident(?:in)?", "Bundeskanzler(?:in)?", "Ministerpräsident(?:in)?", "Kanzler(?:in)?",
    "[Mm]inistr[oa]", "[Pp]residente", "[Cc]anciller", "[Mm]inistre", "[Pp]résident(?:e)?", "[Pp]remier ministre",
)
# (?:modifier)* role, as: a modifier, more of them and a role; or a role alone (the order a greedy * tries)
_ANY_MODIFIERS = "(?:" + "|".join(_MODIFIERS) + ")*"
_ANY_ROLE = "(?:" + "|".join(_ROLES) + ")"
_ROLE = _word_start([m + _ANY_MODIFIERS + _ANY_ROLE for m in _MODIFIERS] + list(_ROLES))
_NAME_WORD = r"[A-ZÀ-ÞА-ЯЁ][\w’'-]+"
_PARTICLE = r"(?:al|bin|ibn|bint|de|del|da|von|van|der|le|la|Al|El|Abu)"
_ROLE_NAME = re.compile(
    rf"{_ROLE}(?:\s+(?:of|for|de|des|del|du|der)\s+(?:the\s+|la\s+|l’|l')?[^\s,.;:]+(?:\s+[A-Z][\w’'-]*){{0,3}}?){{0,3}},?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}})"
)
_HONORIFICS = ("Mr", "Ms", "Mrs", "Dr", "Mme", "Madame", "Monsieur", "Herr", "Frau", "Señor", "Señora", "Sr", "Sra",
               "господин", "госпожа", "г-н", "г-жа")
_HONORIFIC = re.compile(
    rf"{_word_start(_HONORIFICS)}\.?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,2}})"
)
# Editorial brackets inside a name: "Mr. [António] Guterres", "General [Abdel Fattah] al-Burhan".
_BRACKETED = re.compile(
    rf"{_word_start(('Mr', 'Ms', 'Mrs', 'Dr', 'General', 'President', 'Minister', 'Secretary-General'))}"
    rf"\.?\s+\[(?P<first>[^\]]{{2,40}})\]\s+"
    rf"(?P<last>(?:al-|el-|bin\s)?{_NAME_WORD}|al-[\w’'-]+)"
)
# A reporter naming themselves before an outlet: "Laura Whitcomb, Reuters." / "Paul Abernathy with Al Arabiya."
# At the start of a turn, or after a sentence's end (two patterns: one the engine can skip ahead with).
_INTRODUCTION = rf"(?P<name>{_NAME_WORD}\s+{_NAME_WORD})(?:,\s+|\s+(?:with|from)\s+)(?P<outlet>[A-Z])"
_SELF_INTRODUCED_FIRST = re.compile(_INTRODUCTION)
_SELF_INTRODUCED = re.compile(rf"[.!?]\s+{_INTRODUCTION}")
# initials and a surname, not inside a word or after a dot: "С.В.Лавров", "S. Lavrov"
_INITIALS = re.compile(r"(?P<name>[A-ZА-ЯЁ](?<![\w.].)\.\s?(?:[A-ZА-ЯЁ]\.\s?)?[A-ZА-ЯЁ][\w’-]+)")
# Words that end a role's complement or follow a name: never part of the name.
_NOT_NAME = {
    "Rights", "Affairs", "Relations", "Government", "Administration", "Cabinet", "Ministry", "Office", "Council",
    "Security", "Development", "Cooperation", "Trade", "Economy", "Finance", "Defence", "Defense", "Energy", "Justice",
    "Health", "Education", "Culture", "Children's", "Children’s", "Human", "Foreign", "Interior", "State", "Federation",
    "Republic", "Kingdom", "Union", "Minister", "President", "Secretary", "The", "Mr", "Ms", "Mrs", "Dr",
}


@dataclass(frozen=True, slots=True)
class PersonMatch:
    start: int
    end: int
    text: str
    name: str


@cache
def _registry_matcher() -> PhraseMatcher:
    phrases: dict[str, str] = {}
    for official in registry().officials.values():
        for forms in official.names.values():
            for form in forms:
                phrases.setdefault(form, official.id)
    return PhraseMatcher(phrases)


def document_resolver(doc: Document) -> Resolver:
    day = doc.event.date or (doc.published[:10] if doc.published else None)
    resolver = Resolver(doc.language, day)
    for p in doc.participants:
        resolver.add(p.name, p.role, p.country)
    for t in doc.turns:
        if t.speaker:
            resolver.add(t.speaker)
    return resolver


def _clean(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    words = name.split()
    while words and words[0] in _NOT_NAME:
        words.pop(0)
    while words and (words[-1] in _NOT_NAME or re.sub(r"[’']s$", "", words[-1]) in _NOT_NAME):
        words.pop()
    return " ".join(words)


def find_people(text: str, resolver: Resolver, *, known: PhraseMatcher) -> Iterator[PersonMatch]:
    """Person mentions in one turn, non-overlapping, left to right."""
    found: list[PersonMatch] = []
    for listed in known.find(text):
        found.append(PersonMatch(listed.start, listed.end, listed.text, listed.value))
    for listed in _registry_matcher().find(text):
        official = registry().officials[listed.value]
        found.append(PersonMatch(listed.start, listed.end, listed.text,
                                 resolver.resolve(listed.text) or official.canonical(resolver.language)))
    for rx in (_ROLE_NAME, _HONORIFIC):
        for m in rx.finditer(text):
            raw = m.group("name")
            name = _clean(raw)
            if not name:
                continue
            start = m.start("name") + raw.find(name)
            full = resolver.resolve(name)
            if full is None:
                if not looks_like_person(name) or any(country_matcher().table.get(w) for w in name.split()):
                    continue
                full = name
            found.append(PersonMatch(start, start + len(name), name, full))
    for m in _BRACKETED.finditer(text) if "[" in text else ():
        full = f"{m.group('first')} {m.group('last')}"
        found.append(PersonMatch(m.start("first") - 1, m.end("last"), text[m.start("first") - 1:m.end("last")],
                                 resolver.resolve(full) or full))
    for m in _self_introduced(text):
        if organization_matcher(resolver.language).table.get(_outlet_at(text, m.start("outlet"))):
            name = m.group("name")
            found.append(PersonMatch(m.start("name"), m.end("name"), name, resolver.resolve(name) or name))
    for m in _INITIALS.finditer(text):
        full = resolver.resolve(m.group("name"))
        if full:
            found.append(PersonMatch(m.start(), m.end(), m.group("name"), full))
    found.sort(key=lambda p: (p.start, -(p.end - p.start)))
    last_end = -1
    for p in found:
        if p.start >= last_end:
            yield p
            last_end = p.end


def _self_introduced(text: str) -> Iterator[re.Match[str]]:
    """Self-introductions left to right: one at the very start, then after ends of sentences."""
    first = _SELF_INTRODUCED_FIRST.match(text)
    if first is not None:
        yield first
    yield from _SELF_INTRODUCED.finditer(text, first.end() if first is not None else 0)


def _outlet_at(text: str, pos: int) -> str:
    """The listed organisation that starts at pos, if any (its surface form), else ''."""
    for m in organization_matcher("en").find(text[pos:pos + 80]):
        return m.text if m.start == 0 else ""
    return ""


def known_matcher(resolver: Resolver) -> PhraseMatcher:
    """The document's own people, by their full names."""
    return PhraseMatcher({p.name: p.name for p in resolver.people if len(p.name.split()) >= 2})
