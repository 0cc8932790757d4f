"""Recent answers of a server, by request and corpus state."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from stenogram.api import Corpus, SearchResult

T = TypeVar("T")


class ResultCache:
    """Recent answers by request and corpus state, for servers, where the same searches come again and
    again (a landing page, popular terms, paging back). A write to the corpus changes its log number and
    so every key: a cached answer is never stale. Bounded in entries, and in bytes for the entries
    put with a size; least recently used goes first."""

    def __init__(self, size: int = 1024, max_bytes: int = 64 << 20) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._bytes: dict[tuple[Any, ...], int] = {}
        self.held_bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def key(self, corpus: Corpus, request: tuple[Any, ...]) -> tuple[Any, ...]:
        """``request``'s key in the corpus's present state."""
        return (*corpus.state(), *request)

    def peek_key(self, key: tuple[Any, ...]) -> Any:
        """The answer remembered under ``key``, or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        return None

    def put_key(self, key: tuple[Any, ...], value: Any, *, nbytes: int = 0) -> None:
        """Remember ``value`` under ``key`` (``nbytes``: its size, counted against max_bytes)."""
        with self._lock:
            self.held_bytes -= self._bytes.pop(key, 0)
            self._items[key] = value
            self._items.move_to_end(key)
            if nbytes:
                self._bytes[key] = nbytes
                self.held_bytes += nbytes
            while len(self._items) > self.size or (self.held_bytes > self.max_bytes and len(self._items) > 1):
                gone, _ = self._items.popitem(last=False)
                self.held_bytes -= self._bytes.pop(gone, 0)

    def get(self, corpus: Corpus, request: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """The answer to ``request`` in the corpus's present state: remembered, or computed now."""
        key = self.key(corpus, request)
        found = self.peek_key(key)
        if found is not None:
            return cast(T, found)
        value = compute()
        self.put_key(key, value)
        return value

    def search(self, corpus: Corpus, query: str = "", **kw: Any) -> SearchResult:
        """``corpus.search(query, **kw)``, remembered (filters are keywords, as there)."""
        request = ("search", query, tuple(sorted((k, v) for k, v in kw.items() if v not in (None, ""))))
        return self.get(corpus, request, lambda: corpus.search(query, **kw))
