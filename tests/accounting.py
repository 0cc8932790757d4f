"""The parser's accounting rule: every character of the input ends up somewhere in the document."""

from __future__ import annotations

from collections import Counter

from stenogram.model import Document
from stenogram.parse.text import lines

# Characters the parser may drop: a label's colon, the language bar's bullet, the dash of "Q -" / "R -".
DROPPABLE = set(":：•·*-–—")


def unaccounted(text: str, doc: Document) -> Counter[str]:
    """Characters of the (normalised) input that appear nowhere in the document's fields."""
    source = Counter(ch for line in lines(text) for ch in line if not ch.isspace())
    pieces = [doc.title, *doc.header, *doc.preamble, *doc.boilerplate, *(s.title for s in doc.sections)]
    for turn in doc.turns:
        pieces.extend(turn.paragraphs)
        pieces.extend(turn.notes)
        if turn.label:
            pieces.append(turn.label)
    kept = Counter(ch for piece in pieces for ch in piece if not ch.isspace())
    missing = source - kept
    return Counter({ch: n for ch, n in missing.items() if ch not in DROPPABLE})


def invented(text: str, doc: Document) -> Counter[str]:
    """Characters in the document's text fields that the input never had."""
    source = Counter(ch for line in lines(text) for ch in line if not ch.isspace())
    pieces = [doc.title, *doc.preamble, *(p for t in doc.turns for p in t.paragraphs), *(n for t in doc.turns for n in t.notes)]
    kept = Counter(ch for piece in pieces for ch in piece if not ch.isspace())
    return kept - source
