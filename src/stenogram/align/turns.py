"""Aligning two language versions of one event: which turn of one is which turn of the other, and within
aligned turns, which paragraphs translate which.

Translations keep what a reader cannot change without lying: the order of the turns, who speaks, the
kind of turn, the numbers, and the countries, organisations and people named (whose ids do not depend
on the language). They change the words and the lengths, by a ratio that holds across one document. So
a pair of turns is scored on those anchors and on their share of their document's length, and the best
monotone alignment is found by dynamic programming, where leaving a turn unaligned costs nothing: a turn
one version lacks (a dropped question, a moderator's line) stays unaligned rather than being forced
onto a neighbour. Paragraphs are aligned the same way inside each pair of turns, allowing one paragraph
to stand for two (a translator who merged them).

Every pair carries a confidence in [0, 1]: its score, the share of the evidence that agrees.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from stenogram.model import Document, Turn

#: a pair of turns is aligned only when its score is above this (leaving both unaligned scores 0)
TURN_THRESHOLD = 0.5
#: the same for paragraphs; a merge (two paragraphs for one) pays MERGE_COST on top
PARAGRAPH_THRESHOLD = 0.3
MERGE_COST = 0.15


@dataclass(frozen=True, slots=True)
class TurnPair:
    """Turn ``a`` of the first version is turn ``b`` of the second."""

    a: int
    b: int
    confidence: float


@dataclass(frozen=True, slots=True)
class ParagraphPair:
    """Paragraph ``a`` (turn, paragraph) of the first version translates paragraph ``b`` of the second."""

    a: tuple[int, int]
    b: tuple[int, int]
    confidence: float


@dataclass(frozen=True, slots=True)
class Alignment:
    first: str
    second: str
    turns: tuple[TurnPair, ...]
    paragraphs: tuple[ParagraphPair, ...]

    def unaligned(self, doc: Document, *, first: bool) -> list[int]:
        """The turns of ``doc`` (the first version, or the second) that no turn of the other matches."""
        taken = {p.a if first else p.b for p in self.turns}
        return [t.index for t in doc.turns if t.index not in taken]


# --- what a translation keeps ---------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+")
_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))
#: spellings of one sound across the languages' transliterations, folded to one letter each
_FOLDS = (("shch", "s"), ("sch", "s"), ("kh", "h"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
          ("ou", "u"), ("w", "v"), ("j", "h"), ("y", "i"), ("ï", "i"), ("ph", "f"), ("x", "h"))


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """A name folded so that its transliterations in en/ru/de/es/fr meet: ``Лавров``, ``Lawrow``,
    ``Lavrov`` → ``lavrov``; ``Захарова``, ``Zajárova``, ``Sacharowa`` → close keys. Initials and
    honorifics are dropped; the surname is what is compared."""
    if not name:
        return ""
    # the last word that is not an initial (``С.В.Лавров``: Лавров; ``Ван И``: И, as ``Wang Yi``: Yi)
    words = [w for w in re.findall(r"[^\s.]+\.?", name.strip()) if not (w.endswith(".") and len(w) <= 3)]
    word = (words[-1] if words else name).rstrip(".").lower()
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in word)
    latin = "".join(ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch))
    for spelled, folded in _FOLDS:
        latin = latin.replace(spelled, folded)
    latin = re.sub(r"[^a-z]", "", latin)
    return re.sub(r"(.)\1+", r"\1", latin)


def same_person(a: str | None, b: str | None) -> float:
    """1 for the same surname across transliterations, 0 for different ones, 0.5 when either is unnamed."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.5
    if ka == kb:
        return 1.0
    return 1.0 if SequenceMatcher(None, ka, kb).ratio() >= 0.75 else 0.0


@dataclass(frozen=True, slots=True)
class Unit:
    """What is compared of a turn or a paragraph."""

    kind: str
    speaker: str | None
    anchors: frozenset[str]
    share: float           # its share of the text of its document (or turn)


def _anchors(text: str, entities: Sequence[str] = ()) -> frozenset[str]:
    return frozenset(("#" + n.lstrip("0")) for n in _NUMBER.findall(text)) | frozenset(entities)


