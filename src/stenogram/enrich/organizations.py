"""Organisations: a gazetteer of international bodies, companies and media (``data/organizations.json``)
mapped to one canonical English name, plus named bodies recognised by their shape
(``Baghdad Information Centre``) when the evidence is good, and acronyms a page spells out
(``the Collective Security Treaty Organisation (CSTO)``, then ``CSTO`` alone)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache

from stenogram.enrich.matcher import Match, PhraseMatcher
from stenogram.gazetteer import load

_HEADS = (
    "Centre|Center|Commission|Committee|Council|Agency|Academy|Institute|Foundation|Fund|Facility|Bank|Corporation|Company|"
    "Organisation|Organization|Forum|Association|University|Service|Authority|Office|Directorate|Bureau|Court|Tribunal|"
    "Group|Alliance|Coalition|Union|Party|Federation|League|Movement|Initiative Group|Club"
)
# Two to six capitalised words (with small joining words inside) ending in a head noun, not inside a
# word: written plainly, ``(?<![\w-])((?:WORD){1,5}(?:HEAD))(?![\w-])``. The check of the character
# before comes right after the first capital letter instead, so the regex engine can skip ahead to
# capitals instead of trying every position (same matches; 166 → 75 µs a document).
_WORD_AND_JOINER = r"[\w’'-]*\s+(?:(?:of|for|and|on|the)\s+)?"
_SHAPE = re.compile(
    r"([A-Z](?<![\w-].)" + _WORD_AND_JOINER + r"(?:[A-Z]" + _WORD_AND_JOINER + r"){0,4}(?:" + _HEADS + r"))(?![\w-])"
)
_BAD_FIRST = {"The", "This", "That", "Our", "Their", "His", "Her", "Its", "A", "An", "Both", "Any", "Every", "Security",
              "General", "Foreign", "Russian", "American", "Intergovernmental", "International", "National", "Federal",
              "State", "European", "Joint", "Presidential", "Diplomatic", "Special", "Supreme", "Central", "Interim"}


@cache
def organization_matcher(language: str) -> PhraseMatcher:
    """The gazetteer for a document's language; English forms count in every language."""
    phrases: dict[str, str] = {}
    for org in load("organizations.json")["organizations"]:
        for lang in dict.fromkeys(("en", language)):
            for form in org["aliases"].get(lang, ()):
                phrases.setdefault(form, org["name"])
        phrases.setdefault(org["name"], org["name"])
    return PhraseMatcher(phrases)


@cache
def _cities() -> frozenset[str]:
    return frozenset(load("cities.json")["cities"])


def find_listed(text: str, language: str) -> Iterator[Match]:
    yield from organization_matcher(language).find(text)


#: the head nouns a body named once, after a definite article, may end in (a narrower list than ``_HEADS``:
#: ``the Cold War Group`` or ``the Red Square Club`` are too often not names of bodies)
_NAMED_HEADS = frozenset(
    "Council Commission Committee Agency Bureau Fund Bank Organisation Organization Facility Office Secretariat "
    "Group".split()
)
#: a definite article just before a name, in running text (``... in the India-Nepal Joint Commission``)
_ARTICLE_BEFORE = re.compile(r"(?<![\w-])the\s+$")
#: a name that goes on after its head noun (``... Commission on Trade, Economic ... Cooperation``): the shape
#: caught only its beginning
_NAME_GOES_ON = re.compile(
    r"\s+(?:of|on|for)\s+(?:the\s+)?(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March"
    r"|April|May|June|July|August|September|October|November|December)\b)[A-Z]"
)
#: words a named body never begins with (a name after ``the`` that starts with one is a description:
#: ``the next Council``, ``the same Commission``)
_NOT_A_NAME = {"Next", "Same", "Last", "First", "New", "Whole", "Entire", "Former", "Current", "Relevant", "Competent",
               "Respective", "Said", "Above", "Following", "Other", "Each", "Such", "One", "Two", "Three"}


