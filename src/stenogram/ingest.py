"""Storing documents: files and folders ingested, a site crawled, stored snapshots parsed again, one document added.

    report = ingest(store, ["examples/"], sync_index=corpus_sync, jobs=2)
    print(len(report.added), "added;", *(f"{where}: {reason}" for where, reason in report.failed))

How an ingest runs: the inputs are found (files named, folders searched, globs matched) and read in order; a
transcript file already stored with the same content is skipped without parsing it; the others are parsed and
enriched, in this process or in ``jobs`` parsing processes (which end with this one however it ends), and the
records of container files (JSONL, WARC, datasets; :mod:`stenogram.collect.readers`) and the documents of a
dataset folder (what ``bulk`` and ``export --format parquet`` write; :mod:`stenogram.collect.dataset_folder`, read
without parsing) are read here. Documents are written in batches of :data:`BATCH`, one transaction a batch and a
savepoint a document: a document the store refuses is rolled back alone and reported, and an interrupted run
leaves whole documents only. What came of each input and record is gathered in an :class:`IngestReport`.
"""

from __future__ import annotations

import datetime as dt
import gc
import glob
import hashlib
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias, assert_never

from stenogram.collect.crawler import CrawlProgress, CrawlReport, OnDocument, ReparseReport
from stenogram.collect.dataset_folder import dataset_folder_records, is_dataset_folder
from stenogram.collect.importers import DATASET_SUFFIXES, WARC_SUFFIXES, is_warc
from stenogram.collect.readers import (
    Failed,
    Parsed,
    Record,
    container_records,
    first_line,
    ner_extra,
    process,
    read_input,
    reason_for,
    shown,
    unexpected_error,
)
from stenogram.collect.validate import check_document
from stenogram.enrich import Extra
from stenogram.errors import InputError, StenogramError
from stenogram.model import Document
from stenogram.store.sqlite import Store, WriteStatus

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

__all__ = [
    "BATCH",
    "INPUT_SUFFIXES",
    "IngestReport",
    "Outcome",
    "Progress",
    "Records",
    "Status",
    "SyncIndex",
    "Unchanged",
    "add_document",
    "crawl_site",
    "find_inputs",
    "ingest",
    "page_writer",
    "reparse_snapshots",
]

#: files a folder is searched for
TRANSCRIPT_SUFFIXES = (".txt", ".text", ".jsonl", ".html", ".htm")
INPUT_SUFFIXES = TRANSCRIPT_SUFFIXES + WARC_SUFFIXES + DATASET_SUFFIXES
#: documents written in one transaction
BATCH = 100
#: with parsing processes, files handed to them ahead of the writer: two batches, so that they go on
#: parsing while the writer stores and indexes a batch (measured with two processes, 4,000 documents:
#: 32 ahead 205 documents/s, 200 ahead 239–244; about 15 MB more at the peak)
AHEAD = 2 * BATCH
#: seconds between turn-index updates during a long ingest or crawl
INDEX_EVERY = 10.0
#: seconds between a parsing process's checks that the ingest that started it is still there
PARENT_CHECK = 0.5

#: what came of a document, a file or a record: what the store did with it, or that it failed
Status = Literal["added", "updated", "unchanged", "failed"]
#: called with (where, status) after each file, and each document of a container file, is reported
Progress = Callable[[str, Status], None]


class SyncIndex(Protocol):
    """Bring the turn index up to the corpus file: now, or only when ``every`` seconds have passed since the
    last time (readers search the file's own index meanwhile)."""

    def __call__(self, *, every: float | None = None) -> None: ...


