"""Exports of a corpus of the fixture documents, each read back with an independent reader (json, csv,
pyarrow, pandas, DuckDB, lxml with the RELAX NG schema) and checked against the store's own tables."""

from __future__ import annotations

import csv
import json
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from lxml import etree

import stenogram
from stenogram.errors import ExportError, NotFound, StoreError
from stenogram.export import FORMATS, ExportSummary, export
from stenogram.export.tei import SCHEMA
from stenogram.store import Store
from tests.golden import FIXTURES

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEED_ID = "sha256:a6d99f4e170bc8c15c88"  # tests/fixtures/docs/mid.ru-en-2020-11-25-lavrov-hussein.txt

# In the layout of the seed; markup in the text must come out as text, never as markup.
SCRIPT_TRANSCRIPT = """3 March 202111:05

Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a joint news conference following talks with \
Foreign Minister of Iraq Fuad Hussein, Moscow, March 3, 2021

  • de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1

Ladies and gentlemen,

We discussed websites that print <script>alert("x")</script> & other markup such as <b>bold</b> and &amp; entities.

Question: Is the tag <script src="http://example.org/x.js"></script> dangerous for Iraq?

Sergey Lavrov: Not at all. A & B < C > D, "quoted" and 'single'.

Advanced settings
"""
SCRIPT_TEXT = '<script>alert("x")</script> & other markup'
# No date anywhere: the document lands in the year=unknown partition.
UNDATED_TRANSCRIPT = """Remarks by the spokesperson on the situation in the region

Question: What is the position on Iraq?

Spokesperson: We support the government of Iraq.
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("export")
    extra = root / "extra"
    extra.mkdir()
    (extra / "mid.ru-en-2021-script.txt").write_text(SCRIPT_TRANSCRIPT, "utf-8")
    (extra / "generic-en-undated.txt").write_text(UNDATED_TRANSCRIPT, "utf-8")
    with stenogram.open(root / "c.db") as corpus:
        report = corpus.ingest([str(FIXTURES), str(extra)])
        assert report.ok, report.failed
        assert len(report.added) == len(list(FIXTURES.glob("*.txt"))) + 2
        yield corpus.store


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("out")


@pytest.fixture(scope="module")
def exported(store: Store, out: Path) -> dict[str, ExportSummary]:
    names = {"jsonl": "corpus.jsonl", "csv": "turns.csv", "parquet": "parquet", "tei": "corpus.xml", "convokit": "convokit"}
    return {fmt: export(store, fmt, out / names[fmt]) for fmt in FORMATS}


def ids_in_order(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT id FROM documents ORDER BY day, id")]


def stored_turns(store: Store) -> dict[str, sqlite3.Row]:
    return {r["id"]: r for r in store.query("SELECT * FROM turns")}


def script_id(store: Store) -> str:
    rows = store.query("SELECT DISTINCT document_id FROM turns WHERE text LIKE '%<script>%'")
    assert len(rows) == 1
    return str(rows[0][0])


def test_summaries_count_what_the_store_holds(store: Store, exported: dict[str, ExportSummary]) -> None:
    for fmt, summary in exported.items():
        assert summary.format == fmt
        assert (summary.documents, summary.turns, summary.mentions) == (
            store.count("documents"), store.count("turns"), store.count("mentions"))
        on_disk = (sum(p.stat().st_size for p in summary.path.rglob("*") if p.is_file()) if summary.path.is_dir()
                   else summary.path.stat().st_size)
        assert summary.bytes_written == on_disk > 0
    # Nothing left behind under a temporary name.
    assert not [p for p in next(iter(exported.values())).path.parent.iterdir() if p.name.startswith(".")]


# --- JSONL ----------------------------------------------------------------------------------------------
def test_jsonl_is_one_contract_document_per_line_in_day_order(store: Store, exported: dict[str, ExportSummary]) -> None:
    raw = exported["jsonl"].path.read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == ""
    docs = [json.loads(line) for line in lines[:-1]]
    assert [d["id"] for d in docs] == ids_in_order(store)
    for d in docs:
        assert d == store.document(d["id"]).to_json()
    assert "Сергей Лавров".encode() in raw          # ensure_ascii=False: UTF-8, not \u escapes


# --- CSV ------------------------------------------------------------------------------------------------
def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_one_row_per_turn_and_text_round_trips(store: Store, exported: dict[str, ExportSummary]) -> None:
    rows = read_csv(exported["csv"].path)
    assert len(rows) == store.count("turns")
    assert list(rows[0]) == ["turn_id", "document_id", "index", "published", "source", "language", "document_kind", "title",
                             "kind", "speaker", "speaker_id", "label", "affiliation", "translated_from", "addressed_to",
                             "after", "reply_to", "text", "notes"]
    turns = stored_turns(store)
    ids = {str(r[0]): r[1] or "" for r in store.query("SELECT id, speaker_id FROM turns")}
    assert {r["turn_id"]: r["speaker_id"] for r in rows} == ids and "sergey-lavrov" in ids.values()
    assert {r["turn_id"] for r in rows} == set(turns)
    for r in rows:
        t = turns[r["turn_id"]]
        assert r["text"] == t["text"]
        assert r["kind"] == t["kind"] and r["speaker"] == (t["speaker"] or "")
        assert r["reply_to"] == ("" if t["reply_to"] is None else str(t["reply_to"]))
    by_id = {r["turn_id"]: r for r in rows}
    seed_answer = by_id[f"{SEED_ID}#2"]
    assert seed_answer["text"] == store.document(SEED_ID).turns[2].text
    assert "\n\n" in seed_answer["text"] and seed_answer["speaker"] == "Sergey Lavrov" and seed_answer["reply_to"] == "1"
    both = by_id[f"{SEED_ID}#5"]
    assert both["translated_from"] == "" and both["kind"] == "question"
    assert both["addressed_to"] == "; ".join(store.document(SEED_ID).turns[5].addressed_to) != ""
    assert by_id[f"{script_id(store)}#0"]["text"].count(SCRIPT_TEXT) == 1


# --- Parquet --------------------------------------------------------------------------------------------
def years(store: Store) -> set[str]:
    return {r[0][:4] if r[0] else "unknown" for r in store.query("SELECT day FROM documents")}


def partitions(store: Store) -> set[str]:
    return {f"year={r[0][:4] if r[0] else 'unknown'}/source={r[1]}" for r in store.query("SELECT day, source FROM documents")}


def test_parquet_datasets_have_every_row_in_year_and_source_partitions(store: Store,
                                                                       exported: dict[str, ExportSummary]) -> None:
    root = exported["parquet"].path
    expected = {"documents": store.count("documents"), "turns": store.count("turns"), "mentions": store.count("mentions")}
    assert "unknown" in years(store)
    for name, count in expected.items():
        dataset = ds.dataset(root / name, format="parquet", partitioning="hive")
        table = dataset.to_table()
        assert table.num_rows == count
        if name != "mentions":  # a year's documents need not mention anything
            assert {p.name for p in (root / name).iterdir()} == {f"year={y}" for y in years(store)}
            assert {p.parent.relative_to(root / name).as_posix() for p in (root / name).glob("*/*/*")} == partitions(store)
        assert {str(y) for y in table.column("year").to_pylist()} <= years(store)
        assert all(p.name == "part-0.parquet" for p in (root / name).glob("*/*/*"))
        assert all(p.is_dir() and p.name.startswith("source=") for p in (root / name).glob("*/*"))
    documents = ds.dataset(root / "documents", partitioning="hive").to_table().to_pylist()
    assert {str(d["year"]) for d in documents} == years(store)
    stored_hashes = {str(r[0]): r[1] for r in store.query("SELECT id, content_hash FROM documents")}
    assert {d["id"]: d["content_hash"] for d in documents} == stored_hashes
    assert {d["id"]: d["source"] for d in documents} == {str(r[0]): r[1] for r in store.query("SELECT id, source FROM documents")}
    turns = ds.dataset(root / "turns", partitioning="hive").to_table()
    assert pa.types.is_int32(turns.schema.field("reply_to").type) and turns.schema.field("reply_to").nullable
    assert pa.types.is_list(turns.schema.field("notes").type) and pa.types.is_string(turns.schema.field("notes").type.value_type)
    by_id = {r["turn_id"]: r for r in turns.to_pylist()}
    stored = stored_turns(store)
    for tid, t in stored.items():
        assert by_id[tid]["text"] == t["text"] and by_id[tid]["reply_to"] == t["reply_to"]
        assert by_id[tid]["notes"] == json.loads(t["notes"])
    mentions = ds.dataset(root / "mentions", partitioning="hive").to_table().to_pylist()
    money = [m for m in mentions if m["type"] == "money" and m["document_id"] == SEED_ID]
    assert money and money[0]["value"] == 13e9 and money[0]["unit"] == "USD"
    for m in mentions:
        text = stored[m["turn_id"]]["text"]
        assert text[m["start"]:m["end"]] == m["text"]


def test_parquet_reads_with_pandas(store: Store, exported: dict[str, ExportSummary]) -> None:
    pd = pytest.importorskip("pandas")
    root = exported["parquet"].path
    turns = pd.read_parquet(root / "turns")
    assert len(turns) == store.count("turns")
    assert len(pd.read_parquet(root / "documents")) == store.count("documents")
    assert len(pd.read_parquet(root / "mentions")) == store.count("mentions")
    seed = turns[turns["turn_id"] == f"{SEED_ID}#2"].iloc[0]
    assert seed["text"] == store.document(SEED_ID).turns[2].text and int(seed["reply_to"]) == 1
    assert turns["reply_to"].isna().sum() == store.query("SELECT count(*) FROM turns WHERE reply_to IS NULL")[0][0]


def test_parquet_reads_with_duckdb(store: Store, exported: dict[str, ExportSummary]) -> None:
    duckdb = pytest.importorskip("duckdb")
    root = exported["parquet"].path
    for name in ("documents", "turns", "mentions"):
        sql = f"SELECT count(*) FROM read_parquet('{root / name}/*/*/*.parquet', hive_partitioning = true)"
        assert duckdb.sql(sql).fetchall() == [(store.count(name),)]
    got = duckdb.sql(f"SELECT DISTINCT CAST(year AS VARCHAR) FROM read_parquet('{root}/documents/*/*/*.parquet', hive_partitioning = true)")
    assert {r[0] for r in got.fetchall()} == years(store)
    got = duckdb.sql(f"SELECT DISTINCT source FROM read_parquet('{root}/documents/*/*/*.parquet', hive_partitioning = true)")
    assert {r[0] for r in got.fetchall()} == {r[0] for r in store.query("SELECT DISTINCT source FROM documents")}


# --- TEI ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tei(exported: dict[str, ExportSummary]) -> Any:
    return etree.parse(str(exported["tei"].path))


def test_tei_is_valid_against_the_schema(tei: Any) -> None:
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(tei), schema.error_log


def test_tei_turns_speakers_and_replies(store: Store, tei: Any) -> None:
    root = tei.getroot()
    assert root.tag == f"{TEI}teiCorpus"
    us = list(root.iter(f"{TEI}u"))
    assert len(us) == store.count("turns")
    # one person a person id, with every name printed for them and its language
    persons = {p.get(XML_ID): {(n.text, n.get(XML_LANG)) for n in p.iter(f"{TEI}persName")}
               for p in root.find(f"{TEI}teiHeader").iter(f"{TEI}person")}
    named = {(r[0], r[1]) for r in store.query("SELECT DISTINCT t.speaker, d.language FROM turns t JOIN documents d"
                                                " ON d.id = t.document_id WHERE t.speaker IS NOT NULL")}
    assert set().union(*persons.values()) == named
    assert len(persons) == store.query("SELECT count(DISTINCT speaker_id) FROM turns")[0][0]
    lavrov = next(names for names in persons.values() if ("Sergey Lavrov", "en") in names)
    assert {lang for _, lang in lavrov} >= {"en", "ru", "de", "es", "fr"}
    u_ids = {u.get(XML_ID): u for u in us}
    assert len(u_ids) == len(us)
    stored = stored_turns(store)
    for text in root.iter(f"{TEI}TEI"):
        doc_id = text.findtext(f".//{TEI}idno[@type='stenogram']")
        for u in text.iter(f"{TEI}u"):
            t = stored[f"{doc_id}#{u.get('n')}"]
            who = u.get("who")
            assert (who is None) == (t["speaker"] is None)
            if who is not None:
                assert t["speaker"] in {name for name, _ in persons[who[1:]]}
            assert u.get("ana") == f"#{t['kind']}"
            assert "\n\n".join(seg.text or "" for seg in u.iter(f"{TEI}seg")) == t["text"]
            assert [n.text for n in u.iter(f"{TEI}note")] == json.loads(t["notes"])
            if t["kind"] == "answer" and t["reply_to"] is not None:
                question = u_ids[u.get("corresp")[1:]]
                assert question.get("n") == str(t["reply_to"]) and question.getparent() is u.getparent()
            else:
                assert u.get("corresp") is None


def test_tei_keeps_markup_in_the_text_as_text(store: Store, tei: Any) -> None:
    root = tei.getroot()
    assert not list(root.iter("script", "{*}script", "b", "{*}b"))
    doc_id = script_id(store)
    text = next(t for t in root.iter(f"{TEI}TEI") if t.findtext(f".//{TEI}idno[@type='stenogram']") == doc_id)
    segs = [s.text for s in text.iter(f"{TEI}seg")]
    assert any(SCRIPT_TEXT in (s or "") for s in segs)
    assert 'Is the tag <script src="http://example.org/x.js"></script> dangerous for Iraq?' in segs
    assert "Not at all. A & B < C > D, \"quoted\" and 'single'." in segs


# --- ConvoKit -------------------------------------------------------------------------------------------
def test_convokit_files_hold_together(store: Store, exported: dict[str, ExportSummary]) -> None:
    root = exported["convokit"].path
    utterances = [json.loads(line) for line in (root / "utterances.jsonl").read_text("utf-8").splitlines()]
    speakers = json.loads((root / "speakers.json").read_text("utf-8"))
    conversations = json.loads((root / "conversations.json").read_text("utf-8"))
    corpus = json.loads((root / "corpus.json").read_text("utf-8"))
    index = json.loads((root / "index.json").read_text("utf-8"))
    assert len(utterances) == store.count("turns")
    ids = {u["id"] for u in utterances}
    assert len(ids) == len(utterances) and ids == set(stored_turns(store))
    assert set(conversations) == set(ids_in_order(store))
    stored = stored_turns(store)
    people = {str(r[0]): r[1] for r in store.query("SELECT id, speaker_id FROM turns")}
    for u in utterances:
        assert u["speaker"] in speakers and u["conversation_id"] in conversations
        t = stored[u["id"]]
        assert u["text"] == t["text"] and u["meta"]["kind"] == t["kind"] and u["meta"]["document_id"] == t["document_id"]
        if u["reply_to"] is not None:
            assert u["reply_to"] in ids and t["kind"] == "answer"
            assert stored[u["reply_to"]]["kind"] == "question"
        if t["kind"] == "question":
            assert u["reply_to"] is None
        if t["speaker"]:      # a named speaker is their person id, one for every language's form of the name
            assert u["speaker"] == people[u["id"]]
            assert t["speaker"] in speakers[u["speaker"]]["meta"]["names"]
    assert all(set(s) >= {"meta"} for s in speakers.values())
    assert {"title", "source", "language", "published", "kind"} <= set(conversations[SEED_ID]["meta"])
    assert (corpus["documents"], corpus["utterances"], corpus["speakers"]) == (
        store.count("documents"), store.count("turns"), len(speakers))
    assert "stenogram" in corpus["generated_by"]
    assert set(index) >= {"utterances-index", "speakers-index", "conversations-index", "overall-index", "version"}
    assert set(index["utterances-index"]) == {"kind", "label", "document_id", "index", "affiliation"}


# --- choices and failures -------------------------------------------------------------------------------
def test_unknown_format_lists_the_formats(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="jsonl, csv, parquet, tei, convokit"):
        export(store, "xlsx", tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


def test_missing_parent_folder_is_an_export_error(store: Store, tmp_path: Path) -> None:
    for fmt in FORMATS:
        with pytest.raises(ExportError, match="does not exist"):
            export(store, fmt, tmp_path / "no" / "such" / "out")
    assert not list(tmp_path.iterdir())


def test_a_subset_is_exactly_those_documents_in_that_order(store: Store, tmp_path: Path) -> None:
    wanted = [SEED_ID, script_id(store)]
    summary = export(store, "jsonl", tmp_path / "two.jsonl", document_ids=iter(wanted))
    lines = (tmp_path / "two.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == wanted
    assert summary.documents == 2 and summary.turns == len(store.document(SEED_ID).turns) + 3
    export(store, "convokit", tmp_path / "ck", document_ids=wanted)
    assert set(json.loads((tmp_path / "ck" / "conversations.json").read_text("utf-8"))) == set(wanted)
    export(store, "parquet", tmp_path / "pq", document_ids=wanted)
    assert ds.dataset(tmp_path / "pq" / "turns", partitioning="hive").count_rows() == summary.turns
    assert {p.name for p in (tmp_path / "pq" / "documents").iterdir()} == {"year=2020", "year=2021"}
    export(store, "tei", tmp_path / "two.xml", document_ids=wanted)
    tree = etree.parse(str(tmp_path / "two.xml"))
    assert [t.findtext(f".//{TEI}idno[@type='stenogram']") for t in tree.getroot().iter(f"{TEI}TEI")] == wanted
    assert etree.RelaxNG(etree.parse(str(SCHEMA))).validate(tree)


def test_a_failed_export_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "corpus.jsonl"
    target.write_text("the previous export\n", "utf-8")
    with pytest.raises(NotFound):
        export(store, "jsonl", target, document_ids=[SEED_ID, "sha256:no-such-document"])
    with pytest.raises(ExportError, match="twice"):
        export(store, "csv", tmp_path / "t.csv", document_ids=[SEED_ID, SEED_ID])
    assert target.read_text("utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.jsonl"]


def test_an_export_that_fails_midway_leaves_no_trace(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stenogram.export.parquet as parquet_writer

    calls = 0

    def failing_tables(stored: Any, speaker_ids: Any, hashes: Any) -> Any:  # runs in the writer's second thread
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return original(stored, speaker_ids, hashes)

    original = parquet_writer.tables
    monkeypatch.setattr(parquet_writer, "READ_BATCH", 1)  # a batch a document
    monkeypatch.setattr(parquet_writer, "tables", failing_tables)
    with pytest.raises(KeyboardInterrupt):
        export(store, "parquet", tmp_path / "pq")
    assert calls == 3 and not list(tmp_path.iterdir())
    assert not store.conn.in_transaction
    monkeypatch.undo()
    assert export(store, "parquet", tmp_path / "pq").documents == store.count("documents")


def contract_rows(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The Parquet rows the stored documents should give, built here from their contract JSON."""
    documents, turns, mentions = [], [], []
    people = {str(r[0]): r[1] for r in store.query("SELECT id, speaker_id FROM turns")}
    hashes = {str(r[0]): r[1] for r in store.query("SELECT id, content_hash FROM documents")}
    for row in store.query("SELECT id FROM documents ORDER BY day, id"):
        d = store.document(row["id"]).to_json()
        event = d.get("event") or {}
        day = d["published"][:10] if d.get("published") else event.get("date")
        year = day[:4] if day else "unknown"
        documents.append({
            "id": d["id"], "url": d.get("url"), "source": d["source"], "language": d["language"], "title": d["title"],
            "published": d.get("published"), "kind": d["kind"], "event_place": event.get("place"),
            "event_date": event.get("date"), "versions": d["versions"],
            "participants": [{"name": p["name"], "role": p.get("role"), "country": p.get("country")}
                             for p in d["participants"]],
            "sections": [{"title": s["title"], "turn": s.get("turn")} for s in d.get("sections") or []],
            "preamble": d.get("preamble") or [], "boilerplate": d.get("boilerplate") or [],
            "header": d.get("header") or [], "turns": len(d["turns"]), "mentions": len(d["mentions"]),
            "content_hash": hashes[d["id"]], "year": year})
        for t in d["turns"]:
            turns.append({"turn_id": f"{d['id']}#{t['index']}", "document_id": d["id"], "year": year, "source": d["source"],
                          "speaker_id": people.get(f"{d['id']}#{t['index']}"),
                          **{k: t.get(k) for k in ("index", "kind", "speaker", "label", "affiliation", "translated_from",
                                                   "after", "reply_to", "text")},
                          "addressed_to": t.get("addressed_to") or [], "notes": t.get("notes") or []})
        for m in d["mentions"]:
            mentions.append({"document_id": d["id"], "turn_id": f"{d['id']}#{m['turn']}", "turn": m["turn"],
                             "type": m["type"], "text": m["text"], "entity_id": m.get("id"), "start": m["start"],
                             "end": m["end"], "value": m.get("value"), "unit": m.get("unit"), "year": year,
                             "source": d["source"]})
    return documents, turns, mentions


