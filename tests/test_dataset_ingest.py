"""`stenogram ingest DATASET/`: a Parquet dataset (what `export --format parquet` and `bulk` write) loaded
without parsing, into the same corpus an ingest of the transcripts makes; idempotent, kill-safe, and
clear about a damaged dataset."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import stenogram
from stenogram.collect.dataset_folder import DOCUMENT_COLUMNS, MENTION_COLUMNS, TURN_COLUMNS
from stenogram.export.parquet import DOCUMENTS, MENTIONS, TURNS
from stenogram.ingest import find_inputs
from stenogram.model import Document
from stenogram.store.sqlite import Store
from tests.test_ingest_cli import committed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "bench"))
from generate import documents  # noqa: E402  (bench/ is not a package)

#: what a load must give exactly as an ingest of the transcripts does (beside the documents themselves); the
#: groups of language versions are compared as groups (a group found by content is named after the version
#: stored first, which depends on the order the documents come in)
LINKED = {
    "documents": "SELECT id, content_hash, day, fingerprint FROM documents ORDER BY id",
    "groups": "SELECT group_concat(id, ' ') FROM (SELECT group_id, id FROM documents ORDER BY id) GROUP BY group_id"
              " ORDER BY 1",
    "turns": "SELECT id, speaker_id, words FROM turns ORDER BY id",
    "mentions": "SELECT turn_id, start, type, person_id FROM mentions ORDER BY turn_id, start, type",
    "speaker_names": "SELECT * FROM speaker_names ORDER BY 1, 2, 3",
    "person_keys": "SELECT * FROM person_keys ORDER BY 1",
    "alignments": "SELECT * FROM alignments ORDER BY 1, 2, 3, 4, 5, 6",
    "term_years": "SELECT * FROM term_years ORDER BY 1, 2",
    "year_totals": "SELECT * FROM year_totals ORDER BY 1",
}


def tables(folder: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every file of a dataset, by the file's path in it."""
    return {str(p.relative_to(folder)): pq.ParquetFile(p).read().to_pylist() for p in sorted(folder.rglob("*.parquet"))}


def linked(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(db)) as conn:
        return {name: [tuple(r) for r in conn.execute(sql)] for name, sql in LINKED.items()}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """examples/ ingested, and exported as a dataset."""
    root = tmp_path_factory.mktemp("examples")
    db, dataset = root / "ingested.db", root / "dataset"
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
        corpus.export("parquet", dataset)
        corpus.export("jsonl", root / "ingested.jsonl")
    return db, dataset


