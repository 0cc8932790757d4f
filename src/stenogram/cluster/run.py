"""A bulk run on a Dask cluster: the inputs found, handed to the workers a window of tasks at a time (each
container file a task, files of one transcript up to GROUP a task), each input's result written to the
manifest as its task comes back, and the report.

The cluster is a ``LocalCluster`` of worker processes (one thread each, on 127.0.0.1) made for the run and
closed after it, or an existing one reached at ``scheduler``. A worker that dies midway has its task run
again on another (Dask's own retry of lost tasks); a run that stops midway (the client killed) has done
what its manifest says, and the next run does the rest.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stenogram.cluster.inputs import Input, find_inputs
from stenogram.cluster.manifest import MANIFEST, Manifest
from stenogram.cluster.work import CHUNK, InputResult, is_container, run_inputs
from stenogram.collect.readers import ner_extra
from stenogram.enrich.ner import spacy_model
from stenogram.errors import StenogramError

__all__ = ["BulkError", "BulkReport", "WorkerFigures", "bulk"]

#: what a bulk dataset's folder holds
ENTRIES = frozenset({"documents", "turns", "mentions", MANIFEST})
#: files of one transcript given to a worker in one task: each is a few milliseconds of work, and a task a file
#: cost the client and scheduler about as much CPU again (a container file, a WARC or a dataset, is a task alone)
GROUP = 16


class BulkError(StenogramError):
    """A bulk run cannot start: Dask is not installed, the scheduler cannot be reached, or the output folder
    holds other things."""


@dataclass(slots=True)
class WorkerFigures:
    """What one worker did in a run: inputs, documents, and the seconds its tasks took."""

    inputs: int = 0
    documents: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Documents a second of the worker's busy time."""
        return self.documents / self.seconds if self.seconds else 0.0


@dataclass(slots=True)
class BulkReport:
    """What a bulk run did: inputs done now, found done before (``unchanged``) or failed; documents, turns and
    mentions written; pages skipped (not transcripts) and records or inputs failed, each with where and why
    (including those of inputs done before, which stay in the dataset's manifest); figures per worker."""

    out: Path
    inputs: int = 0
    done: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    documents: int = 0
    turns: int = 0
    mentions: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    workers: dict[str, WorkerFigures] = field(default_factory=dict)
    seconds: float = 0.0
    dashboard: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing failed (pages that are not transcripts are not failures)."""
        return not self.failed

    def add(self, result: InputResult, previous: dict[str, Any] | None = None) -> None:
        """Count one input's result (for an unchanged input, what the manifest says it gave)."""
        if result.status == "unchanged":
            self.unchanged.append(result.input)
            if previous is not None:
                self.skipped.extend((str(w), str(r)) for w, r in previous.get("skipped") or ())
                self.failed.extend((str(w), str(r)) for w, r in previous.get("failed") or ())
            return
        if result.status == "done":
            self.done.append(result.input)
        self.documents += result.documents
        self.turns += result.turns
        self.mentions += result.mentions
        self.skipped.extend(result.skipped)
        self.failed.extend(result.failed)
        if result.worker:
            figures = self.workers.setdefault(result.worker, WorkerFigures())
            figures.inputs += 1
            figures.documents += result.documents
            figures.seconds += result.seconds

    def summary(self) -> dict[str, Any]:
        """The report as the manifest's ``run.json`` keeps it."""
        return {"inputs": self.inputs, "done": len(self.done), "unchanged": len(self.unchanged),
                "documents": self.documents, "turns": self.turns, "mentions": self.mentions,
                "skipped": [list(s) for s in self.skipped], "failed": [list(f) for f in self.failed],
                "seconds": round(self.seconds, 3),
                "workers": {w: {"inputs": f.inputs, "documents": f.documents, "seconds": round(f.seconds, 3),
                                "documents_per_second": round(f.rate, 1)} for w, f in sorted(self.workers.items())},
                "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def bulk(paths: list[str], out: Path, *, workers: int | None = None, scheduler: str | None = None,
         on_start: Callable[[int, str | None], None] | None = None,
         on_input: Callable[[InputResult], None] | None = None, chunk: int = CHUNK, ner: str | None = None) -> BulkReport:
    """Collect, parse and enrich ``paths`` (files, folders, globs, WARC files, datasets; local or fsspec URLs)
    on a Dask cluster into the Parquet dataset ``out`` (see :mod:`stenogram.cluster`).

    ``workers``: processes of the local cluster (default: one a core); ``scheduler``: the address of an existing
    cluster instead (``tcp://host:8786``). ``on_start(inputs, dashboard)`` is called once the inputs are found
    and the cluster is up; ``on_input(result)`` after each input. ``ner="spacy:MODEL"`` adds a statistical
    model's entities (on files of one transcript and the pages of WARC files, as ``ingest --ner`` does), loaded
    by each worker; an input done before without the same model is done again. Raises BulkError when the run
    cannot start, and the NER errors (BadNerSpec, NerUnavailable) when the model is misnamed, or missing here
    for a local cluster."""
    if ner is not None:
        spacy_model(ner)             # a misnamed model stops the run before it starts
        if scheduler is None:
            ner_extra(ner)           # a local cluster's workers have what this process has: the model must load
    distributed = _distributed()
    out = Path(out)
    _check_out(out)
    started = time.perf_counter()
    items, missing = find_inputs(list(paths))
    report = BulkReport(out=out, inputs=len(items) + len(missing))
    for raw, reason in missing:
        report.failed.append((raw, reason))
    manifest = Manifest(out)
    manifest.clear_temporaries()
    entries = manifest.load()
    hashes = {str(e["hash"]) for e in entries.values() if e.get("hash")}
    with _client(distributed, workers, scheduler) as client:
        report.dashboard = _dashboard(client)
        if on_start:
            on_start(len(items), report.dashboard)
        window = max(16, 4 * max(1, sum(client.nthreads().values())))
        pending = _groups(items)
        running: dict[Any, list[Input]] = {}
        results = distributed.as_completed()

        def submit() -> None:
            group = next(pending, None)
            if group is None:
                return
            work = []
            for item in group:
                entry = entries.get(item.name)
                done = entry is not None and entry.get("status") == "done" and entry.get("ner") == ner
                work.append((item, entry.get("hash") if entry is not None and done else None))
            future = client.submit(run_inputs, work, str(out), chunk, ner, pure=False)
            running[future] = group
            results.add(future)

        for _ in range(window):
            submit()
        for future in results:
            group = running.pop(future)
            try:
                done: list[InputResult] = future.result()
            except Exception as exc:      # the task was lost more often than the cluster allows (KilledWorker)
                done = [InputResult(item.name, "failed", failed=[(item.name, (
                    f"the workers reading it ended unexpectedly ({type(exc).__name__}: {exc}); it is read again "
                    "on the next run"))]) for item in group]
            for item, result in zip(group, done, strict=True):
                previous = entries.get(item.name)
                if result.status != "unchanged":
                    manifest.record(result.entry(), previous, hashes - {previous.get("hash")} if previous else hashes)
                    if result.hash:
                        hashes.add(result.hash)
                    entries[item.name] = result.entry()
                report.add(result, previous)
                if on_input:
                    on_input(result)
            submit()
    manifest.clear_temporaries()
    report.seconds = time.perf_counter() - started
    manifest.write_run(report.summary())
    return report


