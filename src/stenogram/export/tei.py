"""TEI: the corpus as one TEI XML file in the Parla-CLARIN style, valid against ``tei.rng`` beside this module.

``teiCorpus`` holds a header (the turn kinds as a taxonomy, every named speaker in a ``listPerson``) and
one ``TEI`` element per document: its header (title, source, date, URL, language, event) and a ``div``
with one ``u`` per turn (``@who`` the speaker, ``@ana`` the turn kind, ``@corresp`` the question an
answer replies to), a ``seg`` per paragraph and a ``note`` per stage direction; the document's
preamble and its section headings are ``note`` elements between the turns (TEI allows ``head`` only
at the start of a ``div``).

The file is written as it goes, with escaped plain writes; reading the documents twice (once for the
speakers the header lists, once for the text) keeps memory flat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from stenogram.errors import ExportError
from stenogram.model import TURN_KINDS, Document
from stenogram.store.sqlite import turn_id
from stenogram.version import __version__

TEI_NS = "http://www.tei-c.org/ns/1.0"
#: the RELAX NG schema of exactly what this module writes
SCHEMA = Path(__file__).with_name("tei.rng")

KIND_DESCRIPTIONS = {
    "statement": "A statement: a speaker's prepared or opening remarks.",
    "question": "A question from the floor (a journalist or a participant).",
    "answer": "An answer to a question.",
    "moderator": "The moderator's words: giving the floor, announcing, closing.",
    "other": "Anything else said or printed in the transcript.",
}

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# The forms of xsd:gYear, gYearMonth, date and dateTime (which TEI's @when takes).
_WHEN = re.compile(
    r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?)?)?)?"
    r"(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?"
)
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g w".split(), strict=True,
))


def write(documents: Iterable[Document], path: Path, *,
          speaker_ids: Callable[[Sequence[str]], dict[str, str]] | None = None) -> None:
    """Write the documents as a TEI corpus to ``path``; ``documents`` is read twice, so pass a re-readable Source.
    ``speaker_ids`` (turn id → person id) makes one ``person`` of each person, whatever the language."""
    if iter(documents) is documents:
        raise TypeError("the TEI writer reads the documents twice; give a Source or a list, not an iterator")
    ids = _Ids(reserved=(*TURN_KINDS, "turn-kinds"))
    # one person a person id (one for every language's form of the name), with each printed name and its language
    names: dict[str, dict[tuple[str, str], None]] = {}
    texts = utterances = 0
    for doc in documents:
        texts += 1
        utterances += len(doc.turns)
        people = speaker_ids([doc.id]) if speaker_ids else {}
        for t in doc.turns:
            if t.speaker:
                names.setdefault(people.get(turn_id(doc.id, t.index), t.speaker), {})[(t.speaker, doc.language)] = None
    persons = {who: ids.new("person-" + slug(who.lstrip("~"))) for who in sorted(names, key=lambda n: (n.casefold(), n))}
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(f'<teiCorpus xmlns="{TEI_NS}" xml:lang="mul">\n')
        _corpus_header(fh, {persons[who]: list(printed) for who, printed in names.items()}, texts, utterances)
        for doc in documents:
            people = speaker_ids([doc.id]) if speaker_ids else {}
            who = {t.index: persons.get(people.get(turn_id(doc.id, t.index), t.speaker)) for t in doc.turns if t.speaker}
            _document(fh, doc, ids.new(_start(slug(doc.id))), who)
        fh.write("</teiCorpus>\n")


def _corpus_header(fh: TextIO, persons: dict[str, list[tuple[str, str]]], texts: int, utterances: int) -> None:
    w = fh.write
    w("  <teiHeader>\n    <fileDesc>\n")
    w("      <titleStmt>\n        <title>stenogram corpus</title>\n      </titleStmt>\n")
    w(f'      <extent>\n        <measure unit="texts" quantity="{texts}">{texts} documents</measure>\n'
      f'        <measure unit="utterances" quantity="{utterances}">{utterances} turns</measure>\n      </extent>\n')
    today = dt.date.today().isoformat()
    w(f'      <publicationStmt>\n        <p>Exported by stenogram {_text(__version__)} on <date when="{today}">{today}</date>.</p>\n'
      "      </publicationStmt>\n")
    w("      <sourceDesc>\n        <p>Transcripts of press conferences, briefings, interviews and statements as published"
      " by their sources; each document's header names its own.</p>\n      </sourceDesc>\n")
    w("    </fileDesc>\n")
    w('    <encodingDesc>\n      <classDecl>\n        <taxonomy xml:id="turn-kinds">\n')
    for kind in TURN_KINDS:
        w(f'          <category xml:id="{kind}">\n            <catDesc>{_text(KIND_DESCRIPTIONS[kind])}</catDesc>\n'
          "          </category>\n")
    w("        </taxonomy>\n      </classDecl>\n    </encodingDesc>\n")
    w("    <profileDesc>\n      <particDesc>\n        <listPerson>\n")
    for ident, printed in sorted(persons.items(), key=lambda p: (p[1][0][0].casefold(), p[0])):
        w(f'          <person xml:id="{ident}">\n')
        for name, lang in printed:
            w(f'            <persName xml:lang="{_attr(lang if _LANGUAGE.fullmatch(lang) else "und")}">{_text(name)}</persName>\n')
        w("          </person>\n")
    w("        </listPerson>\n      </particDesc>\n    </profileDesc>\n  </teiHeader>\n")


def _document(fh: TextIO, doc: Document, key: str, who: dict[int, str | None]) -> None:
    """One document's TEI; ``who`` gives the xml:id of the person of each named turn."""
    lang = doc.language if _LANGUAGE.fullmatch(doc.language) else "und"
    title = _text(doc.title)
    parts = [
        f'  <TEI xml:id="{key}" xml:lang="{_attr(lang)}">\n    <teiHeader>\n      <fileDesc>\n',
        f"        <titleStmt>\n          <title>{title}</title>\n        </titleStmt>\n",
        "        <publicationStmt>\n          <p>Exported by stenogram from its corpus.</p>\n        </publicationStmt>\n",
        f"        <sourceDesc>\n          <bibl>\n            <title>{title}</title>\n",
        f"            <publisher>{_text(doc.source)}</publisher>\n",
    ]
    if doc.published:
        parts.append(f"            {_date(doc.published)}\n")
    if doc.url:
        parts.append(f'            <idno type="URI">{_text(doc.url)}</idno>\n')
    parts.append(f'            <idno type="stenogram">{_text(doc.id)}</idno>\n          </bibl>\n        </sourceDesc>\n')
    parts.append(f'      </fileDesc>\n      <profileDesc>\n        <langUsage>\n          <language ident="{_attr(lang)}"/>\n'
                 "        </langUsage>\n")
    if doc.event.place or doc.event.date:
        parts.append("        <settingDesc>\n          <setting>\n")
        if doc.event.place:
            parts.append(f"            <placeName>{_text(doc.event.place)}</placeName>\n")
        if doc.event.date:
            parts.append(f"            {_date(doc.event.date)}\n")
        parts.append("          </setting>\n        </settingDesc>\n")
    parts.append("      </profileDesc>\n    </teiHeader>\n")
    parts.append(f'    <text>\n      <body>\n        <div type="{_attr(doc.kind)}">\n          <head>{title}</head>\n')
    parts.extend(f'          <note type="preamble">{_text(p)}</note>\n' for p in doc.preamble)
    fh.write("".join(parts))

    indexes = {t.index for t in doc.turns}
    sections: dict[int | None, list[str]] = {}
    for s in doc.sections:
        sections.setdefault(s.turn if s.turn in indexes else None, []).append(s.title)
    for t in doc.turns:
        parts = [f'          <note type="section">{_text(h)}</note>\n' for h in sections.get(t.index, ())]
        attrs = f'xml:id="{key}.u{t.index}" n="{t.index}"'
        if t.speaker:
            person = who.get(t.index)
            if person is None:
                raise ExportError(f"speaker {t.speaker!r} appeared while exporting; the corpus changed, run the export again")
            attrs += f' who="#{person}"'
        attrs += f' ana="#{t.kind}"'
        if t.reply_to is not None and t.reply_to in indexes:
            attrs += f' corresp="#{key}.u{t.reply_to}"'
        parts.append(f"          <u {attrs}>\n")
        parts.extend(f"            <seg>{_text(p)}</seg>\n" for p in t.paragraphs)
        parts.extend(f'            <note type="stage">{_text(n)}</note>\n' for n in t.notes)
        parts.append("          </u>\n")
        fh.write("".join(parts))
    trailing = sections.get(None, ())
    fh.write("".join(f'          <note type="section">{_text(h)}</note>\n' for h in trailing))
    fh.write("        </div>\n      </body>\n    </text>\n  </TEI>\n")


