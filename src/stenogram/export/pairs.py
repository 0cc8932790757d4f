"""Aligned paragraphs of language versions as rows: what the tmx and parallel writers write.

A pair of language versions (two documents of one item and their alignment) gives one row for each
pair of paragraphs its alignment pairs, in the first version's reading order. A paragraph that one
translator merged with the next stands for two: it appears in two rows, once with each.

Which version is side ``a`` of a row: the language named first when languages are named (``en,ru``
puts English first, ``ru,en`` Russian), else the pair's own order (language order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from stenogram.align import VersionPair
from stenogram.model import Document, Turn
from stenogram.store.sqlite import turn_id


@dataclass(frozen=True, slots=True)
class Side:
    """One side of an aligned pair of paragraphs: where the paragraph stands, who says it, and its text."""

    language: str
    document: str
    turn: str
    paragraph: int
    speaker: str | None
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Row:
    """Two paragraphs that translate each other, with the confidence of their pairing and of their turns'."""

    item: str
    date: str | None
    source: str
    a: Side
    b: Side
    confidence: float
    turn_confidence: float


class Rows:
    """The rows of every pair of versions, read as the pairs come (one pair's documents in memory at a
    time); rows whose paragraphs' or turns' confidence is below ``min_confidence`` are left out.

    After a pass, ``versions`` counts the pairs of versions read, ``rows`` the rows given, ``turns`` the
    pairs of turns they came from and ``documents`` the documents they came from."""

    def __init__(self, pairs: Iterable[VersionPair], *, item_of: Callable[[str], str],
                 order: Sequence[str] | None = None, min_confidence: float = 0.0) -> None:
        self.pairs = pairs
        self.item_of = item_of
        self.rank = {lang: n for n, lang in enumerate(order or ())}
        self.min_confidence = min_confidence
        self.versions = self.rows = self.turns = self.documents = 0
        #: what the writers add up on their own (a TMX unit of a merged paragraph counts once)
        self.units = 0

    def __iter__(self) -> Iterator[Row]:
        self.versions = self.rows = self.turns = self.documents = self.units = 0
        seen: set[str] = set()
        for pair in self.pairs:
            self.versions += 1
            rows = 0
            for row in self._rows(pair):
                rows += 1
                yield row
            if rows:
                self.rows += rows
                seen.update((pair.first.id, pair.second.id))
        self.documents = len(seen)

    def _rows(self, pair: VersionPair) -> Iterator[Row]:
        first, second, alignment = pair.first, pair.second, pair.alignment
        flip = self.rank.get(second.language, len(self.rank)) < self.rank.get(first.language, len(self.rank))
        turns_a = {t.index: t for t in first.turns}
        turns_b = {t.index: t for t in second.turns}
        turn_confidence = {(p.a, p.b): p.confidence for p in alignment.turns}
        item = self.item_of(first.id)
        date = _day(first) or _day(second)
        used: set[tuple[int, int]] = set()
        for p in alignment.paragraphs:
            confidence = turn_confidence.get((p.a[0], p.b[0]), 0.0)
            if p.confidence < self.min_confidence or confidence < self.min_confidence:
                continue
            a = _side(first, turns_a[p.a[0]], p.a[1])
            b = _side(second, turns_b[p.b[0]], p.b[1])
            if (p.a[0], p.b[0]) not in used:
                used.add((p.a[0], p.b[0]))
                self.turns += 1
            yield Row(item, date, first.source, *((b, a) if flip else (a, b)), confidence=p.confidence,
                      turn_confidence=confidence)


def _side(doc: Document, turn: Turn, paragraph: int) -> Side:
    return Side(doc.language, doc.id, turn_id(doc.id, turn.index), paragraph, turn.speaker, turn.kind,
                turn.paragraphs[paragraph])


def _day(doc: Document) -> str | None:
    """The day the document was published (or its event took place), as YYYY-MM-DD."""
    return (doc.published or "")[:10] or (doc.event.date or "")[:10] or None
