"""The SQLite store: migrations, idempotent writes, replacement, deletion, index reconciliation."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import stenogram
from stenogram.errors import NotFound, SchemaTooNew, StoreError
from stenogram.store import Store
from stenogram.store.schema import MIGRATIONS, VERSION
from stenogram.store.sqlite import unpack
from tests.golden import FIXTURES

CORPORA = Path(__file__).parent / "fixtures" / "corpora"

SEED = FIXTURES / "mid.ru-en-2020-11-25-lavrov-hussein.txt"


def seed_doc() -> stenogram.Document:
    return stenogram.parse_text(SEED.read_text("utf-8"))


def test_fresh_store_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    assert store.schema_version == VERSION
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    assert store.query("PRAGMA foreign_keys")[0][0] == 1


def test_write_is_idempotent_and_turn_ids_are_stable(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    assert store.write(doc, content_hash="h1", origin="/x/seed.txt").status == "added"
    ids = [r[0] for r in store.query("SELECT id FROM turns ORDER BY idx")]
    assert store.write(doc, content_hash="h1", origin="/x/seed.txt").status == "unchanged"
    assert ids == [f"{doc.id}#{i}" for i in range(7)]
    assert store.count("documents") == 1 and store.count("turns") == 7 and store.indexed_turns() == 7


def test_changed_content_replaces_the_old_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h1", origin="/x/seed.txt")
    shorter = dataclasses.replace(doc, id="sha256:other", turns=doc.turns[:3])
    assert store.write(shorter, content_hash="h2", origin="/x/seed.txt").status == "updated"
    assert store.count("documents") == 1 and store.count("turns") == 3 and store.indexed_turns() == 3
    with pytest.raises(NotFound):
        store.document(doc.id)


def test_round_trip_gives_back_what_was_ingested(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h", origin=None)
    assert store.document(doc.id) == doc
    assert store.document(doc.id).to_json() == doc.to_json()
    got_doc, turn = store.turn(f"{doc.id}#2")
    assert turn.reply_to == 1 and got_doc.id == doc.id


def test_delete_removes_turns_and_index_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h", origin=None)
    store.delete(doc.id)
    assert store.count("turns") == 0 and store.indexed_turns() == 0
    with pytest.raises(NotFound):
        store.delete(doc.id)


def test_index_is_reconciled_on_open(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store = Store(path)
    store.write(seed_doc(), content_hash="h", origin=None)
    store.conn.execute("DELETE FROM turns_fts WHERE rowid IN (SELECT rowid FROM turns_fts LIMIT 3)")
    assert store.indexed_turns() == 4       # the index is behind the turns
    store.close()
    assert Store(path).indexed_turns() == 7
    store = Store(path)
    assert store.reindex() == 7


def test_an_older_corpus_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    name, sql = MIGRATIONS[0]
    conn.executescript(sql)
    conn.execute("INSERT INTO schema_migrations VALUES (?, '2026-01-01')", (name,))
    doc = seed_doc().to_json()
    conn.execute(
        "INSERT INTO documents (id, group_id, source, language, title, kind, content_hash, ingested_at, json)"
        " VALUES (?, ?, 'mid.ru', 'en', ?, 'press_conference', 'h', '2026-01-01', ?)",
        (doc["id"], doc["id"], doc["title"], json.dumps(doc)),
    )
    conn.execute("INSERT INTO turns (id, document_id, idx, kind, text, notes, words) VALUES (?, ?, 0, 'statement',"
                 " 'Baghdad Information Centre', '[]', 3)", (doc["id"] + "#0", doc["id"]))
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.schema_version == VERSION
    assert store.indexed_turns() == 1   # the new index was built from the old turns
    assert store.query("SELECT rowid FROM turns_fts WHERE turns_fts MATCH 'Baghdad'")


def test_a_newer_corpus_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="upgrade stenogram"):
        Store(path)


def test_not_a_corpus(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a stenogram corpus"):
        Store(junk)
    with pytest.raises(StoreError, match="no corpus here"):
        Store(tmp_path / "missing.db", read_only=True)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "no" / "such" / "folder.db")


def test_ingest_collects_cycles_less_often_and_puts_the_setting_back(tmp_path: Path) -> None:
    import gc

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    with stenogram.open(tmp_path / "c.db") as corpus:
        report = corpus.ingest([str(SEED)], on_file=lambda name, status: seen.append(gc.get_threshold()))
    assert report.added and seen and seen[0][0] >= 20_000
    assert gc.get_threshold() == before


def test_read_input_errors_and_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stenogram.collect import readers
    from stenogram.errors import InputNotFound, InputUnreadable

    with pytest.raises(InputNotFound):
        readers.read_input(str(tmp_path / "missing.txt"))
    with pytest.raises(InputUnreadable, match="it is a folder"):
        readers.read_input(str(tmp_path))
    small = tmp_path / "small.txt"
    small.write_bytes(b"Question: Why?\n")
    assert readers.read_input(str(small)) == b"Question: Why?\n"
    monkeypatch.setattr(readers, "MAX_INPUT_BYTES", 8)
    with pytest.raises(InputUnreadable, match="larger than"):
        readers.read_input(str(small))
    assert readers.read_input("/dev/null") == b""       # no size to go by: read up to the limit


def check_full_text_index(store: Store) -> None:
    """FTS5's own check of its index against the text it reads (raises when a word is missing or stale)."""
    store.conn.execute("INSERT INTO turns_fts(turns_fts, rank) VALUES ('integrity-check', 1)")


