"""The turn index is checked before it is trusted: a folder that does not hold what its state says, or an
index that fails during a search (an error or a panic in tantivy), never gives a wrong answer or a
traceback. Searches answer from the store with the store's totals, the user is told to reindex, and the
next writer (or ``stenogram reindex``) builds the index again. A corpus file with damaged pages gives one
clean line, not a traceback."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.search.engine import SearchResult, search
from stenogram.search.turn_index.beside import beside
from stenogram.search.turn_index.fields import ANALYZER, build_analyzer, build_schema
from stenogram.search.turn_index.index import DAMAGED, META, STATE, folder_for
from stenogram.store.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import documents  # noqa: E402

#: generated documents in the corpus, ingested in RUNS runs (one commit of the index each, so several segments)
GENERATED = 240
RUNS = 3
#: searches whose totals are compared: (query, filters)
ASKED: list[tuple[str, dict[str, str]]] = [("security", {}), ("Iraq", {}), ('"foreign minister"', {}),
                                           ("", {"speaker": "Lavrov"})]

Run = Callable[..., subprocess.CompletedProcess[str]]


def _command_on(db: Path) -> Run:
    """Runs of the `stenogram` command on one corpus, as a user runs it (a subprocess)."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "RUST_BACKTRACE": "0"}
        return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=300, env=env)
    return run


def _write_documents(folder: Path, count: int, seed: int) -> Path:
    folder.mkdir(parents=True)
    for name, text in documents(count, seed=seed, size=4000, simple=True):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of the examples and generated documents, ingested in several runs: its file (the index
    folder beside it has several segments)."""
    root = tmp_path_factory.mktemp("pristine")
    db = root / "c.db"
    with stenogram.open(db) as c:
        assert c.ingest([str(ROOT / "examples")]).ok
    per = GENERATED // RUNS
    docs = list(documents(GENERATED, seed=3, size=4000, simple=True))
    for run in range(RUNS):
        folder = root / f"docs{run}"
        folder.mkdir()
        for name, text in docs[run * per:(run + 1) * per]:
            (folder / name).write_text(text, encoding="utf-8")
        with stenogram.open(db) as c:
            report = c.ingest([str(folder)])
            assert report.ok and len(report.added) == per
    index = folder_for(str(db))
    assert index is not None
    assert len(json.loads((index / META).read_text())["segments"]) >= 3
    return db


@pytest.fixture(scope="module")
def truth(pristine: Path) -> list[int]:
    """The store's totals for ASKED (the turn index out of the way), the same as the sound index gives."""
    with stenogram.open(pristine, read_only=True) as c:
        fast = [search(c.store, q, options=kw) for q, kw in ASKED]
        assert all(f.engine == "index" for f in fast)
        slow = [_by_store(c.store, q, options=kw).total for q, kw in ASKED]
    assert [f.total for f in fast] == slow and all(slow)
    return slow


def _by_store(store: Store, query: str, **kw: Any) -> SearchResult:
    real = beside(store).in_step
    beside(store).in_step = lambda: None  # type: ignore[method-assign]
    try:
        return search(store, query, **kw)
    finally:
        beside(store).in_step = real  # type: ignore[method-assign]


def _copy(pristine: Path, to: Path) -> tuple[Path, Path]:
    """A copy of the corpus (file and index folder) in ``to``."""
    to.mkdir(parents=True, exist_ok=True)
    db = to / "c.db"
    shutil.copy(pristine, db)
    source, folder = folder_for(str(pristine)), folder_for(str(db))
    assert source is not None and folder is not None
    shutil.copytree(source, folder)
    return db, folder


def _cli_totals(run: Run) -> tuple[list[int], list[str]]:
    """The totals the `search` command prints for ASKED, and what it says on standard error."""
    totals, told = [], []
    for query, kw in ASKED:
        options = [x for name, value in kw.items() for x in (f"--{name}", value)]
        done = run("search", query, *options, "--format", "json", "--limit", "3")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        totals.append(json.loads(done.stdout)["total"])
        told.append(done.stderr)
    return totals, told


def _in_process(db: Path) -> tuple[list[int], list[str], str | None]:
    with stenogram.open(db, read_only=True) as c:
        found = [search(c.store, q, options=kw) for q, kw in ASKED]
        return [f.total for f in found], [f.engine for f in found], beside(c.store).problem


