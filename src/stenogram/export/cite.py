"""Citations of a document, or of one turn of it: a Chicago-style note and an APA-style reference (both
written from the styles' public rules), BibTeX and CSL-JSON.

    citation = cite(doc, doc.turns[2], permalink="https://corpus.example.org/turn/mid.ru:1%232",
                    accessed=dt.date(2024, 6, 1))
    citation.styles["chicago"], citation.styles["apa"], citation.bibtex, citation.csl

What a citation holds: who spoke (a turn's speaker, or the questioner's outlet; a document's named
speakers, else its participants), the document's title, kind and event place, the publisher of its
source site, its day of publication, the original page's address when the document has an http(s)
one, the permalink of the item in a served corpus, and the day it was accessed. Titles and names are
kept as printed, in any language and script: nothing is guessed about their capitalisation.

The rules followed, in short:

- **Chicago (note)**: names in their natural order ("A and B", "A, B, and C", four or more "A et al."),
  the title in quotation marks with the comma inside, the genre and place, the publisher, the day as
  "November 25, 2020" (else "n.d."), a turn as its number, then "accessed" and the address; the
  original page first and the corpus copy after it ("archived at").
- **APA (reference)**: family names with initials ("Lavrov, S.", up to 20 names joined by ", &"), the
  date in parentheses after them, the title with a bracketed description, the publisher, the original
  page's address, then "Retrieved <day>, from" the corpus copy.
- **BibTeX**: one ``@misc`` entry; the characters TeX treats specially are escaped, the title braced so
  that styles keep its capitals, the address in ``url`` (the original page, else the permalink) with
  ``urldate``; ``date`` as biblatex reads it besides ``year`` and ``month``.
- **CSL-JSON**: the field names of the CSL data schema (``type``, ``author`` as family and given names,
  ``title``, ``container-title``, ``publisher``, ``issued`` and ``accessed`` as ``date-parts``, ``URL``...).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from stenogram.collect.validate import url_problem
from stenogram.model import Document, Turn

#: the styles of ``Citation.styles``, in the order they are shown
STYLES = ("chicago", "apa")
#: the publisher of each known source site (any other is named by its site)
PUBLISHERS = {
    "mid.ru": "Ministry of Foreign Affairs of the Russian Federation",
    "kremlin.ru": "President of Russia",
    "state.gov": "U.S. Department of State",
    "fmprc.gov.cn": "Ministry of Foreign Affairs of the People's Republic of China",
    "un.org": "United Nations",
}
#: a document kind in words, and whether it is spoken (a transcript) or written
KINDS: dict[str, tuple[str, bool]] = {
    "press_conference": ("press conference", True), "briefing": ("briefing", True),
    "interview": ("interview", True), "remarks": ("remarks", True), "speech": ("speech", True),
    "meeting": ("meeting", True), "statement": ("statement", False), "comment": ("comment", False),
    "article": ("article", False), "other": ("transcript", True),
}
#: the CSL item type of each document kind ("speech" for any other)
CSL_TYPES = {"interview": "interview", "article": "article", "statement": "article", "comment": "article"}
#: countries whose officials' names are printed family name first (Mao Ning: family name Mao)
FAMILY_FIRST = frozenset({"CN"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: BibTeX's month macros
BIB_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: APA lists up to this many authors; past it, the first ones, an ellipsis and the last
APA_AUTHORS = 20
#: TeX's special characters and what stands for each in BibTeX
_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%", "#": r"\#",
        "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_TEX_SPECIAL = re.compile(r"[\\{}$&%#_^~]")
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
#: characters that are no part of a printed title or name in a reference (controls, line ends, lone surrogates)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name split into family and given names, or a name kept whole (an organisation, a
    name that cannot be split safely)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None
    #: printed family name first (Mao Ning)
    family_first: bool = False

    def natural(self) -> str:
        if self.literal is not None:
            return self.literal
        parts = (self.family, self.given) if self.family_first else (self.given, self.family)
        return " ".join(p for p in parts if p)

    def apa(self) -> str:
        """``Lavrov, S.``; every given name gives an initial (``Erdogan, R. T.``)."""
        if self.literal is not None:
            return self.literal
        initials = " ".join(_initials(word) for word in (self.given or "").split())
        return f"{self.family}, {initials}" if initials else str(self.family)

    def bibtex(self) -> str:
        """``Lavrov, Sergey``; a name kept whole in braces, so BibTeX does not split it."""
        if self.literal is not None:
            return "{" + tex(self.literal) + "}"
        return tex(f"{self.family}, {self.given}" if self.given else str(self.family))

    def csl(self) -> dict[str, str]:
        if self.literal is not None:
            return {"literal": self.literal}
        return {"family": str(self.family), **({"given": self.given} if self.given else {})}


def person(printed: str, *, family_first: bool = False) -> Name:
    """A printed person's name as family and given names: the last of two or three words is the family
    name (the first, for ``family_first``); any other name (one word, four or more, a particle such as
    "de" or "bin" that may belong to either) is kept whole."""
    words = printed.split()
    if len(words) in (2, 3) and all(w[0].isupper() for w in words[1:]) and not any(c.isdigit() for c in printed):
        if family_first:
            return Name(family=words[0], given=" ".join(words[1:]), family_first=True)
        return Name(family=words[-1], given=" ".join(words[:-1]))
    return Name(literal=" ".join(words))


def _initials(word: str) -> str:
    """``Sergey`` → ``S.``, ``Jean-Yves`` → ``J.-Y.``; a word already an initial is kept."""
    return "-".join(part if part.endswith(".") else part[0] + "." for part in word.split("-") if part)


def tex(text: str) -> str:
    """``text`` with TeX's special characters escaped for a BibTeX field."""
    return _TEX_SPECIAL.sub(lambda m: _TEX[m.group()], text)


