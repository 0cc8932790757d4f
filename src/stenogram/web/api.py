"""The JSON API under /api: search, documents, turns, versions, citations, stats, speakers, analyses."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model

from stenogram import limits
from stenogram.api import FILTER_FIELDS, Hit
from stenogram.errors import InputError, NotFound, QueryError

router = APIRouter(prefix="/api", tags=["api"])
MAX_PAGE = 100
MAX_QUERY = 1000

Q = Annotated[str, Query(max_length=MAX_QUERY,
                         description="Query language: words, \"phrases\", prefix*, AND/OR/NOT, NEAR(a b, 5), field:value")]


class ErrorDetail(BaseModel):
    status: int
    type: str
    message: str
    column: int | None = None
    fields: list[str] | None = None


class ErrorResponse(BaseModel):
    ok: Literal[False]
    error: ErrorDetail


class SearchResponse(BaseModel):
    ok: Literal[True] = True
    query: str
    total: int
    limit: int
    offset: int
    next_offset: int | None
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    #: entity searches the query's words may have meant (Iraq → country:IQ, in every language)
    suggestions: list[dict[str, Any]] = []


class TurnResponse(BaseModel):
    ok: Literal[True] = True
    document_id: str
    title: str
    turn: dict[str, Any]
    question: dict[str, Any] | None
    answers: list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Bad query or parameters"},
    404: {"model": ErrorResponse, "description": "Unknown id"},
    503: {"model": ErrorResponse, "description": "The query took too long or the corpus is busy"},
}


def _corpus(request: Request) -> Any:
    return request.app.state.corpora.corpus()


#: the filters as query parameters, from the one vocabulary (each with its help as its description)
_FILTER_PARAMETERS: dict[str, Any] = {
    f.name: (str | None, Field(None, max_length=200, description=f"{f.help} In the query language: {f.example}"))
    for f in FILTER_FIELDS}
Filters: type[BaseModel] = create_model("Filters", **_FILTER_PARAMETERS)


def _given(filters: Any) -> dict[str, str | None]:
    """The filter parameters a request gave, by name."""
    return dict(filters.model_dump())


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
def api_search(
    request: Request, filters: Annotated[Filters, Query()], q: Q = "",  # type: ignore[valid-type]
    documents: bool = False, sort: Literal["rank", "date", "-date"] = "rank",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20, offset: Annotated[int, Query(ge=0, le=limits.OFFSET.high)] = 0,
    facets: bool = False, with_question: bool = False,
    in_language: Annotated[str | None, Query(
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$", max_length=35,
        description="Each hit's turn in this language (ru): its document's version in it (`version`) and the turn "
                    "of that version aligned to the hit's (`aligned`: turn id, confidence, the paragraph that "
                    "translates the matched one; null when that version has no turn that translates it).")] = None,
) -> Response:
    """Turns (or documents) matching a query, ranked or by date, with snippets and optional facets."""
    with _corpus(request) as corpus:
        result = corpus.search(q, documents=documents, sort=sort, limit=limit, offset=offset, facets=facets,
                               with_question=with_question, in_language=in_language, **_given(filters))
        hints = corpus.suggestions(q)
    nxt = offset + limit if offset + limit < result.total else None
    data = {"ok": True, "query": q, "total": result.total, "limit": limit, "offset": offset, "next_offset": nxt,
            "hits": [h.to_json() for h in result.hits], "facets": result.facets,
            "suggestions": [h.to_json() for h in hints]}
    # plain data already in SearchResponse's shape (the tests hold it to the model), written directly
    return Response(content=orjson.dumps(data), media_type="application/json")


@router.get("/documents/{document_id:path}/versions", responses=ERRORS)
def api_versions(request: Request, document_id: str) -> dict[str, Any]:
    """The other language versions of a document in the corpus."""
    with _corpus(request) as corpus:
        doc = corpus.document(document_id)
        return {"ok": True, "document_id": doc.id, "language": doc.language, "versions_offered": list(doc.versions),
                "in_corpus": [{"id": i, "language": lang} for i, lang in corpus.versions(doc.id)]}


class CitationResponse(BaseModel):
    ok: Literal[True] = True
    #: the document's id, or the turn's
    id: str
    #: the formatted references: ``chicago`` (a note) and ``apa`` (a reference-list entry)
    styles: dict[str, str]
    bibtex: str
    #: one item in CSL-JSON
    csl: dict[str, Any]


Accessed = Annotated[dt.date | None, Query(description="The day the item was read, cited as accessed "
                                                      "(YYYY-MM-DD); today by default.")]


def _citation(request: Request, ident: str, accessed: dt.date | None, *, page: str) -> dict[str, Any]:
    with _corpus(request) as corpus:
        found = corpus.cite(ident, accessed=accessed, permalink=str(request.base_url).rstrip("/") + page)
    return {"ok": True, **found.to_json()}


@router.get("/documents/{document_id:path}/cite", response_model=CitationResponse, responses=ERRORS)
def api_document_cite(request: Request, document_id: str, accessed: Accessed = None) -> dict[str, Any]:
    """How to cite a document: a Chicago-style note and an APA-style reference (``styles``), BibTeX and
    CSL-JSON, with its permalink on this server and the original page when known."""
    if _is_turn_id(document_id):
        raise NotFound("document", document_id)
    return _citation(request, document_id, accessed, page="/document/" + quote(document_id, safe=":"))


@router.get("/documents/{document_id:path}/history", responses=ERRORS)
def api_history(request: Request, document_id: str) -> dict[str, Any]:
    """The record of a document's edits after publication: every version seen (``version``, ``seen_at``,
    ``content_hash``, ``origin``, ``changes``: counts of turns changed, added, removed and moved and the
    metadata fields changed) with its ``diff`` from the version before (``fields``: old and new values;
    ``turns``: each turn added, removed, moved or changed, a changed one with its ``words`` as
    ``[op, text]`` pieces, op ``equal``, ``delete`` or ``insert``), and its ``events`` (withdrawn, restored)."""
    with _corpus(request) as corpus:
        return {"ok": True, **corpus.history(document_id).to_json()}


@router.get("/documents/{document_id:path}", responses=ERRORS)
def api_document(request: Request, document_id: str, version: Annotated[int | None, Query(
        ge=1, description="An earlier version of the document (1 is the first seen; /history lists them); "
                          "the current one by default.")] = None) -> dict[str, Any]:
    """One document in the contract format (stenogram/document@1), as it is now or as an earlier version was."""
    with _corpus(request) as corpus:
        return {"ok": True, "document": corpus.document(document_id, version=version).to_json()}


@router.get("/edits", responses=ERRORS)
def api_edits(request: Request,
              since: Annotated[dt.date | None, Query(description="Edits seen on or after this day (YYYY-MM-DD).")] = None,
              until: Annotated[dt.date | None, Query(description="Edits seen on or before this day (YYYY-MM-DD).")] = None,
              limit: Annotated[int, Query(ge=1, le=1000, description="At most this many documents.")] = 100,
              ) -> dict[str, Any]:
    """Documents edited after publication (``kind`` edited: a changed version seen, on ``day``) or withdrawn
    (``kind`` withdrawn: the page gone), newest first, with their number of versions and latest changes."""
    with _corpus(request) as corpus:
        return {"ok": True, "edits": [e.to_json() for e in corpus.edits(since=since, until=until, limit=limit)]}


@router.get("/turns/{turn_id:path}/versions", responses=ERRORS)
def api_turn_versions(request: Request, turn_id: str,
                      lang: Annotated[list[str] | None, Query(description="Only these languages (repeatable).")] = None,
                      ) -> dict[str, Any]:
    """The turn as the document's other language versions in the corpus have it, aligned turn by turn and
    paragraph by paragraph (``paragraphs``: pairs of paragraph numbers, this turn's first; null where one
    side has no counterpart), with the alignment's confidence."""
    with _corpus(request) as corpus:
        doc, turn = corpus.turn(turn_id)
        versions = corpus.turn_versions(turn_id, languages=lang)
    return {"ok": True, "document_id": doc.id, "language": doc.language, "turn": turn.to_json(),
            "versions": [v.to_json() for v in versions]}


