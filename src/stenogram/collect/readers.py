"""Reading inputs into documents: one transcript file's bytes, and the records of container files (JSONL of
contract documents, web archives, datasets), each record a parsed document or the reason it is not one.

    for record in container_records(Path("crawl.warc.gz")) or ():
        match record:
            case Parsed(where, document, digest, origin): ...
            case Failed(where, reason): print(f"{where}: {reason}")

A record that cannot be read never stops the file: it is yielded as :class:`Failed`, naming the file and the
record's position (``corpus.jsonl:17``, ``record 3 (https://...)``, ``row 12``), and the next one follows.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias, TypeVar

import orjson

from stenogram.collect.importers import (
    DatasetError,
    is_dataset,
    is_warc,
    iter_dataset,
    read_warc,
    row_to_document,
)
from stenogram.collect.validate import check_document
from stenogram.enrich import Extra, enrich
from stenogram.errors import EmptyInput, InputNotFound, InputUnreadable, StenogramError
from stenogram.model import Document
from stenogram.parse import parse_bytes_auto

__all__ = [
    "MAX_INPUT_BYTES",
    "Failed",
    "Parsed",
    "Record",
    "container_records",
    "dataset_records",
    "first_line",
    "jsonl_records",
    "ner_extra",
    "process",
    "read_input",
    "reason_for",
    "shown",
    "unexpected_error",
    "warc_records",
]

#: the largest transcript file read (larger ones are refused: no transcript is that large)
MAX_INPUT_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Parsed:
    """A document read from an input. ``where`` names it in reports (a file, ``corpus.jsonl:3``, a page's URL);
    ``origin`` is where it came from as the corpus keeps it (a changed version from the same origin replaces
    it); ``digest`` is the SHA-256 of what it was parsed from (an unchanged input is not stored again)."""

    where: str
    document: Document
    digest: str
    origin: str


@dataclass(frozen=True, slots=True)
class Failed:
    """An input, or a record of one, that gives no document: ``where`` names it, ``reason`` says why."""

    where: str
    reason: str


#: one record of a container file
Record: TypeAlias = Parsed | Failed


def read_input(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``; errors say which file and why."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    p = Path(path)
    try:
        with p.open("rb") as fh:
            # a file of known size is read in one go (asking for 64 MiB would allocate them first)
            size = os.fstat(fh.fileno()).st_size
            data = fh.read() if 0 < size <= MAX_INPUT_BYTES else fh.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputNotFound(path) from exc
    except (IsADirectoryError, PermissionError) as exc:
        if p.is_dir():
            raise InputUnreadable(path, "it is a folder; give one transcript file") from exc
        raise InputUnreadable(path, "permission denied") from exc
    except OSError as exc:
        raise InputUnreadable(path, exc.strerror or str(exc)) from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputUnreadable(path, f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; is it really one transcript?")
    return data


def process(data: bytes, *, name: str, url: str | None = None, charset: str | None = None,
            source: str | None = None, extra: Extra | None = None) -> Document:
    """Bytes (a saved page or copied text) → parsed and enriched Document: what ``parse``, ``ingest`` and
    ``crawl`` run."""
    return enrich(parse_bytes_auto(data, name=name, url=url, charset=charset, source=source), extra=extra)


def ner_extra(spec: str | None) -> Extra | None:
    """The optional statistical NER (``spacy:MODEL``), loaded lazily; None without one."""
    if not spec:
        return None
    from stenogram.enrich.ner import spacy_extra

    return spacy_extra(spec)


def shown(path: str | os.PathLike[str]) -> str:
    """A path (or any text) as reports and the corpus keep it: a file name that is not valid UTF-8 (which Python
    carries as lone surrogates) with its odd bytes written as ``\\xff``, so it can be printed and stored."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def reason_for(where: str, exc: BaseException | str) -> str:
    """An error's message as a report's reason for ``where``: without ``where`` in front when the message starts
    with it (a DatasetError names its file), printable."""
    message, where = shown(str(exc)), shown(where)
    for prefix in (where, os.path.basename(where)):
        if prefix and message.startswith(prefix + ": "):
            return message[len(prefix) + 2:]
    return message


def unexpected_error(exc: BaseException) -> str:
    """The reason for a record that failed in a way stenogram does not foresee (a bug): said as such, with the error."""
    return (f"cannot be read: an unexpected error ({type(exc).__name__}: {first_line(str(exc))}); the other "
            "records go on; please report it with the record that causes it")


def first_line(text: str) -> str:
    """The first line of an error's text that is not blank, printable and at most 300 characters."""
    return shown(next((line.strip() for line in text.splitlines() if line.strip()), text))[:300]


def container_records(path: Path, *, extra: Extra | None = None) -> Iterator[Record] | None:
    """The records of a container file (JSONL of contract documents, a WARC, a dataset), else None; ``extra``:
    a statistical model's entities for the pages of a WARC file (the others' documents are read as they are)."""
    if path.suffix.lower() == ".jsonl":
        return jsonl_records(path)          # contract documents, one a line (what `export` writes)
    if is_warc(path):
        return warc_records(path, extra=extra)      # every HTML response in a web archive
    if is_dataset(path):
        return dataset_records(path)        # a researchers' table: one transcript a row
    return None


def jsonl_records(path: Path) -> Iterator[Record]:
    """Contract documents, one a line, each checked against the contract before it is stored: a line that is not
    one is reported (``corpus.jsonl:17: mention 3 points at turn 999, which does not exist``) and the others go on."""
    name = shown(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Failed(name, f"cannot be read ({exc.strerror or exc})")
        return
    with fh:
        for n, raw in enumerate(fh, 1):
            line = raw.strip()
            if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:].strip()         # a byte-order mark some editors put first
            if not line:
                continue
            where = f"{name}:{n}"
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Failed(where, f"not a line of JSON ({exc}); each line must be one JSON object, a document")
                continue
            if isinstance(data, dict) and data.get("record") == "versions":
                continue                        # the record of a document's edits (export/jsonl.py), not a document
            try:
                check_document(data)
                doc = Document.from_json(data)
            except StenogramError as exc:
                yield Failed(where, reason_for(where, exc))
                continue
            except Exception as exc:            # a record must not stop the file
                yield Failed(where, unexpected_error(exc))
                continue
            yield Parsed(where, doc, hashlib.sha256(raw.strip()).hexdigest(), where)


#: what a reader of WARC files makes of a page with no text (warc_records' ``empty``)
T = TypeVar("T")


def warc_records(path: Path, *, name: str | None = None, empty: Callable[[str], T] | None = None,
                 extra: Extra | None = None) -> Iterator[Record | T]:
    """Each HTML response of a WARC file, parsed (and enriched with ``extra`` too, when given); its URL is its
    origin. A record that cannot be read or parsed is reported with the file (``name``, else as shown) and its
    number, and the others go on; a page with no text besides its chrome is reported as empty, or becomes
    ``empty(url)`` when given (a bulk run skips it)."""
    name = name or shown(path)
    for page in read_warc(path):
        if isinstance(page, DatasetError):
            yield Failed(name, reason_for(str(path), page))
            continue
        try:
            doc = process(page.data, name=page.url, url=page.url, charset=page.charset, extra=extra)
        except EmptyInput as exc:
            yield empty(page.url) if empty is not None else Failed(
                name, f"record {page.record} ({page.url}): {reason_for(page.url, exc)}")
            continue
        except StenogramError as exc:
            yield Failed(name, f"record {page.record} ({page.url}): {reason_for(page.url, exc)}")
            continue
        except Exception as exc:                # a record must not stop the archive
            yield Failed(name, f"record {page.record} ({page.url}) {unexpected_error(exc)}")
            continue
        yield Parsed(page.url, doc, hashlib.sha256(page.data).hexdigest(), page.url)


def dataset_records(path: Path) -> Iterator[Record]:
    """Each row of a CSV or Parquet dataset, parsed; its URL (or file and row) is its origin. A row that cannot be
    parsed is reported with the file and its number, and the others go on."""
    name = shown(path)
    for row in iter_dataset(path):
        try:
            doc = enrich(row_to_document(row))
        except StenogramError as exc:
            yield Failed(name, reason_for(str(path), exc))
            continue
        except Exception as exc:                # a row must not stop the dataset
            yield Failed(name, f"row {row.row} {unexpected_error(exc)}")
            continue
        where = row.url or f"{name}#row={row.row}"
        yield Parsed(where, doc, hashlib.sha256(row.text.encode("utf-8")).hexdigest(), where)