def turn_units(doc: Document) -> list[Unit]:
    """What ``align_turns`` compares of each turn of a document (computed once, it can be given again)."""
    entities: dict[int, set[str]] = {}
    for m in doc.mentions:
        if m.id and m.type in ("country", "organization", "person"):
            entities.setdefault(m.turn, set()).add(f"{m.type}:{m.id}")
    total = sum(len(t.text) for t in doc.turns) or 1
    return [Unit(t.kind, t.speaker, _anchors(t.text, sorted(entities.get(t.index, ()))), len(t.text) / total)
            for t in doc.turns]


def _agreement(a: frozenset[str], b: frozenset[str]) -> float | None:
    """How far two sets of anchors agree (Jaccard); None when neither has any."""
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


def _length_agreement(a: float, b: float) -> float:
    """1 for the same share of their document, falling as the shares part (a ratio of 2: about 0.5)."""
    if a <= 0 or b <= 0:
        return 1.0 if a == b else 0.0
    return math.exp(-abs(math.log(a / b)))


def _turn_score(a: Unit, b: Unit) -> float:
    parts = [(0.25, 1.0 if a.kind == b.kind else 0.0), (0.25, same_person(a.speaker, b.speaker)),
             (0.2, _length_agreement(a.share, b.share))]
    anchors = _agreement(a.anchors, b.anchors)
    if anchors is not None:
        parts.append((0.3, anchors))
    weight = sum(w for w, _ in parts)
    return sum(w * v for w, v in parts) / weight


# --- the best monotone alignment ----------------------------------------------------------------------

def _best_path(n: int, m: int, score: Callable[[int, int, int, int], float | None],
               steps: Sequence[tuple[int, int]]) -> list[tuple[int, int, int, int, float]]:
    """The monotone alignment of n and m items that maximises the summed gains, by dynamic programming.
    ``steps`` are the (items of the first, items of the second) a pair may take, besides skipping one item
    of either side (which gains nothing); ``score(i, di, j, dj)`` is the gain of pairing first[i:i+di]
    with second[j:j+dj], or None where that may not be paired. Returns the pairs as (i, di, j, dj, gain)."""
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == -math.inf:
                continue
            for di, dj in ((1, 0), (0, 1), *steps):
                if i + di > n or j + dj > m:
                    continue
                gain = 0.0
                if di and dj:
                    scored = score(i, di, j, dj)
                    if scored is None:
                        continue
                    gain = scored
                if here + gain > best[i + di][j + dj]:
                    best[i + di][j + dj] = here + gain
                    back[i + di][j + dj] = (di, dj, gain)
    pairs = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj, gain = step
        i, j = i - di, j - dj
        if di and dj:
            pairs.append((i, di, j, dj, gain))
    return pairs[::-1]


def align_turns(first: Document, second: Document, units: tuple[list[Unit], list[Unit]] | None = None,
                ) -> list[TurnPair]:
    """The turns of two language versions paired, in order; turns without a counterpart left out.
    ``units``: the two documents' ``turn_units``, when they were computed already."""
    ua, ub = units if units is not None else (turn_units(first), turn_units(second))
    scores: dict[tuple[int, int], float] = {}

    def gain(i: int, di: int, j: int, dj: int) -> float | None:
        s = scores.setdefault((i, j), _turn_score(ua[i], ub[j]))
        return s - TURN_THRESHOLD if s > TURN_THRESHOLD else None

    return [TurnPair(first.turns[i].index, second.turns[j].index, round(scores[(i, j)], 3))
            for i, _, j, _, _ in _best_path(len(ua), len(ub), gain, [(1, 1)])]


def _paragraph_units(turn: Turn, entities: Sequence[str]) -> list[Unit]:
    total = sum(len(p) for p in turn.paragraphs) or 1
    return [Unit("", None, _anchors(p, [e for e in entities if e.split(":", 1)[1].lower() in p.lower()]),
                  len(p) / total) for p in turn.paragraphs]


