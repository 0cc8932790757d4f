"""Server-rendered pages: the archive at a glance (the front page), search with Advanced settings and
facets and its hits grouped by document, a document as a conversation (or beside another language version
of it), a speaker's page and a trend chart. Every state of a page is in its URL."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from stenogram import limits
from stenogram.api import (
    CHANGE_FIELDS as FIELD_NAMES,
)
from stenogram.api import (
    CITATION_STYLES,
    FILTER_FIELDS,
    MARK_CLOSE,
    MARK_OPEN,
    Corpus,
    DocumentDiff,
    Hit,
    Stats,
    Suggestion,
    country_label,
    describe_changes,
)
from stenogram.errors import NotFound, QueryError
from stenogram.limits import bounded
from stenogram.model import Document, Turn
from stenogram.web import feed
from stenogram.web.charts import Bar, bar_chart, every_year, line_chart
from stenogram.web.readable import country_html, date_html, language_html, language_name, readable_date

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)
#: the search form's fields, from the filter vocabulary: one a filter, two (from, to) for a range of dates
FILTERS = tuple(name for f in FILTER_FIELDS
                for name in ((f"{f.name}_from", f"{f.name}_to") if f.form == "dates" else (f.name,)))
PAGE = 20


def web_link(url: str | None) -> str | None:
    """``url`` if it may be a link: an absolute http or https URL that parses, with a host and nothing
    a browser would strip or reinterpret (spaces, control characters); otherwise None (show it as text).
    A stored URL comes from the documents, so ``javascript:``, ``data:`` and the like never become links."""
    if not url or len(url) > 4096 or any(c <= " " or c == "\x7f" or c == "\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


def speaker_path(name: str) -> str:
    """The speaker page of ``name``: every character that is not plain is escaped, ``/`` included, so a
    name such as ``Spokesperson/Director`` is one path segment a browser leaves as it is."""
    return "/speaker/" + quote(name, safe="")


templates.env.filters["web_link"] = web_link
templates.env.filters["speaker_path"] = speaker_path
templates.env.filters["country_name"] = country_label
templates.env.filters["when"] = date_html
templates.env.filters["language"] = language_html
templates.env.filters["language_name"] = language_name
templates.env.filters["country"] = country_html
templates.env.filters["readable_date"] = readable_date


def _url(path: str, params: dict[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(clean) if clean else "")


def snippet_html(snippet: str) -> Markup:
    """Escape a snippet, then turn the match markers into <mark>."""
    return Markup(str(escape(snippet)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def turn_html(doc: Document, turn: Turn) -> list[Markup]:
    """A turn's paragraphs, escaped, with its entity mentions highlighted."""
    mentions = sorted((m for m in doc.mentions if m.turn == turn.index), key=lambda m: m.start)
    out: list[Markup] = []
    offset = 0
    for paragraph in turn.paragraphs:
        start, end = offset, offset + len(paragraph)
        pieces: list[str] = []
        cursor = start
        for m in mentions:
            if m.start < cursor or m.end > end:
                continue
            pieces.append(str(escape(turn.text[cursor:m.start])))
            title = f"{m.type}: {m.id or m.text}" + (f" ({m.value:g} {m.unit})" if m.type == "money" and m.value else "")
            pieces.append(f'<span class="ent ent-{m.type}" title="{escape(title)}">{escape(m.text)}</span>')
            cursor = m.end
        pieces.append(str(escape(turn.text[cursor:end])))
        out.append(Markup("".join(pieces)))
        offset = end + 2   # paragraphs are joined by a blank line
    return out


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request) -> HTMLResponse:
    """The search page. (A page already rendered for this address and corpus state is sent before
    the request gets here: see ``web.answers``.)"""
    return _search_page(request)


def search_filters(p: Mapping[str, str]) -> tuple[str, dict[str, str], dict[str, str | None]]:
    """What a search page's address asks for: the query, the form's filter values (by field of the form)
    and the filters they make (by filter, for ``Corpus.search``)."""
    values = {name: p.get(name, "") for name in FILTERS}
    options: dict[str, str | None] = {}
    for f in FILTER_FIELDS:
        if f.form == "dates":
            low, high = values[f"{f.name}_from"], values[f"{f.name}_to"]
            options[f.name] = f"{low}..{high}" if low or high else None
        else:
            options[f.name] = values[f.name] or None
    return p.get("q", ""), values, options


