"""`stenogram ingest` as a real subprocess: summaries, failures, and interruption by Ctrl-C or kill -9."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

import stenogram
from stenogram.search.turn_index.beside import beside

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import documents

COUNT = 700


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    for name, text in documents(COUNT, seed=11, size=6000):
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def reference_db(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ref") / "ref.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(folder)]).ok
    return path


@pytest.fixture(scope="module")
def reference(reference_db: Path) -> dict[str, str]:
    with stenogram.open(reference_db, read_only=True) as corpus:
        return {r[0]: r[1] for r in corpus.store.query("SELECT id, content_hash FROM documents")}


def test_parsing_in_two_processes_stores_the_same_corpus(tmp_path: Path, folder: Path, reference_db: Path) -> None:
    db = tmp_path / "jobs.db"
    proc = ingest(str(folder), "--db", str(db), "--jobs", "2")
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert f"{COUNT} added, 0 updated, 0 unchanged, 0 failed".encode() in stderr
    with stenogram.open(reference_db, read_only=True) as one, stenogram.open(db, read_only=True) as two:
        mine = {r[0]: r[1] for r in two.store.query("SELECT id, json FROM documents")}
        theirs = {r[0]: r[1] for r in one.store.query("SELECT id, json FROM documents")}
        assert mine == theirs
        assert two.search("").engine == "index" and two.search("").total == one.store.count("turns")
    again = ingest(str(folder), "--db", str(db), "--jobs", "2")
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0 and f"0 added, 0 updated, {COUNT} unchanged, 0 failed".encode() in stderr


# Ctrl-C in a terminal reaches the command as a KeyboardInterrupt. A test runner started in the
# background by a shell without job control inherits SIGINT ignored, and so would the ingest (Python
# keeps an ignored SIGINT ignored): the command is run with Python's own handler put back first.
_AS_IN_A_TERMINAL = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
                     "sys.argv[0] = 'stenogram'; runpy.run_module('stenogram.cli.main', run_name='__main__')")


def ingest(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", _AS_IN_A_TERMINAL, "ingest", *args, "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def check_consistent(db: Path, reference: dict[str, str]) -> int:
    with stenogram.open(db) as corpus:
        store = corpus.store
        assert store.count("turns") == store.indexed_turns()
        index = beside(store).in_step()          # reconciled on this (writable) open
        assert index is not None and index.searcher().num_docs == store.count("turns")
        rows = store.query("SELECT id, content_hash FROM documents")
        for r in rows:
            assert reference[r[0]] == r[1]
            doc = store.document(r[0])
            assert store.query("SELECT count(*) FROM turns WHERE document_id = ?", (r[0],))[0][0] == len(doc.turns)
        return len(rows)


@pytest.mark.parametrize("how", ["kill -9", "Ctrl-C"])
def test_interrupted_ingest_is_consistent_and_resumable(tmp_path: Path, folder: Path, reference: dict[str, str],
                                                         how: str) -> None:
    db = tmp_path / "corpus.db"
    proc = ingest(str(folder), "--db", str(db))
    deadline = time.monotonic() + 60
    while committed(db) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if how == "kill -9":
        proc.kill()
    else:
        proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    if how == "Ctrl-C":
        assert proc.returncode == 130, stderr
        assert b"run the same command again" in stderr
    else:
        assert proc.returncode == -signal.SIGKILL
    partial = check_consistent(db, reference)
    assert 0 < partial < COUNT, "the ingest was not interrupted halfway; make the corpus larger"
    again = ingest(str(folder), "--db", str(db))
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert f"{COUNT - partial} added, 0 updated, {partial} unchanged, 0 failed".encode() in stderr
    assert check_consistent(db, reference) == COUNT


def test_summary_and_failures(tmp_path: Path, folder: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text((folder / "0000000-mid_en.txt").read_text("utf-8"), encoding="utf-8")
    (docs / "empty.txt").write_text("   \n")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 20)
    db = tmp_path / "c.db"
    proc = ingest(str(docs), str(tmp_path / "missing.txt"), "--db", str(db))
    _, stderr = proc.communicate(timeout=60)
    text = stderr.decode()
    assert proc.returncode == 1
    assert "1 added, 0 updated, 0 unchanged, 3 failed" in text
    assert "empty.txt: " in text and "binary" in text and "missing.txt: no such file or folder" in text
    # changed content replaces the old version; unchanged is skipped
    (docs / "empty.txt").unlink()
    (docs / "binary.txt").unlink()
    (docs / "good.txt").write_text((folder / "0000001-mid_en.txt").read_text("utf-8"), encoding="utf-8")
    proc = ingest(str(docs), "--db", str(db))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"0 added, 1 updated, 0 unchanged, 0 failed" in stderr
    with stenogram.open(db) as corpus:
        assert corpus.store.count("documents") == 1


def test_search_show_stats_commands(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "docs"
    db = tmp_path / "c.db"
    assert ingest(str(fixtures), "--db", str(db)).wait(timeout=120) == 0

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)],
                              capture_output=True, timeout=60)

    found = run("search", "Kurdistan", "--format", "jsonl")
    assert found.returncode == 0 and found.stdout.count(b"\n") == 1
    import json

    hit = json.loads(found.stdout)
    turn = run("show", hit["turn_id"])
    assert turn.returncode == 0 and b"Kurdistan" in turn.stdout and b"Sergey Lavrov" in turn.stdout
    shown = run("show", hit["document_id"], "--json")
    expected = json.loads((fixtures / "mid.ru-en-2020-11-25-lavrov-hussein.expected.json").read_text("utf-8"))
    assert json.loads(shown.stdout)["turns"] == expected["turns"]
    csv_out = run("search", "Iraq", "--speaker", "Lavrov", "--format", "csv")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith(b"turn_id,")
    table = run("search", "Iraq", "--facets", "--with-question")
    assert table.returncode == 0 and b"speaker:" in table.stdout
    bad = run("search", 'Iraq "open')
    assert bad.returncode == 1 and b"unclosed quote at column 6" in bad.stderr
    unknown = run("show", "nope")
    assert unknown.returncode == 1 and b"no document with id 'nope'" in unknown.stderr
    stats = run("stats")
    assert stats.returncode == 0 and b"field completeness" in stats.stdout
    missing = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "x", "--db", str(tmp_path / "none.db")],
                             capture_output=True, timeout=60)
    assert missing.returncode == 1 and b"no corpus here" in missing.stderr


def test_ingest_warc_and_datasets(tmp_path: Path) -> None:
    """A web archive and a researchers' CSV table go through `stenogram ingest` like transcripts do."""
    import csv
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    fixtures = Path(__file__).parent / "fixtures"
    seed = (fixtures / "docs" / "mid.ru-en-2020-11-25-lavrov-hussein.txt").read_text("utf-8")
    paragraphs = [p for p in seed.split("\n") if p.strip()]
    html = ("<!doctype html><html><head><meta charset='utf-8'><title>t</title></head><body><nav>Menu</nav>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>").encode("utf-8")
    archive = tmp_path / "crawl.warc.gz"
    with archive.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        url = "https://www.mid.ru/en/foreign_policy/news/1398712/"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers))
        png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://www.mid.ru/logo.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG..."), http_headers=png))
    table = tmp_path / "dataset.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "text", "date", "title", "url"])
        for name in ("kremlin.ru-en-2018-putin-erdogan-press-statements", "state.gov-en-2022-press-briefing"):
            expected = json.loads((fixtures / "docs" / f"{name}.expected.json").read_text("utf-8"))
            w.writerow([name, (fixtures / "docs" / f"{name}.txt").read_text("utf-8"), expected["event"]["date"],
                        expected["title"], ""])
    db = tmp_path / "c.db"
    proc = ingest(str(archive), str(table), "--db", str(db))
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert b"3 added, 0 updated, 0 unchanged, 0 failed" in stderr
    with stenogram.open(db) as corpus:
        doc = corpus.document("mid.ru:1398712:en")
        assert [t.kind for t in doc.turns] == ["statement", "question", "answer", "question", "answer", "question", "answer"]
        assert corpus.search("Erdogan", source="kremlin.ru").total > 0
    again = ingest(str(archive), str(table), "--db", str(db))
    _, stderr = again.communicate(timeout=120)
    assert b"0 added, 0 updated, 3 unchanged, 0 failed" in stderr