@pytest.mark.parametrize("read_batch", [1, 3000, 8 << 20])
def test_parquet_rows_are_the_stored_documents_in_order(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        read_batch: int) -> None:
    """Every field of every row, whatever the read batches (one document each, a few, all at once)."""
    import stenogram.export.parquet as parquet_writer

    monkeypatch.setattr(parquet_writer, "READ_BATCH", read_batch)
    monkeypatch.setattr(parquet_writer, "TURNS_BATCH", 7)  # several row groups and partition flushes
    summary = export(store, "parquet", tmp_path / "pq")
    expected = contract_rows(store)
    assert (summary.documents, summary.turns, summary.mentions) == tuple(len(rows) for rows in expected)
    for name, rows in zip(("documents", "turns", "mentions"), expected, strict=True):
        got = ds.dataset(tmp_path / "pq" / name, format="parquet", partitioning="hive").to_table().to_pylist()
        for row in got:
            row["year"] = str(row["year"])
        # grouped by partition (a stable sort), so rows must also keep their (day, id) order within one
        assert sorted(got, key=lambda r: (r["year"], r["source"])) == sorted(rows, key=lambda r: (r["year"], r["source"])), name


def test_damaged_stored_json_is_an_export_error(store: Store, tmp_path: Path) -> None:
    store.conn.execute("BEGIN")  # undone below: the corpus is the module's
    try:
        store.conn.execute("UPDATE documents SET json = ? WHERE id = ?", (zlib.compress(b'{"id": "broken'), SEED_ID))
        with pytest.raises(StoreError, match=r"cannot be read.*damaged"):
            export(store, "parquet", tmp_path / "pq")
        store.conn.execute("UPDATE documents SET json = '{}' WHERE id = ?", (SEED_ID,))     # not as the store keeps it
        with pytest.raises(StoreError, match=r"cannot be read.*damaged"):
            export(store, "parquet", tmp_path / "pq")
    finally:
        store.conn.execute("ROLLBACK")
    assert not list(tmp_path.iterdir())