@router.get("/turns/{turn_id:path}/cite", response_model=CitationResponse, responses=ERRORS)
def api_turn_cite(request: Request, turn_id: str, accessed: Accessed = None) -> dict[str, Any]:
    """How to cite one turn: a Chicago-style note and an APA-style reference (``styles``), BibTeX and
    CSL-JSON, with its permalink on this server (``/turn/<id>``) and the original page when known."""
    if not _is_turn_id(turn_id):
        raise NotFound("turn", turn_id)
    return _citation(request, turn_id, accessed, page="/turn/" + quote(turn_id, safe=":"))


def _is_turn_id(ident: str) -> bool:
    """Whether ``ident`` has a turn id's form, ``<document id>#<n>``."""
    document_id, mark, index = ident.rpartition("#")
    return bool(mark and document_id and index.isdigit())


@router.get("/turns/{turn_id:path}", response_model=TurnResponse, responses=ERRORS)
def api_turn(request: Request, turn_id: str) -> dict[str, Any]:
    """One turn, with the question it answers and the answers it received."""
    with _corpus(request) as corpus:
        doc, turn = corpus.turn(turn_id)
    question = doc.turns[turn.reply_to].to_json() if turn.reply_to is not None else None
    answers = [t.to_json() for t in doc.turns if t.reply_to == turn.index]
    return {"ok": True, "document_id": doc.id, "title": doc.title, "turn": turn.to_json(), "question": question,
            "answers": answers}