@dataclass(slots=True)
class IngestReport:
    """What an ingest, a crawl or a reparse stored: where each document came from, by what became of it."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    #: documents whose page is gone (kept, marked withdrawn)
    withdrawn: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def record(self, where: str, status: WriteStatus) -> None:
        """Count the document from ``where`` as added, updated or unchanged."""
        match status:
            case "added":
                self.added.append(where)
            case "updated":
                self.updated.append(where)
            case "unchanged":
                self.unchanged.append(where)
            case _:
                assert_never(status)

    def fail(self, where: str, reason: str) -> None:
        """Count ``where`` (an input, a record, a document) as failed, for ``reason``."""
        self.failed.append((where, reason))

    def warn(self, where: str, warnings: Iterable[str]) -> None:
        """Keep the parser's warnings about the document from ``where``."""
        self.warnings.extend((where, w) for w in warnings)


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A transcript file stored before with the same content: not parsed again (it is reported as soon as it is
    found)."""

    where: str


@dataclass(frozen=True, slots=True)
class Records:
    """A container file (JSONL, WARC, dataset) and its records, read as they are stored."""

    path: Path
    records: Iterator[Record]


#: what came of one input: its document, why it failed, that it is unchanged, or a container file's records
Outcome: TypeAlias = Parsed | Failed | Unchanged | Records


def find_inputs(paths: Iterable[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named, found in folders (recursively) or matched by globs; and (path, reason) for names that match nothing."""
    found: list[Path] = []
    missing: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in paths:
        p = Path(raw)
        if is_dataset_folder(p):
            add(p)                              # a stenogram dataset: its tables are read together
        elif p.is_dir():
            before = len(found)
            datasets: list[Path] = []
            for f in sorted(p.rglob("*")):
                if any(f.is_relative_to(d) for d in datasets):
                    continue
                if is_dataset_folder(f):
                    datasets.append(f)
                    add(f)
                elif f.is_file() and f.name.lower().endswith(INPUT_SUFFIXES):
                    add(f)
            if len(found) == before and not any(f.is_file() for f in p.rglob("*")):
                missing.append((raw, "the folder holds no files"))
            elif len(found) == before:
                missing.append((raw, f"no transcripts here (files ending in {', '.join(INPUT_SUFFIXES)})"))
        elif p.is_file():
            add(p)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            files = [Path(m) for m in matches if Path(m).is_file()]
            if not files:
                missing.append((raw, "the pattern matches no file"))
            for f in files:
                add(f)
        else:
            missing.append((raw, "no such file or folder"))
    return found, missing


# --- ingesting files ---------------------------------------------------------------------------------


def ingest(store: Store, paths: Iterable[str], *, sync_index: SyncIndex, on_file: Progress | None = None,
           on_start: Callable[[int], None] | None = None, ner: str | None = None, jobs: int = 1) -> IngestReport:
    """Parse and store the transcripts in ``paths`` (files, folders, globs); see the module's description.
    ``on_start`` is called with the number of files found; ``ner="spacy:MODEL"`` adds a model's entities."""
    if jobs < 1:
        raise InputError(f"jobs={jobs}: the number of parsing processes must be 1 or more")
    with _fewer_collections():
        return _Ingest(store, sync_index, on_file).run(paths, on_start=on_start, ner=ner, jobs=jobs)


