"""Parquet: three datasets (documents/, turns/, mentions/), each Hive-partitioned by year.

    out/turns/year=2020/part-0.parquet      out/turns/year=unknown/part-0.parquet (undated documents)

Readable by ``pyarrow.dataset.dataset(out / "turns", partitioning="hive")``, ``pandas.read_parquet(out / "turns")``
and DuckDB (``read_parquet('out/turns/*/*.parquet', hive_partitioning = true)``). Dates are ISO strings
as in the contract. Rows are buffered per partition and written in row groups, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from stenogram.export import year_of
from stenogram.model import Document
from stenogram.store.sqlite import turn_id

TURNS_BATCH = 5000
DOCUMENTS_BATCH = 1000
MENTIONS_BATCH = 10000
COMPRESSION = "zstd"

_strings = pa.list_(pa.string())

DOCUMENTS = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("source", pa.string()), ("language", pa.string()),
    ("title", pa.string()), ("published", pa.string()), ("kind", pa.string()),
    ("event_place", pa.string()), ("event_date", pa.string()), ("versions", _strings),
    ("participants", pa.list_(pa.struct([("name", pa.string()), ("role", pa.string()), ("country", pa.string())]))),
    ("sections", pa.list_(pa.struct([("title", pa.string()), ("turn", pa.int32())]))),
    ("preamble", _strings), ("boilerplate", _strings), ("header", _strings),
    ("turns", pa.int32()), ("mentions", pa.int32()),
])
TURNS = pa.schema([
    ("turn_id", pa.string()), ("document_id", pa.string()), ("index", pa.int32()), ("kind", pa.string()),
    ("speaker", pa.string()), ("label", pa.string()), ("affiliation", pa.string()), ("translated_from", pa.string()),
    ("addressed_to", _strings), ("after", pa.string()), ("reply_to", pa.int32()), ("text", pa.string()),
    ("notes", _strings),
])
MENTIONS = pa.schema([
    ("document_id", pa.string()), ("turn_id", pa.string()), ("turn", pa.int32()), ("type", pa.string()),
    ("text", pa.string()), ("entity_id", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("value", pa.float64()), ("unit", pa.string()),
])


class Dataset:
    """One Hive-partitioned dataset: a ParquetWriter per partition, rows buffered and written in row groups."""

    def __init__(self, root: Path, schema: Any, batch: int) -> None:
        self.root = root
        self.schema = schema
        self.batch = batch
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.writers: dict[str, Any] = {}
        self.buffered = 0
        root.mkdir()

    def add(self, year: str, row: dict[str, Any]) -> None:
        rows = self.buffers.setdefault(year, [])
        rows.append(row)
        self.buffered += 1
        if len(rows) >= self.batch:
            self.flush(year)
        elif self.buffered >= 2 * self.batch:
            # Rows spread over partitions (documents out of date order, or a year's tail): write the fullest.
            self.flush(max(self.buffers, key=lambda y: len(self.buffers[y])))

    def flush(self, year: str) -> None:
        rows = self.buffers.pop(year, [])
        if not rows:
            return
        self.buffered -= len(rows)
        writer = self.writers.get(year)
        if writer is None:
            folder = self.root / f"year={year}"
            folder.mkdir()
            writer = self.writers[year] = pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression=COMPRESSION)
        writer.write_table(pa.Table.from_pylist(rows, schema=self.schema), row_group_size=len(rows))

    def close(self) -> None:
        for year in list(self.buffers):
            self.flush(year)
        for writer in self.writers.values():
            writer.close()
        self.writers.clear()

    def abandon(self) -> None:
        for writer in self.writers.values():
            with suppress(Exception):
                writer.close()
        self.writers.clear()
        self.buffers.clear()


def write(documents: Iterable[Document], folder: Path) -> None:
    """Write the documents, turns and mentions datasets into ``folder`` (which exists and is empty)."""
    datasets = (
        Dataset(folder / "documents", DOCUMENTS, DOCUMENTS_BATCH),
        Dataset(folder / "turns", TURNS, TURNS_BATCH),
        Dataset(folder / "mentions", MENTIONS, MENTIONS_BATCH),
    )
    docs, turns, mentions = datasets
    try:
        for doc in documents:
            year = year_of(doc)
            docs.add(year, document_row(doc))
            for t in doc.turns:
                turns.add(year, {
                    "turn_id": turn_id(doc.id, t.index), "document_id": doc.id, "index": t.index, "kind": t.kind,
                    "speaker": t.speaker, "label": t.label, "affiliation": t.affiliation,
                    "translated_from": t.translated_from, "addressed_to": list(t.addressed_to), "after": t.after,
                    "reply_to": t.reply_to, "text": t.text, "notes": list(t.notes),
                })
            for m in doc.mentions:
                mentions.add(year, {
                    "document_id": doc.id, "turn_id": turn_id(doc.id, m.turn), "turn": m.turn, "type": m.type,
                    "text": m.text, "entity_id": m.id, "start": m.start, "end": m.end,
                    "value": None if m.value is None else float(m.value), "unit": m.unit,
                })
        for ds in datasets:
            ds.close()
    except BaseException:
        for ds in datasets:
            ds.abandon()
        raise


def document_row(doc: Document) -> dict[str, Any]:
    """A document's row: its metadata and lists, with its turns and mentions counted (they have their own datasets)."""
    return {
        "id": doc.id, "url": doc.url, "source": doc.source, "language": doc.language, "title": doc.title,
        "published": doc.published, "kind": doc.kind, "event_place": doc.event.place, "event_date": doc.event.date,
        "versions": list(doc.versions), "participants": [p.to_json() for p in doc.participants],
        "sections": [s.to_json() for s in doc.sections], "preamble": list(doc.preamble),
        "boilerplate": list(doc.boilerplate), "header": list(doc.header),
        "turns": len(doc.turns), "mentions": len(doc.mentions),
    }