def _groups(items: list[Input]) -> Iterator[list[Input]]:
    """The inputs a task at a time: up to GROUP files of one transcript in a row together, each container alone."""
    group: list[Input] = []
    for item in items:
        if is_container(item.url):
            if group:
                yield group
                group = []
            yield [item]
            continue
        group.append(item)
        if len(group) >= GROUP:
            yield group
            group = []
    if group:
        yield group


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise BulkError("bulk runs on Dask, which is not installed: install it with "
                        "`pip install 'stenogram[bulk]'` (or `pip install 'dask[distributed]'`)") from exc
    return distributed


def _check_out(out: Path) -> None:
    """The output is a folder that is new, empty, or a bulk dataset (or an export's) to add to."""
    if out.exists() and not out.is_dir():
        raise BulkError(f"{out}: a file is there; give a folder for the dataset (--out DATASET/)")
    if out.is_dir():
        other = sorted(p.name for p in out.iterdir() if p.name not in ENTRIES and not p.name.startswith("."))
        if other:
            raise BulkError(f"{out}: the folder holds other things ({', '.join(other[:5])}); give a new or empty "
                            "folder, or one a bulk run wrote")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BulkError(f"{out}: cannot make the folder ({exc.strerror or exc}); check the path and its permissions") from exc


@contextmanager
def _client(distributed: Any, workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes made for the run."""
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise BulkError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with `dask scheduler` "
                            "and its workers with `dask worker ADDRESS`, or leave out --scheduler for a local "
                            "cluster") from exc
        with client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    if count < 1:
        raise BulkError("the number of workers must be 1 or more")
    cluster = distributed.LocalCluster(n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _dashboard(client: Any) -> str | None:
    """The cluster's dashboard address, when it serves one (it needs the bokeh package)."""
    if client.cluster is not None and importlib.util.find_spec("bokeh") is None:
        return None
    link = getattr(client, "dashboard_link", None)
    return str(link) if link else None