def test_no_copies_of_the_text(tmp_path: Path) -> None:
    """The full-text index reads the turns' text and title where they are stored, and the stored
    document leaves out each turn's text (its paragraphs joined), compressed."""
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h", origin=None)
    tables = {r[0] for r in store.query("SELECT name FROM sqlite_master")}
    assert "turns_fts" in tables and "turns_fts_content" not in tables
    blob = store.query("SELECT json FROM documents")[0][0]
    stored = json.loads(unpack(blob))
    assert all("text" not in t and "paragraphs" not in t for t in stored["turns"])
    assert len(blob) * 2 < len(json.dumps(stored))                  # kept compressed
    assert store.document(doc.id).to_json() == doc.to_json()      # the paragraphs are the turns' texts split again
    assert [json.loads(b) for b in store.stored_documents()] == [{**doc.to_json(), "turns": [
        {k: v for k, v in t.items() if k != "text"} for t in doc.to_json()["turns"]]}]
    hits = store.query("SELECT rowid, snippet(turns_fts, 0, '[', ']', '…', 6) FROM turns_fts "
                       "WHERE turns_fts MATCH 'Baghdad' ORDER BY rank")
    assert hits and all("[Baghdad]" in h[1] for h in hits)
    titled = store.query("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH 'title : Hussein'")[0][0]
    assert titled == len(doc.turns)                                # each turn carries its document's title


def test_paragraphs_that_the_text_does_not_give_back_are_kept(tmp_path: Path) -> None:
    """A turn's paragraphs are kept in its document's row only when its text split at blank lines is not them."""
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    odd = (("First.\n\nstill the first.", "Second."), (), ("",), ("One.", "", "Three."))
    turns = tuple(dataclasses.replace(t, paragraphs=odd[i]) if i < len(odd) else t for i, t in enumerate(doc.turns))
    changed = dataclasses.replace(doc, turns=turns)
    store.write(changed, content_hash="h", origin=None)
    stored = json.loads(unpack(store.query("SELECT json FROM documents")[0][0]))
    # an empty paragraph comes back from the split; a blank line inside one, or no paragraph, does not
    assert [t.get("paragraphs") for t in stored["turns"][:4]] == [list(odd[0]), [], None, None]
    assert all("paragraphs" not in t for t in stored["turns"][4:])
    assert store.document(doc.id) == changed


def test_an_earlier_version_is_kept_whole(tmp_path: Path) -> None:
    """The version a write replaces keeps its paragraphs in its own row: its turns leave the turns table."""
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h1", origin="/x/seed.txt")
    first = doc.turns[0]
    changed = dataclasses.replace(doc, turns=(dataclasses.replace(first, paragraphs=("Zanzibar only.",)), *doc.turns[1:]))
    assert store.write(changed, content_hash="h2", origin="/x/seed.txt").status == "updated"
    assert store.document_version(doc.id, 1) == doc and store.document_version(doc.id, 2) == changed == store.document(doc.id)


