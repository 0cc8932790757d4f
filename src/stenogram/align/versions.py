"""Whether two documents are language versions of one item when no address says so.

A site's address names the item (``mid.ru/en/.../1398712/`` and ``mid.ru/ru/.../1398712/``), and the
store groups such versions by it. A saved text file or a page of a site without a profile has no such
name, so its versions are recognised by what a translation keeps: the same source and day, the same
sequence of speakers and kinds of turn, the same numbers and the same countries and organisations
(``turns.align_turns``), and on the whole document, the same set of numbers and entities.

Two reports of different events on one day by the same minister share much of that (his name, the
kinds of turn, the countries of the week), so the bar is the alignment's mean confidence, which is
what sets them apart: on the multilingual fixtures, versions of one event align at 0.80 or more and
documents of different events at 0.74 or less (as do generated documents of one day and speaker).

A fingerprint (the sequence of turn kinds, the numbers and entities) is stored with each document, so
that most documents of the same source and day are set aside without being read or aligned.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from stenogram.align.turns import Unit, align_turns
from stenogram.model import Document

#: a document is taken as a language version of another when the mean confidence of its aligned turns
#: is at least this
VERSION_THRESHOLD = 0.77
#: and this share of the longer version's turns align (so the shorter has at least this share of turns)
MIN_COVERAGE = 0.7
#: and their sequences of turn kinds are this alike (difflib's ratio)
MIN_SHAPE = 0.6
#: with at least this many anchors on both sides, they must agree this much
MIN_ANCHORS = 4
ANCHOR_AGREEMENT = 0.6

_NUMBER = re.compile(r"\d+")
_KIND = {"statement": "s", "question": "q", "answer": "a", "moderator": "m", "other": "o"}
#: near places in two versions (turn i of n, and the turns about i·m/n of m), their anchors must agree
#: this much on average (Jaccard of the best of the nearby turns): versions of one event on the fixtures
#: 0.61 or more, generated documents of one day and speaker 0.44 or less
MIN_PLACED = 0.5
_NEAR = 2


def _turn_anchors(doc: Document) -> list[set[str]]:
    """Each turn's numbers and the countries and organisations it mentions (what no translation changes)."""
    anchors: list[set[str]] = [{n.lstrip("0") or "0" for n in _NUMBER.findall(t.text)} for t in doc.turns]
    where = {t.index: k for k, t in enumerate(doc.turns)}
    for m in doc.mentions:
        if m.id and m.type in ("country", "organization") and m.turn in where:
            anchors[where[m.turn]].add(f"{m.type[0]}:{m.id}".replace(" ", "_"))
    return anchors


def fingerprint(doc: Document) -> str:
    """What a translation keeps of a document, as stored: its turn kinds (one letter a turn), ``|``, and
    each turn's numbers and entity ids (``;`` between turns)."""
    return ("".join(_KIND.get(t.kind, "o") for t in doc.turns) + "|"
            + ";".join(" ".join(sorted(a)) for a in _turn_anchors(doc)))


def _read(print_: str) -> tuple[str, list[set[str]]]:
    shape, _, rest = print_.partition("|")
    return shape, [set(part.split()) for part in rest.split(";")] if shape else []


def may_be_versions(a: str, b: str) -> bool:
    """Whether two fingerprints could belong to versions of one item (a check that reads no document):
    about as many turns, of the same kinds in about the same order, and the same numbers and entities,
    on the whole and turn by turn at about the same places."""
    shape_a, turns_a = _read(a)
    shape_b, turns_b = _read(b)
    if not shape_a or not shape_b or min(len(shape_a), len(shape_b)) < MIN_COVERAGE * max(len(shape_a), len(shape_b)):
        return False
    if SequenceMatcher(None, shape_a, shape_b, autojunk=False).ratio() < MIN_SHAPE:
        return False
    ours, theirs = set().union(*turns_a), set().union(*turns_b)
    fewer = min(len(ours), len(theirs))
    if fewer >= MIN_ANCHORS and len(ours & theirs) / fewer < ANCHOR_AGREEMENT:
        return False
    return _placed(turns_a, turns_b) >= MIN_PLACED


def _placed(a: list[set[str]], b: list[set[str]]) -> float:
    """The mean agreement of each turn's anchors (of the version with fewer turns) with the best of the
    other version's turns near the same place; 1 when no turn has anchors."""
    if len(a) > len(b):
        a, b = b, a
    scores = []
    for i, mine in enumerate(a):
        if not mine:
            continue
        at = round(i * (len(b) - 1) / max(1, len(a) - 1))
        near = [b[j] for j in range(max(0, at - _NEAR), min(len(b), at + _NEAR + 1)) if b[j]]
        scores.append(max((len(mine & theirs) / len(mine | theirs) for theirs in near), default=0.0))
    return sum(scores) / len(scores) if scores else 1.0


def version_score(a: Document, b: Document, units: tuple[list[Unit], list[Unit]] | None = None,
                  prints: tuple[str, str] | None = None) -> float:
    """How surely ``b`` is ``a`` in another language, in [0, 1]: the mean confidence of their aligned turns
    when enough of them align; 0 for the same language, another source, or fingerprints that differ.
    ``units`` and ``prints``: both documents' ``turn_units`` and fingerprints, when computed already (a
    writer compares one new document with several stored ones)."""
    if a.language == b.language or a.source != b.source or not a.turns or not b.turns:
        return 0.0
    if not may_be_versions(*(prints or (fingerprint(a), fingerprint(b)))):
        return 0.0
    pairs = align_turns(a, b, units)
    if not pairs or len(pairs) < MIN_COVERAGE * max(len(a.turns), len(b.turns)):
        return 0.0
    return sum(p.confidence for p in pairs) / len(pairs)
