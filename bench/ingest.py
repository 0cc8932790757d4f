"""Ingest throughput and memory: generated transcripts parsed and stored in a fresh corpus file.

    python bench/ingest.py [--count 20000] [--size 8000] [--seed 7] [--days 4745] [--db PATH] [--workdir DIR]
                           [--keep-files] [--jobs N] [--stages] [--simple]

The documents are written as .txt files first (not timed), then ``stenogram.open(db).ingest([folder])``
runs once, timed on the wall clock. Resident memory (VmRSS) is sampled every --every documents from
the ingest's progress callback, so the samples show whether memory grows with the corpus; the peak
is the process's ru_maxrss. Each sample is also split into the process's own memory (RssAnon: what
it allocated) and pages of files it has mapped (RssFile: the turn index's segments, which the kernel
can drop at any time). Keep the corpus with --db for bench/search.py. --simple writes the earlier
generator's documents (about eighty words), with which the figures before docs/benchmarks.md's
section "On the realistic generator" were taken.
"""

from __future__ import annotations

import argparse
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


def status_mb(field: str = "VmRSS") -> float:
    """A memory figure of this process in MB, from /proc/self/status (0 where there is no /proc)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb() -> float:
    return status_mb("VmRSS")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux


def time_stages() -> dict[str, float]:
    """Wrap the ingest's stages so the seconds spent in each add up as it runs (a few function calls
    a document: no measurable cost)."""
    import stenogram.ingest as ingest
    from stenogram.search.turn_index.beside import StoreIndex
    from stenogram.store.sqlite import Store

    spent = {"parse+enrich": 0.0, "store writes": 0.0, "turn index": 0.0}

    def timed(owner: object, name: str, stage: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*a: object, **kw: object) -> object:
            t = time.perf_counter()
            try:
                return inner(*a, **kw)
            finally:
                spent[stage] += time.perf_counter() - t

        setattr(owner, name, wrapper)

    timed(ingest, "process", "parse+enrich")
    timed(Store, "write", "store writes")
    timed(StoreIndex, "sync", "turn index")
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--size", type=int, default=8000, help="approximate bytes per document")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=int, default=365 * 13,
                    help="days the documents are dated over (fewer: more documents a day, as in a large corpus, where "
                         "each is compared with the same day's documents of its source to find its language versions)")
    ap.add_argument("--db", type=Path, help="corpus file to create and keep (default: a temporary file, removed)")
    ap.add_argument("--workdir", type=Path, help="folder for the generated files (default: a temporary folder)")
    ap.add_argument("--keep-files", action="store_true", help="keep the generated .txt files")
    ap.add_argument("--every", type=int, default=1000, help="documents between memory samples")
    ap.add_argument("--jobs", type=int, default=1, help="parsing processes (the memory figures are this process's)")
    ap.add_argument("--stages", action="store_true",
                    help="also time the stages (parse and enrich, store writes, turn index, the rest), one core only")
    ap.add_argument("--simple", action="store_true", help="the earlier generator's documents (about eighty words)")
    args = ap.parse_args()
    if args.stages and args.jobs > 1:
        sys.exit("--stages times the stages in this process; leave out --jobs")
    stages = time_stages() if args.stages else None

    work = args.workdir or Path(tempfile.mkdtemp(prefix="stenogram-bench-"))
    folder = work / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        sys.exit(f"{folder} is not empty; give an empty --workdir")
    db = args.db or work / "corpus.db"
    if db.exists() or Path(f"{db}-wal").exists():
        sys.exit(f"{db} exists; the benchmark needs a fresh corpus file")

    start = time.perf_counter()
    nbytes = 0
    for name, text in documents(args.count, seed=args.seed, size=args.size, days=args.days, simple=args.simple):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        nbytes += len(data)
    generated = time.perf_counter() - start

    samples: list[tuple[int, float, float, float, float]] = []   # (documents done, seconds, RSS, anon, file MB)
    done = 0
    t0 = 0.0

    def on_file(path: str, status: str) -> None:
        nonlocal done
        done += 1
        if done % args.every == 0:
            samples.append((done, time.perf_counter() - t0, rss_mb(), status_mb("RssAnon"), status_mb("RssFile")))

    # between the samples: the highest RSS seen every quarter second, and when (a peak inside one step,
    # such as the index merging its segments, shows here and in ru_maxrss only)
    highest = [0.0, 0.0, 0, 0.0]            # RSS, own MB, documents done, seconds
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.25):
            rss = rss_mb()
            if rss > highest[0]:
                highest[:] = [rss, status_mb("RssAnon"), done, time.perf_counter() - t0]

    rss_before, peak_before = rss_mb(), peak_mb()
    t0 = time.perf_counter()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with stenogram.open(db) as corpus:
        report = corpus.ingest([str(folder)], on_file=on_file, jobs=args.jobs)
        elapsed = time.perf_counter() - t0
        ndocs, nturns = corpus.store.count("documents"), corpus.store.count("turns")
    stop.set()
    watcher.join()
    rss_after, peak = rss_mb(), peak_mb()
    db_mb = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file()) / 1e6

    print(f"ingest: {args.count} documents generated ({nbytes / 1e6:.1f} MB, {generated:.1f} s, seed {args.seed}, "
          f"size {args.size}) into {folder}")
    print(f"  stored     {ndocs} documents, {nturns} turns, {nbytes / 1e6:.1f} MB of text "
          f"(added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
          f"failed {len(report.failed)}, warnings {len(report.warnings)})")
    print(f"  wall       {elapsed:.1f} s  {ndocs / elapsed:,.0f} documents/s  {nturns / elapsed:,.0f} turns/s  "
          f"{nbytes / 1e6 / elapsed:.2f} MB/s")
    print(f"  corpus     {db} ({db_mb:.1f} MB with its WAL)")
    print(f"  memory     RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after; peak RSS (ru_maxrss) "
          f"{peak:.0f} MB (before ingest {peak_before:.0f} MB); highest seen {highest[0]:.0f} MB "
          f"(own {highest[1]:.0f} MB) after {highest[2]} documents, {highest[3]:.1f} s in")
    print(f"  RSS every {args.every} documents:")
    print(f"    {'documents':>9s}  {'seconds':>8s}  {'RSS MB':>7s}  {'own MB':>7s}  {'files MB':>8s}")
    for n, s, r, own, files in samples:
        print(f"    {n:9d}  {s:8.1f}  {r:7.1f}  {own:7.1f}  {files:8.1f}")
    if stages is not None:
        accounted = sum(stages.values())
        parts = [f"{name} {seconds / ndocs * 1000:.2f}" for name, seconds in stages.items()]
        print(f"  ms/document  {'  '.join(parts)}  the rest (reading, hashing, commits) "
              f"{(elapsed - accounted) / ndocs * 1000:.2f}  (of {elapsed / ndocs * 1000:.2f})")
    for name, reason in report.failed[:5]:
        print(f"  failed: {name}: {reason}")

    if not args.keep_files:
        shutil.rmtree(folder)
    if args.db is None:
        for p in db.parent.glob(db.name + "*"):
            if p.is_dir():
                shutil.rmtree(p)        # the turn index
            else:
                p.unlink()
    if args.workdir is None and not args.keep_files:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
