"""The first ranked hits of the turn index's frequent words, worked out once for each state of the index.

A one-word search for a word found in a million turns scores every one of them to find the best
twenty: the ``tantivy`` package ranks through several collectors at once, which turns off the
pruning that lets a search engine skip the postings that cannot reach the top. That costs 13-16 ms
at 200,000 documents, whatever the page size. The answer changes only when the index changes, so
when a writer finishes a run of work (the end of an ingest, a deletion, closing the corpus), it ranks
the first ``KEEP`` hits of every frequent word (the words whose facet counts are kept) and keeps
them here, in ``pages.sqlite``: the total, the turns' row ids and their scores. A search for such a
word, ranked, whose page lies within the kept hits, reads them instead of scoring the matches.

The hits are the index's own answer for that state, in its own order (score, then index address),
so a page read from them is the page the index gives. They belong to one state of the index: a
writer that changes the index marks them as belonging to none first (see ``kept.py``), and the
syncs in the middle of an ingest leave them so, to be ranked again when the run ends.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Mapping

from stenogram.search.turn_index.kept import KeptFile

#: hits kept for each frequent word (fifty pages of twenty)
KEEP = 1000


class WordPages(KeptFile):
    """The kept hits file of one index folder."""

    FILE = "pages.sqlite"
    SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    word TEXT PRIMARY KEY, total INTEGER NOT NULL, rowids BLOB NOT NULL, scores BLOB NOT NULL
) WITHOUT ROWID;
"""

    def lookup(self, word: str, seq: int, *, offset: int, limit: int) -> tuple[int, list[tuple[int, float]]] | None:
        """(how many turns hold ``word``, [(turn row id, score)] of the page from ``offset``), best
        first; None when ``word`` is not kept for index state ``seq``, or the page reaches past the
        kept hits."""
        row = self.read(seq, lambda conn: conn.execute(
            "SELECT total, rowids, scores FROM pages WHERE word = ?", (word,)).fetchone())
        if row is None:
            return None
        total, rowids_blob, scores_blob = row
        rowids, scores = array("q"), array("d")
        rowids.frombytes(rowids_blob)
        scores.frombytes(scores_blob)
        if offset + limit > len(rowids) and len(rowids) < total:
            return None
        end = offset + limit
        return int(total), list(zip(rowids[offset:end], scores[offset:end], strict=True))

    def settle(self, seq: int, pages: Mapping[str, tuple[int, list[int], list[float]]]) -> None:
        """Keep ``pages`` (word → (total, row ids, scores), best first) as the hits of index state
        ``seq``, in place of any kept before; in one transaction."""
        def change(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM pages")
            conn.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)", [
                (word, total, array("q", rowids).tobytes(), array("d", scores).tobytes())
                for word, (total, rowids, scores) in pages.items()])

        self._write(seq, change)
