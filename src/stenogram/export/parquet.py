"""Parquet: three datasets (documents/, turns/, mentions/), each Hive-partitioned by year.

    out/turns/year=2020/part-0.parquet      out/turns/year=unknown/part-0.parquet (undated documents)

Readable by ``pyarrow.dataset.dataset(out / "turns", partitioning="hive")``, ``pandas.read_parquet(out / "turns")``
and DuckDB (``read_parquet('out/turns/*/*.parquet', hive_partitioning = true)``). Dates are ISO strings
as in the contract. Rows are buffered per partition and written in row groups, so memory stays bounded.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from stenogram.export import Source
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
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.names = [f.name for f in schema]
        self.writers: dict[str, Any] = {}
        self.buffered = 0
        root.mkdir()

    def add(self, year: str, row: tuple[Any, ...]) -> None:
        """One row, its values in the schema's column order (turned into columns when written)."""
        rows = self.buffers.get(year)
        if rows is None:
            rows = self.buffers[year] = []
        rows.append(row)
        self.buffered += 1
        if len(rows) >= self.batch:
            self.flush(year)
        elif self.buffered >= 2 * self.batch:
            # Rows spread over partitions (documents out of date order, or a year's tail): write the fullest.
            self.flush(max(self.buffers, key=lambda y: len(self.buffers[y])))

    def flush(self, year: str) -> None:
        rows = self.buffers.pop(year, None)
        if not rows:
            return
        self.buffered -= len(rows)
        writer = self.writers.get(year)
        if writer is None:
            folder = self.root / f"year={year}"
            folder.mkdir()
            writer = self.writers[year] = pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression=COMPRESSION)
        # rows → columns in one transposition (C speed), then one Arrow array a column
        columns = [pa.array(column, type=field.type) for column, field in zip(zip(*rows, strict=True), self.schema, strict=True)]
        writer.write_table(pa.Table.from_arrays(columns, schema=self.schema), row_group_size=len(rows))

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


def write(source: Source, folder: Path) -> None:
    """Write the documents, turns and mentions datasets into ``folder`` (which exists and is empty).

    Reads the documents as JSON objects (``Source.raw``) and keeps rows as columns: no model objects and
    no per-row dictionaries on the way to Arrow."""
    datasets = (
        Dataset(folder / "documents", DOCUMENTS, DOCUMENTS_BATCH),
        Dataset(folder / "turns", TURNS, TURNS_BATCH),
        Dataset(folder / "mentions", MENTIONS, MENTIONS_BATCH),
    )
    docs, turns, mentions = datasets
    try:
        for d in source.raw():
            ident = d["id"]
            event = d.get("event") or {}
            day = d["published"][:10] if d.get("published") else event.get("date")
            year = day[:4] if day and day[:4].isdigit() else "unknown"
            docs.add(year, document_row(d))
            for t in d["turns"]:
                turns.add(year, (
                    turn_id(ident, t["index"]), ident, t["index"], t["kind"], t.get("speaker"), t.get("label"),
                    t.get("affiliation"), t.get("translated_from"), t.get("addressed_to") or [], t.get("after"),
                    t.get("reply_to"), t["text"], t.get("notes") or [],
                ))
            for m in d.get("mentions") or ():
                mentions.add(year, (
                    ident, turn_id(ident, m["turn"]), m["turn"], m["type"], m["text"], m.get("id"), m["start"], m["end"],
                    None if m.get("value") is None else float(m["value"]), m.get("unit"),
                ))
        for ds in datasets:
            ds.close()
    except BaseException:
        for ds in datasets:
            ds.abandon()
        raise


def document_row(d: dict[str, Any]) -> tuple[Any, ...]:
    """A document's row (in DOCUMENTS' column order): its metadata and lists, with its turns and mentions
    counted (they have their own datasets)."""
    event = d.get("event") or {}
    return (
        d["id"], d.get("url"), d["source"], d["language"], d["title"], d.get("published"), d["kind"],
        event.get("place"), event.get("date"), d.get("versions") or [],
        [{"name": p["name"], "role": p.get("role"), "country": p.get("country")} for p in d.get("participants") or ()],
        [{"title": s["title"], "turn": s.get("turn")} for s in d.get("sections") or ()],
        d.get("preamble") or [], d.get("boilerplate") or [], d.get("header") or [],
        len(d["turns"]), len(d.get("mentions") or ()),
    )
