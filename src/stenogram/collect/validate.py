"""The document contract (``stenogram/document@1``) checked in code, before a document from outside is stored.

:func:`check_document` checks what the contract's JSON schema says (required fields and their types, the
enumerations) and the rules between fields that a schema cannot say:

- turns are numbered 0, 1, 2, … in order, each turn's ``text`` is its paragraphs joined by a blank line,
  and ``reply_to`` points at an earlier turn of the same document;
- a mention points at a turn of the document, and its ``start``–``end`` fall inside that turn's text
  and cover the mention's ``text``; a section points at a turn of the document;
- ``published`` is an ISO 8601 date or date-time, ``event.date`` an ISO 8601 date;
- ``language``, ``versions`` (each once) and ``translated_from`` are ISO 639-1 codes;
- ``url`` is an http or https URL that parses; ``source`` is a plain name (letters, digits, ``.``, ``_``, ``-``);
- ``id`` is a non-empty string without control characters; every string is text (no lone surrogates).

The first rule broken raises :class:`ContractViolation`, whose message says which part of the document is
wrong and how (``mention 3 points at turn 999, which does not exist``). :func:`url_problem` is the URL rule
alone, shared with the importers (a dataset's ``url`` column, a web archive's target URIs) and ``parse --url``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn
from urllib.parse import urlsplit

from stenogram.errors import ContractError
from stenogram.model import DOCUMENT_KINDS, MENTION_TYPES, SCHEMA, TURN_KINDS

__all__ = ["LANGUAGE_CODES", "ContractViolation", "check_document", "describe", "url_problem"]

#: every ISO 639-1 language code
LANGUAGE_CODES = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg
ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn
no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split())

REQUIRED = ("schema", "id", "source", "language", "title", "published", "kind", "event", "versions", "participants",
            "turns", "mentions")
TURN_REQUIRED = ("index", "kind", "speaker", "label", "text", "paragraphs")
MENTION_REQUIRED = ("type", "text", "turn", "start", "end")
#: a site profile's name: ``mid.ru``, ``fmprc.gov.cn``, ``generic``
_SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: ISO 8601 in its extended form: a date, or a date and a time with an optional offset
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:\d\d)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: the largest whole number SQLite stores as one
_MAX_INT = 2**63 - 1


class ContractViolation(ContractError):
    """A document breaks a rule of the contract. ``field`` says where (``turns[2].paragraphs[0]``), the message
    what is wrong, precisely."""

    def __init__(self, problem: str, field: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.field = field


def describe(value: object) -> str:
    """A JSON value as a message names it: ``null``, ``the number 5``, ``the string 'x'``, ``an array``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        shown = repr(value)
        return f"the number {shown if len(shown) <= 24 else shown[:21] + '...'}"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def url_problem(url: str) -> str | None:
    """What is wrong with a URL a document may carry (None: nothing): it must parse and use http or https."""
    if not url.strip():
        return "is empty"
    if _CONTROL.search(url) or any(ch.isspace() for ch in url):
        return "contains spaces or control characters"
    if not _is_text(url):
        return "is not text (it holds a lone surrogate)"
    try:
        parts = urlsplit(url)
        parts.port   # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"'{parts.scheme}:'" if parts.scheme else "no scheme"
        return f"is not an http or https URL (it has {shown})"
    if not parts.hostname:
        return "has no host name"
    return None


