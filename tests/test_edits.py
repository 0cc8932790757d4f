"""The record of edits: a site on 127.0.0.1 whose pages change between two crawls (tests/edit_site.py) gives
each changed transcript a second version with exactly what changed, marks the withdrawn page, ignores the
menu-only change, and the record reaches the filters, the CLI, the exports and a crawl killed half-way."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import stenogram
from stenogram.align.edits import compare, substance
from stenogram.errors import NoSuchVersion, QueryError
from stenogram.model import Document, Turn
from stenogram.store.sqlite import Store
from tests.edit_site import (
    EDITED_ANSWER,
    ITEMS,
    MENU_ONLY,
    QUESTION_REMOVED,
    REMOVED_QUESTION,
    REMOVED_SENTENCE,
    TITLE_CORRECTED,
    UNCHANGED,
    WITHDRAWN,
    doc_id,
    item_path,
    serving,
)
from tests.test_filters import store_only

FIXTURES = Path(__file__).parent / "fixtures"
EDITED = (EDITED_ANSWER, QUESTION_REMOVED, TITLE_CORRECTED)


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})


def crawl(corpus: stenogram.Corpus, base: str, *, update: bool = False) -> tuple[object, stenogram.IngestReport]:
    return corpus.crawl("mid.ru", base_url=base, rate=50.0, update=update, recheck=30 if update else None)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[int, list[int]]]]:
    """A corpus crawled from the site, then again with --update --recheck after the site changed; and the
    statuses each item page was answered with."""
    db = tmp_path_factory.mktemp("edits") / "c.db"
    with serving() as (base, site), stenogram.open(db) as corpus:
        _, report = crawl(corpus, base)
        assert len(report.added) == len(ITEMS)
        site.state = 2
        _, report = crawl(corpus, base, update=True)
        assert sorted(report.withdrawn) == [doc_id(WITHDRAWN)]
        # the report counts a transcript as updated when it has a new version: the menu-only change is not one
        assert len(report.updated) == len(EDITED) and len(report.unchanged) == 1
        yield db, site.item_statuses()


def test_each_changed_transcript_has_two_versions_and_the_rest_one(edited: tuple[Path, dict[int, list[int]]]) -> None:
    db, statuses = edited
    with stenogram.open(db, read_only=True) as corpus:
        counts = {n: len(corpus.history(doc_id(n)).versions) for n in ITEMS}
        assert counts == {n: 2 if n in EDITED else 1 for n in ITEMS}
        # the menu-only change was downloaded again (its bytes changed) but is no new version
        assert statuses[MENU_ONLY] == [200, 200]
        menu = corpus.history(doc_id(MENU_ONLY))
        assert menu.edited is None and not menu.events
        # an unchanged page costs a 304
        assert statuses[UNCHANGED] == [200, 304]
        listed = {(e.document_id, e.kind) for e in corpus.edits()}
        assert listed == {(doc_id(n), "edited") for n in EDITED} | {(doc_id(WITHDRAWN), "withdrawn")}


def test_the_diffs_say_exactly_what_changed(edited: tuple[Path, dict[int, list[int]]]) -> None:
    db, _ = edited
    with stenogram.open(db, read_only=True) as corpus:
        (answer,) = corpus.history(doc_id(EDITED_ANSWER)).diffs
        assert answer.fields == ()
        (change,) = answer.turns
        assert (change.kind, change.old_index, change.new_index, change.speaker) == ("changed", 1, 1, "Sergey Lavrov")
        assert change.deleted == REMOVED_SENTENCE and change.inserted == ""
        assert change.old_text is not None and change.new_text is not None
        assert change.old_text.replace(REMOVED_SENTENCE + " ", "") == change.new_text

        (question,) = corpus.history(doc_id(QUESTION_REMOVED)).diffs
        assert [(t.kind, t.old_index, t.new_index, t.old_text) for t in question.turns] == [
            ("removed", 2, None, REMOVED_QUESTION)]

        (title,) = corpus.history(doc_id(TITLE_CORRECTED)).diffs
        assert [f.field for f in title.fields] == ["title", "event_place"] and not title.turns
        assert [(f.old, f.new) for f in title.fields][1] == ("Moscw", "Moscow")

        gone = corpus.history(doc_id(WITHDRAWN))
        assert gone.withdrawn is not None and [e.kind for e in gone.events] == ["withdrawn"]
        assert "404" in (gone.events[0].detail or "")
        assert corpus.document(doc_id(WITHDRAWN)).turns            # kept


def test_earlier_versions_are_kept_whole(edited: tuple[Path, dict[int, list[int]]]) -> None:
    db, _ = edited
    with stenogram.open(db, read_only=True) as corpus:
        first = corpus.document(doc_id(EDITED_ANSWER), version=1)
        now = corpus.document(doc_id(EDITED_ANSWER))
        assert REMOVED_SENTENCE in first.turns[1].text and REMOVED_SENTENCE not in now.turns[1].text
        assert corpus.document(doc_id(EDITED_ANSWER), version=2) == now
        with pytest.raises(NoSuchVersion, match=r"has no version 3; it has 2 versions, 1 to 2"):
            corpus.document(doc_id(EDITED_ANSWER), version=3)
        # search reads the current version only
        assert not corpus.search(f'"{REMOVED_SENTENCE}"').total
        assert corpus.search('"Our cooperation with Baghdad will continue"').total == 1


def test_the_edited_filter_alike_in_both_indexes(edited: tuple[Path, dict[int, list[int]]]) -> None:
    db, _ = edited
    today = time.strftime("%Y-%m-%d", time.gmtime())
    with stenogram.open(db, read_only=True) as corpus:
        turns_of = {n: len(corpus.document(doc_id(n)).turns) for n in ITEMS}
        everything = corpus.search("", limit=1000).total
        expected = {"edited:yes": sum(turns_of[n] for n in EDITED), f"edited:{today}..": sum(turns_of[n] for n in EDITED),
                    "edited:..2001": 0, "edited:no": everything - sum(turns_of[n] for n in EDITED)}
        for query, total in expected.items():
            indexed = corpus.search(query, limit=1000)
            with store_only(corpus.store):
                stored = corpus.search(query, limit=1000)
            assert indexed.engine == "index" and stored.engine == "store"
            assert indexed.total == stored.total == total, query
            assert sorted(h.turn_id for h in indexed.hits) == sorted(h.turn_id for h in stored.hits)
        assert {h.document_id for h in corpus.search("Astana edited:yes").hits} == {doc_id(QUESTION_REMOVED)}
        assert corpus.search("", edited="yes", limit=1000).total == expected["edited:yes"]
        with pytest.raises(QueryError, match="edited:maybe is not yes, no or dates"):
            corpus.search("edited:maybe")


def test_history_show_and_edits_in_the_terminal(edited: tuple[Path, dict[int, list[int]]]) -> None:
    db, _ = edited
    shown = run("history", doc_id(EDITED_ANSWER), db=db)
    assert shown.returncode == 0, shown.stderr
    assert "version 2  (current)" in shown.stdout and "turns: 1 changed" in shown.stdout
    assert f"[-{REMOVED_SENTENCE} -]" in shown.stdout                 # no colours when not a terminal
    record = json.loads(run("history", doc_id(EDITED_ANSWER), "--format", "json", db=db).stdout)
    assert [v["version"] for v in record["versions"]] == [1, 2] and record["versions"][0]["diff"] is None
    words = record["versions"][1]["diff"]["turns"][0]["words"]
    assert ["delete", REMOVED_SENTENCE + " "] in words

    old = run("show", doc_id(EDITED_ANSWER), "--version", "1", db=db)
    assert old.returncode == 0 and REMOVED_SENTENCE in old.stdout
    assert REMOVED_SENTENCE not in run("show", doc_id(EDITED_ANSWER), db=db).stdout
    missing = run("show", doc_id(EDITED_ANSWER), "--version", "7", db=db)
    assert missing.returncode == 1 and "has no version 7" in missing.stderr and "Traceback" not in missing.stderr

    listed = json.loads(run("edits", "--format", "json", db=db).stdout)
    assert {(e["document"], e["kind"]) for e in listed} == {(doc_id(n), "edited") for n in EDITED} | {
        (doc_id(WITHDRAWN), "withdrawn")}
    assert json.loads(run("edits", "--since", "2999-01-01", "--format", "json", db=db).stdout) == []
    table = run("edits", db=db)
    assert table.returncode == 0 and "withdrawn" in table.stdout and "turns: 1 removed" in table.stdout
    bad = run("edits", "--since", "yesterday", db=db)
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr

    rows = list(csv.DictReader(io.StringIO(run("edits", "--format", "csv", db=db).stdout)))
    changed = [r for r in rows if r["change"] == "turn changed"]
    assert [(r["document"], r["deleted"], r["inserted"]) for r in changed] == [(doc_id(EDITED_ANSWER), REMOVED_SENTENCE, "")]
    assert {(r["document"], r["change"]) for r in rows} == {
        (doc_id(EDITED_ANSWER), "turn changed"), (doc_id(QUESTION_REMOVED), "turn removed"),
        (doc_id(TITLE_CORRECTED), "title changed"), (doc_id(TITLE_CORRECTED), "event_place changed")}


def test_the_jsonl_export_carries_versions_records_that_ingest_skips(edited: tuple[Path, dict[int, list[int]]],
                                                                     tmp_path: Path) -> None:
    db, _ = edited
    with stenogram.open(db, read_only=True) as corpus:
        corpus.export("jsonl", tmp_path / "c.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    records = [r for r in lines if r.get("record") == "versions"]
    assert sorted(r["document"] for r in records) == sorted(doc_id(n) for n in (*EDITED, WITHDRAWN))
    # each follows its document
    for r in records:
        assert lines[lines.index(r) - 1]["id"] == r["document"]
    answer = next(r for r in records if r["document"] == doc_id(EDITED_ANSWER))
    assert answer["versions"][1]["diff"]["summary"]["turns_changed"] == 1
    with stenogram.open(tmp_path / "again.db") as again:
        report = again.ingest([str(tmp_path / "c.jsonl")])
    assert not report.failed and len(report.added) == len(ITEMS)


def test_a_crawl_killed_during_the_refresh_finishes_with_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with serving() as (base, site):
        with stenogram.open(db) as corpus:
            crawl(corpus, base)
        site.state, site.delay = 2, 0.4
        args = [sys.executable, "-m", "stenogram.cli.main", "crawl", "mid.ru", "--base-url", base, "--rate", "50",
                "--update", "--recheck", "30", "-q", "--db", str(db)]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(1 for path, _ in site.hits if path == item_path(QUESTION_REMOVED)) < 2:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        site.delay = 0.0
        finished = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
    with stenogram.open(db, read_only=True) as corpus:
        assert {n: len(corpus.history(doc_id(n)).versions) for n in ITEMS} == {n: 2 if n in EDITED else 1 for n in ITEMS}
        assert [e.kind for e in corpus.history(doc_id(WITHDRAWN)).events] == ["withdrawn"]
        assert corpus.store.count("documents") == len(ITEMS)


def test_a_withdrawn_page_that_comes_back_is_restored(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with serving() as (base, site), stenogram.open(db) as corpus:
        crawl(corpus, base)
        site.state = 2
        crawl(corpus, base, update=True)
        site.state = 1
        crawl(corpus, base, update=True)
        back = corpus.history(doc_id(WITHDRAWN))
        assert back.withdrawn is None and [e.kind for e in back.events] == ["withdrawn", "restored"]
        # the edits went back too: a third version for each, equal in substance to the first
        answer = corpus.history(doc_id(EDITED_ANSWER))
        assert len(answer.versions) == 3
        assert substance(corpus.document(doc_id(EDITED_ANSWER), version=1)) == substance(
            corpus.document(doc_id(EDITED_ANSWER)))


def test_a_migration_gives_existing_corpora_their_first_version(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "corpora" / "schema-7-examples.db", db)
    store = Store(db)
    try:
        ids = [str(r[0]) for r in store.query("SELECT id FROM documents")]
        assert ids
        for ident in ids:
            (version,) = store.document_versions(ident)
            assert version.number == 1 and version.current and version.changes is None
            assert store.document_version(ident, 1) == store.document(ident)
        assert store.edits() == []
    finally:
        store.close()


def test_an_ingest_of_a_changed_file_is_a_new_version_and_a_delete_forgets_the_record(tmp_path: Path) -> None:
    source = Path(__file__).parent.parent / "examples"
    page = next(p for p in sorted(source.glob("*.txt")))
    copy = tmp_path / page.name
    text = page.read_text(encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    with stenogram.open(tmp_path / "c.db") as corpus:
        corpus.ingest([str(copy)])
        (ident,) = [str(r[0]) for r in corpus.store.query("SELECT id FROM documents")]
        last = corpus.document(ident).turns[-1].paragraphs[-1]
        copy.write_text(text.replace(last, last + " Thank you."), encoding="utf-8")
        assert corpus.ingest([str(copy)]).updated
        # a file without an address is known by its content: the record follows it to its new id
        (ident,) = [str(r[0]) for r in corpus.store.query("SELECT id FROM documents")]
        (change,) = corpus.history(ident).diffs[0].turns
        assert change.kind == "changed" and change.inserted == "Thank you."
        # the same file with only its line ends changed: the same substance, no new version
        copy.write_bytes(copy.read_bytes().replace(b"\n", b"\r\n"))
        assert corpus.ingest([str(copy)]).updated          # stored under its new id
        (renamed,) = [str(r[0]) for r in corpus.store.query("SELECT id FROM documents")]
        assert renamed != ident
        ident = renamed
        assert len(corpus.history(ident).versions) == 2
        corpus.store.delete(ident)
        assert not corpus.store.query("SELECT 1 FROM document_versions WHERE document_id = ?", (ident,))


def _doc(*turns: tuple[str, str], title: str = "Talks") -> Document:
    return Document(id="x:1:en", source="generic", language="en", title=title, published=None, kind="interview", turns=tuple(
        Turn(i, "answer", speaker, speaker, (text,)) for i, (speaker, text) in enumerate(turns)))


def test_compare_tells_moved_added_and_relabelled_turns() -> None:
    a = _doc(("Anna", "One two three."), ("Boris", "Four five six."), ("Anna", "Seven eight nine."))
    moved = _doc(("Boris", "Four five six."), ("Anna", "One two three."), ("Anna", "Seven eight nine."))
    # the longest run kept in place stays (Anna's two turns); Boris's turn is the one that moved
    assert [(t.kind, t.old_index, t.new_index, t.speaker) for t in compare(a, moved).turns] == [("moved", 1, 0, "Boris")]
    added = _doc(("Anna", "One two three."), ("Boris", "Four five six."), ("Anna", "Seven eight nine."),
                 ("Boris", "A last word."))
    assert [(t.kind, t.new_index, t.new_text) for t in compare(a, added).turns] == [("added", 3, "A last word.")]
    relabelled = _doc(("Anna", "One two three."), ("Vera", "Four five six."), ("Anna", "Seven eight nine."))
    (change,) = compare(a, relabelled).turns
    assert (change.kind, change.old_speaker, change.speaker, change.words) == (
        "changed", "Boris", "Vera", (("equal", "Four five six."),))
    assert compare(a, _doc(*[(t.speaker or "", t.text) for t in a.turns])).empty
    assert [f.field for f in compare(a, _doc(("Anna", "One two three."), title="Talks, corrected")).fields] == ["title"]