@dataclass(frozen=True, slots=True)
class Citation:
    """The citation of a document (``turn`` None) or of one of its turns, in every format."""

    document_id: str
    turn: int | None
    #: the formatted references, by style (``STYLES``)
    styles: dict[str, str]
    bibtex: str
    #: one CSL-JSON item
    csl: dict[str, Any] = field(default_factory=dict)

    @property
    def csl_json(self) -> str:
        """The CSL-JSON item as text, as a reference manager imports it (a list of one item)."""
        return json.dumps([self.csl], ensure_ascii=False, indent=2)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.document_id if self.turn is None else f"{self.document_id}#{self.turn}",
                "styles": dict(self.styles), "bibtex": self.bibtex, "csl": self.csl}


@dataclass(frozen=True, slots=True)
class _Facts:
    """What every format writes, gathered once."""

    #: the id of what is cited: the document's, or the turn's (``<document id>#<n>``)
    ident: str
    authors: tuple[Name, ...]
    title: str
    #: the turn's description (``Answer``) and number, for a turn
    part: str | None
    turn: int | None
    genre: str
    spoken: bool
    place: str | None
    site: str
    publisher: str
    published: dt.date | None
    event: dt.date | None
    original: str | None
    permalink: str | None
    accessed: dt.date
    language: str
    csl_type: str


def cite(doc: Document, turn: Turn | None = None, *, permalink: str | None = None,
         accessed: dt.date) -> Citation:
    """The citation of ``doc``, or of its ``turn``; ``permalink``: the item's address in a served corpus
    (None: not given); ``accessed``: the day it was read."""
    facts = _facts(doc, turn, permalink, accessed)
    return Citation(document_id=doc.id, turn=None if turn is None else turn.index,
                    styles={"chicago": chicago(facts), "apa": apa(facts)}, bibtex=bibtex(facts), csl=csl(facts))


def _clean(text: str | None) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


