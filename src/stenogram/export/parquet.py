"""Parquet: three datasets (documents/, turns/, mentions/), each Hive-partitioned by year, then by source.

    out/turns/year=2020/source=mid.ru/part-0.parquet
    out/turns/year=unknown/source=generic/part-0.parquet        (undated documents)

Readable by ``pyarrow.dataset.dataset(out / "turns", partitioning="hive")``, ``pandas.read_parquet(out / "turns")``
and DuckDB (``read_parquet('out/turns/*/*/*.parquet', hive_partitioning = true)``). The partition columns
``year`` and ``source`` are in the folder names, not in the files (a reader puts them back as columns; a
documents file has no ``source`` column of its own). Dates are ISO strings as in the contract; a document's
``content_hash`` is the one the store keeps (the SHA-256 of the file or record it was parsed from). Rows are
buffered per partition and written in row groups, so memory stays bounded.

``stenogram bulk`` writes the same tables with :func:`write_part`: one file a partition for each piece of
work, named by the input's content hash and renamed into place when whole.

The stored documents' JSON goes to Arrow's own JSON reader a batch at a time, which builds the
columns (turns and mentions as lists of structs) without a Python object per document, turn or
mention; the three tables are cut from those columns with Arrow's compute functions, and the
previous batch is compressed and written in a second thread while the next one is read.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq

from stenogram.errors import ExportError
from stenogram.export import Source

TURNS_BATCH = 5000
DOCUMENTS_BATCH = 1000
MENTIONS_BATCH = 10000
#: stored JSON read per batch (bytes); the last document may take a batch past it
READ_BATCH = 8 << 20
COMPRESSION = "zstd"

_strings = pa.list_(pa.string())
_participant = pa.struct([("name", pa.string()), ("role", pa.string()), ("country", pa.string())])
_section = pa.struct([("title", pa.string()), ("turn", pa.int32())])

#: the documents' columns in a file (``source``, a partition column like ``year``, is in the folder's name)
DOCUMENTS = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("language", pa.string()),
    ("title", pa.string()), ("published", pa.string()), ("kind", pa.string()),
    ("event_place", pa.string()), ("event_date", pa.string()), ("versions", _strings),
    ("participants", pa.list_(_participant)), ("sections", pa.list_(_section)),
    ("preamble", _strings), ("boilerplate", _strings), ("header", _strings),
    ("turns", pa.int32()), ("mentions", pa.int32()), ("content_hash", pa.string()),
])
#: the columns every dataset is partitioned by, outermost first
PARTITIONS = ("year", "source")
#: the three datasets, in the order :func:`tables` gives their tables
DATASETS = ("documents", "turns", "mentions")
TURNS = pa.schema([
    ("turn_id", pa.string()), ("document_id", pa.string()), ("index", pa.int32()), ("kind", pa.string()),
    ("speaker", pa.string()), ("label", pa.string()), ("affiliation", pa.string()), ("translated_from", pa.string()),
    ("addressed_to", _strings), ("after", pa.string()), ("reply_to", pa.int32()), ("text", pa.string()),
    ("notes", _strings), ("speaker_id", pa.string()),
])
MENTIONS = pa.schema([
    ("document_id", pa.string()), ("turn_id", pa.string()), ("turn", pa.int32()), ("type", pa.string()),
    ("text", pa.string()), ("entity_id", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
    ("value", pa.float64()), ("unit", pa.string()),
])

#: the contract's turn and mention objects as Arrow structs (keys not named here are left out); a
#: stored turn has its paragraphs, and its text is made from them (the store keeps no copy of it)
TURN_STRUCT = pa.struct([pa.field("paragraphs", _strings) if f.name == "text" else f
                         for f in TURNS if f.name not in ("turn_id", "document_id", "speaker_id")])
MENTION_STRUCT = pa.struct([pa.field("turn", pa.int32()), pa.field("type", pa.string()), pa.field("text", pa.string()),
                            pa.field("id", pa.string()), pa.field("start", pa.int32()), pa.field("end", pa.int32()),
                            pa.field("value", pa.float64()), pa.field("unit", pa.string())])
#: what is read of a stored contract document (other keys are skipped)
STORED = pa.schema([
    ("id", pa.string()), ("url", pa.string()), ("source", pa.string()), ("language", pa.string()),
    ("title", pa.string()), ("published", pa.string()), ("kind", pa.string()),
    ("event", pa.struct([("place", pa.string()), ("date", pa.string())])), ("versions", _strings),
    ("participants", pa.list_(_participant)), ("sections", pa.list_(_section)),
    ("preamble", _strings), ("boilerplate", _strings), ("header", _strings),
    ("turns", pa.list_(TURN_STRUCT)), ("mentions", pa.list_(MENTION_STRUCT)),
])
_PARSE = pj.ParseOptions(explicit_schema=STORED, unexpected_field_behavior="ignore")
_LISTS = ("versions", "participants", "sections", "preamble", "boilerplate", "header")


def read_stored(blobs: list[bytes]) -> Any:
    """Stored documents' JSON (one object each, no line breaks inside) as one Arrow table of STORED."""
    data = b"\n".join(blobs)
    # A block holds whole documents, so it is at least as long as the longest; two blocks or more
    # are parsed in parallel.
    block = max(1 << 20, max(len(b) for b in blobs) + 1, len(data) // 2 + 1)
    try:
        table = pj.read_json(pa.BufferReader(data), read_options=pj.ReadOptions(block_size=block), parse_options=_PARSE)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ExportError(f"a stored document is not contract JSON ({exc}); the corpus file may be damaged: "
                          "re-ingest the document or restore the file from a copy") from exc
    return table.combine_chunks()


def _no_null_list(array: Any) -> Any:
    """Lists the contract may leave out are empty lists, never nulls."""
    if array.null_count == 0:
        return array
    return pc.if_else(pc.is_valid(array), array, pa.scalar([], type=array.type))


def _count(lists: Any) -> Any:
    return pc.cast(pc.fill_null(pc.list_value_length(lists), 0), pa.int32())


def _years(table: Any) -> Any:
    """Each document's partition: the year of its publication date, else of its event date, else "unknown"."""
    published = table.column("published").chunk(0) if table.num_rows else pa.array([], pa.string())
    published = pc.if_else(pc.equal(published, ""), pa.scalar(None, pa.string()), published)
    day = pc.coalesce(pc.utf8_slice_codeunits(published, 0, 10), pc.struct_field(table.column("event"), "date"))
    year = pc.utf8_slice_codeunits(day, 0, 4)
    return pc.if_else(pc.fill_null(pc.match_substring_regex(year, r"^[0-9]{4}$"), False), year, "unknown")


def _partitions(stored: Any) -> Any:
    """Each document's partition folder: ``year=2020/source=mid.ru`` (a value URI-escaped, as Hive readers
    expect; a site's name never needs it)."""
    sources = stored.column("source").chunk(0) if stored.num_rows else pa.array([], pa.string())
    sources = pc.fill_null(sources, "unknown")
    if any(quote(s, safe="") != s for s in pc.unique(sources).to_pylist()):
        sources = pa.array([quote(s, safe="") for s in sources.to_pylist()], pa.string())
    return pc.binary_join_element_wise(pc.binary_join_element_wise("year", _years(stored), "="),
                                       pc.binary_join_element_wise("source", sources, "="), "/")


def _turn_id(owners: Any, index: Any) -> Any:
    return pc.binary_join_element_wise(owners, pc.cast(index, pa.string()), "#")


def tables(stored: Any, speaker_ids: dict[str, str] | None = None, content_hashes: dict[str, str] | None = None
           ) -> tuple[tuple[Any, Any], tuple[Any, Any], tuple[Any, Any]]:
    """The documents, turns and mentions tables of a batch of stored documents, each with its rows' partition
    folders (``year=2020/source=mid.ru``); ``speaker_ids`` (turn id → person id) fills the turns' speaker_id,
    ``content_hashes`` (document id → hash) the documents' content_hash."""
    column = stored.column
    ids, partition = column("id"), _partitions(stored)
    event = column("event")
    hashes = content_hashes or {}
    documents = pa.Table.from_arrays(
        [ids, column("url"), column("language"), column("title"), column("published"), column("kind"),
         pc.struct_field(event, "place"), pc.struct_field(event, "date")]
        + [_no_null_list(column(name).chunk(0)) for name in _LISTS]
        + [_count(column("turns")), _count(column("mentions")),
           pa.array([hashes.get(i) for i in ids.to_pylist()], pa.string())], schema=DOCUMENTS)

    def flat(name: str, struct: Any) -> tuple[Any, Any, Any]:
        lists = column(name).chunk(0)
        owners = pc.list_parent_indices(lists)
        items = pc.list_flatten(lists)
        return {f.name: pc.struct_field(items, f.name) for f in struct}, pc.take(ids, owners), pc.take(partition, owners)

    t, owners, turn_partitions = flat("turns", TURN_STRUCT)
    t["addressed_to"], t["notes"] = _no_null_list(t["addressed_to"]), _no_null_list(t["notes"])
    t["text"] = pc.binary_join(_no_null_list(t.pop("paragraphs")), "\n\n")      # as Turn.text joins them
    turn_ids = _turn_id(owners, t["index"])
    people = speaker_ids or {}
    t["speaker_id"] = pa.array([people.get(tid) for tid in turn_ids.to_pylist()], pa.string())
    turns = pa.Table.from_arrays([turn_ids, owners] + [t[f.name] for f in list(TURNS)[2:]], schema=TURNS)
    m, owners, mention_partitions = flat("mentions", MENTION_STRUCT)
    mentions = pa.Table.from_arrays(
        [owners, _turn_id(owners, m["turn"]), m["turn"], m["type"], m["text"], m["id"], m["start"], m["end"],
         m["value"], m["unit"]], schema=MENTIONS)
    return (documents, partition), (turns, turn_partitions), (mentions, mention_partitions)


class Dataset:
    """One Hive-partitioned dataset: a ParquetWriter per partition, rows buffered and written in row groups."""

    def __init__(self, root: Path, schema: Any, batch: int) -> None:
        self.root = root
        self.schema = schema
        self.batch = batch
        self.buffers: dict[str, list[Any]] = {}
        self.rows: dict[str, int] = {}
        self.writers: dict[str, Any] = {}
        self.buffered = 0
        self.written = 0
        root.mkdir()

    def add(self, table: Any, partitions: Any) -> None:
        """Rows of a batch, each going to its partition (``year=2020/source=mid.ru``)."""
        if not table.num_rows:
            return
        for year, part in by_partition(table, partitions):
            self.buffers.setdefault(year, []).append(part)
            self.rows[year] = self.rows.get(year, 0) + part.num_rows
            self.buffered += part.num_rows
            if self.rows[year] >= self.batch:
                self.flush(year)
        while self.buffered >= 2 * self.batch:
            # Rows spread over partitions (documents out of date order, or a year's tail): write the fullest.
            self.flush(max(self.rows, key=self.rows.__getitem__))

    def flush(self, year: str) -> None:
        parts = self.buffers.pop(year, None)
        rows = self.rows.pop(year, 0)
        if not parts:
            return
        self.buffered -= rows
        writer = self.writers.get(year)
        if writer is None:
            folder = self.root / year
            folder.mkdir(parents=True)
            writer = self.writers[year] = pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression=COMPRESSION)
        writer.write_table(pa.concat_tables(parts), row_group_size=rows)
        self.written += rows

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
        self.rows.clear()


