"""Remembered answers: an ASGI layer in front of the application that answers a repeated request
(same path and query string, corpus unchanged) from memory, before routing and validation.

Servers see the same searches again and again (a landing page, popular terms, paging back). Such a
request costs a dictionary look-up here instead of a pass through the framework, parameter checks,
a search and a serialisation. The corpus's state (its id, log number and whether its turn index is
in step) is part of every key, so a write to the corpus, by this process or another, changes every
key at once: a remembered answer is never stale. Only successful answers of the paths named are kept.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stenogram.web.cache import ResultCache

#: paths whose answers depend on nothing but the query string and the corpus
REMEMBERED = frozenset({"/", "/api/search"})
#: answers larger than this are not kept (the cache as a whole holds ResultCache.max_bytes at most)
MAX_BODY = 1 << 20


class RememberedAnswers:
    """ASGI middleware: GET requests to REMEMBERED paths answered from ``results`` when they can be."""

    def __init__(self, app: ASGIApp, corpora: Any, results: ResultCache) -> None:
        self.app = app
        self.corpora = corpora
        self.results = results

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in REMEMBERED:
            await self.app(scope, receive, send)
            return
        request = ("answer", scope["path"], scope["query_string"])
        with self.corpora.corpus() as corpus:
            key = self.results.key(corpus, request)
        found = self.results.peek_key(key)
        if found is not None:
            start, body = found
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        start_message: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal start_message, size
            if message["type"] == "http.response.start":
                start_message = message
            elif message["type"] == "http.response.body" and start_message is not None and size <= MAX_BODY:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > MAX_BODY:
                    chunks.clear()      # too large to keep: stop copying it
                elif not message.get("more_body", False) and start_message["status"] == 200:
                    body = b"".join(chunks)
                    self.results.put_key(key, (start_message, body), nbytes=len(body))
            await send(message)

        await self.app(scope, receive, keep)