def _search_page(request: Request) -> HTMLResponse:
    p = request.query_params
    q, values, options = search_filters(p)
    documents = p.get("documents") == "1"
    sort = p.get("sort", "rank") if p.get("sort") in ("rank", "date", "-date") else "rank"
    try:
        offset = max(0, int(p.get("offset", "0") or 0))
    except ValueError:
        offset = 0
    state = {"q": q, **values, "documents": "1" if documents else "", "sort": "" if sort == "rank" else sort}
    result, error, facets, hints, groups, archive = None, None, {}, [], [], None
    # a query, a filter, a list of documents or an order: a search; nothing at all: the archive at a glance
    searched = bool(q or any(options.values()) or documents or sort != "rank" or offset)
    with request.app.state.corpora.corpus() as corpus:
        stats = corpus.stats(cached=True)
        if searched:
            try:
                result = request.app.state.results.search(corpus, q, documents=documents, sort=sort, limit=PAGE,
                                                          offset=offset, facets=True, with_question=True, **options)
                facets = result.facets
                hints = corpus.suggestions(q, **options)
                groups = group_hits(corpus, result.hits, q, values, options, documents=documents)
            except QueryError as exc:
                error = str(exc)
        else:
            archive = archive_of(corpus, stats)
        sources = [s for s, _ in stats.by_source]
        languages = [s for s, _ in stats.by_language]
    facet_links: dict[str, list[tuple[str, int, str, bool]]] = {}
    field_of = {"speaker": "speaker", "source": "source", "kind": "kind", "country": "country", "year": "year"}
    for name, counts in facets.items():
        links = []
        for value, n in counts:
            target = dict(state, offset="")
            if field_of[name] == "year":
                active = values["date_from"] == f"{value}-01-01" and values["date_to"] == f"{value}-12-31"
                target.update(date_from=f"{value}-01-01", date_to=f"{value}-12-31")
            else:
                active = values.get(field_of[name]) == value
                target[field_of[name]] = value
            links.append((value, n, _url("/", target), active))
        facet_links[name] = links
    pages = {}
    if result is not None:
        if offset > 0:
            pages["previous"] = _url("/", dict(state, offset=max(0, offset - PAGE)))
        if offset + PAGE < result.total:
            pages["next"] = _url("/", dict(state, offset=offset + PAGE))
    advanced_open = any(values.values()) or documents or sort != "rank"
    return templates.TemplateResponse(request, "search.html", {
        "q": q, "values": values, "documents": documents, "sort": sort, "result": result, "error": error,
        "facets": facet_links, "pages": pages, "offset": offset, "searched": searched, "stats": stats,
        "hints": hints, "hint_link": lambda hint: _hint_url(state, q, hint), "groups": groups, "archive": archive,
        "searching": bool(q or any(options.values())),
        "filter_fields": FILTER_FIELDS,
        "choices": {f.name: f.choices for f in FILTER_FIELDS if f.choices} | {"source": sources, "lang": languages},
        "choice_label": lambda name, value: language_name(value) if name == "lang" else value.replace("_", " "),
        "advanced_open": advanced_open, "snippet": snippet_html, "turn_link": turn_link, "quote": quote,
        "feed": _url("/feed", {"q": q, **values}),
    }, status_code=400 if error else 200)


@dataclass(frozen=True, slots=True)
class Group:
    """The hits of one document on a page of results: the document (as its first hit names it), its
    hits in reading order, how many more of its turns the search finds, and where to read them."""

    first: Hit
    hits: list[Hit]
    #: turns of the document the search finds (None: not counted, a list of every document)
    matching: int | None
    #: the document with the turns the search finds marked
    link: str
    #: (day edited, day withdrawn) when the document was edited after publication or withdrawn
    edited: tuple[str | None, str | None] | None = None

    @property
    def more(self) -> int:
        return max(0, (self.matching or 0) - len(self.hits))


def group_hits(corpus: Corpus, hits: list[Hit], q: str, values: dict[str, str], options: dict[str, str | None], *,
               documents: bool) -> list[Group]:
    """A page of hits grouped by document, the documents in the order the page meets them. Each group
    counts the turns of its document the search finds (not for a bare list of every document)."""
    by_document: dict[str, list[Hit]] = {}
    for hit in hits:
        by_document.setdefault(hit.document_id, []).append(hit)
    searching = bool(q or any(options.values()))
    edits = corpus.edit_state(list(by_document))
    groups = []
    for document_id, found in by_document.items():
        matching = None
        if searching:
            try:
                matching = len(corpus.matching_turns(document_id, q, **options))
            except NotFound:           # deleted since the search
                continue
        link = _url(document_path(document_id), {"q": q, **values} if searching else {})
        groups.append(Group(found[0], sorted(found, key=lambda h: h.index), matching, link, edits.get(document_id)))
    return groups