def _batches(blobs: Iterator[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    size = 0
    for ident, blob in blobs:
        batch.append((ident, blob))
        size += len(blob)
        if size >= READ_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def write(source: Source, folder: Path) -> None:
    """Write the documents, turns and mentions datasets into ``folder`` (which exists and is empty).

    The calling thread reads the stored JSON; a second thread turns each batch into tables and writes
    them (Arrow and SQLite both let go of Python's lock while they work, so the two overlap)."""
    datasets = (
        Dataset(folder / "documents", DOCUMENTS, DOCUMENTS_BATCH),
        Dataset(folder / "turns", TURNS, TURNS_BATCH),
        Dataset(folder / "mentions", MENTIONS, MENTIONS_BATCH),
    )

    def convert(batch: list[tuple[str, bytes]], speaker_ids: dict[str, str], hashes: dict[str, str]) -> None:
        stored = read_stored([blob for _, blob in batch])
        for dataset, (table, partitions) in zip(datasets, tables(stored, speaker_ids, hashes), strict=True):
            dataset.add(table, partitions)

    pending: Future[None] | None = None
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="stenogram-parquet") as worker:
            try:
                for batch in _batches(source.blobs()):
                    if pending is not None:
                        pending.result()
                    # the speakers' person ids and the content hashes read here, on the thread that owns the
                    # store's connection
                    ids = [ident for ident, _ in batch]
                    pending = worker.submit(convert, batch, source.speaker_ids(ids), _content_hashes(source, ids))
                if pending is not None:
                    pending.result()
            except BaseException:
                if pending is not None:
                    pending.cancel()
                    with suppress(BaseException):
                        pending.result()
                raise
        for ds in datasets:
            ds.close()
    except BaseException:
        for ds in datasets:
            ds.abandon()
        raise
    source.turns, source.mentions = datasets[1].written, datasets[2].written


def _content_hashes(source: Source, document_ids: Sequence[str]) -> dict[str, str]:
    """Document id → the content hash the store keeps for it."""
    return {str(r[0]): str(r[1]) for r in source.store.query(
        "SELECT id, content_hash FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        (orjson.dumps(list(document_ids)).decode(),))}


def by_partition(table: Any, partitions: Any) -> Iterator[tuple[str, Any]]:
    """(partition folder, its rows) of a table whose rows' folders are ``partitions``, in the folders' order of
    first appearance."""
    for name in pc.unique(partitions).to_pylist():
        yield name, table.filter(pc.equal(partitions, name))


def write_part(documents: Sequence[bytes], speaker_ids: dict[str, str], content_hashes: dict[str, str], folder: Path,
               name: str) -> tuple[list[str], tuple[int, int, int]]:
    """Write parsed documents (contract JSON, one object each) as one file a partition of each dataset, named
    ``part-NAME.parquet``, into the datasets in ``folder``: each written under a hidden temporary name (which
    Parquet readers skip) and renamed into place when whole, so a reader never sees half a file, and writing
    the same part again replaces it. Returns the files written (relative to ``folder``) and the numbers of
    documents, turns and mentions."""
    written: list[str] = []
    counts = []
    stored = read_stored(list(documents)) if documents else None
    if stored is None:
        return written, (0, 0, 0)
    for dataset, schema, (table, partitions) in zip(DATASETS, (DOCUMENTS, TURNS, MENTIONS),
                                                     tables(stored, speaker_ids, content_hashes), strict=True):
        counts.append(table.num_rows)
        for partition, rows in by_partition(table, partitions):
            target = folder / dataset / partition / f"part-{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                pq.write_table(rows.cast(schema), temporary, compression=COMPRESSION)
                os.replace(temporary, target)
            finally:
                with suppress(FileNotFoundError):
                    temporary.unlink()
            written.append(target.relative_to(folder).as_posix())
    return written, (counts[0], counts[1], counts[2])