def _date(value: str) -> str:
    """A ``date`` element; with ``@when`` when the value is an ISO date or date-time (a real day, too)."""
    if _WHEN.fullmatch(value) and _real_day(value):
        return f'<date when="{_attr(value)}">{_text(value)}</date>'
    return f"<date>{_text(value)}</date>"


def _real_day(value: str) -> bool:
    if len(value) < 10 or value[7] != "-":
        return True
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _text(value: str) -> str:
    """Character data: escaped; characters XML 1.0 cannot carry become U+FFFD; CR kept as a reference."""
    return (_NOT_XML.sub("\ufffd", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def slug(value: str) -> str:
    """ASCII letters, digits and hyphens for an xml:id: diacritics dropped, Cyrillic transliterated, the rest hyphens."""
    out = []
    for ch in unicodedata.normalize("NFC", value):
        latin = _CYRILLIC.get(ch.lower())
        if latin is None:
            out.append(ch)
        elif latin != "-":
            out.append(latin.capitalize() if ch.isupper() else latin)
    ascii_ = "".join(c for c in unicodedata.normalize("NFKD", "".join(out)) if not unicodedata.combining(c))
    result = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-")
    return result or "x" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _start(ident: str) -> str:
    """An NCName starts with a letter."""
    return ident if ident[:1].isalpha() else "d-" + ident


class _Ids:
    """xml:ids handed out so far; a clash gets a numbered suffix."""

    def __init__(self, reserved: Iterable[str]) -> None:
        self.used = set(reserved)

    def new(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.used:
            ident, n = f"{base}-{n}", n + 1
        self.used.add(ident)
        return ident