def test_a_corpus_of_schema_7_keeps_each_text_once(tmp_path: Path) -> None:
    """Rows of schema 7 to 9 kept their turns' paragraphs; the upgrade leaves them out, and every document reads
    back the same."""
    path = tmp_path / "c.db"
    shutil.copy(CORPORA / "schema-7-examples.db", path)
    raw = sqlite3.connect(path)
    before = {r[0]: stenogram.Document.from_json(json.loads(unpack(r[1])))
              for r in raw.execute("SELECT id, json FROM documents")}
    size = raw.execute("SELECT sum(length(json)) FROM documents").fetchone()[0]
    raw.close()
    assert before and all("paragraphs" in t for d in before.values() for t in d.to_json()["turns"])
    store = Store(path)
    assert {i: store.document(i) for i in before} == before
    rows = [json.loads(unpack(r[0])) for r in store.query("SELECT json FROM documents")]
    assert not [t for d in rows for t in d["turns"] if "paragraphs" in t and t["paragraphs"] and "" not in t["paragraphs"]]
    assert store.query("SELECT sum(length(json)) FROM documents")[0][0] < size * 0.6


def test_replacing_and_deleting_leave_no_stale_words(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    doc = seed_doc()
    store.write(doc, content_hash="h1", origin="/x/seed.txt")
    other = dataclasses.replace(doc, id="sha256:other", title="A wholly different heading")
    store.write(other, content_hash="o", origin="/x/other.txt")
    first = doc.turns[0]
    changed = dataclasses.replace(
        doc, title="Renamed meeting", turns=(dataclasses.replace(first, paragraphs=("Zanzibar only.",)), *doc.turns[1:]))
    assert store.write(changed, content_hash="h2", origin="/x/seed.txt").status == "updated"
    check_full_text_index(store)

    def matching(q: str) -> int:
        return int(store.query("SELECT count(*) FROM turns_fts WHERE turns_fts MATCH ?", (q,))[0][0])

    assert matching("Zanzibar") == 1
    assert matching("title : Renamed") == len(doc.turns) and matching("title : wholly") == len(doc.turns)
    assert matching("title : Hussein") == 0       # the old title is gone with the old version
    store.delete(other.id)
    check_full_text_index(store)
    assert matching("title : wholly") == 0 and store.indexed_turns() == store.count("turns") == len(doc.turns)


def test_a_corpus_of_schema_5_is_migrated(tmp_path: Path) -> None:
    """A corpus of schema 5, written by the release of that schema (the full-text index with its own copy
    of the text, documents kept as plain JSON), gets the index that reads the turns, with every turn
    indexed again and the copy gone, its documents compressed without their turns' text, and person ids."""
    path = tmp_path / "c.db"
    shutil.copy(CORPORA / "schema-5-seed.db", path)
    raw = sqlite3.connect(path)
    (stored,) = raw.execute("SELECT json FROM documents").fetchone()
    assert "turns_fts_content" in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    found = raw.execute("SELECT rowid FROM turns_fts WHERE turns_fts MATCH 'Baghdad' ORDER BY rowid").fetchall()
    raw.close()
    doc = stenogram.Document.from_json(json.loads(stored))
    store = Store(path)
    assert store.schema_version == VERSION
    assert "turns_fts_content" not in {r[0] for r in store.query("SELECT name FROM sqlite_master")}
    assert store.indexed_turns() == len(doc.turns)
    assert [tuple(r) for r in store.query("SELECT rowid FROM turns_fts WHERE turns_fts MATCH 'Baghdad' ORDER BY rowid")] \
        == [tuple(r) for r in found] and found
    check_full_text_index(store)
    assert store.document(doc.id) == doc
    assert "text" not in json.loads(unpack(store.query("SELECT json FROM documents")[0][0]))["turns"][0]
    assert {r[0] for r in store.query("SELECT speaker_id FROM turns WHERE speaker IS NOT NULL")} == {"sergey-lavrov"}


def test_an_upgrade_that_cannot_be_written_says_so_and_changes_nothing(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import stenogram.store.sqlite as sqlite_store

    path = tmp_path / "c.db"
    Store(path).close()
    # a step the file cannot take (here: it tries to make a table the corpus has), as a full disk would fail it
    failing = ("9000_a_step_that_fails", "CREATE TABLE later (x INTEGER); CREATE TABLE documents (x INTEGER)")
    monkeypatch.setattr(sqlite_store, "MIGRATIONS", (*MIGRATIONS, failing))
    with pytest.raises(StoreError, match=r"cannot upgrade the corpus.*9000_a_step_that_fails.*left the file as it was"):
        Store(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == VERSION
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'later'").fetchone()[0] == 0
    conn.close()
    assert Store(path).schema_version == VERSION
