"""A page of hits in another language: for each hit, its document's version in that language and the
turn of it aligned to the hit's turn, with the paragraph that translates the one the match is in.

Only the page's hits are looked at, never every match. Two versions are aligned once a page, however
many of its hits they hold.
"""

from __future__ import annotations

from dataclasses import replace

from stenogram.align import Alignment, align
from stenogram.model import Document, Turn
from stenogram.search.hits import MARK_CLOSE, MARK_OPEN, AlignedTurn, Hit
from stenogram.search.snippet import ELLIPSIS
from stenogram.store.sqlite import Store, turn_id

#: characters of the aligned text shown with a hit (cut at a word's end)
SHORT = 200


def version_in(store: Store, document_id: str, language: str) -> str | None:
    """The id of the document's version in ``language``, when the corpus has it."""
    return next((i for i, lang in store.siblings(document_id) if lang == language), None)


def in_language(store: Store, hits: list[Hit], language: str) -> list[Hit]:
    """The hits, each with its document's version in ``language`` and the turn of it aligned to the hit's
    (``version`` and ``aligned``; ``aligned`` None where that version has no turn that translates it)."""
    documents: dict[str, Document] = {}
    alignments: dict[tuple[str, str], Alignment] = {}

    def document(ident: str) -> Document:
        if ident not in documents:
            documents[ident] = store.document(ident)
        return documents[ident]

    shown: list[Hit] = []
    for hit in hits:
        other = version_in(store, hit.document_id, language)
        if other is None:
            shown.append(replace(hit, version=None, aligned=None))
            continue
        key = (hit.document_id, other)
        if key not in alignments:
            alignments[key] = (store.alignment(hit.document_id, other)     # stored at ingest
                               or align(document(hit.document_id), document(other)))
        found = alignments[key]
        pair = next((p for p in found.turns if p.a == hit.index), None)
        aligned = None
        if pair is not None:
            ours = _turn(document(hit.document_id), hit.index)
            theirs = _turn(document(other), pair.b)
            where = _matched_paragraph(ours, hit.snippet)
            paragraphs = [] if where is None else [p.b[1] for p in found.paragraphs if p.a == (hit.index, where)]
            text = " ".join(theirs.paragraphs[k] for k in paragraphs) if paragraphs else theirs.text
            aligned = AlignedTurn(language, turn_id(other, pair.b), pair.confidence,
                                  paragraphs[0] if paragraphs else None, _short(text))
        shown.append(replace(hit, version=other, aligned=aligned))
    return shown


def _turn(doc: Document, index: int) -> Turn:
    return next(t for t in doc.turns if t.index == index)


def _matched_paragraph(turn: Turn, snippet: str) -> int | None:
    """The paragraph of ``turn`` that the snippet's first marked word is in; None when the snippet marks
    nothing (a search by filters only) or cannot be placed. A snippet is the turn's text cut to a window
    (an ellipsis at a cut end) with the matched words between marks, so without them it is a stretch of
    the text."""
    first = snippet.find(MARK_OPEN)
    if first < 0:
        return None
    plain = snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
    lead = 1 if plain.startswith(ELLIPSIS) else 0
    if plain.endswith(ELLIPSIS) and len(plain) > lead:
        plain = plain[:-1]
    plain = plain[lead:]
    text = turn.text
    at = text.find(plain)
    if at < 0:
        return None
    offset = at + first - lead        # where the first marked word begins in the turn's text
    end = 0
    for k, paragraph in enumerate(turn.paragraphs):   # the text is the paragraphs joined by a blank line
        end += len(paragraph)
        if offset < end:
            return k
        end += 2
    return None


def _short(text: str) -> str:
    """``text`` on one line, cut at a word's end near SHORT characters (an ellipsis says so)."""
    text = " ".join(text.split())
    if len(text) <= SHORT:
        return text
    cut = text.rfind(" ", 0, SHORT)
    return text[:cut if cut > SHORT // 2 else SHORT].rstrip(" ,;:") + ELLIPSIS