def _facts(doc: Document, turn: Turn | None, permalink: str | None, accessed: dt.date) -> _Facts:
    family_first = {p.name for p in doc.participants if p.country in FAMILY_FIRST}

    def name(printed: str) -> Name:
        return person(_clean(printed), family_first=printed in family_first)

    if turn is not None:
        if turn.speaker and _clean(turn.speaker):
            authors: tuple[Name, ...] = (name(turn.speaker),)
        elif _clean(turn.affiliation):
            authors = (Name(literal=_clean(turn.affiliation)),)
        else:
            authors = ()
    else:
        speakers = [t.speaker for t in doc.turns if t.speaker]
        printed = list(dict.fromkeys(speakers or [p.name for p in doc.participants]))
        authors = tuple(name(n) for n in printed if _clean(n))
    genre, spoken = KINDS.get(doc.kind, ("transcript", True))
    original = doc.url if doc.url and url_problem(doc.url) is None and "\\" not in doc.url else None
    kind_type = CSL_TYPES.get(doc.kind, "speech")
    return _Facts(
        ident=doc.id if turn is None else f"{doc.id}#{turn.index}", authors=authors, title=_clean(doc.title) or "Untitled",
        part=None if turn is None else turn.kind.capitalize(), turn=None if turn is None else turn.index,
        genre=genre, spoken=spoken, place=_clean(doc.event.place) or None, site=_clean(doc.source),
        publisher=PUBLISHERS.get(doc.source, _clean(doc.source)), published=_day(doc.published),
        event=_day(doc.event.date), original=original, permalink=permalink, accessed=accessed,
        language=doc.language, csl_type=kind_type if turn is None or kind_type == "interview" else "speech",
    )


def _day(value: str | None) -> dt.date | None:
    """The day an ISO 8601 date or date-time names (as printed, in its own time zone); None for none."""
    match = _DAY.match(value or "")
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def long_date(day: dt.date) -> str:
    """``November 25, 2020``."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _quoted(title: str) -> str:
    """A title in quotation marks followed by a comma, the comma inside the marks (Chicago); after a
    question or exclamation mark, no comma. Quotation marks in the title become single ones."""
    inner = title.replace("“", "‘").replace("”", "’").rstrip(".")
    return f"“{inner}” " if inner.endswith(("?", "!")) else f"“{inner},” "


def _chicago_names(names: tuple[Name, ...]) -> str:
    shown = [n.natural() for n in names]
    if len(shown) >= 4:
        return f"{shown[0]} et al."
    if len(shown) == 3:
        return f"{shown[0]}, {shown[1]}, and {shown[2]}"
    return " and ".join(shown)


def chicago(f: _Facts) -> str:
    """A full note in the Chicago style."""
    names = _chicago_names(f.authors)
    if f.part is not None:
        lead = f"{names}, {f.part.lower()}" if names else f.part
        head = f"{lead}, in {_quoted(f.title)}"
    else:
        head = f"{names}, {_quoted(f.title)}" if names else _quoted(f.title)
    pieces = [f.genre + (f", {f.place}" if f.place else ""), f.publisher,
              long_date(f.published) if f.published else "n.d."]
    if f.turn is not None:
        pieces.append(f"turn {f.turn}")
    if f.original or f.permalink:
        pieces.append(f"accessed {long_date(f.accessed)}")
    if f.original:
        pieces.append(f.original)
    if f.permalink:
        pieces.append(f"archived at {f.permalink}" if f.original else f.permalink)
    return head + ", ".join(pieces) + "."


def _apa_names(names: tuple[Name, ...]) -> str:
    shown = [n.apa() for n in names]
    if len(shown) > APA_AUTHORS:
        return ", ".join(shown[:APA_AUTHORS - 1]) + ", . . . " + shown[-1]
    if len(shown) >= 2:
        return ", ".join(shown[:-1]) + ", & " + shown[-1]
    return "".join(shown)


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (one already ending a sentence is kept)."""
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(f: _Facts) -> str:
    """A reference-list entry in the APA style."""
    date = f"({f.published.year}, {MONTHS[f.published.month - 1]} {f.published.day})" if f.published else "(n.d.)"
    described = f"{f.title} [{_description(f)}]"
    work = f"{f.part} (turn {f.turn}). In {described}." if f.part is not None else f"{described}."
    names = _apa_names(f.authors)
    head = f"{_sentence(names)} {date}. {work}" if names else f"{work} {date}."
    out = f"{head} {_sentence(f.publisher)}"
    if f.original:
        out += f" {f.original}"
    retrieved_from = f.permalink or f.original
    if retrieved_from:
        out += f" Retrieved {long_date(f.accessed)}, from {retrieved_from}"
    return out