class _Ingest:
    """One ingest: the documents waiting to be written, and the report."""

    def __init__(self, store: Store, sync_index: SyncIndex, on_file: Progress | None) -> None:
        self.store = store
        self.sync_index = sync_index
        self.on_file = on_file
        self.report = IngestReport()
        self.batch: list[Parsed] = []
        #: the statistical NER asked for, and its entities for the pages of WARC files (read in this process), once loaded
        self.ner: str | None = None
        self._page_extra: Extra | None = None

    def run(self, paths: Iterable[str], *, on_start: Callable[[int], None] | None, ner: str | None,
            jobs: int) -> IngestReport:
        self.ner = ner
        files, missing = find_inputs(paths)
        for raw, reason in missing:
            self.report.fail(shown(raw), reason)
        if on_start:
            on_start(len(files))
        for outcome in self._outcomes(files, ner, jobs):
            match outcome:
                case Unchanged():
                    pass                             # reported when it was found (see _start)
                case Failed(where, reason):
                    self.report.fail(where, reason)
                    if self.on_file:
                        self.on_file(where, "failed")
                case Parsed(where, document):
                    self.report.warn(where, document.warnings)
                    self._queue(outcome)
                case Records():
                    self._read(outcome)
                case _:
                    assert_never(outcome)
        if self.batch:
            self._flush()
        self.sync_index()
        return self.report

    def _read(self, container: Records) -> None:
        """Queue a container file's documents, report its records that give none; a file that cannot be read
        further is reported, and the files after it go on."""
        try:
            for record in container.records:
                if isinstance(record, Failed):
                    self.report.fail(record.where, record.reason or "unreadable")
                else:
                    self._queue(record)
        except StenogramError as exc:
            self.report.fail(shown(container.path), reason_for(str(container.path), exc))
        except Exception as exc:
            if _is_fatal(exc):
                raise
            # reading the file failed in a way its reader does not foresee; the files after it go on
            self.report.fail(shown(container.path), unexpected_error(exc))

    def _queue(self, parsed: Parsed) -> None:
        self.batch.append(parsed)
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._write(self.batch)
        self.batch = []

    def _outcomes(self, files: list[Path], ner: str | None, jobs: int) -> Iterator[Outcome]:
        """What came of each input, in order (see ``_start``). Parsing processes end with this one, however it
        ends (see _end_with)."""
        pool: ProcessPoolExecutor | None = None
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(jobs, initializer=_start_parser, initargs=(ner, os.getpid()))
        extra = ner_extra(ner) if pool is None else None
        window: deque[tuple[Path, Outcome | Future[Parsed | Failed]]] = deque()
        pending = iter(files)
        try:
            while True:
                while len(window) < (1 if pool is None else max(AHEAD, 16 * jobs)):
                    path = next(pending, None)
                    if path is None:
                        break
                    window.append((path, self._start(path, pool, extra)))
                if not window:
                    return
                path, work = window.popleft()
                if isinstance(work, Future):
                    try:
                        work = work.result()
                    except Exception as exc:     # the parsing process died (killed, out of memory)
                        work = Failed(shown(path), "the process parsing it ended unexpectedly "
                                                   f"({type(exc).__name__}: {exc})")
                yield work
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, path: Path, pool: ProcessPoolExecutor | None,
               extra: Extra | None) -> Outcome | Future[Parsed | Failed]:
        """Begin work on one input: the records of a container file; a transcript file's document, or the future
        of it from a parsing process; why it cannot be read; or that it is stored already with the same content
        (which is reported here, without parsing it)."""
        records = dataset_folder_records(path) if is_dataset_folder(path) else container_records(
            path, extra=self._extra_for_pages(extra) if is_warc(path) else None)
        if records is not None:
            return Records(path, records)
        name = shown(path)
        try:
            data = read_input(str(path))
        except StenogramError as exc:
            return Failed(name, reason_for(str(path), exc))
        digest = hashlib.sha256(data).hexdigest()
        origin = shown(path.resolve())
        if self.store.is_unchanged(origin, digest):
            self.report.record(name, "unchanged")
            if self.on_file:
                self.on_file(name, "unchanged")
            return Unchanged(name)
        if pool is not None:
            try:
                return pool.submit(_parse_file, data, name, origin, digest)
            except RuntimeError as exc:          # a parsing process died, and the pool with it
                return Failed(name, f"the processes parsing files ended unexpectedly ({type(exc).__name__}: {exc})")
        return _parse_file(data, name, origin, digest, extra)

    def _extra_for_pages(self, extra: Extra | None) -> Extra | None:
        """The model's entities for a WARC file's pages, which this process parses: the files' own when they are
        parsed here too, else loaded here once."""
        if extra is None and self.ner and self._page_extra is None:
            self._page_extra = ner_extra(self.ner)
        return extra or self._page_extra

    def _write(self, batch: list[Parsed]) -> None:
        """Store a batch in one transaction, each document in a savepoint of its own: a document that cannot be
        stored is rolled back alone and reported, and the others are committed."""
        done: list[tuple[str, WriteStatus] | Failed] = []
        with self.store.transaction():
            for parsed in batch:
                try:
                    result = self.store.write(parsed.document, content_hash=parsed.digest, origin=parsed.origin)
                except Exception as exc:
                    if _is_fatal(exc):
                        raise
                    reason = reason_for(parsed.where, exc) if isinstance(exc, StenogramError) else \
                        f"cannot be stored ({type(exc).__name__}: {first_line(str(exc))})"
                    done.append(Failed(parsed.where, reason))
                    continue
                done.append((parsed.where, result.status))
        self.sync_index(every=INDEX_EVERY)
        # Report only what was committed.
        for item in done:
            status: Status
            if isinstance(item, Failed):
                where, status = item.where, "failed"
                self.report.fail(where, item.reason)
            else:
                where, status = item
                self.report.record(where, status)
            if self.on_file:
                self.on_file(where, status)


def _is_fatal(exc: BaseException) -> bool:
    """An error writing a document that is about the corpus (locked, full, damaged, out of memory), not about the
    document, so the ingest stops on it rather than reporting every document after it."""
    if isinstance(exc, MemoryError):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError | sqlite3.DataError | sqlite3.ProgrammingError)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector runs less often while documents stream through (every 20,000 new
    objects instead of 700): parsing makes many short-lived objects and few cycles, and the frequent
    collections cost about a tenth of an ingest. The thresholds are put back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 20_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# --- in a parsing process ----------------------------------------------------------------------------

_WORKER_EXTRA: Extra | None = None


def _start_parser(ner: str | None, parent: int | None = None) -> None:
    """In a parsing process: end with the ingest process ``parent`` (see _end_with); load the optional NER once;
    collect cycles less often (see _fewer_collections)."""
    global _WORKER_EXTRA
    if parent is not None:
        _end_with(parent)
    gc.set_threshold(max(gc.get_threshold()[0], 20_000), *gc.get_threshold()[1:])
    _WORKER_EXTRA = ner_extra(ner)


