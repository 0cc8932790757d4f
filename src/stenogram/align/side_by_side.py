"""Two language versions of one item laid out to be read side by side: one row a turn of either version
(a pair of aligned turns, or a turn the other version lacks), in reading order, and inside each row the
paragraphs grouped so that what translates what stands level.

The layout comes from one alignment of the two documents, however many turns they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stenogram.align.turns import Alignment, align, interleave
from stenogram.model import Document, Turn


@dataclass(frozen=True, slots=True)
class ParagraphRow:
    """Paragraphs of the two turns that stand level: those of ``ours`` translate those of ``theirs``.
    One side is empty when a paragraph has no counterpart; a side holds two paragraphs where a
    translator merged them into one on the other side."""

    ours: tuple[int, ...]
    theirs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SideRow:
    """A turn of the document beside the turn of the other version that translates it; ``ours`` or
    ``theirs`` is None for a turn present in one version only (and ``confidence`` then None)."""

    ours: Turn | None
    theirs: Turn | None
    confidence: float | None
    paragraphs: tuple[ParagraphRow, ...]


@dataclass(frozen=True, slots=True)
class SideBySide:
    """``document`` and its language version ``other``, row by row."""

    document: Document
    other: Document
    rows: tuple[SideRow, ...]


def paragraph_rows(pairs: Iterable[tuple[int, int]], n_a: int, n_b: int) -> tuple[ParagraphRow, ...]:
    """The paragraphs of two aligned turns (``n_a`` and ``n_b`` of them) as rows: the paired ones grouped
    (one paragraph standing for two makes one row of three), the rest alone beside an empty side."""
    rows: list[tuple[list[int], list[int]]] = []
    for a, b in interleave(sorted(set(pairs)), n_a, n_b):
        last = rows[-1] if rows else None
        # a pair that shares a paragraph with the row before belongs to that row (a merge)
        if a is not None and b is not None and last is not None and (a in last[0] or b in last[1]):
            if a not in last[0]:
                last[0].append(a)
            if b not in last[1]:
                last[1].append(b)
            continue
        rows.append(([a] if a is not None else [], [b] if b is not None else []))
    return tuple(ParagraphRow(tuple(a), tuple(b)) for a, b in rows)


def side_by_side(document: Document, other: Document, found: Alignment | None = None) -> SideBySide:
    """``document`` and ``other`` (another language version of the same item) laid out in rows by their
    alignment (``found``, document → other; aligned once here when not given): every turn of both, in
    reading order, a turn with no counterpart alone in its row."""
    found = found if found is not None else align(document, other)
    ours = {t.index: t for t in document.turns}
    theirs = {t.index: t for t in other.turns}
    order_a = [t.index for t in document.turns]
    order_b = [t.index for t in other.turns]
    position_a = {index: k for k, index in enumerate(order_a)}
    position_b = {index: k for k, index in enumerate(order_b)}
    confidence = {(p.a, p.b): p.confidence for p in found.turns}
    paragraphs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for p in found.paragraphs:
        paragraphs.setdefault((p.a[0], p.b[0]), []).append((p.a[1], p.b[1]))
    rows: list[SideRow] = []
    for a, b in interleave([(position_a[p.a], position_b[p.b]) for p in found.turns], len(order_a), len(order_b)):
        mine = ours[order_a[a]] if a is not None else None
        yours = theirs[order_b[b]] if b is not None else None
        if mine is not None and yours is not None:
            key = (mine.index, yours.index)
            rows.append(SideRow(mine, yours, confidence[key],
                                paragraph_rows(paragraphs.get(key, ()), len(mine.paragraphs), len(yours.paragraphs))))
        elif mine is not None:
            rows.append(SideRow(mine, None, None, tuple(ParagraphRow((k,), ()) for k in range(len(mine.paragraphs)))))
        elif yours is not None:
            rows.append(SideRow(None, yours, None, tuple(ParagraphRow((), (k,)) for k in range(len(yours.paragraphs)))))
    return SideBySide(document, other, tuple(rows))