def test_a_dataset_loads_into_the_corpus_an_ingest_makes(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    db, dataset = ingested
    loaded = tmp_path / "loaded.db"
    with stenogram.open(loaded) as corpus:
        report = corpus.ingest([str(dataset)])
        assert report.ok, report.failed
        assert len(report.added) == len(list(EXAMPLES.glob("*.txt")))
        corpus.export("parquet", tmp_path / "again")
        corpus.export("jsonl", tmp_path / "loaded.jsonl")
        assert corpus.search("Lavrov").engine == "index"
        with stenogram.open(db, read_only=True) as original:
            for query in ("Lavrov", "sanctions OR Iraq", '"foreign minister"'):
                assert corpus.search(query).total == original.search(query).total > 0
            assert corpus.versions_by_count() == original.versions_by_count() != []
    assert tables(tmp_path / "again") == tables(dataset)
    assert (tmp_path / "loaded.jsonl").read_bytes() == (db.parent / "ingested.jsonl").read_bytes()
    assert linked(loaded) == linked(db)
    with stenogram.open(loaded) as corpus:
        again = corpus.ingest([str(dataset)])
    assert again.ok and not again.added and not again.updated and len(again.unchanged) == len(report.added)


def test_loading_into_the_corpus_it_came_from_changes_nothing(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    db, dataset = ingested
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with stenogram.open(copy) as corpus:
        report = corpus.ingest([str(dataset)])
    assert report.ok and not report.added and not report.updated and len(report.unchanged) == 13


def _as_year_partitions(dataset: Path, out: Path) -> None:
    """The dataset as an earlier export wrote it: partitioned by year only, ``source`` a column of the
    documents' files, no ``content_hash``."""
    for table in ("documents", "turns", "mentions"):
        for n, path in enumerate(sorted((dataset / table).rglob("*.parquet"))):
            rows = pq.ParquetFile(path).read()
            keys = dict(part.split("=", 1) for part in path.relative_to(dataset / table).parts[:-1])
            if table == "documents":
                rows = rows.drop_columns(["content_hash"]).add_column(2, "source", pa.array([keys["source"]] * len(rows)))
            target = out / table / f"year={keys['year']}" / f"part-{n}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows, target)


def test_a_dataset_by_year_without_content_hashes_loads_too(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    db, dataset = ingested
    _as_year_partitions(dataset, tmp_path / "by-year")
    loaded = tmp_path / "loaded.db"
    with stenogram.open(loaded) as corpus:
        report = corpus.ingest([str(tmp_path / "by-year")])
        assert report.ok and len(report.added) == 13
        corpus.export("jsonl", tmp_path / "loaded.jsonl")
        # each document's hash is its contract JSON's, as Corpus.add hashes it: adding it again changes nothing
        doc = corpus.document(corpus.store.query("SELECT id FROM documents LIMIT 1")[0][0])
        assert corpus.add(doc) == "unchanged"
        assert not (again := corpus.ingest([str(tmp_path / "by-year")])).added and len(again.unchanged) == 13
    assert (tmp_path / "loaded.jsonl").read_bytes() == (db.parent / "ingested.jsonl").read_bytes()


def test_the_reader_reads_the_columns_the_export_writes() -> None:
    assert set(DOCUMENT_COLUMNS) <= set(DOCUMENTS.names) | {"source"}
    assert set(TURN_COLUMNS) <= set(TURNS.names)
    assert set(MENTION_COLUMNS) <= set(MENTIONS.names)


def test_a_dataset_folder_is_one_input_even_inside_a_folder_of_transcripts(ingested: tuple[Path, Path],
                                                                          tmp_path: Path) -> None:
    _, dataset = ingested
    shutil.copytree(dataset, tmp_path / "inputs" / "nested" / "dataset")
    shutil.copy(next(EXAMPLES.glob("*.txt")), tmp_path / "inputs")
    found, missing = find_inputs([str(tmp_path / "inputs")])
    assert not missing
    assert [p.relative_to(tmp_path / "inputs").as_posix() for p in found] == sorted([
        "nested/dataset", next(EXAMPLES.glob("*.txt")).name])
    assert find_inputs([str(dataset)]) == ([dataset], [])


def _ingest_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", "ingest", *args, "-q"],
                          capture_output=True, text=True, timeout=120)


def test_a_damaged_dataset_is_reported_and_the_rest_loaded(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    _, dataset = ingested
    bad = tmp_path / "bad"
    shutil.copytree(dataset, bad)
    files = {t: sorted((bad / t).rglob("*.parquet")) for t in ("documents", "turns", "mentions")}
    # a documents file cut short: its documents' turns and mentions have no document
    damaged = files["documents"][0]
    damaged.write_bytes(damaged.read_bytes()[:200])
    lost = pq.ParquetFile(dataset / damaged.relative_to(bad)).read().column("id").to_pylist()
    # a turns file without its text column: its documents lack their turns
    no_text = files["turns"][-1]
    pq.write_table(pq.ParquetFile(no_text).read().drop_columns(["text"]), no_text)
    turnless = set(pq.ParquetFile(no_text).read().column("document_id").to_pylist())
    # a mentions file that is not Parquet at all
    files["mentions"][1].write_text("not parquet", "utf-8")
    unmentioned = set(pq.ParquetFile(dataset / files["mentions"][1].relative_to(bad)).read()
                      .column("document_id").to_pylist())

    db = tmp_path / "loaded.db"
    done = _ingest_cli(str(bad), "--db", str(db))
    assert done.returncode == 1, done.stderr
    err = " ".join(done.stderr.split())
    assert f"{damaged.relative_to(tmp_path)}: cannot be read as Parquet" in err
    assert f"{no_text.relative_to(tmp_path)}: not a table of a stenogram dataset: it has no column 'text'" in err
    assert f"{files['mentions'][1].relative_to(tmp_path)}: cannot be read as Parquet" in err
    assert "turns/ has" in err and "that documents/ does not have" in err and repr(lost[0]) in err
    for ident in turnless:
        assert f"{ident}: documents/ says it has" in err
    failed_docs = turnless | unmentioned
    with stenogram.open(db, read_only=True) as corpus:
        stored = {r[0] for r in corpus.store.query("SELECT id FROM documents")}
    every = {i for f in (dataset / "documents").rglob("*.parquet") for i in pq.ParquetFile(f).read().column("id").to_pylist()}
    assert stored == every - set(lost) - failed_docs
    assert stored and f"{len(stored)} added" in err


# --- kill-safety: a dataset of generated documents ---------------------------------------------------------

COUNT = 600


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("generated")
    texts = root / "texts"
    texts.mkdir()
    for name, text in documents(COUNT, seed=5, size=3000):
        (texts / name).write_text(text, encoding="utf-8")
    with stenogram.open(root / "source.db") as corpus:
        assert corpus.ingest([str(texts)]).ok
        corpus.export("parquet", root / "dataset")
        hashes = {r[0]: r[1] for r in corpus.store.query("SELECT id, content_hash FROM documents")}
    return root / "dataset", hashes


def test_a_load_killed_halfway_keeps_whole_documents_and_finishes_when_run_again(
        generated: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    dataset, hashes = generated
    db = tmp_path / "loaded.db"
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "ingest", str(dataset), "--db", str(db), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while committed(db) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    with stenogram.open(db) as corpus:
        store = corpus.store
        partial = store.count("documents")
        assert 0 < partial < COUNT, "the load was not interrupted halfway; make the dataset larger"
        assert partial % 100 == 0                # whole batches only
        assert store.count("turns") == store.indexed_turns()
        for ident, digest in store.query("SELECT id, content_hash FROM documents"):
            assert hashes[ident] == digest
            assert len(store.document(ident).turns) == store.query(
                "SELECT count(*) FROM turns WHERE document_id = ?", (ident,))[0][0]
    done = _ingest_cli(str(dataset), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"{COUNT - partial} added, 0 updated, {partial} unchanged, 0 failed" in done.stderr
    with stenogram.open(db, read_only=True) as corpus:
        assert corpus.store.count("documents") == COUNT
        assert corpus.search("").engine == "index" and corpus.search("").total == corpus.store.count("turns")


def test_yearly_counts_gathered_over_a_transaction_match_a_recount(ingested: tuple[Path, Path], tmp_path: Path) -> None:
    """The store writes the yearly word counts once a transaction: deletions, replacements and a savepoint
    rolled back inside one leave the counts a recount from the turns gives."""
    db, _ = ingested
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)

    def snapshot(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return ([tuple(r) for r in store.query("SELECT * FROM term_years ORDER BY term, year")],
                [tuple(r) for r in store.query("SELECT * FROM year_totals ORDER BY year")])

    store = Store(copy)
    try:
        ids = [r[0] for r in store.query("SELECT id FROM documents WHERE day IS NOT NULL ORDER BY day, id")]
        with store.transaction():
            store.delete(ids[0])
            doc = store.document(ids[1])
            store.write(Document.from_json({**doc.to_json(), "title": doc.title + " (corrected)"}), content_hash="new")
            with contextlib.suppress(RuntimeError), store.transaction():
                store.delete(ids[2])
                raise RuntimeError("rolled back")
            store.write(doc, content_hash="old again")
        kept = snapshot(store)
        assert store.count("documents") == len(ids) - 1 and len(kept[0]) > 1000
        with store.transaction():
            store._rebuild_year_counts()
        assert snapshot(store) == kept
    finally:
        store.close()
