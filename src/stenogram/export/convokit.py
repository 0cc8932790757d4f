"""ConvoKit: a folder in ConvoKit's corpus layout, loadable with ``convokit.Corpus(filename=folder)``.

- ``utterances.jsonl``: one turn a line: id (the turn id), speaker, conversation_id (the document id),
  reply_to (an answer's question; null otherwise), timestamp (Unix seconds of the publication, or of
  the event when the publication date is unknown; times without an offset are read as UTC), text, meta;
- ``speakers.json``: named speakers by their person id, one for one person in every language
  (``sergey-lavrov``, ``~nikonov-v``; the printed name when the corpus gives none), with every name
  printed for them; an unnamed questioner is their affiliation when the transcript gives one
  (``Reuters``), else ``<document id>:questioner`` (``<document id>:unnamed`` for other unnamed turns);
- ``conversations.json``: one conversation per document, keyed by document id, with its metadata;
- ``corpus.json`` (what made it, counts) and ``index.json`` (the types of every meta field).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from stenogram.export.jsonl import LINE_BREAKS
from stenogram.model import Document, Turn
from stenogram.store.sqlite import turn_id
from stenogram.version import __version__

UTTERANCE_META = {"kind": "str", "label": "str", "document_id": "str", "index": "int", "affiliation": "str"}
SPEAKER_META = {"name": "str", "names": "list", "type": "str", "document_id": "str", "utterances": "int"}
CONVERSATION_META = {
    "title": "str", "source": "str", "language": "str", "published": "str", "kind": "str", "url": "str",
    "event_place": "str", "event_date": "str",
}
CORPUS_META = {
    "name": "str", "generated_by": "str", "generated_at": "str", "documents": "int", "utterances": "int", "speakers": "int",
}


def write(documents: Iterable[Document], folder: Path, *,
          speaker_ids: Callable[[Sequence[str]], dict[str, str]] | None = None) -> None:
    """Write the five files of a ConvoKit corpus into ``folder`` (which exists and is empty); ``speaker_ids``
    gives the person id of each turn's speaker (turn id → id), which becomes the speaker's id."""
    speakers: dict[str, dict[str, Any]] = {}
    n_documents = n_utterances = 0
    with (folder / "utterances.jsonl").open("w", encoding="utf-8", newline="\n") as utts, \
            (folder / "conversations.json").open("w", encoding="utf-8", newline="\n") as convs:
        convs.write("{")
        for doc in documents:
            convs.write(("\n" if n_documents == 0 else ",\n") + _json(doc.id) + ": " + _json({
                "meta": {
                    "title": doc.title, "source": doc.source, "language": doc.language, "published": doc.published,
                    "kind": doc.kind, "url": doc.url, "event_place": doc.event.place, "event_date": doc.event.date,
                },
                "vectors": [],
            }))
            n_documents += 1
            timestamp = _timestamp(doc.published or doc.event.date)
            indexes = {t.index for t in doc.turns}
            people = speaker_ids([doc.id]) if speaker_ids else {}
            for t in doc.turns:
                sid, meta = speaker(doc, t, people.get(turn_id(doc.id, t.index)))
                entry = speakers.setdefault(sid, meta)
                entry["utterances"] += 1
                if t.speaker and t.speaker not in entry["names"]:
                    entry["names"].append(t.speaker)
                reply_to = turn_id(doc.id, t.reply_to) if t.reply_to is not None and t.reply_to in indexes else None
                utts.write(_json({
                    "id": turn_id(doc.id, t.index), "speaker": sid, "conversation_id": doc.id, "reply_to": reply_to,
                    "timestamp": timestamp, "text": t.text,
                    "meta": {"kind": t.kind, "label": t.label, "document_id": doc.id, "index": t.index,
                             "affiliation": t.affiliation},
                    "vectors": [],
                }) + "\n")
                n_utterances += 1
        convs.write("\n}\n" if n_documents else "}\n")
    _dump(folder / "speakers.json", {sid: {"meta": meta, "vectors": []} for sid, meta in speakers.items()})
    _dump(folder / "corpus.json", {
        "name": "stenogram", "generated_by": f"stenogram {__version__}",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "documents": n_documents, "utterances": n_utterances, "speakers": len(speakers),
    })
    _dump(folder / "index.json", {
        "utterances-index": _types(UTTERANCE_META), "speakers-index": _types(SPEAKER_META),
        "conversations-index": _types(CONVERSATION_META), "overall-index": _types(CORPUS_META),
        "version": 1, "vectors": [],
    })


def speaker(doc: Document, t: Turn, person: str | None = None) -> tuple[str, dict[str, Any]]:
    """The speaker id of a turn (its ``person`` id when it has one), and the speaker's meta for its first turn."""
    if t.speaker:
        return person or t.speaker, {"name": t.speaker, "names": [], "type": "person", "document_id": None,
                                     "utterances": 0}
    if t.affiliation:
        return t.affiliation, {"name": t.affiliation, "names": [], "type": "affiliation", "document_id": None,
                               "utterances": 0}
    role = "questioner" if t.kind == "question" else "unnamed"
    return f"{doc.id}:{role}", {"name": None, "names": [], "type": role, "document_id": doc.id, "utterances": 0}


def _timestamp(value: str | None) -> int | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp())


def _types(fields: dict[str, str]) -> dict[str, list[str]]:
    return {name: [f"<class '{kind}'>"] for name, kind in fields.items()}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(LINE_BREAKS)


def _dump(path: Path, value: Any) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(_json(value))
        fh.write("\n")
