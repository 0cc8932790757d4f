"""Countries: names, abbreviations, adjectives and demonyms in five languages → ISO 3166-1 alpha-2.

The surface forms are data (``data/country_aliases.json``); Russian forms are listed as nominatives
and stems and inflected here. The classic false positives are handled by rules next to the matcher:
regions and seas that contain a country's name, first names (``Jordan Peterson``), the US state of
Georgia, and bare ``Korea``/``Congo`` (never listed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from stenogram.enrich.matcher import Match, PhraseMatcher
from stenogram.gazetteer import load

# Phrases that contain a country's name but are not the country: matched first and dropped.
NOT_COUNTRIES = (
    "South China Sea", "East China Sea", "Sea of Japan", "Korean Peninsula", "Gulf of Mexico", "New Mexico",
    "New York", "New Jersey", "New South Wales", "Indian Ocean", "American Samoa", "Latin America", "Latin American",
    "North America", "South America", "Central America", "Central Asia", "Central Asian", "Turkish Stream",
    "Nord Stream", "Power of Siberia", "Middle East", "Near East", "Far East", "Russian Orthodox Church",
    "Russian language", "English Channel", "Dutch disease", "French fries", "Spanish flu", "Georgia State",
    "Turkey Point", "Holy Land", "Western Sahara", "Indian Ocean", "Armenian genocide",
    "Южно-Китайское море", "Южно-Китайском море", "Латинская Америка", "Латинской Америки", "Латинской Америке",
    "Центральная Азия", "Центральной Азии", "Ближний Восток", "Ближнего Востока", "Ближнем Востоке",
)
_FIRST_NAMES = {"Jordan", "Chad", "Georgia", "Kenya", "Jamaica"}
_US_STATE_CONTEXT = re.compile(r"(?:Atlanta|Savannah|state of|U\.?S\.? state of|,)\s*$")

# Russian paradigms: (nominative ending, six case endings: nom, gen, dat, acc, ins, prep)
_RU_NOUN = (
    ("ия", ("ия", "ии", "ии", "ию", "ией", "ии")),
    ("ея", ("ея", "еи", "ее", "ею", "еей", "ее")),
    ("ья", ("ья", "ьи", "ье", "ью", "ьей", "ье")),
    ("а", ("а", "ы", "е", "у", "ой", "е")),
    ("я", ("я", "и", "е", "ю", "ей", "е")),
    ("ь", ("ь", "я", "ю", "ь", "ем", "е")),
    ("й", ("й", "я", "ю", "й", "ем", "е")),
    ("ы", ("ы", "ов", "ам", "ы", "ами", "ах")),
    ("и", ("и", "", "ам", "и", "ами", "ах")),
)
_RU_ADJ = (
    ("ая", ("ая", "ой", "ой", "ую", "ой", "ой")),
    ("яя", ("яя", "ей", "ей", "юю", "ей", "ей")),
    ("ий", ("ий", "ого", "ому", "ий", "им", "ом")),
    ("ый", ("ый", "ого", "ому", "ый", "ым", "ом")),
    ("ое", ("ое", "ого", "ому", "ое", "ым", "ом")),
    ("ые", ("ые", "ых", "ым", "ые", "ыми", "ых")),
    ("ие", ("ие", "их", "им", "ие", "ими", "их")),
)
_RU_ADJ_ENDINGS = ("ий", "ый", "ой", "ого", "ому", "им", "ым", "ом", "ая", "ую", "ое", "ие", "ые", "их", "ых", "ими", "ыми",
                   "ою", "ей")
_RU_DEMONYM_ENDINGS = ("", "ы", "и", "ев", "ов", "ей", "ам", "ами", "ах", "а", "у", "ом", "ем", "е", "ин", "ина", "ину",
                       "ином", "ине", "ка", "ки", "ку", "кой", "ке")
_VOWELS_HARD = "гкхжшчщц"


def _paradigm(word: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...] | None:
    for ending, forms in table:
        if word.endswith(ending):
            stem = word[: len(word) - len(ending)]
            out = tuple(stem + f for f in forms)
            if ending == "а" and stem and stem[-1] in _VOWELS_HARD:
                out = tuple(f.replace(stem + "ы", stem + "и") for f in out)
            return out
    return None


def inflect_ru(name: str) -> set[str]:
    """All six case forms of a Russian country name (``Ирак`` → Ирака, Ираку, ...; ``Российская Федерация``)."""
    forms = {name}
    words = name.split()
    if name.isupper() or not words:
        return forms                                       # США, РФ, КНДР: indeclinable
    last = words[-1]
    if (last[-1] in "оиуеэю" and not last.endswith(("ия", "ы", "и"))) or last[-1].isupper():
        return forms                                       # Того, Перу, Чили
    noun = _paradigm(last, _RU_NOUN)
    if noun is None and last[-1].isalpha():                # consonant: Ирак, Иран, Израиль handled above
        noun = (last, last + "а", last + "у", last, last + "ом", last + "е")
    if noun is None:
        return forms
    if len(words) == 1:
        forms.update(noun)
        return forms
    adjective = _paradigm(words[0].lower(), _RU_ADJ) if len(words) == 2 else None
    if adjective is not None:
        cap = words[0][0].isupper()
        forms.update(f"{(a[0].upper() + a[1:]) if cap else a} {n}" for a, n in zip(adjective, noun, strict=True))
    else:
        # "Республика Ирак", "Соединённые Штаты Америки": inflect the first word, keep the rest.
        head = _paradigm(words[0], _RU_NOUN) or _paradigm(words[0].lower(), _RU_ADJ)
        if head:
            forms.update(" ".join((h if words[0][0].islower() else h[0].upper() + h[1:], *words[1:])) for h in head)
    return forms


@cache
def country_matcher(language: str = "en") -> PhraseMatcher:
    """Country forms for a document's language; English forms count in every language."""
    phrases: dict[str, str] = {}
    data = load("country_aliases.json")["countries"]
    base = load("countries.json")["names"]
    for code, langs in base.items():
        for lang, forms in langs.items():
            for form in forms:
                if lang == "ru" and not form.isupper():
                    for f in inflect_ru(form):
                        phrases.setdefault(f, code)
                else:
                    phrases.setdefault(form, code)
    for code, langs in data.items():
        for lang in dict.fromkeys(("en", language)):
            for form in langs.get(lang, ()):
                phrases.setdefault(form, code)
        if language != "ru":
            continue
        for noun in langs.get("ru_nouns", ()):
            for f in inflect_ru(noun):
                phrases.setdefault(f, code)
        for stem in langs.get("ru_adjective_stems", ()):
            for ending in _RU_ADJ_ENDINGS:
                phrases.setdefault(stem + ending, code)
                phrases.setdefault(stem[:1].upper() + stem[1:] + ending, code)
        for stem in langs.get("ru_demonym_stems", ()):
            for ending in _RU_DEMONYM_ENDINGS:
                if len(stem + ending) > 3:
                    # lower case only: capitalised, "поляков", "чехов" are common surnames
                    phrases.setdefault(stem + ending, code)
    for phrase in NOT_COUNTRIES:
        phrases[phrase] = ""
    for bad in ("Korea", "Korean", "Koreans", "Congo", "EU", "Arab", "Arabs", "European", "Europeans"):
        phrases.pop(bad, None)
    return PhraseMatcher(phrases)


def find_countries(text: str, language: str = "en") -> Iterator[Match]:
    """Country mentions in a turn's text, false positives removed."""
    for m in country_matcher(language).find(text):
        if not m.value:
            continue
        if m.text in _FIRST_NAMES and _looks_like_first_name(text, m):
            continue
        if m.text == "Georgia" and _US_STATE_CONTEXT.search(text[max(0, m.start - 20):m.start]):
            continue
        yield m


def _looks_like_first_name(text: str, m: Match) -> bool:
    if re.search(r"\b(?:of|in|to|from|and|with|for|by|on|visit|visited)\s$", text[max(0, m.start - 10):m.start]):
        return False
    after = text[m.end:m.end + 30]
    follower = re.match(r" ([A-Z][a-z]+)", after)
    if follower and follower.group(1) not in {"The", "And", "In", "On", "For", "With", "To", "As", "But", "Is", "Has", "Was"}:
        return country_matcher().table.get(follower.group(1)) is None
    before = text[max(0, m.start - 6):m.start]
    return bool(re.search(r"\b(?:Mr|Ms|Mrs|Dr)\.? $", before))
