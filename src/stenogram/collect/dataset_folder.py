"""Reading a stenogram dataset folder back into documents, without parsing: the Parquet tables that
``export --format parquet`` and ``bulk`` write.

    dataset/documents/year=2020/part-0.parquet                  (export: partitioned by year)
    dataset/documents/year=2020/source=mid.ru/part-3.parquet    (bulk: by year and source; any depth is read)
    dataset/turns/…   dataset/mentions/…                        (the same partitions)

    if is_dataset_folder(Path("dataset")):
        for record in dataset_folder_records(Path("dataset")):
            match record:
                case Parsed(where, document, digest, origin): ...
                case Failed(where, reason): print(f"{where}: {reason}")

Each table's files are read in the order of their paths, a batch of rows at a time, and a document's
turns and mentions are taken from their tables as its row comes (they were written in the same
order, so little is read ahead; rows out of that order are held until their document comes, and
rows whose document never comes are reported). A turn's paragraphs are its text split at its blank
lines (``Turn.text`` joins them so); the document is checked against the contract, as a JSONL
document is, before it is handed on. Its digest is the dataset's ``content_hash`` when it has one,
else the SHA-256 of its contract JSON (as ``Corpus.add`` hashes a document), so loading the same
dataset again changes nothing. A file that cannot be read (damaged, not Parquet, without a column
the tables have) is reported and the other files are read; its documents are reported too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from stenogram.collect.readers import Failed, Parsed, Record, first_line, reason_for, shown
from stenogram.collect.validate import check_document
from stenogram.errors import StenogramError
from stenogram.model import Document, DocumentKind, Event, Mention, MentionType, Participant, Section, Turn, TurnKind

__all__ = ["DOCUMENT_COLUMNS", "MENTION_COLUMNS", "TABLES", "TURN_COLUMNS", "contract_hash", "dataset_folder_records",
           "is_dataset_folder"]

#: the tables of a dataset, each a folder of Parquet files; mentions/ may be missing (no document has any)
TABLES = ("documents", "turns", "mentions")
#: the columns read of each table (the export's, less those made again on the way in: turn ids, the
#: speakers' person ids); a column missing from a file may be given by its path (``source=mid.ru``)
DOCUMENT_COLUMNS = ("id", "url", "source", "language", "title", "published", "kind", "event_place", "event_date",
                    "versions", "participants", "sections", "preamble", "boilerplate", "header", "turns", "mentions")
TURN_COLUMNS = ("document_id", "index", "kind", "speaker", "label", "affiliation", "translated_from", "addressed_to",
                "after", "reply_to", "text", "notes")
MENTION_COLUMNS = ("document_id", "turn", "type", "text", "entity_id", "start", "end", "value", "unit")
#: read when present: the hash of what the document was made from (``bulk`` writes it)
CONTENT_HASH = "content_hash"
#: rows read from a file at a time
BATCH_ROWS = 2048


def is_dataset_folder(path: Path) -> bool:
    """Whether ``path`` is a folder holding a stenogram dataset: documents/ and turns/ folders."""
    return path.is_dir() and (path / "documents").is_dir() and (path / "turns").is_dir()


def contract_hash(data: dict[str, Any]) -> str:
    """The SHA-256 of a document's contract JSON, as a document added from Python is hashed."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def dataset_folder_records(folder: Path) -> Iterator[Record]:
    """Each document of the dataset in ``folder``, in the order of its documents' files and rows, or why it
    cannot be loaded; the files that cannot be read, as they are met; last, rows whose document is not there."""
    name = shown(folder)
    origin = shown(folder.resolve())
    documents, turn_table, mention_table = (_Table(folder, table) for table in TABLES)
    turns, mentions = _Grouped(turn_table), _Grouped(mention_table)
    tables = (documents, turn_table, mention_table)
    for row in documents.rows():
        record = _document(name, origin, row, documents.columns, turns, mentions)
        for table in tables:
            if table.failed:
                yield from table.problems()
        yield record
    for grouped in (turns, mentions):
        grouped.drain()
    for table in tables:
        yield from table.problems()
    for grouped in (turns, mentions):
        if grouped.pending:
            yield Failed(name, _orphans(grouped.table.table, grouped.pending))


