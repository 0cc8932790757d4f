"""The filter vocabulary, defined once: each filter's name, what it means, how its value is read, and how
a form asks for it.

The query language (``speaker:Lavrov``), the CLI's options (``--speaker``), the API's parameters (with
their OpenAPI descriptions), the web's advanced settings and both indexes all take their filters from
:data:`FIELDS`; a value is read the same way wherever it comes from (:meth:`FilterField.read`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from stenogram.errors import QueryError
from stenogram.model import DOCUMENT_KINDS, TURN_KINDS

#: how a form asks for a filter: free text, one of a list, or a range of dates
Form = Literal["text", "choice", "dates"]


class BadValue(QueryError):
    """A filter's value cannot be read; the query parser adds the column. The message names the value as the
    query language writes it (``kind:answr is not a turn kind; ...``); ``problem`` is what is wrong and what is
    allowed, and ``part`` the piece of the value at fault when it is not all of it (one end of a date range),
    so that a filter given as an option or keyword can be named as such instead (``FilterValueError``)."""

    def __init__(self, subject: str, problem: str, *, part: str | None = None) -> None:
        super().__init__(f"{subject} {problem}")
        self.problem = problem
        self.part = part


@dataclass(frozen=True, slots=True)
class Value:
    """A filter's value as read: ``value`` normalised (a country's ISO code, a language in lower case);
    for dates, the ISO bounds of the range (either may be None)."""

    value: str
    low: str | None = None
    high: str | None = None


@dataclass(frozen=True, slots=True)
class FilterField:
    name: str
    #: what it matches, for --help, the API reference and the web form's title
    help: str
    #: the web form's label
    label: str
    #: an example in the query language
    example: str
    form: Form = "text"
    #: a hint in an empty form field
    placeholder: str = ""
    #: the values a choice offers when they are fixed (else the corpus's own, e.g. its sources)
    choices: tuple[str, ...] = ()
    reader: Callable[[str], Value] | None = None

    def read(self, raw: str) -> Value:
        """The value of ``name:raw`` as the indexes use it; BadValue says why it cannot be read."""
        value = raw.strip()
        if self.reader is not None:
            return self.reader(value)
        if self.choices and value not in self.choices:
            raise BadValue(f"{self.name}:{value}", f"is not one of: {', '.join(self.choices)}")
        return Value(value)


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: what a date filter accepts, said after what is wrong with one
DATE_FORMS = "dates are YYYY, YYYY-MM or YYYY-MM-DD, and a range is FROM..TO with either end open (2020..2021-06)"


def _bound(text: str, *, high: bool) -> str | None:
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise BadValue(f"date {text!r}", f"is not a date; {DATE_FORMS}", part=text)
    year, month, day = int(m.group(1)), int(m.group(2) or (12 if high else 1)), m.group(3)
    try:
        if day:
            return dt.date(year, month, int(day)).isoformat()
        if high:
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return (nxt - dt.timedelta(days=1)).isoformat()
        return dt.date(year, month, 1).isoformat()
    except ValueError as exc:
        raise BadValue(f"date {text!r}", f"does not exist; {DATE_FORMS}", part=text) from exc


def _dates(value: str) -> Value:
    low, sep, high = value.partition("..")
    if not sep:
        high = low
    lo, hi = _bound(low, high=False), _bound(high, high=True)
    if lo is None and hi is None:
        raise BadValue(f"date:{value}", f"has no date at either end; {DATE_FORMS}")
    if lo and hi and lo > hi:
        raise BadValue(f"date range {value}", "ends before it starts; give the earlier date first")
    return Value(value, lo, hi)


def _country(value: str) -> Value:
    from stenogram.gazetteer import country_code

    code = value.upper() if re.fullmatch(r"[A-Za-z]{2}", value) else country_code(value)
    if code is None:
        raise BadValue(f"country:{value}", "is not an ISO 3166 code or a country name we know (IQ, Iraq, Irak, Ирак)")
    return Value(code)


def _edited(value: str) -> Value:
    """``yes`` (edited after publication: a later version was seen), ``no``, or the days edits were seen."""
    word = value.lower()
    if word in ("yes", "no"):
        return Value(word)
    if not _DATE.match(value.partition("..")[0] or value.partition("..")[2] or "-"):
        raise BadValue(f"edited:{value}", f"is not yes, no or dates; {DATE_FORMS}")
    read = _dates(value)
    return Value(read.value, read.low, read.high)


def _choice(name: str, what: str, choices: tuple[str, ...]) -> Callable[[str], Value]:
    def read(value: str) -> Value:
        if value not in choices:
            raise BadValue(f"{name}:{value}", f"is not {what}; kinds are: {', '.join(choices)}")
        return Value(value)
    return read


FIELDS: tuple[FilterField, ...] = (
    FilterField("speaker", "Speaker: full name, a label it was printed under, or a surname.", "Speaker",
                'speaker:"Sergey Lavrov"', placeholder="Lavrov"),
    FilterField("kind", "Turn kind: " + ", ".join(TURN_KINDS) + ".", "Turn kind", "kind:answer", form="choice",
                choices=TURN_KINDS, reader=_choice("kind", "a turn kind", TURN_KINDS)),
    FilterField("doc_kind", "Document kind: " + ", ".join(DOCUMENT_KINDS) + ".", "Document kind", "doc_kind:briefing",
                form="choice", choices=DOCUMENT_KINDS, reader=_choice("doc_kind", "a document kind", DOCUMENT_KINDS)),
    FilterField("source", "Site the document comes from: mid.ru, kremlin.ru, state.gov, fmprc.gov.cn, un.org, generic.",
                "Source", "source:mid.ru", form="choice"),
    FilterField("lang", "Language of the document (ISO 639-1).", "Language", "lang:en", form="choice",
                reader=lambda value: Value(value.lower())),
    FilterField("date", "Dates FROM..TO, either end open: 2020..2021-06, 2020-11-25.", "Dates", "date:2020..2021-06",
                form="dates", reader=_dates),
    FilterField("country", "Country mentioned (ISO code or name).", "Country mentioned", "country:IQ",
                placeholder="IQ or Iraq", reader=_country),
    FilterField("person", "Person mentioned.", "Person mentioned", 'person:"Fuad Hussein"', placeholder="Fuad Hussein"),
    FilterField("org", "Organisation mentioned (name or abbreviation).", "Organisation mentioned", "org:UN",
                placeholder="United Nations"),
    FilterField("edited", "Edited after publication: yes, no, or the dates a changed version was seen "
                "(2024.., 2024-03..2024-06).", "Edited after publication", "edited:yes", placeholder="yes, or 2024..",
                reader=_edited),
)
BY_NAME: dict[str, FilterField] = {f.name: f for f in FIELDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def given(options: Mapping[str, str | None] | None) -> Iterator[tuple[FilterField, str]]:
    """The filters given in ``options`` (name → value, empty ones left out), in the vocabulary's order;
    QueryError for a name that is not a filter."""
    options = options or {}
    unknown = sorted(set(options) - set(NAMES))
    if unknown:
        raise QueryError(f"unknown filter {unknown[0]!r}; filters are: {', '.join(NAMES)}")
    for f in FIELDS:
        value = options.get(f.name)
        if value is not None and value != "":
            yield f, str(value)