def align_paragraphs(a: Turn, b: Turn) -> list[ParagraphPair]:
    """The paragraphs of two aligned turns paired; one paragraph may stand for two of the other."""
    pa, pb = _paragraph_units(a, ()), _paragraph_units(b, ())
    if len(pa) == len(pb):
        # the common case: as many paragraphs on both sides; still checked, so a moved one is caught
        scores = [_paragraph_score([pa[k]], [pb[k]]) for k in range(len(pa))]
        if all(s > PARAGRAPH_THRESHOLD for s in scores):
            return [ParagraphPair((a.index, k), (b.index, k), round(s, 3)) for k, s in enumerate(scores)]

    def gain(i: int, di: int, j: int, dj: int) -> float | None:
        s = _paragraph_score(pa[i:i + di], pb[j:j + dj]) - (MERGE_COST if di + dj > 2 else 0.0)
        return s - PARAGRAPH_THRESHOLD if s > PARAGRAPH_THRESHOLD else None

    pairs: list[ParagraphPair] = []
    for i, di, j, dj, g in _best_path(len(pa), len(pb), gain, [(1, 1), (2, 1), (1, 2)]):
        confidence = round(g + PARAGRAPH_THRESHOLD + (MERGE_COST if di + dj > 2 else 0.0), 3)
        pairs.extend(ParagraphPair((a.index, i + x), (b.index, j + y), confidence) for x in range(di) for y in range(dj))
    return pairs


def _paragraph_score(a: Sequence[Unit], b: Sequence[Unit]) -> float:
    share_a, share_b = sum(u.share for u in a), sum(u.share for u in b)
    anchors = _agreement(frozenset().union(*(u.anchors for u in a)), frozenset().union(*(u.anchors for u in b)))
    length = _length_agreement(share_a, share_b)
    return length if anchors is None else 0.6 * length + 0.4 * anchors


def align(first: Document, second: Document) -> Alignment:
    """Two language versions of one event aligned: their turns, and the paragraphs of each pair of turns."""
    turns = align_turns(first, second)
    by_index_a = {t.index: t for t in first.turns}
    by_index_b = {t.index: t for t in second.turns}
    paragraphs = [p for pair in turns for p in align_paragraphs(by_index_a[pair.a], by_index_b[pair.b])]
    return Alignment(first.id, second.id, tuple(turns), tuple(paragraphs))


@dataclass(frozen=True, slots=True)
class VersionPair:
    """Two language versions of one item and their alignment."""

    first: Document
    second: Document
    alignment: Alignment


@dataclass(frozen=True, slots=True)
class TurnVersion:
    """A turn as another language version of its document has it."""

    document_id: str
    language: str
    #: the aligned turn; None when that version has no turn that translates this one
    turn: Turn | None
    confidence: float
    #: (paragraph of the turn, paragraph of this version's turn) in reading order; None where one side
    #: has no counterpart; a paragraph standing for two appears in two rows
    paragraphs: tuple[tuple[int | None, int | None], ...]

    def to_json(self) -> dict[str, object]:
        return {"document_id": self.document_id, "language": self.language, "confidence": self.confidence,
                "turn": self.turn.to_json() if self.turn else None,
                "paragraphs": [list(p) for p in self.paragraphs]}


def turn_in(doc: Document, index: int, other: Document, found: Alignment | None = None) -> TurnVersion:
    """Turn ``index`` of ``doc`` as the language version ``other`` has it, paragraph by paragraph, by
    their alignment (``found``, doc → other; computed when not given)."""
    found = found if found is not None else align(doc, other)
    pair = next((p for p in found.turns if p.a == index), None)
    if pair is None:
        return TurnVersion(other.id, other.language, None, 0.0, ())
    theirs = next(t for t in other.turns if t.index == pair.b)
    ours = next(t for t in doc.turns if t.index == index)
    paired = [(p.a[1], p.b[1]) for p in found.paragraphs if p.a[0] == index]
    rows = interleave(paired, len(ours.paragraphs), len(theirs.paragraphs))
    return TurnVersion(other.id, other.language, theirs, pair.confidence, tuple(rows))


def interleave(pairs: Sequence[tuple[int, int]], n_a: int, n_b: int) -> list[tuple[int | None, int | None]]:
    """Monotone pairs of positions among n_a and n_b items, with the unpaired items of either side put
    where they stand in reading order (each on its own, beside nothing)."""
    taken_a = {a for a, _ in pairs}
    taken_b = {b for _, b in pairs}
    lone_a = [k for k in range(n_a) if k not in taken_a]
    lone_b = [k for k in range(n_b) if k not in taken_b]
    out: list[tuple[int | None, int | None]] = []
    for a, b in pairs:
        while lone_a and lone_a[0] < a:
            out.append((lone_a.pop(0), None))
        while lone_b and lone_b[0] < b:
            out.append((None, lone_b.pop(0)))
        out.append((a, b))
    out.extend((a, None) for a in lone_a)
    out.extend((None, b) for b in lone_b)
    return out