def _document(name: str, origin: str, row: tuple[Any, ...], columns: dict[str, int], turns: _Grouped,
              mentions: _Grouped) -> Record:
    """One document from its row and its turns' and mentions' rows, checked against the contract."""
    cell: Callable[[str], Any] = lambda column: row[columns[column]]     # noqa: E731
    ident = cell("id")
    where = f"{name}#{ident}"
    turn_rows = turns.take(ident, cell("turns"))
    mention_rows = mentions.take(ident, cell("mentions"))
    try:
        for table, rows, expected in (("turns", turn_rows, cell("turns")), ("mentions", mention_rows, cell("mentions"))):
            if expected is not None and len(rows) != expected:
                return Failed(where, f"documents/ says it has {expected} {table}, and {table}/ has {len(rows)} for it: "
                                     f"a file of {table}/ may be missing or damaged (see above); export or write the "
                                     "dataset again")
        doc = _build(cell, turn_rows, mention_rows, turns.columns, mentions.columns)
        data = doc.to_json()
        check_document(data)
    except StenogramError as exc:
        return Failed(where, reason_for(where, exc))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return Failed(where, f"its rows do not make a document ({type(exc).__name__}: {first_line(str(exc))}); "
                             "check the dataset's columns against `stenogram export --format parquet`")
    return Parsed(where, doc, str(cell(CONTENT_HASH) or contract_hash(data)), f"{origin}#{ident}")


def _build(cell: Callable[[str], Any], turn_rows: Sequence[tuple[Any, ...]], mention_rows: Sequence[tuple[Any, ...]],
           tc: dict[str, int], mc: dict[str, int]) -> Document:
    """The Document of a documents row and its turns' and mentions' rows (turns in the order of their index)."""
    turns = []
    for t in sorted(turn_rows, key=lambda r: r[tc["index"]]):
        text = t[tc["text"]]
        turns.append(Turn(
            index=t[tc["index"]], kind=cast(TurnKind, t[tc["kind"]]), speaker=t[tc["speaker"]], label=t[tc["label"]],
            paragraphs=tuple(text.split("\n\n")) if text else (), affiliation=t[tc["affiliation"]],
            translated_from=t[tc["translated_from"]], addressed_to=tuple(t[tc["addressed_to"]] or ()),
            after=t[tc["after"]], reply_to=t[tc["reply_to"]], notes=tuple(t[tc["notes"]] or ())))
    mentions = tuple(
        Mention(type=cast(MentionType, m[mc["type"]]), text=m[mc["text"]], turn=m[mc["turn"]], start=m[mc["start"]],
                end=m[mc["end"]], id=m[mc["entity_id"]], value=_number(m[mc["value"]]), unit=m[mc["unit"]])
        for m in mention_rows)
    return Document(
        id=cell("id"), url=cell("url"), source=cell("source"), language=cell("language"), title=cell("title"),
        published=cell("published"), kind=cast(DocumentKind, cell("kind")),
        event=Event(place=cell("event_place"), date=cell("event_date")), versions=tuple(cell("versions") or ()),
        participants=tuple(Participant(name=p["name"], role=p["role"], country=p["country"])
                           for p in cell("participants") or ()),
        turns=tuple(turns), mentions=mentions,
        sections=tuple(Section(title=s["title"], turn=s["turn"]) for s in cell("sections") or ()),
        preamble=tuple(cell("preamble") or ()), boilerplate=tuple(cell("boilerplate") or ()),
        header=tuple(cell("header") or ()))