def find_shaped(texts: Iterable[str]) -> dict[str, int]:
    """Named bodies by shape across a document's turns, kept when the evidence is good: the name comes
    back at least twice, it begins with a city (``Baghdad Information Centre``), or it stands once after a
    definite article and ends in the head noun of a body (``the North Atlantic Council``, ``the India-Nepal
    Joint Commission``, ``the European Peace Facility``). A single capitalised word after the article
    (``The Council said``) or a capitalised phrase opening a sentence with no article is no name."""
    counts: Counter[str] = Counter()
    named: set[str] = set()
    for text in texts:
        for m in _SHAPE.finditer(text):
            name = m.group(1)
            words = name.split()
            after_article = words[0] == "The" or bool(_ARTICLE_BEFORE.search(text, max(0, m.start() - 8), m.start()))
            if words[0] == "The":
                words.pop(0)
            # a capitalised word and the article before the name ("Ask the India-Nepal Joint Commission")
            body = words[len(words) - words[::-1].index("the"):] if "the" in words else words
            after_article = after_article or body is not words
            if (after_article and len(body) >= 2 and body[-1] in _NAMED_HEADS and body[0] not in _NOT_A_NAME
                    and not _NAME_GOES_ON.match(text, m.end())):
                named.add(" ".join(body))      # kept whole: "the European Peace Facility" is not "Peace Facility"
            while words and words[0] in _BAD_FIRST:
                words.pop(0)
            if len(words) < 2:
                continue
            counts[" ".join(words)] += 1
    kept = {name: n for name, n in counts.items() if n >= 2 or name.split()[0] in _cities()}
    for name in named:
        if any(name in other for other in kept):
            continue
        for other in [other for other in kept if other in name]:    # "Peace Facility" inside the whole name
            kept[name] = kept.pop(other)
        kept.setdefault(name, 1)
    # the longest first, so a name is found before a shorter one inside it
    return dict(sorted(kept.items(), key=lambda item: -len(item[0])))


# --- acronyms a page spells out -------------------------------------------------------------------------
_ACRONYM = re.compile(r"\((?P<acronym>[A-ZА-ЯЁ][A-ZА-ЯЁ&]{1,9})\)")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
#: small words an acronym skips (``Organisation of the Islamic Cooperation``: OIC)
_JOINERS = frozenset("""
of the for and on in to at a an de des du la le les et l d für der die das des und von zur zum del y el los las
en о об и по для в на
""".split())
#: the head nouns that make a spelled-out name a body (not a role, such as ``Official Spokesperson``)
_BODY_HEADS = frozenset("""
organisation organization organisations organizations council committee commission agency agencies fund bank
facility ministry mechanism union alliance treaty community association forum court tribunal office bureau centre
center institute
authority service corporation company group coalition league movement party federation assembly parliament
programme program conference cooperation partnership secretariat force forces
organisation organisationen rat ausschuss kommission agentur fonds bank bund bündnis gemeinschaft gericht amt
behörde partei konferenz versammlung
organisation conseil comité commission agence fonds banque union alliance communauté cour bureau office parti
assemblée conférence
organización organizacion consejo comité comision comisión agencia fondo banco unión alianza comunidad corte
tribunal oficina partido asamblea conferencia
организация организации совет комитет комиссия агентство фонд банк союз альянс сообщество суд управление
служба партия ассамблея конференция договора
""".split())


def find_acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronyms a document spells out, and their expansions: both forms (``CSTO`` and ``Collective
    Security Treaty Organisation``) → the expansion, when the acronym's letters are the initials of the
    capitalised words just before its brackets (small joining words skipped) and the name has a head noun
    of a body. A role spelled out (``Prime Minister's Official Spokesperson (PMOS)``) is left alone."""
    found: dict[str, str] = {}
    for text in texts:
        for m in _ACRONYM.finditer(text):
            acronym = m.group("acronym")
            letters = acronym.replace("&", "").casefold()
            before = text[max(0, m.start() - 240):m.start()].rstrip()
            offset = m.start() - 240 if m.start() > 240 else 0
            initials: list[str] = []
            start = None
            for w in reversed(list(_WORD.finditer(before))):
                word = w.group()
                if word.casefold() in _JOINERS and initials:
                    continue
                initials.insert(0, word[0].casefold())
                start = w.start()
                if len(initials) >= len(letters):
                    break
            if start is None or "".join(initials) != letters or not before[start].isupper():
                continue
            expansion = before[start:]
            words = [w.casefold() for w in _WORD.findall(expansion)]
            if len(words) < 2 or not any(w in _BODY_HEADS for w in words) or "\n" in expansion:
                continue
            name = text[offset + start:offset + start + len(expansion)]
            found.setdefault(name, name)
            found.setdefault(acronym, name)
    return found