#: how many of the latest items, speakers and countries the front page lists
LATEST, TOP = 8, 10


@dataclass(frozen=True, slots=True)
class Item:
    """An item of the archive as the front page lists it: one document, and its versions in other
    languages the corpus holds (id, language), its own language first."""

    hit: Hit
    versions: list[tuple[str, str]]


def archive_of(corpus: Corpus, stats: Stats) -> dict[str, Any]:
    """What the front page shows: documents a year as a chart, the sources, languages and kinds of
    document, the latest items (each once, with every language it is held in), the speakers who speak
    most and the countries mentioned most; each links to the search that lists them."""
    browse = {"documents": "1", "sort": "-date"}
    years = every_year([(y, n) for y, n in stats.by_year])
    chart = bar_chart([Bar(year, n, _url("/", dict(browse, date_from=f"{year}-01-01", date_to=f"{year}-12-31")),
                           f"{year}: {n:,} document{'s' if n != 1 else ''}") for year, n in years],
                      what="documents a year") if years else None
    undated = sum(n for y, n in stats.by_year if not (len(y) == 4 and y.isdigit()))
    latest: list[Item] = []
    seen: set[str] = set()
    for hit in corpus.search("", documents=True, sort="-date", limit=LATEST * 4).hits:
        if hit.document_id in seen:
            continue
        others = corpus.versions(hit.document_id)
        seen.update({hit.document_id, *(ident for ident, _ in others)})
        latest.append(Item(hit, sorted([(hit.document_id, hit.language), *others],
                                       key=lambda v: (v[1] != hit.language, language_name(v[1])))))
        if len(latest) == LATEST:
            break
    return {
        "chart": chart, "years": years, "undated": undated, "browse": _url("/", browse),
        "sources": [(s, n, _url("/", dict(browse, source=s))) for s, n in stats.by_source],
        "languages": [(lang, n, _url("/", dict(browse, lang=lang))) for lang, n in stats.by_language],
        "kinds": [(k, n, _url("/", dict(browse, doc_kind=k))) for k, n in stats.by_kind],
        "latest": latest,
        "speakers": [(s, _url("/", {"speaker": s.name, "sort": "-date"})) for s in corpus.speakers(limit=TOP)],
        "countries": [(c, n, _url("/", {"country": c, "sort": "-date"})) for c, n in corpus.countries(limit=TOP)],
    }


def site_base(request: Request) -> str:
    """The address this server is reached at (scheme, host, port, any root path), without a final ``/``."""
    return str(request.base_url).rstrip("/")


def _feed_limit(raw: str | None) -> int:
    """The ``limit`` of a feed: a whole number within limits.FEED (the most, when not given)."""
    if raw is None or not raw.strip():
        return limits.FEED.high
    try:
        value = int(raw)
    except ValueError:
        bound = limits.FEED
        raise QueryError(f"limit must be a whole number from {bound.low} to {bound.high} ({bound.what}), "
                         f"not {raw[:40]!r}") from None
    return bounded("limit", value, limits.FEED)


def _described(q: str, options: dict[str, str | None]) -> str:
    """A search in words of the query language: the query, then each filter as ``field:value``."""
    parts = [q] if q else []
    parts += [f'{name}:"{value}"' if " " in value else f"{name}:{value}" for name, value in options.items() if value]
    return " ".join(parts)


