"""The Atom feed of a search (RFC 4287): its newest matching turns, newest first, one entry a turn.

Each entry's id is the turn's permalink (``<base>/turn/<turn id>``), so it never changes; its title
is "speaker — document title", its date the document's publication (date and time when the document
gives them, else its day at midnight UTC), its author the speaker when named, its summary the search's
snippet and its content the turn's whole text, as text. A turn whose document gives no date is dated
as the feed is. The feed's own id is its address, and it links to itself and to the search page
that lists the same turns (newest first).

Built with the standard library's ElementTree, which escapes every text and attribute value; the
characters XML 1.0 cannot hold (control characters, lone surrogates) are left out first.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from stenogram.api import MARK_CLOSE, MARK_OPEN, Hit
from stenogram.model import Document, Turn

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: characters XML 1.0 does not allow (controls other than tab and line ends, lone surrogates, U+FFFE/F)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: an ISO 8601 date, or date-time with an optional offset, as documents give ``published``
_PUBLISHED = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:\d\d)?)?")
#: a language tag xml:lang may carry
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, slots=True)
class Entry:
    """One turn of the feed."""

    id: str
    title: str
    #: the document's publication, None when it gives none
    updated: dt.datetime | None
    link: str
    #: the original page, when it may be a link
    original: str | None
    author: str | None
    content: str
    summary: str
    language: str
    kind: str


def published_at(value: str | None) -> dt.datetime | None:
    """When a document was published, with a time zone: its date-time (one without an offset taken
    as UTC), or its day at midnight UTC; None when it gives no date or one that is not ISO 8601."""
    if not value or not _PUBLISHED.fullmatch(value):
        return None
    try:
        if "T" not in value:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), dt.UTC)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def rfc3339(moment: dt.datetime) -> str:
    """``2020-11-25T16:19:00+03:00``: an Atom date construct."""
    return moment.isoformat(timespec="seconds")


def who(hit: Hit) -> str:
    """Who speaks in a turn, for a title: the speaker, else the questioner's outlet, label or the turn's kind."""
    return (hit.speaker or (f"{hit.affiliation} ({hit.kind})" if hit.affiliation else None) or hit.label
            or hit.kind.capitalize())


def entry_of(hit: Hit, doc: Document, turn: Turn, *, permalink: str, original: str | None) -> Entry:
    """The feed entry of a hit (its turn ``turn`` of ``doc``), at ``permalink``."""
    return Entry(
        id=permalink, title=f"{who(hit)} — {doc.title or '(untitled)'}", updated=published_at(doc.published),
        link=permalink, original=original, author=turn.speaker or None, content=turn.text,
        summary=hit.snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""), language=doc.language, kind=turn.kind,
    )


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def atom(*, feed_id: str, title: str, subtitle: str, self_url: str, alternate_url: str, entries: Sequence[Entry],
         now: dt.datetime) -> bytes:
    """The feed as an Atom 1.0 document, UTF-8. Its ``updated`` is its newest entry's date, or ``now``
    when no entry has one; an entry without a date takes the feed's."""
    dated = [e.updated for e in entries if e.updated is not None]
    updated = rfc3339(max(dated) if dated else now.astimezone(dt.UTC).replace(microsecond=0))
    feed = ET.Element("feed", xmlns=ATOM)      # the Atom namespace is the default one: names go unprefixed
    _add(feed, "id", feed_id)
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "updated", updated)
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    _add(_add(feed, "author"), "name", "stenogram")     # for the entries whose speaker is not named
    _add(feed, "generator", "stenogram")
    for e in entries:
        entry = _add(feed, "entry")
        if _LANGUAGE.fullmatch(e.language):
            entry.set(_XML_LANG, e.language)
        _add(entry, "id", e.id)
        _add(entry, "title", e.title)
        if e.updated is not None:
            _add(entry, "updated", rfc3339(e.updated))
            _add(entry, "published", rfc3339(e.updated))
        else:
            _add(entry, "updated", updated)
        _add(entry, "link", rel="alternate", type="text/html", href=e.link)
        if e.original:
            _add(entry, "link", rel="related", type="text/html", href=e.original)
        if e.author:
            _add(_add(entry, "author"), "name", e.author)
        _add(entry, "category", term=e.kind)
        _add(entry, "summary", e.summary, type="text")
        _add(entry, "content", e.content, type="text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
