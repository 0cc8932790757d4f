"""Speaker labels: finding them (at a paragraph's start or after a sentence), and reading their notes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from stenogram.gazetteer import load
from stenogram.parse import patterns as P

# name, then notes in brackets, then a colon (":", " :", "："). The name starts with a letter.
_LABEL_AT_START = re.compile(
    r"^(?P<name>[^\W\d_][^:：()\[\]\"“”«»„]{0,220}?)\s*(?P<notes>(?:\([^()]{1,160}\)\s*)*)\s?[:：](?=\s|$)"
)
_BARE_Q = re.compile(r"^(?P<name>Q)\.?\s+(?=[A-Z“\"‘'(\[\d])")
_FRENCH_QR = re.compile(r"^(?P<name>[QR])\s?[-–—]\s+")
# Spanish transcripts close a label with ".-": "Serguéi Lavrov.- Gracias", "Ministro Albares.- Sí", "P.- ¿...?".
_DOT_DASH = re.compile(
    r"^(?P<name>[^\W\d_][^:：()\[\]\"“”«»]{0,80}?)\s*(?P<notes>(?:\([^()]{1,160}\)\s*)*)\.\s?[-–—](?=\s|$)"
)
_DOT_DASH_HINT = re.compile(r"\.\s?[-–—]")
# A role in brackets standing for the speaker: "(Moderadora).- Buenos días".
_BRACKETED_ROLE = re.compile(r"^\((?P<name>[^\W\d_][^()]{0,40})\)\s*\.?\s?[-–—](?=\s|$)")
_NOTE = re.compile(r"\(([^()]*)\)")
_WORD = re.compile(r"[^\s]+")
KNOWN_OUTLETS = frozenset(
    s.casefold() for s in (
        "CCTV", "AFP", "Reuters", "Bloomberg", "AP", "Associated Press", "TASS", "RIA Novosti", "Sputnik", "CNN",
        "BBC", "NHK", "Kyodo", "Kyodo News", "Xinhua", "Xinhua News Agency", "China Daily", "Global Times",
        "The Paper", "Dragon TV", "Phoenix TV", "Shenzhen TV", "Asahi Shimbun", "China News Service",
        "Beijing Daily", "CGTN", "Al Jazeera", "Al Arabiya", "RT", "Interfax", "Izvestia", "Kommersant",
        "Rossiya Segodnya", "Channel One", "NBC", "CBS", "ABC", "Fox News", "Washington Post", "New York Times",
        "Wall Street Journal", "EFE", "ANSA", "dpa", "Anadolu", "IRNA", "Islamic Republic of Iran Broadcasting",
        "Yonhap", "Hubei Media Group", "Macau Monthly", "Bloomberg News", "Prensa Latina", "PTI", "Press Trust of India",
    )
) | frozenset(   # and every name of a news outlet in the organisations' gazetteer
    form.casefold() for org in load("organizations.json")["organizations"] if org["kind"] == "media"
    for form in (org["name"], *org["aliases"].get("en", ()))
)


@dataclass(slots=True)
class Label:
    """A label as found: the printed text (without the colon) and its parts."""

    printed: str
    name: str
    notes: list[str] = field(default_factory=list)
    start: int = 0   # offset of the label in its paragraph
    end: int = 0     # offset just past the colon (and one space)

    @property
    def word(self) -> str:
        return self.name.casefold()


def _caps_ok(name: str) -> bool:
    tokens = name.split()
    if not tokens:
        return False
    if tokens[-1].casefold() in P.NAME_PARTICLES:
        return False
    for tok in tokens:
        low = tok.casefold()
        if low in P.NAME_PARTICLES:
            continue
        first = tok.lstrip("(«“\"'")[:1]
        if not first or not first.isupper():
            return False
    return True


def _valid_name(name: str, *, alone: bool, known: frozenset[str]) -> bool:
    """Whether the text before a colon reads as a speaker, not as prose or a heading."""
    low = name.casefold()
    if low in P.LABEL_BLACKLIST or low.split(maxsplit=1)[0] in P.POSSESSIVES:
        return False
    if (low in P.QUESTION_WORDS or low in P.ANSWER_WORDS or low in P.SPOKESPERSON_WORDS
            or low in P.MODERATOR_WORDS or low in known or low in KNOWN_OUTLETS):
        return True
    if any(ch.isdigit() for ch in name):
        return bool(P.NUMBERED_SPEAKER.match(name))
    tokens = name.split()
    has_role = any(t.casefold().strip(",") in P.ROLE_WORDS for t in tokens)
    if len(tokens) > (26 if has_role else 7):
        return False
    if not _caps_ok(name):
        return False
    if alone:
        # A label on its own line must look like a person (a heading with a colon must not pass).
        from stenogram.parse.names import looks_like_person, split_role_name

        _, person = split_role_name(name)
        return looks_like_person(person) or (name.isupper() and len(tokens) <= 4)
    return True


def at_start(paragraph: str, known: frozenset[str] = frozenset(), *, bare_q: bool = False) -> Label | None:
    """The label that begins a paragraph, if any (a fresh Label each call; the reading is cached).

    ``bare_q``: the document marks its questions with a bare ``Q`` (see :func:`uses_bare_q`), so a
    paragraph starting ``Q `` or ``Q. `` is a question even without a question mark."""
    found = _at_start(paragraph, known, bare_q)
    return None if found is None else Label(found.printed, found.name, list(found.notes), found.start, found.end)


def _label_end(paragraph: str, end: int) -> int:
    while end < len(paragraph) and paragraph[end] == " ":
        end += 1
    return end


@lru_cache(maxsize=8192)
def _at_start(paragraph: str, known: frozenset[str], bare_q: bool = False) -> Label | None:
    if bare_q and paragraph[:2] == "Q." and (m := _BARE_Q.match(paragraph)) is not None:
        # "Q. On the Middle East: are ...": the question's colon is not a label's
        return Label(printed="Q.", name="Q", start=0, end=m.end())
    if paragraph[:1] == "(" or _DOT_DASH_HINT.search(paragraph, 0, 100):
        found = _dot_dash(paragraph, known)
        if found is not None:
            return found
    m = _LABEL_AT_START.match(paragraph)
    if m:
        name = m.group("name").strip()
        rest = paragraph[m.end():].strip()
        if _valid_name(name, alone=not rest, known=known):
            notes = _NOTE.findall(m.group("notes") or "")
            printed = paragraph[: m.end()].rstrip(":： ").rstrip()
            return Label(printed=printed, name=name, notes=[n.strip() for n in notes], start=0,
                         end=_label_end(paragraph, m.end()))
    for rx in (_FRENCH_QR, _BARE_Q):
        m = rx.match(paragraph)
        if m and (rx is _FRENCH_QR or bare_q or "?" in paragraph):
            return Label(printed=m.group("name"), name=m.group("name"), start=0, end=m.end())
    return None


def _dot_dash(paragraph: str, known: frozenset[str]) -> Label | None:
    """A label closed by ".-" (the name as printed, without the separator), or a bracketed role."""
    m = _BRACKETED_ROLE.match(paragraph)
    if m:
        name = m.group("name").strip()
        low = name.casefold()
        # a role word, never a stage direction such as "(Laughter) - ..."
        if low in P.MODERATOR_WORDS or low in P.QUESTION_WORDS or low in P.ANSWER_WORDS \
                or low in P.SPOKESPERSON_WORDS or any(w.casefold() in P.ROLE_WORDS for w in name.split()):
            return Label(printed=f"({name})", name=name, start=0, end=_label_end(paragraph, m.end()))
    m = _DOT_DASH.match(paragraph)
    if m:
        name = m.group("name").strip()
        if _valid_name(name, alone=not paragraph[m.end():].strip(), known=known):
            notes = _NOTE.findall(m.group("notes") or "")
            printed = paragraph[: m.start("notes")].rstrip() + (" " + m.group("notes").strip() if notes else "")
            return Label(printed=printed.strip(), name=name, notes=[n.strip() for n in notes], start=0,
                         end=_label_end(paragraph, m.end()))
    return None


def uses_bare_q(lines: Iterable[str]) -> bool:
    """Whether a document marks questions with a bare ``Q`` (the White House's ``Q Thank you, Karine.``):
    two paragraphs or more start so, one of them with a question mark."""
    count, asks = 0, False
    for line in lines:
        if line[:1] == "Q" and _BARE_Q.match(line):
            count += 1
            asks = asks or "?" in line
            if count >= 2 and asks:
                return True
    return False


def _in_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    if before.count("«") > before.count("»") or before.count("“") > before.count("”"):
        return True
    if before.count("„") > before.count("“") + before.count("”"):
        return True
    return before.count('"') % 2 == 1


@dataclass(frozen=True, slots=True)
class InlineLabel:
    """A known label in the middle of a paragraph: from the white space after a sentence's end
    (``start``) to the space after its colon (``end``); ``printed``: the name and its notes."""
    start: int
    end: int
    printed: str


_SENTENCE_END = re.compile(r"[.?!…»”\")](\s+)")
_AFTER_NAME = re.compile(r"(?P<notes>(?:\s*\([^()]{1,160}\))*)\s?[:：]\s")


class InlineFinder:
    """Known labels after sentence-final punctuation, names compared without regard to case, the
    longest first. One expression finds the sentence ends for every document and the document's
    names are compared there: an expression of each document's names took about a millisecond to
    compile, for every document whose names differ from the last few hundred."""

    def __init__(self, names: frozenset[str]) -> None:
        self._by_first: dict[str, list[str]] = {}
        for name in sorted({n.lower() for n in names}, key=len, reverse=True):
            self._by_first.setdefault(name[0], []).append(name)

    def find(self, paragraph: str) -> Iterator[InlineLabel]:
        resume = 0
        for end in _SENTENCE_END.finditer(paragraph):
            begin, at = end.start(1), end.end(1)
            if begin < resume or at >= len(paragraph):
                continue
            for name in self._by_first.get(paragraph[at].lower(), ()):
                if paragraph[at:at + len(name)].lower() != name:
                    continue
                after = _AFTER_NAME.match(paragraph, at + len(name))
                if after is not None:
                    yield InlineLabel(begin, after.end(), paragraph[at:after.end("notes")])
                    resume = after.end()
                    break


class _PatternFinder:
    """The same, by an expression of the names: for names that lower case makes longer or shorter."""

    def __init__(self, names: frozenset[str]) -> None:
        self.pattern = inline_pattern(names)

    def find(self, paragraph: str) -> Iterator[InlineLabel]:
        for m in self.pattern.finditer(paragraph):
            yield InlineLabel(m.start(), m.end(), m.group("label"))


#: what inline_finder gives and split_inline takes
Finder = InlineFinder | _PatternFinder


def inline_finder(names: Iterable[str]) -> Finder | None:
    """A finder of known labels in the middle of a paragraph, after sentence-final punctuation."""
    found = frozenset(n for n in names if n)
    if not found:
        return None
    if any(len(n.lower()) != len(n) for n in found):
        return _PatternFinder(found)
    return InlineFinder(found)


@lru_cache(maxsize=512)
def inline_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """One expression of the names (the definition the finders follow)."""
    alts = sorted({re.escape(n) for n in names}, key=len, reverse=True)
    return re.compile(
        r"(?<=[.?!…»”\")])\s+(?P<label>(?:" + "|".join(alts) + r")(?:\s*\([^()]{1,160}\))*)\s?[:：]\s",
        re.IGNORECASE,
    )


def split_inline(paragraph: str, finder: Finder | None) -> list[tuple[Label | None, str]]:
    """Cut a paragraph at labels standing after a sentence: [(label or None, text), ...]."""
    if finder is None:
        return [(None, paragraph)]
    pieces: list[tuple[Label | None, str]] = []
    cursor, current = 0, None
    for found in finder.find(paragraph):
        if _in_quotes(paragraph, found.start):
            continue
        pieces.append((current, paragraph[cursor:found.start].strip()))
        printed = found.printed.strip()
        notes = [n.strip() for n in _NOTE.findall(printed)]
        name = _NOTE.sub("", printed).strip()
        current = Label(printed=printed, name=name, notes=notes)
        cursor = found.end
    pieces.append((current, paragraph[cursor:].strip()))
    return [(lab, text) for lab, text in pieces if text or lab is not None]


def translated_from(note: str) -> str | None:
    """``translated from Arabic`` → ``ar``; ``retranslated ...`` and unknown languages → None."""
    if note.casefold().startswith("retranslated"):
        return None
    m = P.TRANSLATED_FROM.match(note.strip())
    if not m:
        return None
    word = next((g for g in m.groups() if g), "")
    return P.LANGUAGE_NAMES.get(word.casefold())