@router.get("/feed", response_model=None)
def search_feed(request: Request) -> Response:
    """The Atom feed of a search: the search page's query and filters, its newest matching turns
    (``limit``, at most limits.FEED), newest first. Bad parameters are a 400, as on the search page."""
    q, values, options = search_filters(request.query_params)
    base = site_base(request)
    entries: list[feed.Entry] = []
    try:
        limit = _feed_limit(request.query_params.get("limit"))
        with request.app.state.corpora.corpus() as corpus:
            result = corpus.search(q, sort="-date", limit=limit, **options)
            docs: dict[str, Document] = {}
            for hit in result.hits:
                doc = docs.get(hit.document_id)
                if doc is None:
                    try:
                        doc = docs[hit.document_id] = corpus.document(hit.document_id)
                    except NotFound:       # deleted since the search: left out
                        continue
                if hit.index < len(doc.turns):
                    permalink = base + turn_path(hit.turn_id)
                    entries.append(feed.entry_of(hit, doc, doc.turns[hit.index], permalink=permalink,
                                                 original=web_link(doc.url)))
    except QueryError as exc:
        return error_page(request, 400, str(exc))
    state = {"q": q, **values}
    described = _described(q, options)
    address = base + _url("/feed", dict(state, limit=limit if limit != limits.FEED.high else ""))
    body = feed.atom(
        feed_id=address, title=f"stenogram: {described}" if described else "stenogram: the newest turns",
        subtitle=f"The newest turns matching {described or 'any search'}, {result.total:,} in all",
        self_url=address, alternate_url=base + _url("/", dict(state, sort="-date")),
        entries=entries, now=dt.datetime.now(dt.UTC))
    return Response(content=body, media_type=feed.MEDIA_TYPE)


def _hint_url(state: dict[str, str], q: str, hint: Suggestion) -> str:
    """The search page with the suggestion taken: a speaker given in the settings replaced there, else
    the query with the suggested search in place of what it replaces."""
    if hint.field == "speaker" and state.get("speaker") == hint.text:
        return _url("/", dict(state, offset="", speaker=hint.value))
    return _url("/", dict(state, offset="", q=_with_entity(q, hint)))


def _with_entity(q: str, hint: Suggestion) -> str:
    """The query with the suggested entity search in place of the words that named the entity."""
    prefix = f"{hint.field}:" if hint.instead else ""
    for written in (f'{prefix}"{hint.text}"', prefix + hint.text):
        if written in q:
            return q.replace(written, hint.query, 1)
    return f"{q} {hint.query}".strip()


def turn_link(turn_id: str) -> str:
    document_id, _, index = turn_id.rpartition("#")
    return f"/document/{quote(document_id, safe=':')}#t{index}"


def turn_path(turn_id: str, beside: str | None = None) -> str:
    """The permalink of a turn (``/turn/<id>``), with the turn beside its version in ``beside``."""
    return "/turn/" + quote(turn_id, safe=":") + ("?" + urlencode({"beside": beside}) if beside else "")


templates.env.filters["turn_path"] = turn_path
#: a language as documents name it: an ISO 639-1 code, two small letters
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def beside_problem(doc: Document, siblings: list[tuple[str, str]], beside: str) -> tuple[int, str] | None:
    """Why ``beside`` cannot be shown next to ``doc`` (a status and a message), or None when it can:
    400 for what is not a language code, 404 for a language the item has no other version in."""
    held = sorted({lang for _, lang in siblings})
    offered = (f"the corpus holds this {doc.language} document also in {', '.join(held)}" if held
               else f"the corpus holds no other language version of this {doc.language} document")
    if not LANGUAGE_CODE.fullmatch(beside):
        return 400, f"beside={beside[:40]!r} is not a language code (two small letters, such as 'ru'); {offered}"
    if beside == doc.language:
        return 404, f"this document is the {beside} version: {offered}"
    if beside not in held:
        return 404, f"no {beside} version of this document in the corpus: {offered}"
    return None


def version_switch(doc: Document, siblings: list[tuple[str, str]], beside: str,
                   link: Callable[[str | None], str]) -> list[tuple[str, str, str | None, bool]]:
    """The links of the language switch, (text, address, language, current): this version alone, then
    this version beside each other one (``link`` makes the address); none when there is no other."""
    held = sorted({lang for _, lang in siblings})
    if not held:
        return []
    return [(f"{language_name(doc.language)} only", link(None), doc.language, not beside),
            *((language_name(lang), link(lang), lang, beside == lang) for lang in held)]


