"""Parquet: three datasets (documents/, turns/, mentions/), each Hive-partitioned by year.

    out/turns/year=2020/part-0.parquet      out/turns/year=unknown/part-0.parquet (undated documents)

Readable by ``pyarrow.dataset.dataset(out / "turns", partitioning="hive")``, ``pandas.read_parquet(out / "turns")``
and DuckDB (``read_parquet('out/turns/*/*.parquet', hive_partitioning = true)``). Dates are ISO strings
as in the contract. Rows are buffered per partition and written in row groups, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from stenogram.export import Source

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


#: the contract's turn and mention objects as Arrow structs (keys not named here are left out)
TURN_STRUCT = pa.struct([f for f in TURNS if f.name not in ("turn_id", "document_id")])
MENTION_STRUCT = pa.struct([pa.field("turn", pa.int32()), pa.field("type", pa.string()), pa.field("text", pa.string()),
                            pa.field("id", pa.string()), pa.field("start", pa.int32()), pa.field("end", pa.int32()),
                            pa.field("value", pa.float64()), pa.field("unit", pa.string())])


def _documents_table(rows: list[Any], owners: list[str]) -> Any:
    columns = [pa.array(column, type=field.type) for column, field in zip(zip(*rows, strict=True), DOCUMENTS, strict=True)]
    return pa.Table.from_arrays(columns, schema=DOCUMENTS)


def _turn_id(owners: Any, index: Any) -> Any:
    return pc.binary_join_element_wise(owners, pc.cast(index, pa.string()), "#")


def _no_null_list(array: Any) -> Any:
    """Lists the contract may leave out are empty lists, never nulls."""
    if array.null_count == 0:
        return array
    return pc.if_else(pc.is_valid(array), array, pa.scalar([], type=array.type))


def _turns_table(turns: list[Any], owners: list[str]) -> Any:
    s = pa.array(turns, type=TURN_STRUCT)
    doc = pa.array(owners, type=pa.string())
    columns = {name: s.field(name) for name in TURN_STRUCT.names}
    columns["addressed_to"] = _no_null_list(columns["addressed_to"])
    columns["notes"] = _no_null_list(columns["notes"])
    return pa.Table.from_arrays(
        [_turn_id(doc, columns["index"]), doc] + [columns[f.name] for f in TURNS if f.name not in ("turn_id", "document_id")],
        schema=TURNS)


def _mentions_table(mentions: list[Any], owners: list[str]) -> Any:
    s = pa.array(mentions, type=MENTION_STRUCT)
    doc = pa.array(owners, type=pa.string())
    return pa.Table.from_arrays(
        [doc, _turn_id(doc, s.field("turn")), s.field("turn"), s.field("type"), s.field("text"), s.field("id"),
         s.field("start"), s.field("end"), s.field("value"), s.field("unit")], schema=MENTIONS)


class Dataset:
    """One Hive-partitioned dataset: a ParquetWriter per partition, items buffered and written in row groups.

    Items are kept as they come (a document's row tuple, or its turn and mention objects from the
    stored JSON) with the id of the document they belong to, and become an Arrow table in one call a
    row group (``to_table``), so no Python code runs per value."""

    def __init__(self, root: Path, schema: Any, batch: int, to_table: Callable[[list[Any], list[str]], Any]) -> None:
        self.root = root
        self.schema = schema
        self.batch = batch
        self.to_table = to_table
        self.buffers: dict[str, tuple[list[Any], list[str]]] = {}
        self.writers: dict[str, Any] = {}
        self.buffered = 0
        root.mkdir()

    def add(self, year: str, owner: str, items: list[Any]) -> None:
        """Items of one document (in the schema's order for rows; contract objects for structs)."""
        if not items:
            return
        found = self.buffers.get(year)
        if found is None:
            found = self.buffers[year] = ([], [])
        found[0].extend(items)
        found[1].extend([owner] * len(items))
        self.buffered += len(items)
        if len(found[0]) >= self.batch:
            self.flush(year)
        elif self.buffered >= 2 * self.batch:
            # Rows spread over partitions (documents out of date order, or a year's tail): write the fullest.
            self.flush(max(self.buffers, key=lambda y: len(self.buffers[y][0])))

    def flush(self, year: str) -> None:
        found = self.buffers.pop(year, None)
        if not found or not found[0]:
            return
        items, owners = found
        self.buffered -= len(items)
        writer = self.writers.get(year)
        if writer is None:
            folder = self.root / f"year={year}"
            folder.mkdir()
            writer = self.writers[year] = pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression=COMPRESSION)
        writer.write_table(self.to_table(items, owners), row_group_size=len(items))

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

    Reads the documents as JSON objects (``Source.raw``) and hands their turn and mention objects to
    Arrow as they are: no model objects, and no Python code per turn or mention."""
    datasets = (
        Dataset(folder / "documents", DOCUMENTS, DOCUMENTS_BATCH, _documents_table),
        Dataset(folder / "turns", TURNS, TURNS_BATCH, _turns_table),
        Dataset(folder / "mentions", MENTIONS, MENTIONS_BATCH, _mentions_table),
    )
    docs, turns, mentions = datasets
    try:
        for d in source.raw():
            ident = d["id"]
            event = d.get("event") or {}
            day = d["published"][:10] if d.get("published") else event.get("date")
            year = day[:4] if day and day[:4].isdigit() else "unknown"
            docs.add(year, ident, [document_row(d)])
            turns.add(year, ident, d["turns"])
            mentions.add(year, ident, d.get("mentions") or [])
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