def check_document(data: object) -> None:
    """Raise :class:`ContractViolation` for the first rule of ``stenogram/document@1`` the JSON value breaks."""
    if not isinstance(data, Mapping):
        _fail(f"the line is {describe(data)}, not a document: each line must be one JSON object in the {SCHEMA} form")
    if "schema" not in data:
        _fail(f"the object has no 'schema' field: it is not a stenogram document (expected 'schema': {SCHEMA!r})", "schema")
    if data["schema"] != SCHEMA:
        _fail(f"'schema' is {describe(data['schema'])}, expected {SCHEMA!r}", "schema")
    for name in REQUIRED:
        if name not in data:
            _fail(f"the document has no {name!r} field, which the contract requires", name)
    ident = data["id"]
    if not isinstance(ident, str) or not ident.strip():
        _fail(f"'id' is {describe(ident)}; it must be a non-empty string", "id")
    if _CONTROL.search(ident):
        _fail(f"'id' {_short(ident)} contains a control character (a line break, a tab, ...); ids are one line", "id")
    _text(ident, "'id'", "id")
    url = data.get("url")
    if url is not None:
        _string(url, "'url'", "url", null=True)
        if (problem := url_problem(url)) is not None:
            _fail(f"'url' {_short(url)} {problem}", "url")
    source = data["source"]
    _string(source, "'source'", "source")
    if not _SOURCE.fullmatch(source):
        _fail(f"'source' {_short(source)} is not a plain name: a site profile's name is letters, digits, '.', '_' "
              "and '-' (e.g. 'mid.ru', 'generic'), at most 100 characters", "source")
    _language(data["language"], "'language'", "language")
    _string(data["title"], "'title'", "title")
    _published(data["published"])
    if data["kind"] not in DOCUMENT_KINDS:
        _fail(f"'kind' is {describe(data['kind'])}; document kinds are {', '.join(DOCUMENT_KINDS)}", "kind")
    _event(data["event"])
    versions = _array(data["versions"], "'versions'", "versions")
    for i, code in enumerate(versions):
        _language(code, f"'versions' item {i}", f"versions[{i}]")
        if code in versions[:i]:
            _fail(f"'versions' lists {code!r} twice; each language version is listed once", f"versions[{i}]")
    for i, p in enumerate(_array(data["participants"], "'participants'", "participants")):
        at = f"participants[{i}]"
        p = _record(p, "participant", i, ("name",), "a participant is an object with a 'name'", at)
        _string(p["name"], f"participant {i}'s 'name'", f"{at}.name")
        for key in ("role", "country"):
            _string(p.get(key), f"participant {i}'s {key!r}", f"{at}.{key}", null=True)
    texts = _turns(_array(data["turns"], "'turns'", "turns"))
    _mentions(_array(data["mentions"], "'mentions'", "mentions"), texts)
    for i, s in enumerate(_array(data.get("sections", []), "'sections'", "sections")):
        at = f"sections[{i}]"
        s = _record(s, "section", i, ("title", "turn"), "a section is an object with a 'title' and a 'turn'", at)
        _string(s["title"], f"section {i}'s 'title'", f"{at}.title")
        turn = s["turn"]
        if turn is not None:
            _integer(turn, f"section {i}'s 'turn'", f"{at}.turn", null=True)
            if not 0 <= turn < len(texts):
                _fail(f"section {i} points at turn {turn}, which does not exist (the document has {len(texts)} "
                      f"turn{'' if len(texts) == 1 else 's'})", f"{at}.turn")
    for key in ("preamble", "boilerplate", "header"):
        for i, item in enumerate(_array(data.get(key, []), repr(key), key)):
            _string(item, f"{key!r} item {i}", f"{key}[{i}]")


def _turns(turns: list[Any]) -> list[str]:
    """Check the turns; their texts, in order."""
    texts: list[str] = []
    for i, t in enumerate(turns):
        at = f"turns[{i}]"
        t = _record(t, "turn", i, TURN_REQUIRED, "a turn is an object", at)
        _integer(t["index"], f"turn {i}'s 'index'", f"{at}.index")
        if t["index"] != i:
            _fail(f"turn {i} has 'index' {t['index']}; turns are numbered 0, 1, 2, ... in the order they come",
                  f"{at}.index")
        if t["kind"] not in TURN_KINDS:
            _fail(f"turn {i}'s 'kind' is {describe(t['kind'])}; turn kinds are {', '.join(TURN_KINDS)}", f"{at}.kind")
        for key in ("speaker", "label", "affiliation", "after", "speaker_id"):
            _string(t.get(key), f"turn {i}'s {key!r}", f"{at}.{key}", null=True)
        if t.get("translated_from") is not None:
            _language(t["translated_from"], f"turn {i}'s 'translated_from'", f"{at}.translated_from")
        paragraphs = _array(t["paragraphs"], f"turn {i}'s 'paragraphs'", f"{at}.paragraphs")
        for j, p in enumerate(paragraphs):
            _string(p, f"turn {i}'s paragraph {j}", f"{at}.paragraphs[{j}]")
        for key in ("notes", "addressed_to"):
            for j, item in enumerate(_array(t.get(key, []), f"turn {i}'s {key!r}", f"{at}.{key}")):
                _string(item, f"turn {i}'s {key!r} item {j}", f"{at}.{key}[{j}]")
        text = t["text"]
        _string(text, f"turn {i}'s 'text'", f"{at}.text")
        if text != "\n\n".join(paragraphs):
            _fail(f"turn {i}'s 'text' is not its paragraphs joined by a blank line, as the contract has it",
                  f"{at}.text")
        reply_to = t.get("reply_to")
        if reply_to is not None:
            _integer(reply_to, f"turn {i}'s 'reply_to'", f"{at}.reply_to", null=True)
            if not 0 <= reply_to < len(turns):
                _fail(f"turn {i} replies to turn {reply_to}, which does not exist", f"{at}.reply_to")
            if reply_to >= i:
                _fail(f"turn {i} replies to turn {reply_to}, which does not come before it; 'reply_to' points at "
                      "an earlier turn", f"{at}.reply_to")
        texts.append(text)
    return texts