@router.get("/document/{document_id:path}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str) -> HTMLResponse:
    """A document as a conversation; with ``beside``, beside its version in that language; with a search's
    query and filters (``q``, ``speaker``, ...), the turns that search finds marked and listed on top."""
    beside = request.query_params.get("beside", "")
    q, values, options = search_filters(request.query_params)
    matched: list[int] | None = None
    error = None
    raw_version = request.query_params.get("version", "")
    if raw_version and not raw_version.isdigit():
        return error_page(request, 400, f"version={raw_version[:40]!r}: give a version number (1 is the first seen)")
    with request.app.state.corpora.corpus() as corpus:
        try:
            doc = corpus.document(document_id)
            record = corpus.history(doc.id, diffs=False)
            if raw_version and int(raw_version) != len(record.versions):
                if beside:
                    return error_page(request, 400, "an earlier version is read alone: leave out beside=")
                doc = corpus.document(document_id, version=int(raw_version))
        except NotFound as exc:
            return error_page(request, 404, str(exc))
        siblings = corpus.versions(doc.id)
        if beside and (problem := beside_problem(doc, siblings, beside)):
            return error_page(request, *problem)
        if q or any(options.values()):
            try:
                matched = corpus.matching_turns(doc.id, q, **options)
            except QueryError as exc:
                error = str(exc)
        pair = corpus.document_beside(doc.id, beside) if beside else None
        citation = corpus.cite(doc.id, permalink=site_base(request) + document_path(doc.id))
    answers: dict[int, list[int]] = {}
    for t in doc.turns:
        if t.reply_to is not None:
            answers.setdefault(t.reply_to, []).append(t.index)
    sections = {s.turn: s.title for s in doc.sections if s.turn is not None}
    return templates.TemplateResponse(request, "document.html", {
        "doc": doc, "siblings": siblings, "answers": answers, "sections": sections,
        "paragraphs": {t.index: turn_html(doc, t) for t in doc.turns}, "quote": quote,
        "switch": version_switch(doc, siblings, beside,
                                 lambda lang: _url(f"/document/{quote(doc.id, safe=':')}", {"beside": lang})),
        "pair": pair, "rows": pair.rows if pair else (),
        "theirs": {t.index: turn_html(pair.other, t) for t in pair.other.turns} if pair else {},
        "citation": citation, "citation_styles": CITATION_STYLES,
        "matched": matched, "error": error, "described": _described(q, options),
        "back": _url("/", {"q": q, **values}), "kinds": sorted({m.type for m in doc.mentions}),
        "record": record, "reading": int(raw_version) if raw_version else len(record.versions),
    }, status_code=400 if error else 200)


@router.get("/history/{document_id:path}", response_class=HTMLResponse)
def history_page(request: Request, document_id: str) -> HTMLResponse:
    """A document's versions, each beside the one before it: changed turns word by word (deleted words marked
    on the left, inserted ones on the right), turns added, removed and moved, and metadata changes."""
    with request.app.state.corpora.corpus() as corpus:
        try:
            record = corpus.history(document_id)
            doc = corpus.document(document_id)
        except NotFound as exc:
            return error_page(request, 404, str(exc))
    return templates.TemplateResponse(request, "history.html", {
        "doc": doc, "record": record, "said": describe_changes, "quote": quote,
        "field_name": FIELD_NAMES,
    })


@router.get("/feed/edits", response_model=None)
def edits_feed(request: Request) -> Response:
    """The Atom feed of edits: documents edited after publication (one entry a version seen) and withdrawn,
    newest first (``limit``, at most limits.FEED; ``since``, a day)."""
    base = site_base(request)
    since = request.query_params.get("since") or None
    try:
        limit = _feed_limit(request.query_params.get("limit"))
        day = dt.date.fromisoformat(since) if since else None
    except QueryError as exc:
        return error_page(request, 400, str(exc))
    except ValueError:
        return error_page(request, 400, f"since={since[:40]!r}: give a day as YYYY-MM-DD" if since else "bad since")
    entries: list[feed.Entry] = []
    with request.app.state.corpora.corpus() as corpus:
        for edit in corpus.edits(since=day, limit=limit):
            try:
                record = corpus.history(edit.document_id)
            except NotFound:
                continue
            page = base + history_path(edit.document_id)
            if edit.kind == "withdrawn":
                entries.extend(feed.Entry(
                    id=f"{page}#withdrawn-{e.at}", title=f"Withdrawn: {edit.title or '(untitled)'}",
                    updated=feed.published_at(e.at), link=page, original=None, author=None,
                    content=f"The page of this transcript is gone ({e.detail or 'withdrawn'}); the transcript is kept.",
                    summary="withdrawn", language=edit.language, kind="withdrawn")
                    for e in record.events if e.kind == "withdrawn")
                continue
            for i, version in enumerate(record.versions[1:], 1):
                diff = record.diffs[i - 1]
                entries.append(feed.Entry(
                    id=f"{page}#v{version.number}", title=f"Edited: {edit.title or '(untitled)'}",
                    updated=feed.published_at(version.seen_at), link=f"{page}#v{version.number}", original=None,
                    author=None, content=feed_text(diff), summary=describe_changes(version.changes),
                    language=edit.language, kind="edited"))
    entries.sort(key=lambda e: e.updated or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    address = base + _url("/feed/edits", {"since": since or "", "limit": limit if limit != limits.FEED.high else ""})
    body = feed.atom(feed_id=address, title="stenogram: transcripts edited after publication",
                     subtitle="Transcripts changed or withdrawn after they were first seen" + (f", since {since}" if since else ""),
                     self_url=address, alternate_url=base + "/", entries=entries[:limit], now=dt.datetime.now(dt.UTC))
    return Response(content=body, media_type=feed.MEDIA_TYPE)


def feed_text(diff: DocumentDiff) -> str:
    """A version's changes as plain text for a feed entry: each field and turn, deletions in [-…-], insertions in {+…+}."""
    lines = [f"{FIELD_NAMES.get(f.field, f.field)}: {f.old or '—'} → {f.new or '—'}" for f in diff.fields]
    for t in diff.turns:
        who = f" ({t.speaker})" if t.speaker else ""
        if t.kind == "changed":
            text = "".join(piece if op == "equal" else f"[-{piece}-]" if op == "delete" else f"{{+{piece}+}}"
                           for op, piece in t.words)
            lines.append(f"turn {t.new_index}{who} changed: {text}")
        elif t.kind == "added":
            lines.append(f"turn {t.new_index}{who} added: {t.new_text}")
        elif t.kind == "removed":
            lines.append(f"turn {t.old_index}{who} removed: {t.old_text}")
        else:
            lines.append(f"turn {t.old_index}{who} moved to {t.new_index}")
    return "\n\n".join(lines)


def history_path(document_id: str) -> str:
    return "/history/" + quote(document_id, safe=":")


def document_path(document_id: str) -> str:
    return "/document/" + quote(document_id, safe=":")


@router.get("/turn/{turn_id:path}/cite", response_class=HTMLResponse)
def turn_citation(request: Request, turn_id: str) -> HTMLResponse:
    """How to cite one turn (its permalink is ``/turn/<id>``): two styles, BibTeX and CSL-JSON."""
    with request.app.state.corpora.corpus() as corpus:
        try:
            doc, turn = corpus.turn(turn_id)
        except NotFound as exc:
            return error_page(request, 404, str(exc))
        own = f"{doc.id}#{turn.index}"
        citation = corpus.cite(own, permalink=site_base(request) + turn_path(own))
    return templates.TemplateResponse(request, "cite.html", {
        "doc": doc, "turn": turn, "citation": citation, "citation_styles": CITATION_STYLES,
        "back": document_path(doc.id) + f"#t{turn.index}", "api": "/api/turns/" + quote(own, safe=":") + "/cite",
    })


@router.get("/turn/{turn_id:path}", response_model=None)
def turn_permalink(request: Request, turn_id: str) -> Response:
    """The document at the turn; with ``beside``, the turn beside its version in that language."""
    beside = request.query_params.get("beside", "")
    if not beside:
        return RedirectResponse(turn_link(turn_id), status_code=307)
    with request.app.state.corpora.corpus() as corpus:
        try:
            doc, turn = corpus.turn(turn_id)
        except NotFound as exc:
            return error_page(request, 404, str(exc))
        siblings = corpus.versions(doc.id)
        if problem := beside_problem(doc, siblings, beside):
            return error_page(request, *problem)
        pair = corpus.document_beside(doc.id, beside)
        own = f"{doc.id}#{turn.index}"
        citation = corpus.cite(own, permalink=site_base(request) + turn_path(own))
    return templates.TemplateResponse(request, "turn.html", {
        "doc": doc, "turn": turn, "pair": pair, "quote": quote, "sections": {},
        "rows": [r for r in pair.rows if r.ours is not None and r.ours.index == turn.index],
        "paragraphs": {turn.index: turn_html(doc, turn)},
        "theirs": {t.index: turn_html(pair.other, t) for t in pair.other.turns},
        "switch": version_switch(doc, siblings, beside, lambda lang: turn_path(own, lang)),
        "whole": _url(f"/document/{quote(doc.id, safe=':')}", {"beside": beside}) + f"#t{turn.index}",
        "citation": citation, "citation_styles": CITATION_STYLES,
    })


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The API reference, rendered from the same OpenAPI document that /openapi.json serves."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            params = [(p["name"], p.get("in", ""), p.get("required", False), p.get("schema", {}), p.get("description", ""))
                      for p in op.get("parameters", [])]
            answer = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""), "params": params,
                              "responses": sorted(op.get("responses", {})),
                              "fields": _schema(spec, answer.get("schema", {})).get("properties", {}),
                              "request": next((s["source"] for s in op.get("x-codeSamples", [])), None),
                              "example": json.dumps(answer["example"], ensure_ascii=False, indent=1)
                              if "example" in answer else None})
    return templates.TemplateResponse(request, "docs.html", {"spec": spec, "endpoints": endpoints})


