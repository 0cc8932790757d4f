"""The multilingual fixtures (tests/fixtures/multilingual: six events in three to five languages, with
hand alignments) as the tests read them: each version parsed once, each event's alignment.json, and a
corpus in which the versions of each event are one item's (ids ``mid.ru:<n>:<language>``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import stenogram
from stenogram.api import process
from stenogram.model import Document

ROOT = Path(__file__).parent / "fixtures" / "multilingual"
EVENTS = sorted(p.name for p in ROOT.iterdir() if p.is_dir())


@cache
def version(event: str, lang: str) -> Document:
    return process((ROOT / event / f"{lang}.txt").read_bytes(), name=f"{event}/{lang}.txt")


@cache
def gold(event: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / event / "alignment.json").read_text("utf-8"))
    return data


def item(event: str) -> str:
    """The item id an event is stored under: its versions are mid.ru:<n>:<language>."""
    return f"mid.ru:{990001 + EVENTS.index(event)}"


def build(folder: Path, events: Iterable[str] = EVENTS, languages: Iterable[str] | None = None,
          edit: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Path:
    """A corpus of the events' language versions, each stored as mid.ru:<n>:<language> with its address, so
    the versions of one event are one item's (``languages``: only these; ``edit`` changes a version's JSON)."""
    wanted = None if languages is None else set(languages)
    lines = []
    for event in events:
        for lang in gold(event)["languages"]:
            if wanted is not None and lang not in wanted:
                continue
            n = item(event).rsplit(":", 1)[1]
            doc = {**version(event, lang).to_json(), "id": f"{item(event)}:{lang}", "url": f"https://mid.ru/{lang}/{n}/"}
            lines.append(json.dumps(edit(doc) if edit else doc, ensure_ascii=False))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "versions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "corpus.db"
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(folder / "versions.jsonl")]).ok
    return db
