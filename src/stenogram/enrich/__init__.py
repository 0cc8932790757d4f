"""Document → Document with mentions: countries, regions, organisations, people, money, quantities.

Offline and rule-based (gazetteers as data, patterns as code); an optional spaCy pipeline can add its
entities (:mod:`stenogram.enrich.ner`). Each mention's ``turn.text[start:end]`` is its surface form.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from stenogram.enrich.countries import country_matcher, find_countries
from stenogram.enrich.money import find_money, find_quantities
from stenogram.enrich.organizations import find_acronyms, find_listed, find_shaped, organization_matcher
from stenogram.enrich.people import document_resolver, find_people, known_matcher
from stenogram.enrich.regions import find_regions, region_matcher
from stenogram.model import Document, Mention, MentionType

__all__ = ["enrich", "entities"]

Extra = Callable[[Document], list[Mention]]


def enrich(doc: Document, *, extra: Extra | None = None) -> Document:
    """The document with its mentions found (any mentions it had are replaced)."""
    mentions: list[Mention] = []
    resolver = document_resolver(doc)
    known = known_matcher(resolver)
    # a place the gazetteers list is no body, whatever its shape ("the West Bank")
    places = (region_matcher(doc.language).table, country_matcher(doc.language).table)
    shaped = {name: n for name, n in find_shaped(t.text for t in doc.turns).items()
              if not any(name in table for table in places)}
    listed = organization_matcher(doc.language).table
    spelled = {surface: listed.get(name) or listed.get(surface) or name
               for surface, name in find_acronyms(t.text for t in doc.turns).items()}
    for turn in doc.turns:
        found = _TurnMentions(turn.index, turn.text)
        text = turn.text
        for p in find_people(text, resolver, known=known):
            found.add("person", p.start, p.end, p.name)
        people_spans = list(found.taken)
        for m in find_listed(text, doc.language):
            found.add("organization", m.start, m.end, m.value)
        for name in shaped:
            pos = text.find(name)
            while pos >= 0:
                if not found.overlaps(pos):
                    found.add("organization", pos, pos + len(name), name)
                pos = text.find(name, pos + len(name))
        for surface, name in spelled.items():       # an acronym the page spells out, and its expansion
            for at in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", text):
                if not found.overlaps(at.start()):
                    found.add("organization", at.start(), at.end(), name)
        # a country's name inside a body's name is no mention of the country ("Agence France-Presse")
        org_spans = found.taken[len(people_spans):]
        region_spans = []
        for m in find_regions(text, doc.language):
            if not found.overlaps(m.start):
                found.add("region", m.start, m.end, m.value)
                region_spans.append((m.start, m.end))
        for m in find_countries(text, doc.language):
            # a region's own name is never its country's ("Kosovo" in "Kosovo and Metohija")
            if not any(s <= m.start < e for s, e in (*people_spans, *org_spans, *region_spans)):
                found.add("country", m.start, m.end, m.value)
        for a in find_money(text, doc.language):
            found.add("money", a.start, a.end, None, a.value, a.unit)
        for a in find_quantities(text, doc.language, list(found.taken)):
            found.add("quantity", a.start, a.end, None, a.value, a.unit)
        mentions.extend(found.mentions)
    mentions.sort(key=lambda m: (m.turn, m.start, m.end, m.type))
    enriched = dataclasses.replace(doc, mentions=tuple(mentions))
    if extra is None:
        return enriched
    # an extra source (a statistical model) sees the rules' mentions and only adds where they found nothing
    more = sorted(extra(enriched), key=lambda m: (m.turn, m.start, m.end, m.type))
    return dataclasses.replace(enriched, mentions=tuple(sorted((*mentions, *more),
                                                               key=lambda m: (m.turn, m.start, m.end, m.type))))


class _TurnMentions:
    """Mentions found in one turn, and the spans they take."""

    def __init__(self, turn: int, text: str) -> None:
        self.turn, self.text = turn, text
        self.mentions: list[Mention] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, kind: MentionType, start: int, end: int, ident: str | None, value: float | None = None,
            unit: str | None = None) -> None:
        self.mentions.append(Mention(type=kind, text=self.text[start:end], turn=self.turn, start=start, end=end,
                                     id=ident, value=value, unit=unit))
        self.taken.append((start, end))

    def overlaps(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.taken)


def entities(doc: Document) -> dict[str, set[str]]:
    """The document's entities by type: its mentions' ids, plus its named speakers and participants."""
    out: dict[str, set[str]] = {"country": set(), "region": set(), "person": set(), "organization": set(),
                                "money": set()}
    for m in doc.mentions:
        if m.type in ("country", "region", "person", "organization") and m.id:
            out[m.type].add(m.id)
        elif m.type == "money":
            out["money"].add(m.text)
    out["person"].update(p.name for p in doc.participants)
    out["person"].update(t.speaker for t in doc.turns if t.speaker)
    return out
