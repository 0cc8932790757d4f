"""The Python facade: open a corpus, ingest, search, read documents and turns, summarise.

    import stenogram
    with stenogram.open("stenogram.db") as corpus:
        corpus.ingest(["examples/"])
        for hit in corpus.search("Iraq", speaker="Sergey Lavrov").hits:
            print(hit.turn_id, hit.snippet)
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

import orjson

from stenogram import limits
from stenogram.analyze.comentions import Pair, comentions, write_graph
from stenogram.analyze.keyness import KeyTerm, keyness
from stenogram.analyze.kwic import KwicLine, KwicSort, kwic
from stenogram.analyze.profile import Profile, speaker_profile
from stenogram.analyze.speakers import SpeakerCount, speakers
from stenogram.analyze.stats import Stats, cached_stats, corpus_stats
from stenogram.analyze.trend import By, Per, Split, Trend, trend
from stenogram.analyze.trend import plot as plot_trend
from stenogram.collect.crawler import CrawlProgress, CrawlReport, ReparseReport
from stenogram.collect.importers import (
    DATASET_SUFFIXES,
    WARC_SUFFIXES,
    DatasetError,
    is_dataset,
    is_warc,
    iter_dataset,
    read_warc,
    row_to_document,
)
from stenogram.collect.validate import check_document, url_problem
from stenogram.enrich import Extra, enrich
from stenogram.errors import InputError, InputNotFound, InputUnreadable, StenogramError
from stenogram.export import ExportSummary, export
from stenogram.limits import bounded
from stenogram.model import Document, Turn
from stenogram.parse import parse_bytes_auto
from stenogram.search.engine import MARK_CLOSE, MARK_OPEN, Hit, SearchResult, Sort, search, stream
from stenogram.store.index import notice as index_notice
from stenogram.store.sqlite import Store

__all__ = [
    "MARK_CLOSE", "MARK_OPEN", "Corpus", "Hit", "IngestReport", "KeyTerm", "KwicLine", "Pair", "Profile", "SearchResult",
    "SpeakerCount", "Stats", "Trend", "default_db", "index_notice", "open", "parse_file", "plot_trend", "process", "write_graph",
]

MAX_INPUT_BYTES = 64 * 1024 * 1024
DEFAULT_DB = "stenogram.db"
#: files a folder is searched for
TRANSCRIPT_SUFFIXES = (".txt", ".text", ".jsonl", ".html", ".htm")
INPUT_SUFFIXES = TRANSCRIPT_SUFFIXES + WARC_SUFFIXES + DATASET_SUFFIXES
BATCH = 100
#: with parsing processes, files handed to them ahead of the writer: two batches, so that they go on
#: parsing while the writer stores and indexes a batch (measured with two processes, 4,000 documents:
#: 32 ahead 205 documents/s, 200 ahead 239–244; about 15 MB more at the peak)
AHEAD = 2 * BATCH
#: seconds between turn-index updates during a long ingest or crawl (and at most spent waiting for another writer)
INDEX_EVERY = 10.0
INDEX_WAIT = 30.0


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


def parse_file(path: str, *, url: str | None = None, ner: str | None = None) -> Document:
    """Parse and enrich one transcript file (``-`` for standard input); ``ner="spacy:MODEL"`` adds a model's entities.
    Raises InputError for a ``url`` that is not an http or https URL."""
    if url is not None and (problem := url_problem(url)) is not None:
        raise InputError(f"the URL {shown(url)!r} {problem}; give the page's address, as http://... or https://...")
    name = "<stdin>" if path == "-" else shown(path)
    return process(read_input(path), name=name, url=url, extra=ner_extra(ner))


def ner_extra(spec: str | None) -> Extra | None:
    """The optional statistical NER (``spacy:MODEL``), loaded lazily; None without one."""
    if not spec:
        return None
    from stenogram.enrich.ner import spacy_extra

    return spacy_extra(spec)


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
        if p.is_dir():
            before = len(found)
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.name.lower().endswith(INPUT_SUFFIXES):
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


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str, str], None]   # (path, status) after each file


Record = tuple[str, "Document | None", str, "str | None"]   # (where, document, content hash, problem)


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


def _reason(where: str, exc: BaseException | str) -> str:
    """An error's message as a report's reason for ``where``: without ``where`` in front when the message starts
    with it (a DatasetError names its file), printable."""
    message, where = shown(str(exc)), shown(where)
    for prefix in (where, os.path.basename(where)):
        if prefix and message.startswith(prefix + ": "):
            return message[len(prefix) + 2:]
    return message


def _unexpected(exc: BaseException) -> str:
    """The reason for a record that failed in a way stenogram does not foresee (a bug): said as such, with the error."""
    return (f"cannot be read: an unexpected error ({type(exc).__name__}: {_first_line(str(exc))}); the other "
            "records go on; please report it with the record that causes it")


def _first_line(text: str) -> str:
    return shown(next((line.strip() for line in text.splitlines() if line.strip()), text))[:300]


def _read_jsonl(path: Path) -> Iterator[Record]:
    """Contract documents, one a line, each checked against the contract before it is stored: a line that is not
    one is reported (``corpus.jsonl:17: mention 3 points at turn 999, which does not exist``) and the others go on."""
    name = shown(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield name, None, "", f"cannot be read ({exc.strerror or exc})"
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
                yield where, None, "", f"not a line of JSON ({exc}); each line must be one JSON object, a document"
                continue
            try:
                check_document(data)
                doc = Document.from_json(data)
            except StenogramError as exc:
                yield where, None, "", _reason(where, exc)
                continue
            except Exception as exc:            # a record must not stop the file
                yield where, None, "", _unexpected(exc)
                continue
            yield where, doc, hashlib.sha256(raw.strip()).hexdigest(), None


def _read_warc(path: Path) -> Iterator[Record]:
    """Each HTML response of a WARC file, parsed; its URL is its origin. A record that cannot be read or parsed is
    reported with the file and its number, and the others go on."""
    name = shown(path)
    for page in read_warc(path):
        if isinstance(page, DatasetError):
            yield name, None, "", _reason(str(path), page)
            continue
        try:
            doc = process(page.data, name=page.url, url=page.url, charset=page.charset)
        except StenogramError as exc:
            yield name, None, "", f"record {page.record} ({page.url}): {_reason(page.url, exc)}"
            continue
        except Exception as exc:                # a record must not stop the archive
            yield name, None, "", f"record {page.record} ({page.url}) {_unexpected(exc)}"
            continue
        yield page.url, doc, hashlib.sha256(page.data).hexdigest(), None


def _read_dataset(path: Path) -> Iterator[Record]:
    """Each row of a CSV or Parquet dataset, parsed; its URL (or file and row) is its origin. A row that cannot be
    parsed is reported with the file and its number, and the others go on."""
    name = shown(path)
    for row in iter_dataset(path):
        try:
            doc = enrich(row_to_document(row))
        except StenogramError as exc:
            yield name, None, "", _reason(str(path), exc)
            continue
        except Exception as exc:                # a row must not stop the dataset
            yield name, None, "", f"row {row.row} {_unexpected(exc)}"
            continue
        yield row.url or f"{name}#row={row.row}", doc, hashlib.sha256(row.text.encode("utf-8")).hexdigest(), None


#: what came of one input: a document and its content hash, a container file's records, a failure, or unchanged
Parsed: TypeAlias = "tuple[Document, str] | Iterator[Record] | str | None"


def _records(path: Path) -> Iterator[Record] | None:
    """The records of a container file (JSONL of contract documents, a WARC, a dataset), else None."""
    if path.suffix.lower() == ".jsonl":
        return _read_jsonl(path)          # contract documents, one a line (what `export` writes)
    if is_warc(path):
        return _read_warc(path)           # every HTML response in a web archive
    if is_dataset(path):
        return _read_dataset(path)        # a researchers' table: one transcript a row
    return None


_WORKER_EXTRA: Extra | None = None
#: seconds between a parsing process's checks that the ingest that started it is still there
PARENT_CHECK = 0.5


def _worker_start(ner: str | None, parent: int | None = None) -> None:
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


def _parse_bytes(data: bytes, name: str, digest: str, extra: Extra | None = None) -> tuple[Document, str] | str:
    """Parse and enrich one file's bytes: the document and its hash, or why it failed."""
    try:
        return process(data, name=name, extra=extra if extra is not None else _WORKER_EXTRA), digest
    except StenogramError as exc:
        return _reason(name, exc)
    except Exception as exc:                    # one file must not stop the ingest
        return _unexpected(exc)


