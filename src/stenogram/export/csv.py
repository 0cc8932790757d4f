"""CSV: one row per turn, with its document's metadata; UTF-8, RFC 4180 quoting (multi-line text is quoted)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from stenogram.model import Document
from stenogram.store.sqlite import turn_id

#: turn id → person id of the speaker, for the turns of the named documents
SpeakerIds = Callable[[Sequence[str]], dict[str, str]]

COLUMNS = (
    "turn_id", "document_id", "index", "published", "source", "language", "document_kind", "title", "kind", "speaker",
    "speaker_id", "label", "affiliation", "translated_from", "addressed_to", "after", "reply_to", "text", "notes",
)


def write(documents: Iterable[Document], path: Path, *, speaker_ids: SpeakerIds | None = None) -> None:
    """Write a header and one row per turn to ``path``; lists are joined (addressed_to by "; ", notes by " ").
    ``speaker_ids`` gives the person id of each turn's speaker (the corpus's; empty without it)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for doc in documents:
            people = speaker_ids([doc.id]) if speaker_ids else {}
            for t in doc.turns:
                tid = turn_id(doc.id, t.index)
                out.writerow((
                    tid, doc.id, t.index, doc.published or "", doc.source, doc.language, doc.kind,
                    doc.title, t.kind, t.speaker or "", people.get(tid, ""), t.label or "", t.affiliation or "", t.translated_from or "",
                    "; ".join(t.addressed_to), t.after or "", "" if t.reply_to is None else t.reply_to, t.text,
                    " ".join(t.notes),
                ))