def _schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema of the OpenAPI document, a reference to one followed."""
    ref = schema.get("$ref", "")
    return dict(spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[-1], {})) if ref else schema


@router.get("/speaker/{name:path}", response_class=HTMLResponse)
def speaker_page(request: Request, name: str) -> HTMLResponse:
    with request.app.state.corpora.corpus() as corpus:
        try:
            prof = corpus.profile(name)
        except NotFound as exc:
            return error_page(request, 404, str(exc))
    words = {year: w for year, _, w in prof.by_year}
    years = every_year([(year, turns) for year, turns, _ in prof.by_year])
    search = {"speaker": prof.speaker, "sort": "-date"}
    chart = bar_chart([Bar(year, n, _url("/", dict(search, date_from=f"{year}-01-01", date_to=f"{year}-12-31")),
                           f"{year}: {n:,} turn{'s' if n != 1 else ''}, {words.get(year, 0):,} words")
                       for year, n in years], what=f"turns of {prof.speaker} a year") if years else None
    undated = sum(turns for year, turns, _ in prof.by_year if year not in dict(years))
    return templates.TemplateResponse(request, "speaker.html", {
        "p": prof, "chart": chart, "undated": undated, "search": _url("/", search), "quote": quote})


@router.get("/trend", response_class=HTMLResponse)
def trend_page(request: Request) -> HTMLResponse:
    """A trend chart of up to 8 terms. Opened without terms, it draws an example: the countries the
    corpus mentions most, as entity searches (found in every language)."""
    p = request.query_params
    by = p.get("by", "year") if p.get("by") in ("year", "month") else "year"
    per = p.get("per") if p.get("per") in ("10k-words", "documents", "turns") else None
    q = p.get("q", "")
    chart, error, rows, counted = None, None, [], []
    with request.app.state.corpora.corpus() as corpus:
        example = "terms" not in p
        raw = ", ".join(f"country:{code}" for code, _ in corpus.countries(limit=2)) if example else p.get("terms", "")
        terms = list(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))[:8]
        if terms:
            try:
                result = corpus.trend(terms, query=q, by=by, per=per)
                labels = {t: term_label(t) for t in terms}
                chart = line_chart(result.periods, {t: [(pt.rate if per else pt.count) or 0 for pt in result.points
                                                        if pt.term == t] for t in terms},
                                   labels=labels, what=f"{'rate' if per else 'occurrences'} of {', '.join(labels.values())}"
                                                       f" by {by}")
                rows = result.points
                counted = result.counted       # the languages each term is counted in
            except QueryError as exc:
                error = str(exc)
    return templates.TemplateResponse(request, "trend.html", {
        "terms": raw, "by": by, "per": per or "", "q": q, "chart": chart, "error": error, "rows": rows,
        "counted": counted, "example": example and bool(terms), "label": term_label,
    }, status_code=400 if error else 200)


#: a trend term that searches for a country's mentions
COUNTRY_TERM = re.compile(r'\s*country\s*:\s*"?([A-Za-z]{2})"?\s*', re.IGNORECASE)


def term_label(term: str) -> str:
    """What a trend term is called on the chart: a country search by the country's name and what it
    counts (``Syria (mentions)``, so it never reads like the word ``Syria`` beside it), else the term."""
    m = COUNTRY_TERM.fullmatch(term)
    return f"{country_label(m.group(1).upper())} (mentions)" if m else term
