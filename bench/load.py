"""Loading a dataset: `stenogram ingest DATASET/` into a fresh corpus, timed, with memory over time.

    python bench/load.py [--count 20000] [--workdir DIR] [--dataset DIR] [--every 1000] [--stages] [--profile FILE]

The dataset is made once and kept in --workdir (``dataset-N``): bench/generate.py's documents are
written as .txt files, ingested with two parsing processes into ``source-N.db`` and exported with
``export --format parquet`` (none of this is timed; a later run with the same --workdir and --count
reuses it; --dataset loads a given one instead). Then ``stenogram.open(db).ingest([dataset])`` runs into
a new corpus file, timed on the wall clock and in CPU seconds (which a busy machine changes less):
documents/s, resident memory (VmRSS, and the process's own, RssAnon) every --every documents and the
peak. ``--stages`` adds the time a document spent in the store's writes, the turn
index and the rest (reading the dataset, rebuilding and checking documents, commits); ``--profile``
writes a cProfile of the load instead. The machine's load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stenogram
from generate import documents
from ingest import peak_mb, rss_mb, status_mb, time_stages


def cpu_seconds() -> float:
    """CPU time this process has used (user and system, every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _time_pending_counts(spent: dict[str, float]) -> None:
    """Count the yearly word counts' writes at the end of each transaction as store writes (where the store
    has them: stenogram.store.terms.PendingCounts)."""
    from stenogram.store import terms

    pending = getattr(terms, "PendingCounts", None)
    if pending is None:
        return
    inner = pending.write

    def write(self: object, conn: object) -> None:
        t = time.perf_counter()
        try:
            inner(self, conn)
        finally:
            spent["store writes"] += time.perf_counter() - t

    pending.write = write


def make_dataset(work: Path, count: int, seed: int) -> Path:
    """The dataset of ``count`` generated documents in ``work`` (made now unless it is there already)."""
    dataset = work / f"dataset-{count}"
    if dataset.is_dir():
        return dataset
    folder = work / f"docs-{count}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in documents(count, seed=seed):
        (folder / name).write_text(text, "utf-8")
    db = work / f"source-{count}.db"
    t = time.perf_counter()
    with stenogram.open(db) as corpus:
        report = corpus.ingest([str(folder)], jobs=2)
        corpus.export("parquet", dataset)
    print(f"dataset: {len(report.added)} documents parsed and exported to {dataset} in {time.perf_counter() - t:.0f} s")
    shutil.rmtree(folder)
    return dataset


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, help="where the dataset is made and kept (default: a temporary folder)")
    ap.add_argument("--dataset", type=Path, help="load this dataset instead of making one (--count is then ignored)")
    ap.add_argument("--db", type=Path, help="the corpus file to load into (default: a new one in the workdir, removed)")
    ap.add_argument("--every", type=int, default=1000, help="documents between memory samples")
    ap.add_argument("--stages", action="store_true", help="also time the store's writes and the turn index")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the load to this file")
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="stenogram-load-"))
    work.mkdir(parents=True, exist_ok=True)
    dataset = args.dataset or make_dataset(work, args.count, args.seed)
    db = args.db or work / "load.db"
    for p in db.parent.glob(db.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    stages = time_stages() if args.stages else None
    if stages is not None:
        _time_pending_counts(stages)

    samples: list[tuple[int, float, float, float]] = []
    done = 0
    t0 = 0.0

    def on_file(where: str, status: str) -> None:
        nonlocal done
        done += 1
        if done % args.every == 0:
            samples.append((done, time.perf_counter() - t0, rss_mb(), status_mb("RssAnon")))

    highest = [0.0, 0.0, 0.0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.25):
            rss = rss_mb()
            if rss > highest[0]:
                highest[:] = [rss, status_mb("RssAnon"), float(done)]

    watcher = threading.Thread(target=watch, daemon=True)
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)     # CPU time: a busy machine changes it less
    rss_before = rss_mb()
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    watcher.start()
    with stenogram.open(db) as corpus:
        if profiler:
            profiler.enable()
        report = corpus.ingest([str(dataset)], on_file=on_file)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
        ndocs, nturns = corpus.store.count("documents"), corpus.store.count("turns")
    stop.set()
    watcher.join()
    if profiler:
        profiler.dump_stats(args.profile)

    print(f"load: {dataset} ({ndocs:,} documents, {nturns:,} turns) into a new corpus; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"  stored   added {len(report.added)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}")
    print(f"  wall     {elapsed:.1f} s  {ndocs / elapsed:,.0f} documents/s  {nturns / elapsed:,.0f} turns/s  "
          f"{elapsed / max(ndocs, 1) * 1000:.2f} ms a document")
    print(f"  CPU      {cpu:.1f} s (this process, all its threads)  {ndocs / cpu:,.0f} documents a CPU second  "
          f"{cpu / max(ndocs, 1) * 1000:.2f} ms a document")
    print(f"  memory   RSS {rss_before:.0f} MB before; peak RSS {peak_mb():.0f} MB; highest seen {highest[0]:.0f} MB "
          f"(own {highest[1]:.0f} MB) after {highest[2]:.0f} documents")
    print(f"    {'documents':>9s}  {'seconds':>8s}  {'RSS MB':>7s}  {'own MB':>7s}")
    for n, s, r, own in samples:
        print(f"    {n:9d}  {s:8.1f}  {r:7.1f}  {own:7.1f}")
    if stages is not None:
        accounted = sum(v for k, v in stages.items() if k != "parse+enrich")
        print(f"  ms/document  store writes {stages['store writes'] / ndocs * 1000:.2f}  turn index "
              f"{stages['turn index'] / ndocs * 1000:.2f}  the rest (reading the dataset, rebuilding and checking "
              f"documents, commits) {(elapsed - accounted) / ndocs * 1000:.2f}")
    for name, reason in report.failed[:5]:
        print(f"  failed: {name}: {reason}")
    if args.db is None:
        for p in db.parent.glob(db.name + "*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