def _number(value: float | None) -> float | None:
    """A mention's value as enrichment gives it: a whole number as an int (the table keeps every value as a float)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _orphans(table: str, pending: dict[Any, list[tuple[Any, ...]]]) -> str:
    ids = [repr(i) if i is not None else "(no document id)" for i in pending]
    shown_ids = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    rows = sum(len(r) for r in pending.values())
    return (f"{table}/ has {rows} rows of {len(ids)} document{'s' if len(ids) != 1 else ''} that documents/ does not "
            f"have ({shown_ids}); a file of documents/ may be missing or damaged (see above), or the tables come from "
            "different datasets: export or write the dataset again")


# --- reading one table ---------------------------------------------------------------------------------------


_WANTED = {"documents": DOCUMENT_COLUMNS, "turns": TURN_COLUMNS, "mentions": MENTION_COLUMNS}


@dataclass
class _Table:
    """One table of a dataset: its Parquet files (their paths' order), read a batch at a time as tuples of the
    wanted columns (``columns`` gives each one's place); files that cannot be read are kept as problems."""

    folder: Path
    table: str
    columns: dict[str, int] = field(default_factory=dict)
    failed: list[Failed] = field(default_factory=list)

    def __post_init__(self) -> None:
        wanted = list(_WANTED[self.table])
        if self.table == "documents":
            wanted.append(CONTENT_HASH)
        self.columns = {c: i for i, c in enumerate(wanted)}

    def files(self) -> list[Path]:
        root = self.folder / self.table
        found: list[Path] = []
        for here, dirs, names in os.walk(root):
            # hidden and underscore names are a writer's own (temporary files, _manifest, _SUCCESS)
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            found.extend(Path(here) / n for n in sorted(names)
                         if n.lower().endswith(".parquet") and not n.startswith((".", "_")))
        return found

    def problems(self) -> list[Failed]:
        """The files that could not be read, since last asked."""
        failed, self.failed = self.failed, []
        return failed

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for path in self.files():
            yield from self._file_rows(path)

    def _file_rows(self, path: Path) -> Iterator[tuple[Any, ...]]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        where = shown(path)
        given = _partition_values(path.relative_to(self.folder / self.table))
        n = 0
        try:
            with pq.ParquetFile(path) as pf:
                schema = pf.schema_arrow
                problem = _column_problem(self.table, list(self.columns), schema, given)
                if problem:
                    self.failed.append(Failed(where, f"not a table of a stenogram dataset: {problem}; write the dataset "
                                                     "with `stenogram export --format parquet` or `stenogram bulk`"))
                    return
                read = [c for c in self.columns if c in schema.names]
                for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=read):
                    values = [batch.column(read.index(c)).to_pylist() if c in schema.names
                              else [given.get(c)] * batch.num_rows for c in self.columns]
                    n += batch.num_rows
                    yield from zip(*values, strict=True)
        except (pa.ArrowException, OSError, ValueError) as exc:     # ArrowInvalid: not Parquet, or damaged pages
            after = f" after row {n}" if n else ""
            self.failed.append(Failed(where, f"cannot be read as Parquet{after} ({first_line(str(exc))}); the file is "
                                             "damaged or cut short: export or write the dataset again"))


#: columns of whole numbers (any integer type is read), and of numbers
_INTEGERS = frozenset({"turns", "mentions", "index", "reply_to", "turn", "start", "end"})
_NUMBERS = frozenset({"value"})
#: columns of lists (of strings, or of structs: participants, sections)
_LISTS = frozenset({"versions", "participants", "sections", "preamble", "boilerplate", "header", "addressed_to", "notes"})


def _column_problem(table: str, columns: list[str], schema: Any, given: dict[str, str]) -> str | None:
    """What is wrong with a file's columns for its table (a column missing, or of the wrong kind), or None."""
    import pyarrow as pa

    missing = [c for c in columns if c not in schema.names and c not in given and c != CONTENT_HASH]
    if missing:
        return (f"it has no column {', '.join(repr(c) for c in missing)} (a dataset's {table} have "
                f"{', '.join(_WANTED[table])})")
    for c in columns:
        if c not in schema.names:
            continue
        kind = schema.field(c).type
        if pa.types.is_null(kind):
            continue
        if c in _INTEGERS:
            fits = pa.types.is_integer(kind)
        elif c in _NUMBERS:
            fits = pa.types.is_integer(kind) or pa.types.is_floating(kind)
        elif c in _LISTS:
            fits = pa.types.is_list(kind) or pa.types.is_large_list(kind)
        else:
            fits = pa.types.is_string(kind) or pa.types.is_large_string(kind)
        if not fits:
            return f"its column {c!r} holds {kind}, which is not what the column holds in a dataset's {table}"
    return None


def _partition_values(relative: Path) -> dict[str, str]:
    """The Hive partition keys of a file's path (``year=2020/source=mid.ru/part-0.parquet``), values decoded."""
    found = {}
    for part in relative.parts[:-1]:
        key, eq, value = part.partition("=")
        if eq and key:
            found[key] = unquote(value)
    return found


class _Grouped:
    """The rows of one table (turns or mentions) by document: taken as each document comes, read ahead only
    as far as needed (rows of other documents met on the way are held until theirs come)."""

    def __init__(self, table: _Table) -> None:
        self.table = table
        self.columns = table.columns
        self.pending: dict[Any, list[tuple[Any, ...]]] = {}
        self._rows = table.rows()
        self._done = False

    def take(self, document_id: Any, expected: int | None) -> list[tuple[Any, ...]]:
        """The rows of a document, read until there are ``expected`` of them (or the table ends)."""
        want = expected if isinstance(expected, int) else 0
        pending = self.pending
        while len(pending.get(document_id, ())) < want and not self._done:
            row = next(self._rows, None)
            if row is None:
                self._done = True
            else:
                pending.setdefault(row[0], []).append(row)   # the first column is the document's id
        return pending.pop(document_id, [])

    def drain(self) -> None:
        """Read the rest of the table (rows no document has taken stay pending)."""
        for row in self._rows:
            self.pending.setdefault(row[0], []).append(row)
        self._done = True
