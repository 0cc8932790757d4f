"""The top of a page: chrome, the publication date line, the title, the language bar, bylines, a table of contents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stenogram.parse import labels
from stenogram.parse import patterns as P
from stenogram.parse.dates import FoundDate, date_line, find_dates, find_time, glued_date_time, iso_stamp, to_iso
from stenogram.parse.names import looks_like_person
from stenogram.parse.trace import record
from stenogram.sites import SiteProfile

_BYLINE = re.compile(
    r"^(?P<name>[A-Z][\w’'\-.]+(?: [A-Z][\w’'\-.]+){1,3}),\s+(?P<role>(?:[\w’'\-]+ ){0,6}"
    r"(?:Spokesperson|Spokesman|Spokeswoman|Secretary|Ambassador|Minister|Director|Press Secretary)\b.*)$"
)
_PLACE_LINE = re.compile(r"^(?:Washington,? D\.?C\.?|New York|Geneva|Moscow|Beijing|Brussels|Vienna)$")
_STANDALONE_NAME = re.compile(r"^[A-Z][a-z’'\-]+(?: [A-Z]\.)?(?: [A-Z][a-z’'\-]+){1,2}$")
_STOCK_BRIEFER = re.compile(
    r"(?:by|от)\s+(?P<name>[A-ZÀ-Þ][\w’'\-]+(?: [A-ZÀ-Þ][\w’'\-]+){1,3}),\s+(?P<role>(?:Deputy |Associate )?"
    r"(?:Spokesman|Spokeswoman|Spokesperson)[^.]*)"
)


@dataclass(slots=True)
class Header:
    title: str = ""
    published: str | None = None
    versions: list[str] = field(default_factory=list)
    header_lines: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    event_place: str | None = None
    event_date: str | None = None
    bylines: list[tuple[str, str | None]] = field(default_factory=list)   # (name, role)
    toc: list[str] = field(default_factory=list)                          # table-of-contents headings
    start_time: dt.time | None = None                                     # "2:16 p.m. EST" on its own line
    body_start: int = 0


def is_chrome(line: str) -> bool:
    if len(line) > 300:
        return False
    return bool(P.CHROME.match(line)) or bool(P.LANGUAGE_BAR.match(line) and P.LANGUAGE_BAR_TOKEN.search(line))


def chrome_text(line: str) -> str:
    """Chrome as recorded: the line without a leading bullet."""
    return line.lstrip("•·* ").strip()


def _is_special(line: str) -> bool:
    """A header line with a job of its own (chrome, dates, bylines ...), never the title."""
    if len(line) > 400:
        return False
    return bool(
        is_chrome(line) or glued_date_time(line) or iso_stamp(line) or P.BARE_TIME_LINE.match(line)
        or date_line(line) or _dashed_date(line) or P.START_TIME_LINE.match(line) or P.DOC_NUMBER_LINE.match(line)
        or P.STOCK_SENTENCES.match(line) or _PLACE_LINE.match(line)
        or (_BYLINE.match(line) and labels.at_start(line) is None)
    )


def _title_score(line: str, index: int) -> float:
    from stenogram.parse.titles import event_of, kind_of

    words = line.split()
    if len(words) < 2 or len(line) > 400:
        return -1.0
    score = 0.0
    if kind_of(line) != "other":
        score += 3
    if find_dates(line[-45:]) and event_of(line)[1] is not None:
        score += 3
    if any(w.casefold().strip(",’'s") in P.ROLE_WORDS for w in words):
        score += 1
    if len(words) >= 5:
        score += 1
    if line.endswith((".", "!", "?")) and not find_dates(line[-25:]):
        score -= 3
    if len(words) > 45:
        score -= 6
    if line.endswith(".") and len(_SENTENCE_END.findall(line)) >= 1:
        score -= 3   # two sentences or more: prose (a blogger's comment, a lead), not a headline
    if _QUOTED_HEADLINE.match(line):
        score += 1
    elif labels.at_start(line) is not None and kind_of(line) == "other":
        score -= 4
    return score - 0.05 * index


_SENTENCE_END = re.compile(r"[a-zа-яё]{3,}[.!?]\s+[A-ZА-ЯЁ]")


def _choose_title(lines: list[str]) -> int | None:
    limit = min(len(lines), 40)
    candidates: list[tuple[float, int]] = []
    for i in range(limit):
        line = lines[i]
        if P.SECTION_BREAK.match(line):
            break
        if _is_special(line):
            continue
        if labels.at_start(line) is not None and _title_score(line, 0) < 5 and not _QUOTED_HEADLINE.match(line) \
                and not _topic_title(line):
            break
        candidates.append((_title_score(line, i), i))
        if candidates[-1][0] >= 7.5 - 0.05 * i:
            break   # a kind word, a trailing date and a long line: no later line can do better
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c[0], -c[1]))
    if best[0] > 0:
        return best[1]
    return next((i for _, i in candidates if len(lines[i].split()) >= 3), candidates[0][1])


# A title after its topic: "Sahel: Press remarks by Spokesperson ...", "Gaza: Statement by the Spokesperson on ...".
_TOPIC_PREFIX = re.compile(r"^[^:]{1,60}:\s+(?P<rest>[A-Z][^:]*\bby\b.*)$")


def _topic_title(line: str) -> bool:
    """Whether a line that opens like a speaker's label is a title after its topic: what follows the colon
    has a kind word and says by whom."""
    from stenogram.parse.titles import kind_of

    m = _TOPIC_PREFIX.match(line)
    return m is not None and kind_of(m.group("rest")) != "other"


def read_header(lines: list[str], profile: SiteProfile) -> Header:
    """Consume the header block; ``body_start`` is the index of the first body line.

    The title is the best-scoring plain line near the top (a kind word, a date at its end, a role);
    plain lines before it are site chrome (site names, menus), the first plain line after it starts the body.
    """
    h = Header()
    title_at = _choose_title(lines)
    title_at, continued = _continued_title(lines, title_at)
    dates_before: list[tuple[FoundDate, str, int]] = []
    pub_date: FoundDate | None = None
    start_time: dt.time | None = None
    previous_was_byline = False
    venue_undated = False      # a venue line gave the event's place, and no date was there to go with it
    i = 0
    while i < len(lines):
        line = lines[i]
        before_title = title_at is None or i < title_at
        byline = False
        if title_at is not None and i == title_at:
            h.title = line
            record(i, "title", "the best-scoring plain line near the top (a kind word, a date at its end, a role)")
            if continued:
                # "Press conference" / "by NATO Secretary General ...": one title printed on two lines
                h.title = f"{line} {lines[i + 1]}"
                i += 1
                record(i, "title", "the title's second line (it goes on with 'by ...')")
        elif P.LANGUAGE_BAR.match(line) and P.LANGUAGE_BAR_TOKEN.search(line):
            h.versions = sorted({m.group(1) for m in P.LANGUAGE_BAR_TOKEN.finditer(line)})
            h.boilerplate.append(chrome_text(line))
            record(i, "boilerplate", "language bar (the document's versions)")
        elif P.CHROME.match(line):
            h.boilerplate.append(chrome_text(line))
            record(i, "boilerplate", "site chrome (menu, share, print or subscription line)")
        elif (found := glued_date_time(line) or iso_stamp(line) or _dashed_date(line)) is not None:
            if before_title:
                dates_before.append((found, line, i))
            elif pub_date is None:
                pub_date = found
                h.header_lines.append(line)
                record(i, "published", "the first date-and-time stamp under the title")
            else:
                h.preamble.append(line)
                record(i, "preamble", "a further date stamp in the header")
        elif P.BARE_TIME_LINE.match(line) and before_title:
            h.header_lines.append(line)
            record(i, "header", "a bare time line above the title")
        elif (dl := date_line(line)) is not None:
            found, place = dl
            if place:
                h.preamble.append(line)
                record(i, "event", "a date-and-place line (the event's place and date)")
                if h.event_date is None:
                    h.event_place, h.event_date = place, found.date.isoformat()
                if pub_date is None and not dates_before:
                    pub_date = found
            elif before_title:
                dates_before.append((found, line, i))
            elif previous_was_byline:
                h.preamble.append(line)
                record(i, "event", "a date under a byline or place line (the event's date)")
                if h.event_place and h.event_date is None:
                    h.event_date = found.date.isoformat()
                if pub_date is None and not dates_before:
                    pub_date = found
                byline = True
            elif pub_date is None and not dates_before:
                pub_date = found
                h.header_lines.append(line)
                record(i, "published", "the first date line under the title")
            else:
                h.preamble.append(line)
                record(i, "preamble", "a further date line in the header")
        elif P.START_TIME_LINE.match(line):
            start_time = find_time(line)
            h.preamble.append(line)
            record(i, "preamble", "a start-time line (the time of the publication date)")
        elif P.DOC_NUMBER_LINE.match(line) or P.STOCK_SENTENCES.match(line):
            h.preamble.append(line)
            record(i, "preamble", "a document number or a stock sentence of the site")
            if (m := _STOCK_BRIEFER.search(line)) is not None:
                h.bylines.append((m.group("name"), m.group("role").strip()))
        elif (m := _BYLINE.match(line)) is not None and labels.at_start(line) is None:
            h.bylines.append((m.group("name"), m.group("role").strip()))
            h.preamble.append(line)
            record(i, "preamble", "a byline: name, role (the briefer)")
            byline = True
        elif _PLACE_LINE.match(line) and not before_title:
            h.preamble.append(line)
            record(i, "event", "a place line under the title (the event's place)")
            h.event_place = h.event_place or line
            byline = True
        elif P.VENUE_LINE.match(line) and not before_title:
            # "James S. Brady Press Briefing Room" under the page's date: where and when the briefing was
            h.preamble.append(line)
            record(i, "event", "a venue line (the event's place)")
            if h.event_place is None:
                h.event_place = line
                if h.event_date is None and pub_date is not None and not dates_before:
                    h.event_date = pub_date.date.isoformat()
                venue_undated = h.event_date is None
            byline = True
        elif not before_title and (field := _FIELD.match(line)) is not None:
            i = _read_field(lines, i, field, h)
            byline = field.group("dated") is None    # the date under "Published" is the page's date
        elif not before_title and title_at is not None and i == title_at + 1 and i + 1 < len(lines) \
                and _FIELD.match(lines[i + 1]) is not None:
            # gov.uk: the page's summary between the title and its metadata fields ("From:", "Published")
            h.preamble.append(line)
            record(i, "preamble", "a summary above the page's metadata fields")
            byline = True
        elif before_title and title_at is not None:
            h.boilerplate.append(line)
            record(i, "boilerplate", "a plain line above the title (site name, menu)")
        elif title_at is None:
            break   # no title: the first plain line starts the body
        elif (field_label := labels.at_start(line)) is not None and field_label.word in P.FIELD_HEADERS:
            # "Subjects: ...", "Themen: ..." under the title: a field of the head, and the head goes on after it
            # (to a "Date: 14 June 2022" line, say)
            h.preamble.append(line)
            record(i, "preamble", f"a field line of the head ({field_label.name}:), not a speaker")
        elif _AUTHOR_LINE.match(line) or _TEAM_LINE.match(line) or line == h.title:
            h.preamble.append(line)
            record(i, "preamble", "an author line or the title repeated")
            byline = not _AUTHOR_LINE.match(line)   # a date under a writer's credit is the page's own
        elif _STANDALONE_NAME.match(line) and not before_title and i + 1 < len(lines) and i == title_at + 1 \
                and date_line(lines[i + 1]) is not None and looks_like_person(line):
            # an aggregator's attribution under the title ("Barack Obama" above a briefing's date)
            h.preamble.append(line)
            record(i, "preamble", "an attribution line (a name above the date)")
            byline = True
        elif _STANDALONE_NAME.match(line) and i + 1 < len(lines) and _ROLE_LINE.match(lines[i + 1]):
            h.bylines.append((line, lines[i + 1]))
            h.preamble.extend((line, lines[i + 1]))
            record(i, "preamble", "a byline: name, then role on the next line")
            record(i + 1, "preamble", "a byline: the role under the name")
            i += 1
            byline = True
        else:
            break
        previous_was_byline = byline
        i += 1
    # Of the dates above the title, the last is the page's own; earlier ones are capture dates (chrome).
    if dates_before:
        *chrome_dates, (own, own_line, own_at) = dates_before
        h.boilerplate[0:0] = [line for _, line, _ in chrome_dates]
        h.header_lines.insert(0, own_line)
        for _, _, at in chrome_dates:
            record(at, "boilerplate", "an earlier date above the title (a capture date)")
        record(own_at, "published", "the last date above the title (the page's own)")
        pub_date = own if pub_date is None or own.time is not None or pub_date.time is None else pub_date
        if venue_undated and h.event_date is None and profile.name != "generic":
            # the site's own page dated above its title (saved HTML puts the date first): the day of the venue
            h.event_date = own.date.isoformat()
    h.start_time = start_time
    h.body_start = _read_toc(lines, i, h)
    if pub_date is not None:
        time = pub_date.time or (start_time if pub_date.date.isoformat() == h.event_date or h.event_date is None else None)
        h.published = to_iso(pub_date.date, time, profile.tz)
    return h


def _continued_title(lines: list[str], title_at: int | None) -> tuple[int | None, bool]:
    """A title printed on two lines, a kind ("Press conference") above who gave it ("by NATO Secretary General
    ..."): the first line's index, and whether the next line goes on with it."""
    from stenogram.parse.titles import kind_of

    if title_at is None:
        return None, False
    for first in (title_at - 1, title_at):
        if 0 <= first < len(lines) - 1 and len(lines[first].split()) <= 4 and kind_of(lines[first]) != "other" \
                and _BY_LINE.match(lines[first + 1]):
            return first, True
    return title_at, False


# A page's metadata field under its title, the value on the same line or the next: "From:" (the offices and
# people a page is from), "Location:", "Delivered on:", "Published". The value of "Published" is a date line
# and is read as one.
_FIELD = re.compile(r"^(?:(?P<field>From|Location|Venue|Delivered on):\s*(?P<value>.*)|(?P<dated>Published|Updated):?)$")
# A person in a "From:" field: "The Rt Hon Sir Keir Starmer KCB KC MP" (styles and letters after the name dropped).
_STYLED_PERSON = re.compile(
    r"\b(?:The )?(?:Rt\.? Hon\.?|Right Honourable)\s+(?:(?:Sir|Dame|Lord|Lady|Dr|Baroness|Baron)\s+)?"
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3}?)(?=(?:\s+(?:[A-Z]{2,4}))*\s*(?:$|,|\sand\s))"
)


