"""Whether two documents are language versions of one item when no address says so.

A site's address names the item (``mid.ru/en/.../1398712/`` and ``mid.ru/ru/.../1398712/``), and the
store groups such versions by it. A saved text file or a page of a site without a profile has no such
name, so its versions are recognised by what a translation keeps: the same source and day, the same
sequence of speakers and kinds of turn, the same numbers and the same countries, organisations and
people (``turns.align_turns``); and on the whole document, the same set of numbers and entities.
"""

from __future__ import annotations

import re

from stenogram.align.turns import align_turns
from stenogram.model import Document

#: a document is taken as a language version of another when its score is at least this
VERSION_THRESHOLD = 0.6
#: with at least this many anchors on both sides, they must agree this much
MIN_ANCHORS = 4
ANCHOR_AGREEMENT = 0.5

_NUMBER = re.compile(r"\d+")


def _anchors(doc: Document) -> set[str]:
    numbers = {n for t in doc.turns for n in _NUMBER.findall(t.text)}
    entities = {f"{m.type}:{m.id}" for m in doc.mentions if m.id and m.type in ("country", "organization")}
    return numbers | entities


def version_score(a: Document, b: Document) -> float:
    """How surely ``b`` is ``a`` in another language, in [0, 1]: the share of the longer version's turns
    that align, times the alignment's mean confidence; 0 for the same language, another source, or
    documents whose numbers and entities mostly differ."""
    if a.language == b.language or a.source != b.source or not a.turns or not b.turns:
        return 0.0
    ours, theirs = _anchors(a), _anchors(b)
    if min(len(ours), len(theirs)) >= MIN_ANCHORS and len(ours & theirs) / min(len(ours), len(theirs)) < ANCHOR_AGREEMENT:
        return 0.0
    pairs = align_turns(a, b)
    if not pairs:
        return 0.0
    covered = len(pairs) / max(len(a.turns), len(b.turns))
    return covered * sum(p.confidence for p in pairs) / len(pairs)