@router.get("/stats", responses=ERRORS)
def api_stats(request: Request) -> dict[str, Any]:
    """The corpus at a glance."""
    with _corpus(request) as corpus:
        return {"ok": True, **asdict(corpus.stats(cached=True))}


@router.get("/speakers", responses=ERRORS)
def api_speakers(request: Request, prefix: Annotated[str, Query(max_length=100)] = "",
                 limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20) -> dict[str, Any]:
    """People who speak, one a person across languages, most turns first: id, display name, name in each
    language, turns in each, every printed name; ``prefix`` narrows them to names with a word beginning with it."""
    with _corpus(request) as corpus:
        found = corpus.speakers(prefix, limit=limit)
    return {"ok": True, "speakers": [s.to_json() for s in found]}


@router.get("/trend", responses=ERRORS)
def api_trend(request: Request, terms: Annotated[list[str], Query(max_length=200)], q: Q = "",
              by: Literal["day", "week", "month", "year"] = "year",
              per: Literal["10k-words", "documents", "turns"] | None = None,
              split: Literal["speaker", "source", "country"] | None = None) -> dict[str, Any]:
    """Occurrences of terms over time (the chart's series). A word's rates are counted against the languages
    it occurs in, an entity search's (country:IQ) against all: ``counted`` says so for each term;
    ``languages``: turns the terms were found in, by language."""
    if not terms or len(terms) > 10:
        raise QueryError("give between 1 and 10 terms")
    with _corpus(request) as corpus:
        result = corpus.trend(terms, query=q, by=by, per=per, split=split)
    return {"ok": True, "by": by, "per": per, "split": split, "periods": result.periods,
            "points": [asdict(p) for p in result.points], "languages": result.languages,
            "counted": [c.to_json() for c in result.counted]}


@router.get("/kwic", responses=ERRORS)
def api_kwic(request: Request, term: Annotated[str, Query(min_length=1, max_length=200)], q: Q = "",
             width: Annotated[int, Query(ge=1, le=200)] = 60, sort: Literal["left", "right", "date"] = "left",
             limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Keyword-in-context lines; ``languages``: lines by the language of their turn."""
    with _corpus(request) as corpus:
        lines = corpus.kwic(term, query=q, width=width, sort=sort, limit=limit)
    return {"ok": True, "lines": [asdict(ln) for ln in lines], "languages": lines.languages}


@router.get("/comentions", responses=ERRORS)
def api_comentions(request: Request, q: Q = "", type: Literal["country", "organization", "person"] = "country",
                   limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
    """Entities mentioned together in the same turn; ``languages``: the turns that gave pairs, by language."""
    with _corpus(request) as corpus:
        pairs = corpus.comentions(query=q, type=type, limit=limit)
    return {"ok": True, "pairs": [asdict(p) for p in pairs], "languages": pairs.languages}


@router.get("/keyness", responses=ERRORS)
def api_keyness(request: Request, target: Q, reference: Q, by: Literal["log_likelihood", "log_odds"] = "log_likelihood",
                min_count: Annotated[int, Query(ge=1, le=1000)] = 3,
                limit: Annotated[int, Query(ge=1, le=500)] = 30,
                lang: Annotated[str | None, Query(max_length=35, description=(
                    "Compare the turns of this language (ISO 639-1) on both sides; by default the one both sides "
                    "are in, or have the most words in."))] = None,
                all_languages: Annotated[bool, Query(description="Compare every turn of both sides, across "
                                                                 "languages.")] = False) -> dict[str, Any]:
    """Words that set the target subcorpus apart from the reference, within one language (``compared``, with a
    ``note`` saying why that one; ``languages``: turns counted by language). Sides that share no language are a
    400 unless ``all_languages``."""
    with _corpus(request) as corpus:
        try:
            terms = corpus.keyness(target, reference, by=by, min_count=min_count, limit=limit, lang=lang,
                                   all_languages=all_languages)
        except InputError as exc:      # sides in different languages: the request asks for what cannot be compared
            raise QueryError(str(exc)) from exc
    return {"ok": True, "terms": [asdict(t) for t in terms], "languages": terms.languages, "compared": terms.compared,
            "note": terms.note}


@router.get("/speakers/{speaker:path}/profile", responses=ERRORS)
def api_profile(request: Request, speaker: str, q: Q = "") -> dict[str, Any]:
    """A speaker's profile (a name with ``/`` in it may give it as it is or as ``%2F``)."""
    with _corpus(request) as corpus:
        prof = corpus.profile(speaker, query=q)
    return {"ok": True, **asdict(prof)}
