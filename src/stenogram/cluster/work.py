"""What a worker does with one input of a bulk run: read it where it is, hash it, parse and enrich its
documents, and write them as Parquet part files named by its content hash.

The task is safe to run twice (a worker killed midway has it run again elsewhere; a client killed midway
has it run again by the next run): its files have the same names each time, each written under a hidden
temporary name and renamed into place. An input the manifest says was done with the same content hash is
not read further. Nothing here raises for a bad input: what went wrong is in the result.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import orjson

from stenogram.align.people import person_id
from stenogram.cluster.inputs import Input
from stenogram.collect.importers import is_warc
from stenogram.collect.readers import (
    Failed,
    Parsed,
    Record,
    container_records,
    ner_extra,
    process,
    read_input,
    reason_for,
    unexpected_error,
    warc_records,
)
from stenogram.enrich import Extra
from stenogram.errors import StenogramError
from stenogram.export.parquet import write_part
from stenogram.model import Document

__all__ = ["CHUNK", "NOT_A_TRANSCRIPT", "InputResult", "is_container", "run_input", "run_inputs", "speaker_ids"]

#: documents of a container file written to one part file (and held in memory at a time)
CHUNK = 1000
#: the reason a page without turns is skipped
NOT_A_TRANSCRIPT = "not a transcript: no turns found"
_READ = 1 << 20

Status = Literal["done", "failed", "unchanged"]


@dataclass(slots=True)
class InputResult:
    """What came of one input: ``done`` (its documents written), ``failed`` (it could not be read at all; it is
    read again next time) or ``unchanged`` (done before with the same content). ``skipped`` and ``failed`` list
    (where, reason) of its pages that are not transcripts and of its records that could not be read; ``files``
    are the part files written (relative to the dataset); ``worker`` and ``seconds`` say who took how long."""

    input: str
    status: Status
    hash: str | None = None
    documents: int = 0
    turns: int = 0
    mentions: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    worker: str = ""
    seconds: float = 0.0
    #: the statistical model whose entities were added (``spacy:MODEL``), if any
    ner: str | None = None

    def entry(self) -> dict[str, Any]:
        """The input's entry in the manifest."""
        return {"input": self.input, "hash": self.hash, "status": self.status, "ner": self.ner, "documents": self.documents,
                "turns": self.turns, "mentions": self.mentions, "skipped": [list(s) for s in self.skipped],
                "failed": [list(f) for f in self.failed], "files": self.files, "worker": self.worker,
                "seconds": round(self.seconds, 3), "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def speaker_ids(doc: Document) -> dict[str, str]:
    """Turn id → person id of its speaker, as a fresh corpus gives it: the registry's id, else the corpus id of
    the name's key. (A corpus can fold two ids into one when aligned language versions say they are one person;
    that happens when the dataset is loaded.)"""
    found = {}
    for turn in doc.turns:
        pid = person_id(turn.speaker)[0]
        if pid:
            found[f"{doc.id}#{turn.index}"] = pid
    return found


def run_input(item: Input, out: str, done_hash: str | None, chunk: int = CHUNK, ner: str | None = None) -> InputResult:
    """Read, parse, enrich and write one input into the dataset at ``out``; ``done_hash``: the content hash the
    manifest says it was done with (None when it was not); ``ner``: a statistical model's entities too
    (``spacy:MODEL``, loaded once a worker), for files of one transcript and the pages of a WARC file."""
    started = time.perf_counter()
    try:
        extra = _extra(ner) if ner else None
    except StenogramError as exc:       # the model is not on this worker: every input says so
        result = InputResult(item.name, "failed", failed=[(item.name, str(exc))])
    else:
        result = _run(item, Path(out), done_hash, chunk, extra)
        result.ner = ner
    result.worker = _worker_name()
    result.seconds = time.perf_counter() - started
    return result


def run_inputs(items: list[tuple[Input, str | None]], out: str, chunk: int = CHUNK,
               ner: str | None = None) -> list[InputResult]:
    """``run_input`` for each of several inputs (each with the hash the manifest says it was done with), in one
    task: a file of one transcript is a few milliseconds of work, which the cluster's bookkeeping of a task a
    file would match (the tasks of a run group such files; see ``cluster/run.py``)."""
    return [run_input(item, out, done_hash, chunk, ner) for item, done_hash in items]


@lru_cache(maxsize=2)
def _extra(ner: str) -> Extra | None:
    """The statistical model's entities, loaded once a worker process."""
    return ner_extra(ner)


def _run(item: Input, out: Path, done_hash: str | None, chunk: int, extra: Extra | None = None) -> InputResult:
    container = is_container(item.url)
    if not container:
        try:
            data = _read_remote(item.url) if item.remote else read_input(item.url)
        except StenogramError as exc:
            return InputResult(item.name, "failed", failed=[(item.name, reason_for(item.url, exc))])
        except Exception as exc:          # the file system's own errors (access, network)
            return InputResult(item.name, "failed", failed=[(item.name, f"cannot be read ({type(exc).__name__}: {exc})")])
        digest = hashlib.sha256(data).hexdigest()
        if digest == done_hash:
            return InputResult(item.name, "unchanged", digest)
        result = InputResult(item.name, "done", digest)
        try:
            doc = process(data, name=item.name, extra=extra)
        except StenogramError as exc:
            return InputResult(item.name, "failed", digest, failed=[(item.name, reason_for(item.name, exc))])
        except Exception as exc:          # one input must not stop the run
            return InputResult(item.name, "failed", digest, failed=[(item.name, unexpected_error(exc))])
        _write(result, iter([Parsed(item.name, doc, digest, item.name)]), out, chunk)
        return result
    with tempfile.TemporaryDirectory(prefix="stenogram-bulk-") as scratch:
        try:
            path, digest = _local_copy(item, Path(scratch))
        except OSError as exc:
            return InputResult(item.name, "failed", failed=[(item.name, f"cannot be read ({exc.strerror or exc})")])
        except Exception as exc:
            return InputResult(item.name, "failed", failed=[(item.name, f"cannot be read ({type(exc).__name__}: {exc})")])
        if digest == done_hash:
            return InputResult(item.name, "unchanged", digest)
        result = InputResult(item.name, "done", digest)
        records = _warc_records(path, extra) if is_warc(path) else container_records(path)
        assert records is not None
        try:
            _write(result, _named(records, str(path), item.name), out, chunk)
        except StenogramError as exc:     # the file is not what its name says (not a WARC, a dataset without text)
            return InputResult(item.name, "failed", digest, failed=[(item.name, reason_for(str(path), exc))])
        except Exception as exc:
            return InputResult(item.name, "failed", digest, failed=[(item.name, unexpected_error(exc))])
        return result


def _write(result: InputResult, records: Iterator[Record | Skipped], out: Path, chunk: int) -> None:
    """Write the documents of ``records`` a chunk at a time; count the pages that are not transcripts and the
    records that failed."""
    batch: dict[str, Parsed] = {}
    part = 0

    def flush() -> None:
        nonlocal part
        if not batch:
            return
        docs = [p.document for p in batch.values()]
        people: dict[str, str] = {}
        for doc in docs:
            people.update(speaker_ids(doc))
        files, (documents, turns, mentions) = write_part(
            [orjson.dumps(doc.to_json()) for doc in docs], people, {p.document.id: p.digest for p in batch.values()},
            out, f"{(result.hash or '')[:32]}-{part}")
        result.files.extend(files)
        result.documents += documents
        result.turns += turns
        result.mentions += mentions
        part += 1
        batch.clear()

    for record in records:
        if isinstance(record, Failed):
            result.failed.append((record.where, record.reason or "unreadable"))
        elif isinstance(record, Skipped) or not record.document.turns:
            result.skipped.append((record.where, NOT_A_TRANSCRIPT))
        else:
            batch.pop(record.document.id, None)     # the later of two records of one document wins, as in a corpus
            batch[record.document.id] = record
            if len(batch) >= chunk:
                flush()
    flush()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A page that is not a transcript (``where`` its URL): counted, never written."""

    where: str


def _warc_records(path: Path, extra: Extra | None = None) -> Iterator[Record | Skipped]:
    """Each HTML response of a WARC file, parsed, as ``warc_records`` reads them for an ingest; except that a page
    with no text besides its chrome (which an ingest reports as empty) is skipped as no transcript, with its URL."""
    return warc_records(path, name=str(path), empty=Skipped, extra=extra)


def _named(records: Iterator[Record | Skipped], local: str, name: str) -> Iterator[Record | Skipped]:
    """A container's records with the local copy's path, where it appears in a name or reason, said as the input's."""
    if local == name:
        yield from records
        return
    for record in records:
        if isinstance(record, Failed):
            yield Failed(record.where.replace(local, name), record.reason.replace(local, name))
        else:
            yield record


def is_container(url: str) -> bool:
    return container_records(Path(PurePosixPath(url).name)) is not None


def _read_remote(url: str) -> bytes:
    import fsspec  # type: ignore[import-untyped]

    from stenogram.collect.readers import MAX_INPUT_BYTES

    with fsspec.open(url, "rb") as fh:
        data: bytes = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise StenogramError(f"{url}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; is it really one transcript?")
    return data


def _local_copy(item: Input, scratch: Path) -> tuple[Path, str]:
    """A container file as a local path (a remote one copied into ``scratch``, under its own name) and the
    SHA-256 of its bytes."""
    digest = hashlib.sha256()
    if not item.remote:
        with open(item.url, "rb") as fh:
            while block := fh.read(_READ):
                digest.update(block)
        return Path(item.url), digest.hexdigest()
    import fsspec

    target = scratch / PurePosixPath(item.url).name
    with fsspec.open(item.url, "rb") as src, target.open("wb") as dst:
        while block := src.read(_READ):
            digest.update(block)
            dst.write(block)
    return target, digest.hexdigest()


def _worker_name() -> str:
    """The Dask worker running this task, else this process."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"
