"""The FastAPI application: a JSON API under /api and server-rendered pages, over one corpus file.

``create_app(db)`` is the factory (tests and other servers mount it); ``stenogram serve`` runs it with
uvicorn. Read-only: each worker thread opens its own read connection; SQLite's WAL lets an ingest
write at the same time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from stenogram import api
from stenogram.errors import NotFound, QueryError, QuerySyntaxError, StenogramError, UnknownField
from stenogram.web.answers import RememberedAnswers
from stenogram.web.cache import ResultCache
from stenogram.web.guard import LOOPBACK_HOSTS, TEST_CLIENT_HOST, AllowedHosts, Guard

HERE = Path(__file__).parent
#: seconds a request's database work may take before it is stopped
QUERY_SECONDS = 5.0


class Corpora:
    """The corpus opened read-only once a thread, on first use (``immutable``: a copy nothing writes, read
    without writing any file beside it)."""

    def __init__(self, path: str, *, immutable: bool = False) -> None:
        self.path = path
        self.immutable = immutable
        self._local = threading.local()
        # fail at start-up, not at the first request; and count the corpus summary every page shows
        # now, not under the first requests' load
        with api.open(path, read_only=True, immutable=immutable) as corpus:
            corpus.stats(cached=True)

    @contextmanager
    def corpus(self) -> Iterator[api.Corpus]:
        """This thread's corpus, with QUERY_SECONDS for its database work."""
        corpus: api.Corpus | None = getattr(self._local, "corpus", None)
        if corpus is None:
            corpus = api.open(self.path, read_only=True, immutable=self.immutable)
            self._local.corpus = corpus
        with corpus.deadline(QUERY_SECONDS):
            yield corpus


def error_body(status: int, kind: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one error envelope of the API."""
    return {"ok": False, "error": {"status": status, "type": kind, "message": message, **extra}}


def create_app(db: str | Path, *, allowed_hosts: Iterable[str] | None = None, read_only: bool = False) -> FastAPI:
    """The application over the corpus at ``db``. It answers only requests whose ``Host:`` header
    names one of ``allowed_hosts`` (names or addresses; ``*`` for any, ``0.0.0.0`` or ``::`` for any IP
    address); by default the loopback names, and the name in-process test clients send. ``read_only``:
    ``db`` is a copy that nothing writes while it is served (one of several behind a load balancer, or on
    a read-only file system); it is read without writing any file into its folder or its index folder."""
    hosts = AllowedHosts((*LOOPBACK_HOSTS, TEST_CLIENT_HOST) if allowed_hosts is None else allowed_hosts)
    app = FastAPI(
        title="stenogram",
        version="0.1.0",
        description="Search and analyse a corpus of diplomatic transcripts at turn level.",
        docs_url=None,   # /docs is rendered by stenogram itself: no CDN, works offline
        redoc_url=None,
    )
    app.state.corpora = Corpora(str(db), immutable=read_only)
    app.state.results = ResultCache()
    app.add_middleware(RememberedAnswers, corpora=app.state.corpora, results=app.state.results)
    app.add_middleware(Guard, hosts=hosts, render=_error)  # outermost: remembered answers pass through it too

    @app.exception_handler(QuerySyntaxError)
    async def _syntax(request: Request, exc: QuerySyntaxError) -> JSONResponse:
        return _error(request, 400, "query_syntax", str(exc), column=exc.column)

    @app.exception_handler(UnknownField)
    async def _field(request: Request, exc: UnknownField) -> JSONResponse:
        return _error(request, 400, "unknown_field", str(exc), column=exc.column, fields=list(exc.valid))

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError) -> JSONResponse:
        return _error(request, 400, "bad_query", str(exc))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return _error(request, 404, "not_found", str(exc))

    @app.exception_handler(StenogramError)
    async def _stenogram(request: Request, exc: StenogramError) -> JSONResponse:
        return _error(request, 500, "corpus_error", str(exc))

    @app.exception_handler(sqlite3.OperationalError)
    async def _sqlite(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        if "interrupted" in str(exc):
            return _error(request, 503, "too_slow", f"the query took longer than {QUERY_SECONDS:g} s; narrow it down")
        return _error(request, 503, "busy", f"the corpus is busy ({exc}); try again")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return _error(request, 400, "bad_request", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(request, exc.status_code, "not_found" if exc.status_code == 404 else "http_error", str(exc.detail))

    from stenogram.web.api import router as api_router
    from stenogram.web.pages import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    _with_reference(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def _with_reference(app: FastAPI) -> None:
    """The app's OpenAPI document with the API reference in it (``web.reference``): field descriptions and
    an example request and answer for every route."""
    from stenogram.web.reference import annotate

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = annotate(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _error(request: Request, status: int, kind: str, message: str, **extra: Any) -> JSONResponse:
    """The error envelope for the API; the error page for a page."""
    if not request.url.path.startswith("/api") and request.url.path != "/openapi.json":
        from stenogram.web.pages import error_page

        return error_page(request, status, message)  # type: ignore[return-value]
    return JSONResponse(error_body(status, kind, message, **extra), status_code=status)