def _mentions(mentions: list[Any], texts: list[str]) -> None:
    for i, m in enumerate(mentions):
        at = f"mentions[{i}]"
        m = _record(m, "mention", i, MENTION_REQUIRED, "a mention is an object", at)
        if m["type"] not in MENTION_TYPES:
            _fail(f"mention {i}'s 'type' is {describe(m['type'])}; mention types are {', '.join(MENTION_TYPES)}",
                  f"{at}.type")
        _string(m["text"], f"mention {i}'s 'text'", f"{at}.text")
        for key in ("id", "unit", "person_id"):
            _string(m.get(key), f"mention {i}'s {key!r}", f"{at}.{key}", null=True)
        value = m.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value) or abs(value) > _MAX_INT):
            _fail(f"mention {i}'s 'value' is {describe(value)}; it must be a finite number or null", f"{at}.value")
        for key in ("turn", "start", "end"):
            _integer(m[key], f"mention {i}'s {key!r}", f"{at}.{key}")
        turn, start, end = m["turn"], m["start"], m["end"]
        if not 0 <= turn < len(texts):
            _fail(f"mention {i} points at turn {turn}, which does not exist (the document has {len(texts)} "
                  f"turn{'' if len(texts) == 1 else 's'})", f"{at}.turn")
        size = len(texts[turn])
        if not 0 <= start <= end <= size:
            _fail(f"mention {i} (characters {start}–{end}) falls outside turn {turn}'s text, which has {size} "
                  "characters", f"{at}.start")
        if texts[turn][start:end] != m["text"]:
            _fail(f"mention {i}'s 'text' {_short(m['text'])} is not what turn {turn} has at characters {start}–{end} "
                  f"({_short(texts[turn][start:end])})", f"{at}.text")


def _record(value: object, what: str, i: int, required: Iterable[str], shape: str, at: str) -> Mapping[str, Any]:
    """``value`` (item ``i`` of a list of ``what``) as an object with the ``required`` fields, or the rule it breaks."""
    if not isinstance(value, Mapping):
        _fail(f"{what} {i} is {describe(value)}; {shape}", at)
    for key in required:
        if key not in value:
            _fail(f"{what} {i} has no {key!r} field, which the contract requires", f"{at}.{key}")
    return value


def _event(event: object) -> None:
    if not isinstance(event, Mapping):
        _fail(f"'event' is {describe(event)}; it must be an object with 'place' and 'date' (each may be null)", "event")
    _string(event.get("place"), "the event's 'place'", "event.place", null=True)
    day = event.get("date")
    _string(day, "the event's 'date'", "event.date", null=True)
    if day is not None and not _iso(day, time=False):
        _fail(f"the event's 'date' {_short(day)} is not an ISO 8601 date (e.g. 2020-11-25)", "event.date")


def _published(value: object) -> None:
    _string(value, "'published'", "published", null=True)
    if value is not None and not _iso(str(value), time=True):
        _fail(f"'published' {_short(str(value))} is not an ISO 8601 date or date-time (e.g. 2020-11-25 or "
              "2020-11-25T16:19:00+03:00)", "published")


def _iso(value: str, *, time: bool) -> bool:
    try:
        if _DATE.fullmatch(value):
            dt.date.fromisoformat(value)
            return True
        if time and _DATE_TIME.fullmatch(value):
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return True
    except ValueError:
        pass
    return False


def _language(value: object, what: str, field: str) -> None:
    if not isinstance(value, str):
        _fail(f"{what} is {describe(value)}; it must be a language code (ISO 639-1, e.g. 'en')", field)
    if value not in LANGUAGE_CODES:
        _fail(f"{what} {_short(value)} is not an ISO 639-1 language code (two small letters, e.g. 'en', 'ru', 'zh')",
              field)


def _string(value: object, what: str, field: str, *, null: bool = False) -> None:
    if value is None and null:
        return
    if not isinstance(value, str):
        _fail(f"{what} is {describe(value)}; it must be a string{' or null' if null else ''}", field)
    _text(value, what, field)


def _text(value: str, what: str, field: str) -> None:
    if not _is_text(value):
        _fail(f"{what} is not text: it holds a lone surrogate, which no UTF-8 text can", field)


def _is_text(value: str) -> bool:
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(value: object, what: str, field: str, *, null: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_INT:
        _fail(f"{what} is {describe(value)}; it must be a whole number{' or null' if null else ''}", field)


def _array(value: object, what: str, field: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(f"{what} is {describe(value)}; it must be an array", field)
    return value


def _short(value: str, limit: int = 40) -> str:
    shown = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(shown).encode("utf-8", "backslashreplace").decode("utf-8")


def _fail(problem: str, field: str = "") -> NoReturn:
    raise ContractViolation(problem, field)
