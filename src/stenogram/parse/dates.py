"""Dates and times in five languages, and the site's UTC offset through zoneinfo."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from stenogram.parse import patterns as P

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class FoundDate:
    date: dt.date
    start: int
    end: int
    time: dt.time | None = None


def _month(value: str) -> int | None:
    if value.isdigit():
        return int(value)
    return P.MONTHS.get(value.lower().rstrip("."))


def _make(year: str, month: str, day: str) -> dt.date | None:
    m = _month(month)
    if m is None:
        return None
    try:
        return dt.date(int(year), m, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in the text, left to right, overlapping matches removed."""
    found: list[FoundDate] = []
    if not _DIGIT.search(text):
        return found
    for rx in P.DATE_PATTERNS:
        for m in rx.finditer(text):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            day = _make(m.group("year"), m.group("month"), m.group("day"))
            if day is not None:
                found.append(FoundDate(day, m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def glued_date_time(line: str) -> FoundDate | None:
    """mid.ru's header line, ``25 November 202016:19``."""
    m = P.GLUED_DATE_TIME.match(line)
    if not m:
        return None
    day = _make(m.group("year"), m.group("month"), m.group("day"))
    if day is None:
        return None
    hour, minute = m.group("time").split(":")
    try:
        return FoundDate(day, m.start(), m.end(), dt.time(int(hour), int(minute)))
    except ValueError:
        return None


def iso_stamp(line: str) -> FoundDate | None:
    """``2019-05-14 21:07`` (China MFA) or a bare ``2019-05-14``."""
    m = P.ISO_STAMP.match(line)
    if not m:
        return None
    day = _make(m.group("year"), m.group("month"), m.group("day"))
    if day is None:
        return None
    time = None
    if m.group("hour"):
        try:
            time = dt.time(int(m.group("hour")), int(m.group("minute")))
        except ValueError:
            return None
    return FoundDate(day, 0, len(line), time)


def find_time(text: str) -> dt.time | None:
    """The first clock time in the text (``2:16 p.m.``, ``16:19``)."""
    m = P.TIME.search(text)
    if not m:
        return None
    hour, minute = int(m.group("hour")), int(m.group("minute"))
    ampm = (m.group("ampm") or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23:
        return None
    return dt.time(hour, minute)


def to_iso(day: dt.date, time: dt.time | None, tz: str | None) -> str:
    """ISO 8601: a bare date without a time; with the zone's offset on that day when tz is known."""
    if time is None:
        return day.isoformat()
    moment = dt.datetime.combine(day, time)
    if tz is None:
        return moment.isoformat()
    return moment.replace(tzinfo=ZoneInfo(tz)).isoformat()


_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|понедельник|вторник|среда|четверг|пятница|суббота|"
    r"воскресенье|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|"
    r"sábado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunedì|martedì|mercoledì|giovedì|venerdì|"
    r"sabato|domenica),?\s+",
    re.IGNORECASE,
)


# "Publié le 14 mars 2022", "Posted on May 3, 2023": the words before a page's date.
_PUBLISHED = re.compile(
    r"^(?:Publié le|Mis à jour le|Published(?: on)?|Posted(?: on)?|Veröffentlicht am|Publicado el|Опубликовано:?|"
    r"Pubblicato il|Data di pubblicazione:?|Date:)\s+",
    re.IGNORECASE,
)
# "à 9h40", "um 9.40 Uhr": a time after a date, in the page's language.
_TIME_AFTER = re.compile(
    r"^\s*[-–—,]?\s*(?:at|à|um|a las|в)?\s*([0-2]?\d(?:[:.]|\s?h\s?)[0-5]\d(?:\s*[ap]\.?\s?m\.?)?)(?:\s*Uhr)?\s*",
    re.IGNORECASE,
)


_PLACE_FIRST = re.compile(r"^([A-Z][\w’'.\-]+(?: [A-Z][\w’'.\-]+){0,3}),\s+$")


def date_line(line: str) -> tuple[FoundDate, str] | None:
    """A line that is a date (with an optional weekday, time and place): returns the date and the rest.

    ``April 3, 2018, Ankara`` → (2018-04-03, 'Ankara'); ``Monday, 14 March 2016 11:20`` → date with time;
    ``May 24, 2018 - 23:25 - St Petersburg``; ``11.06.2022``; ``16 июня 2021 года, Женева``.
    """
    if len(line) > 160 or not any(ch.isdigit() for ch in line[:40]):
        return None
    # a leading bullet or dash is a list's or a stamp's, not the date's (``• 24 May. 2017 -``)
    body = _WEEKDAY.sub("", _PUBLISHED.sub("", line.strip().lstrip("•·▪*–—- ").strip().strip("()")))
    dates = find_dates(body)
    if dates and dates[0].start > 0:
        # "Brussels, 20.11.2023": the place before the date, and nothing after it
        before = _PLACE_FIRST.match(body[:dates[0].start])
        if before is None or body[dates[0].end:].strip(" .,"):
            return None
        return FoundDate(dates[0].date, dates[0].start, dates[0].end), before.group(1)
    if not dates:
        return None
    first = dates[0]
    rest = body[first.end:]
    time = None
    tm = _TIME_AFTER.match(rest)
    if tm:
        time = find_time(re.sub(r"\s?h\s?", ":", tm.group(1), count=1))
        rest = rest[tm.end():]
    place = rest.strip(" ,-–—").strip()
    if len(place.split()) > 6 or (any(ch in place for ch in ".?!:;") and not place.endswith(".")):
        return None
    if place and not place[0].isupper():
        return None
    return FoundDate(first.date, first.start, first.end, time), place


# A date in a page's address: a /2021/05/14/ path, or an item id that is a date with a short prefix
# ("db230912", "t20230912": year, month, day; two-digit years are 20xx).
_PATH_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]\d)/(?P<day>[0-3]\d)(?:/|$)")
_ID_DATE = re.compile(r"(?:^|[/_\-])[a-z]{1,4}(?P<year>(?:19|20)?\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:\.\w{2,5})?$",
                      re.IGNORECASE)


def date_in_address(url: str) -> dt.date | None:
    """The date a page's address gives, when it gives one that exists and is not in the future."""
    from urllib.parse import urlsplit

    path = urlsplit(url).path.rstrip("/")
    for rx in (_PATH_DATE, _ID_DATE):
        m = rx.search(path + ("/" if rx is _PATH_DATE else ""))
        if m is None:
            continue
        year = m.group("year")
        found = _make(year if len(year) == 4 else f"20{year}", m.group("month"), m.group("day"))
        if found is not None and found <= dt.date.today():
            return found
    return None