def _end_with(parent: int) -> None:
    """Make this parsing process end when the ingest that started it ends, even killed with SIGKILL (which gives it
    no chance to stop its processes): on Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG);
    everywhere, a thread checks every PARENT_CHECK seconds that the parent is still there."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    adopted_by = os.getppid()
    if adopted_by != parent and not _alive(parent):
        os._exit(1)                          # the parent was gone before the signal was asked for

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK)
            if os.getppid() != adopted_by or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="stenogram-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _parse_file(data: bytes, where: str, origin: str, digest: str, extra: Extra | None = None) -> Parsed | Failed:
    """Parse and enrich one transcript file's bytes: its document, or why it failed."""
    try:
        return Parsed(where, process(data, name=where, extra=extra if extra is not None else _WORKER_EXTRA), digest, origin)
    except StenogramError as exc:
        return Failed(where, reason_for(where, exc))
    except Exception as exc:                    # one file must not stop the ingest
        return Failed(where, unexpected_error(exc))


# --- one document, crawled pages, stored snapshots ---------------------------------------------------


def add_document(store: Store, doc: Document, *, origin: str | None, sync_index: SyncIndex) -> WriteStatus:
    """Store one parsed document, checked against the contract first (ContractError says what is wrong); the
    turn index follows unless a transaction is open."""
    data = doc.to_json()
    check_document(data)
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    status = store.write(doc, content_hash=digest, origin=origin).status
    if not store.conn.in_transaction:
        sync_index()
    return status


def crawl_site(store: Store, site: str, *, sync_index: SyncIndex, languages: tuple[str, ...], since: dt.date | None,
               until: dt.date | None, update: bool, base_url: str | None, rate: float, contact_url: str | None,
               timeout: float, progress: Callable[[CrawlProgress], None] | None,
               recheck: int | None = None) -> tuple[CrawlReport, IngestReport]:
    """Crawl a site (see :func:`stenogram.collect.crawl`) with the fetch log and snapshot store beside the corpus
    file, and store every page as it arrives; the documents of pages gone on a refresh are marked withdrawn."""
    import httpx

    from stenogram.collect import Fetcher, FetchLog, SnapshotStore, crawl, get_profile
    from stenogram.collect.fetch import DEFAULT_CONTACT_URL

    report = IngestReport()
    with httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False) as client, \
            FetchLog.for_corpus(store.path) as log:
        fetcher = Fetcher(client, contact_url=contact_url or DEFAULT_CONTACT_URL, rate=rate)
        crawled = crawl(site, fetcher=fetcher, snapshots=SnapshotStore.for_corpus(store.path), log=log,
                        on_document=page_writer(store, report, sync_index, source=get_profile(site).name),
                        languages=languages, since=since, until=until, update=update, base_url=base_url,
                        progress=progress, recheck=recheck,
                        on_withdrawn=lambda url, why: report.withdrawn.extend(store.withdraw(url, why)),
                        on_unchanged=store.restore)
    sync_index()
    return crawled, report


def reparse_snapshots(store: Store, *, sync_index: SyncIndex) -> tuple[ReparseReport, IngestReport]:
    """Parse every snapshot stored beside the corpus file again, without the network, and store the documents."""
    from stenogram.collect import FetchLog, SnapshotStore, reparse

    report = IngestReport()
    with FetchLog.for_corpus(store.path) as log:
        replayed = reparse(SnapshotStore.for_corpus(store.path), log,
                           page_writer(store, report, sync_index, crawled_under=log.site_of))
    sync_index()
    return replayed, report


def page_writer(store: Store, report: IngestReport, sync_index: SyncIndex, *, source: str | None = None,
                crawled_under: Callable[[str], str | None] | None = None) -> OnDocument:
    """What a crawl or a reparse hands each page to: it is parsed under its site profile (``source``; else the
    one it was crawled under; else its stored document's), linked to its stored language versions, stored and
    reported."""
    def on_document(data: bytes, url: str, charset: str | None, headers: dict[str, str]) -> None:
        # a reparse keeps the site profile the page was crawled under (a mirror's host says nothing), as the
        # fetch log recorded it, even when its document has been deleted since
        site = source or (crawled_under(url) if crawled_under else None) or store.source_of_origin(url)
        site = site if site != "generic" else None
        doc = process(data, name=url, url=url, charset=charset, source=site)
        group = store.group_of_any(version_ids(data, url, site))
        status = store.write(doc, content_hash=hashlib.sha256(data).hexdigest(), origin=url, group=group).status
        report.record(url, status)
        report.warn(url, doc.warnings)
        sync_index(every=INDEX_EVERY)
    return on_document


def version_ids(data: bytes, url: str, source: str | None = None) -> list[str]:
    """Document ids of a page's other language versions (from its hreflang and language links)."""
    from stenogram.parse.html import alternate_urls
    from stenogram.sites import by_name, detect

    ids = []
    for lang, other in alternate_urls(data, url).items():
        profile = by_name(source) if source else detect([], other)
        if profile.item_id is not None and (m := profile.item_id.search(other)):
            ids.append(f"{profile.name}:{next(g for g in m.groups() if g)}:{lang}")
    return ids