def _read_field(lines: list[str], i: int, field: re.Match[str], h: Header) -> int:
    """A metadata field and its value (the next line when the field stands alone): the event's place, the
    day it was delivered on, the people a page is from; the index of the field's last line."""
    name = field.group("field") or field.group("dated")
    value = field.group("value")
    h.preamble.append(lines[i])
    record(i, "preamble", f"a metadata field ({name})")
    if field.group("dated"):
        return i          # the date on the next line is the publication date
    if not value or not value.strip():
        if i + 1 >= len(lines):
            return i
        i += 1
        value = lines[i]
        h.preamble.append(value)
    if name in ("Location", "Venue"):
        record(i, "event", "the value of a Location field (the event's place)")
        h.event_place = h.event_place or value.strip()
    elif name == "Delivered on" and (days := find_dates(value)):
        record(i, "event", "the value of a 'Delivered on' field (the event's date)")
        h.event_date = h.event_date or days[0].date.isoformat()
    elif name == "From":
        record(i, "preamble", "the value of a From field (a person it names speaks the unlabelled text)")
        h.bylines.extend((m.group("name"), None) for m in _STYLED_PERSON.finditer(value))
    else:
        record(i, "preamble", f"the value of a {name} field")
    return i


# A byline that names an office, not a person: "EEAS Press Team".
_TEAM_LINE = re.compile(r"^(?:[A-Z][\w/&\-]*\s){1,3}Press (?:Team|Office|Service)$")
_BY_LINE = re.compile(r"^by [A-Z]\S*(?: \S+){1,40}$")
_AUTHOR_LINE = re.compile(r"^(?:By|by|Posted by|Автор:?|Текст:|Von|Por|Par|Publié par)\s+\S.{0,60}$")
# A headline that quotes its speaker: "Мария Захарова: «Мы никому не закрываем двери»" (a title, not a turn).
_QUOTED_HEADLINE = re.compile(r"^[^:«»“”\"]{2,60}:\s*[«“\"„][^«»“”\"]{2,200}[»”\"“]\s*$")
_ROLE_LINE = re.compile(r"^(?:(?:Deputy |Principal Deputy |Department )?Spokes(?:person|man|woman)|Secretary of State|Press Secretary)$")