def _assert_repaired(db: Path, run: Run) -> None:
    """The index answers again, with the store's totals, and nobody is told of damage."""
    totals, told = _cli_totals(run)
    assert not any("damaged" in t for t in told), told
    with stenogram.open(db, read_only=True) as c:
        assert beside(c.store).problem is None
        index = beside(c.store).in_step()
        assert index is not None and index.searcher().num_docs == c.store.count("turns")
        found = [search(c.store, q, options=kw) for q, kw in ASKED]
        assert all(f.engine == "index" for f in found)
        assert [f.total for f in found] == [_by_store(c.store, q, options=kw).total for q, kw in ASKED] == totals
    stats = run("stats", "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["index_problem"] is None


def _assert_told(run: Run, told: list[str], words: str) -> None:
    """Each search said, in one line on standard error, that the index is damaged and what to do; so does
    `stats` (in its text and in its JSON)."""
    for text in told:
        lines = [ln for ln in text.splitlines() if "turn index is damaged" in ln]
        assert len(lines) == 1 and words in lines[0] and "stenogram reindex" in lines[0], text
    stats = run("stats")
    assert stats.returncode == 0, stats.stderr
    assert "turn index is damaged" in stats.stdout and words in stats.stdout and "stenogram reindex" in stats.stdout
    as_json = run("stats", "--json")
    assert as_json.returncode == 0 and words in json.loads(as_json.stdout)["index_problem"]


def test_a_lost_meta_json_is_not_trusted(pristine: Path, truth: list[int], tmp_path: Path) -> None:
    """(a) meta.json removed: searches give the store's totals (not 0) and say so; a reader does not
    make an empty index in its place; `reindex` repairs it."""
    db, folder = _copy(pristine, tmp_path)
    (folder / META).unlink()
    run = _command_on(db)
    totals, told = _cli_totals(run)
    assert totals == truth
    _assert_told(run, told, "meta.json is missing")
    assert _in_process(db) == (truth, ["store"] * len(ASKED), "meta.json is missing")
    assert not (folder / META).exists()
    done = run("reindex")
    assert done.returncode == 0 and "damaged" in done.stderr, done.stderr
    _assert_repaired(db, run)


def test_a_later_ingest_rebuilds_an_index_that_lost_meta_json(pristine: Path, tmp_path: Path) -> None:
    """(b) meta.json removed, then more documents ingested: the ingest builds the index again (rather than
    adding the new documents to an empty one), so totals are the store's."""
    db, folder = _copy(pristine, tmp_path / "corpus")
    (folder / META).unlink()
    run = _command_on(db)
    done = run("ingest", str(_write_documents(tmp_path / "more", 20, seed=99)), "-q")
    assert done.returncode == 0, done.stderr
    _assert_repaired(db, run)


def test_a_meta_json_naming_only_the_first_segment_is_not_trusted(pristine: Path, truth: list[int],
                                                                   tmp_path: Path) -> None:
    """(c) meta.json lists one segment of several: the index holds fewer turns than its state says;
    searches give the store's totals and say so; the next writable open (an ingest with nothing new)
    builds it again."""
    db, folder = _copy(pristine, tmp_path)
    meta = json.loads((folder / META).read_text())
    meta["segments"] = meta["segments"][:1]
    (folder / META).write_text(json.dumps(meta))
    run = _command_on(db)
    totals, told = _cli_totals(run)
    assert totals == truth
    _assert_told(run, told, "turns where")
    in_process = _in_process(db)
    assert in_process[:2] == (truth, ["store"] * len(ASKED)) and "turns where" in str(in_process[2])
    done = run("ingest", str(ROOT / "examples"), "-q")     # nothing new: only the open writes
    assert done.returncode == 0 and "0 added" in done.stderr, done.stderr
    _assert_repaired(db, run)


def _damages(folder: Path, seed: int) -> Iterator[tuple[str, int, bytes]]:
    """Random bytes over a part of one of the folder's .term files: (file name, where, bytes)."""
    rng = random.Random(seed)
    names = sorted(p.name for p in folder.glob("*.term"))
    while True:
        name = rng.choice(names)
        size = (folder / name).stat().st_size
        length = rng.choice([256, 1024, 4096])
        at = rng.randrange(0, max(1, size - length - 64))     # the footer left alone: the file opens
        yield name, at, rng.randbytes(length)


def _damage(folder: Path, damage: tuple[str, int, bytes]) -> None:
    name, at, garbage = damage
    with (folder / name).open("r+b") as f:
        f.seek(at)
        f.write(garbage)


def _word_search_fails(folder: Path, word: str, kind: str) -> bool:
    """Whether searching the index in ``folder`` for ``word`` as the turn index does (its count, its
    first page, their row ids) raises an exception of type ``kind`` in tantivy; the index opens."""
    import tantivy

    try:
        index = tantivy.Index(build_schema(), path=str(folder), reuse=True)
        index.register_tokenizer(ANALYZER, build_analyzer())
        searcher = index.searcher()
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return False
    try:
        query = tantivy.Query.term_query(index.schema, "text", word)
        sum(n for _, n in searcher.terms_with_prefix("lang", ""))
        searcher.doc_freq("text", word)
        found = searcher.search(query, limit=20, count=True)
        searcher.fast_field_values("rowid", [a for _, a in found.hits])
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return type(exc).__name__ == kind
    return False


def _update_fails(folder: Path) -> bool:
    """Whether an update of the index in ``folder`` as the turn index makes one (a document's turns
    deleted by its id, one added, committed, merges waited for) raises in tantivy; the index opens."""
    import tantivy

    try:
        index = tantivy.Index(build_schema(), path=str(folder), reuse=True)
        index.register_tokenizer(ANALYZER, build_analyzer())
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return False
    try:
        writer = index.writer(15_000_000, 1)
        writer.delete_documents_by_term("doc", "no such document")
        writer.add_document(tantivy.Document(doc=["new"], text=["a new turn"], rowid=[10**9]))
        writer.commit()
        writer.wait_merging_threads()
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return True
    return False


def _find_damage(source: Path, work: Path, seed: int, fails: Callable[[Path], bool]) -> tuple[str, int, bytes]:
    """The first of up to 200 random damages of a .term file of the index in ``source`` for which
    ``fails`` (tried on a copy in ``work``) is true."""
    for tries, damage in enumerate(_damages(source, seed=seed)):
        if tries == 200:
            break
        # a fresh folder each try: the last try's index may still have a thread finishing in its own
        attempt = work / f"try{tries}"
        shutil.rmtree(work / f"try{tries - 1}", ignore_errors=True)
        shutil.copytree(source, attempt)
        _damage(attempt, damage)
        if fails(attempt):
            return damage
    raise AssertionError("none of 200 damages of a .term file made tantivy fail")


@pytest.mark.parametrize("kind", ["PanicException", "ValueError"])
def test_random_bytes_in_a_term_file_fall_back_to_the_store(pristine: Path, tmp_path: Path, kind: str) -> None:
    """(d) random bytes written into a .term file, such that a search for a word makes tantivy panic (or
    raise): the search answers from the store, with its total, and says so; so do later searches and
    `stats` (a note left in the folder); `reindex` builds the index again."""
    source = folder_for(str(pristine))
    assert source is not None
    word = "iraq"
    chosen = _find_damage(source, tmp_path / "probe", 17, lambda folder: _word_search_fails(folder, word, kind))
    db, folder = _copy(pristine, tmp_path / "corpus")
    _damage(folder, chosen)
    with stenogram.open(pristine, read_only=True) as c:
        expected = _by_store(c.store, word).total
    run = _command_on(db)
    first = run("search", word, "--format", "json", "--limit", "3")
    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stderr
    assert json.loads(first.stdout)["total"] == expected
    lines = [ln for ln in first.stderr.splitlines() if "turn index is damaged" in ln]
    assert len(lines) == 1 and "a search failed in it" in lines[0] and "stenogram reindex" in lines[0], first.stderr
    assert (folder / DAMAGED).is_file()
    # another process (a reader opened afresh) is told too, and does not use the index
    _, engines, problem = _in_process(db)
    assert engines == ["store"] * len(ASKED) and problem is not None and "a search failed in it" in problem
    stats = run("stats", "--json")
    assert stats.returncode == 0 and "a search failed in it" in json.loads(stats.stdout)["index_problem"]
    done = run("reindex")
    assert done.returncode == 0, done.stderr
    assert not (folder / DAMAGED).exists()
    _assert_repaired(db, run)


def test_an_index_that_fails_under_a_writer_is_built_again(pristine: Path, tmp_path: Path) -> None:
    """A damaged .term file nobody has searched (no note left, the counts as recorded): the next ingest
    meets the damage while bringing the index up to date and builds it again instead of failing."""
    source = folder_for(str(pristine))
    assert source is not None
    chosen = _find_damage(source, tmp_path / "probe", 5, _update_fails)
    db, folder = _copy(pristine, tmp_path / "corpus")
    _damage(folder, chosen)
    run = _command_on(db)
    done = run("ingest", str(_write_documents(tmp_path / "more", 20, seed=98)), "-q")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "20 added" in done.stderr
    _assert_repaired(db, run)


def test_a_state_that_counts_more_turns_than_the_index_holds_is_caught_by_the_store_count(
        pristine: Path, truth: list[int], tmp_path: Path) -> None:
    """An index whose state was written without counts (by an earlier stenogram) and which lost a
    segment: in step with the file, its turns are compared with the file's."""
    db, folder = _copy(pristine, tmp_path)
    state = json.loads((folder / STATE).read_text())
    (folder / STATE).write_text(json.dumps({k: state[k] for k in ("format", "corpus", "seq")}))
    meta = json.loads((folder / META).read_text())
    meta["segments"] = meta["segments"][1:]
    (folder / META).write_text(json.dumps(meta))
    totals, engines, problem = _in_process(db)
    assert totals == truth and engines == ["store"] * len(ASKED)
    assert problem is not None and "where the corpus file has" in problem


def test_an_index_in_step_and_whole_is_trusted_while_a_writer_works(pristine: Path, tmp_path: Path) -> None:
    """No false alarm: while another process ingests (committing to the index, merging segments,
    writing its state) and then rebuilds the index, a reader that searches all along is never told the
    index is damaged, and every answer it gets matches the store at that moment or is from the store."""
    db, _ = _copy(pristine, tmp_path / "corpus")
    more = _write_documents(tmp_path / "more", 90, seed=97)
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    reader = Store(db, read_only=True)
    seen_index = 0
    try:
        for args in (["ingest", str(more), "-q"], ["reindex"]):
            writer = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            try:
                give_up = time.monotonic() + 240
                while writer.poll() is None and time.monotonic() < give_up:
                    assert beside(reader).problem is None
                    found = search(reader, "security", limit=3)
                    seen_index += found.engine == "index"
                    assert beside(reader).problem is None
            finally:
                _, err = writer.communicate(timeout=240)
            assert writer.returncode == 0, err
        assert beside(reader).problem is None
        assert search(reader, "security").engine == "index"
        assert seen_index > 0
    finally:
        reader.close()


def _damage_pages(db: Path) -> None:
    """Random bytes over pages in the middle of the file (its header, page 1, left alone)."""
    with stenogram.open(db) as c:
        c.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = 4096
    pages = db.stat().st_size // page
    rng = random.Random(2)
    with db.open("r+b") as f:
        for number in range(pages // 3, pages // 3 + pages // 5):
            f.seek(number * page)
            f.write(rng.randbytes(page))


def test_stats_on_a_file_with_damaged_pages_is_one_clean_line(pristine: Path, tmp_path: Path) -> None:
    """A corpus file with damaged pages: `stats` (and `search` when it reads them) ends with one line that
    says the file is damaged and what to do, and a status of 1, never a traceback."""
    db, _ = _copy(pristine, tmp_path)
    _damage_pages(db)
    run = _command_on(db)
    for args in (["stats"], ["stats", "--json"]):
        done = run(*args)
        assert done.returncode == 1, (args, done.stdout)
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("error:") and "corpus file is damaged" in lines[0]
        assert ".recover" in lines[0] and "backup" in lines[0]
    errors = 0
    for args in (["search", "--speaker", "Lavrov"], ["search", "Iraq", "--facets"], ["search", "security"],
                 ["search", "Iraq", "--format", "jsonl"]):
        done = run(*args)
        assert "Traceback" not in done.stderr, done.stderr
        if done.returncode:
            errors += 1
            assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
            assert "corpus file is damaged" in done.stderr and ".recover" in done.stderr
    assert errors, "no search read a damaged page"


def test_the_web_summary_says_the_index_is_damaged(pristine: Path, truth: list[int], tmp_path: Path) -> None:
    """The web's search page and /api/stats say the index needs rebuilding; its searches give the store's totals."""
    from fastapi.testclient import TestClient

    from stenogram.web import create_app

    db, folder = _copy(pristine, tmp_path)
    (folder / META).unlink()
    with TestClient(create_app(db)) as client:
        page = client.get("/")
        assert page.status_code == 200 and "The turn index is damaged (meta.json is missing)" in page.text
        assert "stenogram reindex" in page.text
        assert client.get("/api/stats").json()["index_problem"] == "meta.json is missing"
        found = client.get("/api/search", params={"q": "security"}).json()
        assert found["total"] == truth[0]