def _description(f: _Facts) -> str:
    """``Transcript of a press conference``; a written kind by its name (``Statement``)."""
    if not f.spoken:
        return f.genre.capitalize()
    if f.genre == "transcript":
        return "Transcript"
    article = "an" if f.genre[0] in "aeiou" else "a"
    return f"Transcript of {article} {f.genre}" if f.genre != "remarks" else "Transcript of remarks"


def _key_word(text: str) -> str:
    """The ASCII letters and digits of ``text``, lower case (accents dropped; other scripts give nothing)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


_SMALL_WORDS = frozenset({"a", "an", "the", "of", "on", "in", "at", "and", "to", "for", "by", "with"})


def bibtex_key(f: _Facts) -> str:
    """``lavrov2020foreign`` (a turn: ``lavrov2020foreign-2``): the first author's family name, the year
    and the title's first word that is not a small one, as ASCII; what cannot be spelled so is left out."""
    first = f.authors[0] if f.authors else None
    who = _key_word((first.family or first.literal or "") if first else "") or "anon"
    words = [w for w in (_key_word(w) for w in f.title.split()) if w and w not in _SMALL_WORDS]
    key = f"{who}{f.published.year if f.published else 'nd'}{words[0] if words else ''}"
    return key if f.turn is None else f"{key}-{f.turn}"


def _bib_url(url: str) -> str:
    """An address for a BibTeX ``url`` field, read verbatim: only braces and backslashes would break it."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex(f: _Facts) -> str:
    """One ``@misc`` entry."""
    fields: list[tuple[str, str]] = []
    if f.authors:
        fields.append(("author", "{" + " and ".join(n.bibtex() for n in f.authors) + "}"))
    fields.append(("title", "{{" + tex(f.title) + "}}"))
    how = _description(f) + (f", {f.place}" if f.place else "")
    fields.append(("howpublished", "{" + tex(how) + "}"))
    fields.append(("organization", "{" + tex(f.publisher) + "}"))
    if f.published:
        fields += [("year", "{" + str(f.published.year) + "}"), ("month", BIB_MONTHS[f.published.month - 1]),
                   ("date", "{" + f.published.isoformat() + "}")]
    url = f.original or f.permalink
    if url:
        fields += [("url", "{" + _bib_url(url) + "}"), ("urldate", "{" + f.accessed.isoformat() + "}")]
    notes = []
    if f.part is not None:
        notes.append(f"{f.part}, turn {f.turn}")
    if f.original and f.permalink:
        notes.append(f"archived at {f.permalink}")
    if notes:
        fields.append(("note", "{" + tex("; ".join(notes)) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{bibtex_key(f)},\n{body}\n}}"


def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl(f: _Facts) -> dict[str, Any]:
    """One item in CSL-JSON: a turn is titled by its kind and number, in its document (``container-title``);
    a document is in its source site."""
    item: dict[str, Any] = {"id": f.ident, "type": f.csl_type}
    if f.part is not None:
        item |= {"title": f"{f.part} (turn {f.turn})", "container-title": f.title}
    else:
        item |= {"title": f.title, "container-title": f.site}
    if f.authors:
        item["author"] = [n.csl() for n in f.authors]
    item |= {"genre": f.genre, "publisher": f.publisher, "language": f.language}
    if f.place:
        item["event-place"] = f.place
    if f.event:
        item["event-date"] = _date_parts(f.event)
    if f.published:
        item["issued"] = _date_parts(f.published)
    url = f.original or f.permalink
    if url:
        item |= {"URL": url, "accessed": _date_parts(f.accessed)}
    if f.original and f.permalink:
        item["note"] = f"Archived at {f.permalink}"
    return item
