"""Regions that are no country of their own: Crimea, Donbass, Hong Kong, Gaza, Transnistria ... → ``region:<id>``.

The forms are data (``data/regions.json``): English, German, Spanish and French as written, Russian
nouns inflected like country names. A region is found before countries, and a country form inside a
region's span (``Kosovo`` in ``Kosovo and Metohija``) is not counted, so a mention of a region never
counts as the country it belongs to or is claimed by.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from stenogram.enrich.countries import inflect_ru
from stenogram.enrich.matcher import Match, PhraseMatcher
from stenogram.gazetteer import load

#: the prefix of a region's entity id (``region:crimea``)
PREFIX = "region:"


@cache
def region_matcher(language: str = "en") -> PhraseMatcher:
    """Region forms for a document's language; English forms count in every language."""
    phrases: dict[str, str] = {}
    for key, forms in load("regions.json")["regions"].items():
        ident = PREFIX + key
        for lang in dict.fromkeys(("en", language)):
            for form in forms.get(lang, ()):
                phrases.setdefault(form, ident)
        if language == "ru":
            for noun in forms.get("ru_nouns", ()):
                for f in inflect_ru(noun):
                    phrases.setdefault(f, ident)
    return PhraseMatcher(phrases)


def find_regions(text: str, language: str = "en") -> Iterator[Match]:
    """Region mentions in a turn's text."""
    yield from region_matcher(language).find(text)
