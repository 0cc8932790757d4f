"""What a search gives back: hits (a turn, or a document's best turn) and a page of them.

Every hit is made here (``hit_of``), whichever index found it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

Sort = Literal["rank", "date", "-date"]
#: around the matched words in a snippet
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class AlignedTurn:
    """The turn of another language version aligned to a hit's turn (``search(in_language=...)``)."""

    language: str
    turn_id: str
    #: how sure the alignment of the two turns is, from 0 to 1
    confidence: float
    #: the paragraph of the aligned turn that translates the one the match is in (a merged paragraph: the
    #: first of the two); None when that is not known, and ``text`` is then the turn's opening
    paragraph: int | None
    #: that paragraph's text (or the turn's opening), cut to about 200 characters
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    turn_id: str
    document_id: str
    index: int
    kind: str
    speaker: str | None
    label: str | None
    affiliation: str | None
    title: str
    published: str | None
    source: str
    language: str
    #: text around the matches; matched words between MARK_OPEN and MARK_CLOSE
    snippet: str
    score: float | None
    reply_to: int | None = None
    question: Hit | None = None
    matches: int = 1
    #: with ``in_language``: the id of the document's version in that language, when the corpus has it
    version: str | None = None
    #: with ``in_language``: the turn of that version aligned to this one; None when the version has no
    #: turn that translates it (or there is no version)
    aligned: AlignedTurn | None = None

    def to_json(self) -> dict[str, Any]:
        # field by field (dataclasses.asdict deep-copies, and a server calls this for every hit it sends)
        data = {name: getattr(self, name) for name in _HIT_FIELDS}
        data["snippet"] = self.snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")
        data["question"] = self.question.to_json() if self.question else None
        data["aligned"] = None if self.aligned is None else {
            "language": self.aligned.language, "turn_id": self.aligned.turn_id, "confidence": self.aligned.confidence,
            "paragraph": self.aligned.paragraph, "text": self.aligned.text}
        return data


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


@dataclass(slots=True)
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    limit: int = 20
    offset: int = 0
    #: what answered: "index" (the turn index) or "store" (the corpus file's own full-text index)
    engine: str = "store"



def hit_of(row: Any, *, snippet: str, score: float | None, matches: int = 1, question: Hit | None = None) -> Hit:
    """A hit from a row of a turn and its document (columns turn_id, document_id, idx, kind, speaker,
    label, affiliation, reply_to, title, published, source, language)."""
    return Hit(
        turn_id=row["turn_id"], document_id=row["document_id"], index=row["idx"], kind=row["kind"],
        speaker=row["speaker"], label=row["label"], affiliation=row["affiliation"], title=row["title"],
        published=row["published"], source=row["source"], language=row["language"], snippet=snippet,
        score=score, reply_to=row["reply_to"], question=question, matches=matches,
    )