_DASHED = re.compile(r"^\s*(?P<day>[0-3]?\d)-(?P<month>[01]?\d)-(?P<year>(?:19|20)\d\d)\s*$")


def _dashed_date(line: str) -> FoundDate | None:
    """archive.mid.ru's ``17-06-2013``."""
    m = _DASHED.match(line)
    if not m:
        return None
    try:
        return FoundDate(dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day"))), 0, len(line))
    except ValueError:
        return None


def _read_toc(lines: list[str], i: int, h: Header) -> int:
    """A briefing's table of contents: numbered headings (the list may restart at 1), then the body.

    The body starts where the first heading is repeated.
    """
    j = i
    if j < len(lines) and P.TABLE_OF_CONTENTS.match(lines[j]):
        j += 1
    elif not (j < len(lines) and P.NUMBERED_ITEM.match(lines[j]) and lines[j].lstrip().startswith("1")):
        return i
    items: list[str] = []
    k = j
    while k < len(lines) and (P.NUMBERED_ITEM.match(lines[k]) or P.QA_HEADINGS.match(lines[k])):
        items.append(lines[k])
        k += 1
    headings = [re.sub(r"^\s*\d{1,2}[.)]\s+", "", item) for item in items if P.NUMBERED_ITEM.match(item)]
    if len(headings) < 2 or k >= len(lines) or lines[k] not in headings:
        return i
    h.preamble.extend(lines[i:k])
    for at in range(i, k):
        record(at, "preamble", "a briefing's table of contents (the body starts where its first heading repeats)")
    h.toc = [re.sub(r"^\s*\d{1,2}[.)]\s+", "", item) for item in items]
    return k
