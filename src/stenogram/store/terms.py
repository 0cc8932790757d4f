"""Words as the corpus counts them (case and accents folded; letters and digits), and the yearly
word counts the store keeps up to date as documents come and go, so a yearly trend of a word over
the whole corpus is a look-up instead of a pass over every occurrence."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache

_WORD = re.compile(r"[^\W_]+")
#: for ASCII text: letters lowered, digits kept, everything else a space (then the words are a split,
#: the same as the expression's matches on the folded text and about four times faster)
_ASCII_WORDS = str.maketrans({chr(i): chr(i).lower() if chr(i).isalnum() else " " for i in range(128)})


@cache
def _unaccented() -> dict[int, str]:
    """For str.translate: each code point whose compatibility decomposition (NFKD) differs from it, as that
    decomposition without its combining marks (accents and other marks), and each combining mark as nothing.
    NFKD decomposes a text a character at a time and then only reorders combining marks, which are dropped
    here, so the table gives what normalising and then dropping the marks gives, in one pass. Unicode has
    such code points in its first three planes only."""
    table: dict[int, str] = {}
    for cp in range(0x30000):
        char = chr(cp)
        if unicodedata.combining(char):
            table[cp] = ""
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        if decomposed != char:
            table[cp] = "".join(c for c in decomposed if not unicodedata.combining(c))
    return table


def fold(text: str) -> str:
    """Lower case (case-folded) without accents."""
    if text.isascii():
        return text.lower()
    return text.translate(_unaccented()).casefold()


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The folded word tokens of a text."""
    return tuple(_words(text))


def _words(text: str) -> list[str]:
    if text.isascii():
        return text.translate(_ASCII_WORDS).split()
    return _WORD.findall(fold(text))


def year_of(day: str | None) -> int | None:
    """The year of a document's date (``2020-11-25`` → 2020); None without a date."""
    if not day or len(day) < 4 or not day[:4].isdigit():
        return None
    return int(day[:4])


def count_terms(texts: Iterable[str]) -> Counter[str]:
    """How often each folded word occurs in these texts (as ``words`` finds them in each)."""
    text = "\n".join(texts)                     # a line break is no part of any word
    if text.isascii():
        return Counter(_words(text))
    # Folding works a character at a time and never turns white space into a letter, a digit or nothing,
    # so the words of a text are those of its white-space-separated pieces, each folded alone: each
    # distinct piece is folded and split once (most are met many times).
    counts: Counter[str] = Counter()
    for piece, n in Counter(text.split()).items():
        for word in _piece_words(piece):
            counts[word] += n
    return counts


@lru_cache(maxsize=65536)
def _piece_words(piece: str) -> tuple[str, ...]:
    return tuple(_words(piece))


class PendingCounts:
    """Changes to the yearly word counts (``term_years``, ``year_totals``) gathered while a transaction
    runs and written once, at its end: a word met in many documents of a year is then one row written
    instead of one a document (most of a batch's words are in most of its documents), and the texts of a
    year are counted together, once."""

    __slots__ = ("added", "chars", "taken", "totals")

    def __init__(self) -> None:
        self.added: dict[int, list[str]] = {}       # year → the texts whose words it gains
        self.taken: dict[int, list[str]] = {}       # year → the texts whose words it loses
        self.totals: dict[int, list[int]] = {}      # year → [documents, turns, words]
        self.chars = 0

    def add(self, year: int, texts: list[str], nwords: int, sign: int) -> None:
        """Add (+1) or take away (-1) one document's turns' words in ``year``."""
        (self.added if sign > 0 else self.taken).setdefault(year, []).extend(texts)
        self.chars += sum(map(len, texts))
        total = self.totals.setdefault(year, [0, 0, 0])
        total[0] += sign
        total[1] += sign * len(texts)
        total[2] += sign * nwords

    def merge(self, other: PendingCounts) -> None:
        """Take in the changes of a savepoint that was kept."""
        for mine, theirs in ((self.added, other.added), (self.taken, other.taken)):
            for year, texts in theirs.items():
                mine.setdefault(year, []).extend(texts)
        for year, (documents, turns, nwords) in other.totals.items():
            total = self.totals.setdefault(year, [0, 0, 0])
            total[0] += documents
            total[1] += turns
            total[2] += nwords
        self.chars += other.chars

    def write(self, conn: sqlite3.Connection) -> None:
        """Write the changes (in word order, so the table's pages are met in order) and forget them; rows that
        come to nothing are deleted."""
        for year in sorted(self.added.keys() | self.taken.keys()):
            counts = count_terms(self.added.get(year, ()))
            if year in self.taken:
                counts.subtract(count_terms(self.taken[year]))
            conn.executemany("INSERT INTO term_years VALUES (?, ?, ?) ON CONFLICT(term, year) DO UPDATE SET "
                             "count = count + excluded.count",
                             [(term, year, n) for term, n in sorted(counts.items()) if n])
            if year in self.taken:
                conn.executemany("DELETE FROM term_years WHERE term = ? AND year = ? AND count <= 0",
                                 [(term, year) for term, n in counts.items() if n < 0])
        for year, (documents, turns, nwords) in sorted(self.totals.items()):
            if documents or turns or nwords:
                conn.execute("INSERT INTO year_totals VALUES (?, ?, ?, ?) ON CONFLICT(year) DO UPDATE SET "
                             "documents = documents + excluded.documents, turns = turns + excluded.turns, "
                             "words = words + excluded.words", (year, documents, turns, nwords))
        if self.taken:
            conn.execute("DELETE FROM year_totals WHERE documents <= 0")
        self.added, self.taken, self.totals, self.chars = {}, {}, {}, 0
