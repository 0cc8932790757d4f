"""The facet counts of the turn index's frequent words, kept beside it and up to date with it.

Counting the speakers, sources, years, turn kinds and countries of a million matching turns takes the
index tens of milliseconds, however it is asked. A one-word search is the common case that has that
many matches, and its counts change only when turns come or go. So for every word found in at least
``FREQUENT`` turns, the index folder keeps its counts in a small SQLite file, ``facets.sqlite``:
the turn index's writer adds what each new turn brings and takes away what a replaced or deleted
turn brought, and counts a word in full once, when it first becomes frequent.

The file records the index state (log number) its counts belong to. A reader uses them only when that
is the state of the index it searches; a writer that finds them for another state (a crash between
writing the index and writing this file) counts every frequent word again. So the counts are exact or
unused, never stale.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from stenogram.search.turn_index.kept import KeptFile

FILE = "facets.sqlite"
#: the facets counted, in the order a search reports them (each is an index field of the same name)
FACETS = ("speaker", "source", "year", "kind", "country")
#: the facets over word fields, counted from their term dictionaries (the slowest to count first)
TERM_FACETS = ("country", "speaker", "source", "kind")
#: the year, a number, is counted by an aggregation: this request, read back by ``year_counts``
YEAR_AGGREGATION = {"year": {"terms": {"field": "year", "size": 100_000, "segment_size": 100_000}}}
#: a word found in at least this many turns has its counts kept
FREQUENT = 50_000

#: what a turn adds to the counts of each of its words: (facet, value) pairs, a country once each
TurnFacets = tuple[tuple[str, str], ...]
#: changes to counts: (word, facet, value) → how many turns more (or fewer)
Deltas = Counter[tuple[str, str, str]]



def year_counts(aggregated: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(year, turns) from the answer to YEAR_AGGREGATION."""
    return [(str(b["key"]), int(b["doc_count"])) for b in aggregated["year"]["buckets"]]


def largest(found: Mapping[str, list[tuple[str, int]]], size: int) -> dict[str, list[tuple[str, int]]]:
    """The ``size`` largest counts of each facet, ties by value (the store's order), facets in FACETS order."""
    return {facet: sorted(found.get(facet, ()), key=lambda kv: (-kv[1], kv[0]))[:size] for facet in FACETS}


def turn_facets(fields: Mapping[str, list[Any]]) -> TurnFacets:
    """The (facet, value) pairs of a turn, from its index fields (as ``index._fields`` makes them)."""
    out: list[tuple[str, str]] = []
    for facet in FACETS:
        out.extend((facet, str(value)) for value in fields.get(facet, ()))
    return tuple(out)


class Tally:
    """Counts gathered while turns are written: for each facet value, how many of its turns hold each
    frequent word. Bounded by the frequent words times the facet values, however many turns pass."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.by_value: defaultdict[tuple[str, str], Counter[str]] = defaultdict(Counter)

    def add(self, tokens: Iterable[str], facets: TurnFacets) -> None:
        """A turn written: its frequent words counted under each of its facet values."""
        present = self.words.intersection(tokens)
        if present:
            for facet_value in facets:
                self.by_value[facet_value].update(present)

    def remove(self, words: Iterable[str], facets: TurnFacets) -> None:
        """A turn taken away: the same counted out."""
        present = self.words.intersection(words)
        if present:
            for facet_value in facets:
                self.by_value[facet_value].subtract(present)

    def deltas(self) -> Deltas:
        out: Deltas = Counter()
        for (facet, value), words in self.by_value.items():
            for word, n in words.items():
                out[(word, facet, value)] += n
        return out


class FacetCounts(KeptFile):
    """The counts file of one index folder."""

    FILE = FILE
    SCHEMA = """
CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counts (
    word TEXT NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (word, facet, value)
) WITHOUT ROWID;
"""

    def lookup(self, word: str, seq: int, *, size: int = 20) -> dict[str, list[tuple[str, int]]] | None:
        """The largest ``size`` counts of each facet for the turns holding ``word``, ties by value; None
        when the word is not a frequent one or the file holds another state than ``seq``."""
        def fetch(conn: sqlite3.Connection) -> list[tuple[str, str, int]] | None:
            if conn.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone() is None:
                return None
            return conn.execute("SELECT facet, value, n FROM counts WHERE word = ?", (word,)).fetchall()

        rows = self.read(seq, fetch)
        if rows is None:
            return None
        found: dict[str, list[tuple[str, int]]] = {facet: [] for facet in FACETS}
        for facet, value, n in rows:
            if n > 0 and facet in found:
                found[facet].append((value, n))
        return largest(found, size)

    def state(self) -> tuple[int | None, frozenset[str]]:
        """The index state the counts belong to (None: unknown) and the words counted."""
        conn = self._write_connection()
        try:
            return self._seq(conn), frozenset(r[0] for r in conn.execute("SELECT word FROM words"))
        finally:
            conn.close()

    def settle(self, seq: int, deltas: Deltas, counted: Mapping[str, Mapping[tuple[str, str], int]], *,
               start_over: bool = False) -> None:
        """Apply ``deltas`` to the words already counted, add the words ``counted`` in full, and record
        that the counts now belong to index state ``seq``; in one transaction. ``start_over`` first
        forgets every word."""
        def change(conn: sqlite3.Connection) -> None:
            if start_over:
                conn.execute("DELETE FROM words")
                conn.execute("DELETE FROM counts")
            changes = [(w, f, v, n) for (w, f, v), n in deltas.items() if n]
            conn.executemany("INSERT INTO counts VALUES (?, ?, ?, ?) ON CONFLICT(word, facet, value) "
                             "DO UPDATE SET n = n + excluded.n", changes)
            conn.executemany("DELETE FROM counts WHERE word = ? AND facet = ? AND value = ? AND n <= 0",
                             [c[:3] for c in changes if c[3] < 0])
            for word, counts in counted.items():
                conn.execute("INSERT OR IGNORE INTO words VALUES (?)", (word,))
                conn.execute("DELETE FROM counts WHERE word = ?", (word,))
                conn.executemany("INSERT INTO counts VALUES (?, ?, ?, ?)",
                                 [(word, f, v, n) for (f, v), n in counts.items() if n > 0])

        self._write(seq, change)