def _fatal(exc: BaseException) -> bool:
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


class Corpus:
    """A corpus of parsed documents in one SQLite file."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._synced_at = time.monotonic()

    @property
    def path(self) -> str:
        return self.store.path

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if not self.store.read_only:
            self.store.sync_index(wait=INDEX_WAIT)
        self.store.close()

    def _index_now(self, *, every: float | None = None) -> None:
        """Bring the turn index up to the file: now, or when ``every`` seconds have passed since last time.
        Readers search the file's own index while the turn index is behind, so this only keeps them fast.
        Only a sync now (the end of a run of work) ranks the frequent words' first hits again."""
        if every is not None and time.monotonic() - self._synced_at < every:
            return
        self.store.sync_index(wait=INDEX_WAIT if every is None else 0.0, pages=every is None)
        self._synced_at = time.monotonic()

    # --- writing -----------------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str], *, on_file: Progress | None = None,
               on_start: Callable[[int], None] | None = None, ner: str | None = None, jobs: int = 1) -> IngestReport:
        """Parse and store transcripts. Unchanged files are skipped (without parsing them again), changed
        ones replace their old version. A file or a record that fails (a JSONL line that breaks the document
        contract, a dataset row, a damaged web-archive record, a document the store refuses) is reported with
        its file and position, and the rest of the file and of the batch go in: each document is written in a
        savepoint of its batch's transaction. Work is committed in batches, so an interrupted run leaves whole
        documents only, and running it again completes the work. ``jobs`` > 1 parses in that many processes (the
        store is written by this one, in file order), which end with this one however it ends."""
        if jobs < 1:
            raise InputError(f"jobs={jobs}: the number of parsing processes must be 1 or more")
        with _fewer_collections():
            return self._ingest(paths, on_file=on_file, on_start=on_start, ner=ner, jobs=jobs)

    def _ingest(self, paths: Iterable[str], *, on_file: Progress | None, on_start: Callable[[int], None] | None,
                ner: str | None, jobs: int) -> IngestReport:
        report = IngestReport()
        files, missing = find_inputs(paths)
        report.failed.extend((shown(raw), reason) for raw, reason in missing)
        if on_start:
            on_start(len(files))
        batch: list[tuple[str, Document, str, str]] = []   # (where, document, content hash, origin)
        for path, parsed in self._parsed(files, ner, jobs, report, on_file):
            name = shown(path)
            if parsed is None:
                continue                             # unchanged: already reported
            if isinstance(parsed, str):
                report.failed.append((name, parsed))
                if on_file:
                    on_file(name, "failed")
                continue
            if isinstance(parsed, tuple):
                doc, digest = parsed
                for w in doc.warnings:
                    report.warnings.append((name, w))
                batch.append((name, doc, digest, shown(path.resolve())))
            else:
                try:
                    for where, rdoc, rdigest, problem in parsed:
                        if problem or rdoc is None:
                            report.failed.append((where, problem or "unreadable"))
                            continue
                        batch.append((where, rdoc, rdigest, where))
                        if len(batch) >= BATCH:
                            self._write(batch, report, on_file)
                            batch = []
                except StenogramError as exc:
                    report.failed.append((name, _reason(str(path), exc)))
                except Exception as exc:
                    if _fatal(exc):
                        raise
                    # reading the file failed in a way its reader does not foresee; the files after it go on
                    report.failed.append((name, _unexpected(exc)))
            if len(batch) >= BATCH:
                self._write(batch, report, on_file)
                batch = []
        if batch:
            self._write(batch, report, on_file)
        self._index_now()
        return report

    def _parsed(self, files: list[Path], ner: str | None, jobs: int, report: IngestReport,
                on_file: Progress | None) -> Iterator[tuple[Path, Parsed]]:
        """Each input in order with what came of it: a parsed document and its hash, the records of a
        container file (JSONL, WARC, dataset), a failure's reason, or None for an unchanged file. Parsing
        processes end with this one, however it ends (see _end_with)."""
        pool = None
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(jobs, initializer=_worker_start, initargs=(ner, os.getpid()))
        extra = ner_extra(ner) if pool is None else None
        window: deque[tuple[Path, Any]] = deque()
        pending = iter(files)
        try:
            while True:
                while len(window) < (1 if pool is None else max(AHEAD, 16 * jobs)):
                    path = next(pending, None)
                    if path is None:
                        break
                    window.append((path, self._start(path, pool, extra, report, on_file)))
                if not window:
                    return
                path, work = window.popleft()
                if hasattr(work, "result"):
                    try:
                        work = work.result()
                    except Exception as exc:     # the parsing process died (killed, out of memory)
                        work = f"the process parsing it ended unexpectedly ({type(exc).__name__}: {exc})"
                yield path, work
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, path: Path, pool: Any, extra: Extra | None, report: IngestReport, on_file: Progress | None) -> Any:
        """Begin work on one input: its outcome (see ``_parsed``), or a future of it."""
        records = _records(path)
        if records is not None:
            return records
        name = shown(path)
        try:
            data = read_input(str(path))
        except StenogramError as exc:
            return _reason(str(path), exc)
        digest = hashlib.sha256(data).hexdigest()
        if self.store.query("SELECT 1 FROM documents WHERE origin = ? AND content_hash = ?",
                            (shown(path.resolve()), digest)):
            report.unchanged.append(name)
            if on_file:
                on_file(name, "unchanged")
            return None
        if pool is not None:
            try:
                return pool.submit(_parse_bytes, data, name, digest)
            except RuntimeError as exc:          # a parsing process died, and the pool with it
                return f"the processes parsing files ended unexpectedly ({type(exc).__name__}: {exc})"
        return _parse_bytes(data, name, digest, extra)

    def _write(self, batch: list[tuple[str, Document, str, str]], report: IngestReport,
               on_file: Progress | None) -> None:
        """Store a batch in one transaction, each document in a savepoint of its own: a document that cannot be
        stored is rolled back alone and reported, and the others are committed."""
        done: list[tuple[str, str, str]] = []      # (where, status, reason)
        with self.store.transaction():
            for name, doc, digest, origin in batch:
                try:
                    result = self.store.write(doc, content_hash=digest, origin=origin)
                except Exception as exc:
                    if _fatal(exc):
                        raise
                    reason = _reason(name, exc) if isinstance(exc, StenogramError) else \
                        f"cannot be stored ({type(exc).__name__}: {_first_line(str(exc))})"
                    done.append((name, "failed", reason))
                    continue
                done.append((name, result.status, ""))
        self._index_now(every=INDEX_EVERY)
        # Report only what was committed.
        for name, status, reason in done:
            if status == "failed":
                report.failed.append((name, reason))
            else:
                getattr(report, status).append(name)
            if on_file:
                on_file(name, status)

    def add(self, doc: Document, *, origin: str | None = None) -> str:
        """Store one parsed document (from Python); returns added, updated or unchanged. The document is checked
        against the contract first, as an ingested one is (ContractError says what is wrong)."""
        data = doc.to_json()
        check_document(data)
        digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
        status = self.store.write(doc, content_hash=digest, origin=origin).status
        if not self.store.conn.in_transaction:
            self._index_now()
        return status

    def reindex(self) -> int:
        return self.store.reindex()

    def compact(self) -> tuple[int, int]:
        """Give the file's free space back to the disk; returns its size in bytes before and after."""
        return self.store.compact()

    def crawl(self, site: str, *, languages: tuple[str, ...] = ("en",), since: dt.date | None = None,
              until: dt.date | None = None, update: bool = False, base_url: str | None = None, rate: float = 1.0,
              contact_url: str | None = None, timeout: float = 30.0,
              progress: Callable[[CrawlProgress], None] | None = None) -> tuple[CrawlReport, IngestReport]:
        """Walk a site's archive politely (robots.txt, rate limit, retries), fetch each item once, keep the raw
        bytes in the snapshot store next to the corpus, and parse and store every page as it arrives."""
        import httpx

        from stenogram.collect import Fetcher, FetchLog, SnapshotStore, crawl, get_profile
        from stenogram.collect.fetch import DEFAULT_CONTACT_URL

        report = IngestReport()
        with httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False) as client, \
                FetchLog.for_corpus(self.path) as log:
            fetcher = Fetcher(client, contact_url=contact_url or DEFAULT_CONTACT_URL, rate=rate)
            crawled = crawl(site, fetcher=fetcher, snapshots=SnapshotStore.for_corpus(self.path), log=log,
                            on_document=self._on_page(report, source=get_profile(site).name), languages=languages, since=since, until=until,
                            update=update, base_url=base_url, progress=progress)
        self._index_now()
        return crawled, report

    def reparse(self) -> tuple[ReparseReport, IngestReport]:
        """Parse every stored snapshot again (after a parser upgrade), without the network."""
        from stenogram.collect import FetchLog, SnapshotStore, reparse

        report = IngestReport()
        with FetchLog.for_corpus(self.path) as log:
            replayed = reparse(SnapshotStore.for_corpus(self.path), log, self._on_page(report, crawled_under=log.site_of))
        self._index_now()
        return replayed, report

    def _on_page(self, report: IngestReport, source: str | None = None,
                 crawled_under: Callable[[str], str | None] | None = None) -> Callable[[bytes, str, str | None, dict[str, str]], None]:
        def on_document(data: bytes, url: str, charset: str | None, headers: dict[str, str]) -> None:
            # a reparse keeps the site profile the page was crawled under (a mirror's host says nothing), as the
            # fetch log recorded it, even when its document has been deleted since
            site = source or (crawled_under(url) if crawled_under else None) or next(
                (r[0] for r in self.store.query("SELECT source FROM documents WHERE origin = ?", (url,))), None)
            site = site if site != "generic" else None
            doc = process(data, name=url, url=url, charset=charset, source=site)
            group = self.store.group_of_any(_version_ids(data, url, site))
            status = self.store.write(doc, content_hash=hashlib.sha256(data).hexdigest(), origin=url, group=group).status
            getattr(report, status).append(url)
            for w in doc.warnings:
                report.warnings.append((url, w))
            self._index_now(every=INDEX_EVERY)
        return on_document

    def export(self, fmt: str, out: str | os.PathLike[str], query: str = "", **filters: str | None) -> ExportSummary:
        """Write the corpus, or the documents a query matches, as jsonl, csv, parquet, tei or convokit."""
        ids = None
        if query or any(filters.values()):
            ids = [h.document_id for h in stream(self.store, query, options=filters, documents=True, sort="date")]
        return export(self.store, fmt, Path(out), document_ids=ids)

    # --- reading -----------------------------------------------------------------------------------
    def search(self, query: str = "", *, documents: bool = False, sort: Sort = "rank", limit: int = 20,
               offset: int = 0, facets: bool = False, with_question: bool = False, in_language: str | None = None,
               **filters: str | None) -> SearchResult:
        """Turns (or documents) matching a query; filters as keywords: speaker=, kind=, date=, ..."""
        return search(self.store, query, options=filters, documents=documents, sort=sort, limit=limit, offset=offset,
                      facets=facets, with_question=with_question, in_language=in_language)

    def stream(self, query: str = "", *, documents: bool = False, sort: Sort = "rank", with_question: bool = False,
               **filters: str | None) -> Iterator[Hit]:
        return stream(self.store, query, options=filters, documents=documents, sort=sort, with_question=with_question)

    def document(self, document_id: str) -> Document:
        return self.store.document(document_id)

    def turn(self, turn_id: str) -> tuple[Document, Turn]:
        return self.store.turn(turn_id)

    def versions(self, document_id: str) -> list[tuple[str, str]]:
        """(id, language) of the document's other language versions in the corpus."""
        return self.store.siblings(document_id)

    def stats(self, *, cached: bool = False) -> Stats:
        """What the corpus holds: counts by source, language, year and kind, top speakers, completeness, the
        file's size and the turn index's health. ``cached``: counted once a corpus state (for servers)."""
        return cached_stats(self.store) if cached else corpus_stats(self.store)

    def speakers(self, prefix: str = "", *, limit: int = 20) -> list[SpeakerCount]:
        """Speakers with their turn counts, most first; ``prefix`` narrows them to names whose first or last
        word begins with it."""
        return speakers(self.store, prefix, limit=limit)

    # --- analyses ----------------------------------------------------------------------------------
    def trend(self, terms: Sequence[str], *, query: str = "", by: By = "year", per: Per | None = None,
              split: Split | None = None, top_groups: int = 8, **filters: str | None) -> Trend:
        """Occurrences of each term a period (day, week, month, year), optionally normalised ``per`` 10k words,
        documents or turns, and split by speaker, source or country."""
        return trend(self.store, terms, query=query, options=filters, by=by, per=per, split=split,
                     top_groups=top_groups)

    def kwic(self, term: str, *, query: str = "", width: int = 60, sort: KwicSort = "left", limit: int = 100,
             **filters: str | None) -> list[KwicLine]:
        """Keyword in context: up to ``limit`` lines with ``width`` characters each side, sorted left, right or
        by date."""
        return kwic(self.store, term, query=query, options=filters, width=width, sort=sort, limit=limit)

    def comentions(self, *, query: str = "", type: str = "country", limit: int = 50,
                   **filters: str | None) -> list[Pair]:
        """Pairs of entities of one type (country, organization, person) mentioned in the same turn, most
        turns first."""
        return comentions(self.store, query=query, options=filters, type=type, limit=bounded("limit", limit, limits.PAIRS))

    def keyness(self, target: str, reference: str, *, by: str = "log_likelihood", min_count: int = 3,
                limit: int = 30, **filters: str | None) -> list[KeyTerm]:
        """Words over-represented in the turns of the ``target`` query against those of ``reference``."""
        return keyness(self.store, target, reference, options=filters, by=by, min_count=min_count, limit=limit)

    def profile(self, speaker: str, *, query: str = "", **filters: str | None) -> Profile:
        """A speaker's turns over time, kinds of turn, top words, what they mention, who asked them."""
        return speaker_profile(self.store, speaker, query=query, options=filters)

    @property
    def index_problem(self) -> str | None:
        """Why the turn index is not trusted (searches then read the corpus file, more slowly), or None."""
        return self.store.index_problem

    @property
    def index_ready(self) -> bool:
        """Whether the turn index is in step with the file and answers searches."""
        return self.store.index_in_step() is not None

    def file_space(self) -> tuple[int, int]:
        """The corpus file's size and the free space inside it, in bytes (``compact`` gives the free space back)."""
        return self.store.size(), self.store.free_space()

    # --- for servers -------------------------------------------------------------------------------
    def deadline(self, seconds: float) -> AbstractContextManager[None]:
        """Stop any statement still running after ``seconds`` (it raises sqlite3.OperationalError: interrupted)."""
        return self.store.deadline(seconds)

    def state(self) -> tuple[str, str, int, bool]:
        """What identifies the corpus's present contents: any write changes it (for caches of answers)."""
        return (self.store.path, self.store.corpus_id, self.store.log_seq(), self.store.index_in_step() is not None)


def _version_ids(data: bytes, url: str, source: str | None = None) -> list[str]:
    """Document ids of a page's other language versions (from its hreflang and language links)."""
    from stenogram.parse.html import alternate_urls
    from stenogram.parse.sites import by_name, detect

    ids = []
    for lang, other in alternate_urls(data, url).items():
        profile = by_name(source) if source else detect([], other)
        if profile.item_id is not None and (m := profile.item_id.search(other)):
            ids.append(f"{profile.name}:{next(g for g in m.groups() if g)}:{lang}")
    return ids


def default_db() -> str:
    return os.environ.get("STENOGRAM_DB") or DEFAULT_DB


def open(path: str | os.PathLike[str] | None = None, *, read_only: bool = False, catch_up: bool = True) -> Corpus:
    """Open (or create) a corpus; ``path`` defaults to ``$STENOGRAM_DB`` or ``./stenogram.db``. Opened for
    writing, its search index is brought up to date first; ``catch_up=False`` leaves that to the next
    write (or to ``reindex``, which would otherwise build it twice)."""
    return Corpus(Store(str(path) if path is not None else default_db(), read_only=read_only, catch_up=catch_up))

