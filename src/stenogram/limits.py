"""The bounds of every number a user can send, checked in one place for the CLI, the API and the pages.

A search engine allocates room for ``offset + limit`` hits before it skips to the page asked for, so an
unchecked offset from a URL or a command line can ask for terabytes. Each function that takes such a
number calls :func:`bounded` first; the API declares the same bounds for its OpenAPI reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from stenogram.errors import QueryError


@dataclass(frozen=True, slots=True)
class Bound:
    """The inclusive range of one number, and what it counts (for messages)."""

    low: int
    high: int
    what: str


#: results a search page may hold
LIMIT = Bound(1, 1000, "results a page")
#: entries of a search's Atom feed (its newest matching turns)
FEED = Bound(1, 50, "entries of a feed")
#: results a search may skip: deep enough for any reader, small enough to allocate (a page past it is
#: reached by narrowing the search, e.g. with a date range)
OFFSET = Bound(0, 100_000, "results to skip")
#: lines of a keyword-in-context listing
KWIC_LIMIT = Bound(1, 10_000, "lines")
#: characters of context on each side of a keyword
KWIC_WIDTH = Bound(1, 500, "characters of context")
#: pairs of co-mentioned entities
PAIRS = Bound(1, 10_000, "pairs")
#: words of a keyness table
WORDS = Bound(1, 5_000, "words")
#: the least count of a word for keyness
MIN_COUNT = Bound(1, 1_000_000, "the least count")
#: speakers of a listing
SPEAKERS = Bound(1, 10_000, "speakers")
#: groups of a trend split (speakers, sources, ...)
GROUPS = Bound(1, 100, "groups")
#: the least confidence of an aligned pair of paragraphs (a share, not a count: any number in the range)
CONFIDENCE = Bound(0, 1, "the least confidence of an aligned pair")


def bounded(name: str, value: int, bound: Bound) -> int:
    """``value`` when it lies within ``bound``; else a QueryError that names the option and its range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{name} must be a whole number from {bound.low:,} to {bound.high:,} ({bound.what}), not {value!r}")
    if not bound.low <= value <= bound.high:
        hint = ("; narrow the search instead (a date range, a speaker, a source)" if bound is OFFSET else "")
        raise QueryError(f"{name} {value:,} is out of range: {bound.what} must be from {bound.low:,} to {bound.high:,}{hint}")
    return value


def bounded_share(name: str, value: float, bound: Bound) -> float:
    """``value`` (any number, not only a whole one) when it lies within ``bound``; else a QueryError that
    names the option and its range."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryError(f"{name} must be a number from {bound.low} to {bound.high} ({bound.what}), not {value!r}")
    if not bound.low <= value <= bound.high:     # NaN is in no range
        raise QueryError(f"{name} {value} is out of range: {bound.what} must be from {bound.low} to {bound.high}")
    return float(value)