def test_folder_exports_replace_an_earlier_export_but_no_other_folder(store: Store, tmp_path: Path) -> None:
    export(store, "convokit", tmp_path / "ck", document_ids=[SEED_ID])
    export(store, "convokit", tmp_path / "ck", document_ids=[script_id(store)])
    assert set(json.loads((tmp_path / "ck" / "conversations.json").read_text("utf-8"))) == {script_id(store)}
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(ExportError, match="other things"):
        export(store, "parquet", mine)
    with pytest.raises(ExportError, match="folder"):
        export(store, "jsonl", mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck", "mine"]


def test_jsonl_round_trips_through_ingest_and_the_cli(tmp_path: Path) -> None:
    """Export JSONL with the CLI, ingest it into a fresh corpus: the same documents come back."""
    import subprocess
    import sys

    import stenogram

    first = tmp_path / "first.db"
    with stenogram.open(first) as corpus:
        assert corpus.ingest([str(Path(__file__).parent / "fixtures" / "docs")]).ok
        originals = {d: corpus.document(d) for (d,) in corpus.store.query("SELECT id FROM documents")}
    out = tmp_path / "all.jsonl"
    run = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "export", "--format", "jsonl", "--out", str(out),
                          "--db", str(first)], capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    second = tmp_path / "second.db"
    with stenogram.open(second) as corpus:
        report = corpus.ingest([str(out)])
        assert report.ok and len(report.added) == len(originals)
        assert {d: corpus.document(d) for d in originals} == originals
        assert corpus.ingest([str(out)]).unchanged
    subset = tmp_path / "subset.jsonl"
    run = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "export", "Kurdistan", "--format", "jsonl",
                          "--out", str(subset), "--db", str(first)], capture_output=True, timeout=120)
    assert run.returncode == 0 and len(subset.read_text().splitlines()) == 1
    bad = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "export", "--format", "pdf", "--out",
                          str(tmp_path / "x.pdf"), "--db", str(first)], capture_output=True, timeout=120)
    assert bad.returncode == 1 and b"jsonl, csv, parquet, tei, convokit" in bad.stderr
