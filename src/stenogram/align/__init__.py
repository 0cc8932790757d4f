"""Language versions of one item: which turn and paragraph of one translates which of the other
(``turns``), and which stored documents are versions of one another when no address says so."""

from __future__ import annotations

from stenogram.align.turns import (
    Alignment,
    ParagraphPair,
    TurnPair,
    TurnVersion,
    VersionPair,
    align,
    align_paragraphs,
    align_turns,
    name_key,
    same_person,
    turn_in,
)

__all__ = [
    "Alignment", "ParagraphPair", "TurnPair", "TurnVersion", "VersionPair", "align", "align_paragraphs", "align_turns",
    "name_key", "same_person", "turn_in",
]
