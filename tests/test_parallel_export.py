"""Exports of aligned language versions: a TMX translation memory and a parallel table (CSV or Parquet),
from a corpus of the multilingual fixtures stored as items with several language versions, read back
with independent readers (xml.etree, csv, pyarrow) and checked against the hand alignments in
tests/fixtures/multilingual/*/alignment.json."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import stenogram
from stenogram.errors import ExportError, QueryError
from stenogram.version import __version__
from tests.multilingual import EVENTS, build, gold, item, version

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: floors of the share of exported pairs the hand alignment has, and of its pairs exported (as test_align's)
PRECISION, RECALL = 0.98, 0.95


def gold_pairs(languages: Iterable[str] | None = None) -> set[tuple[str, str, tuple[int, int], tuple[int, int]]]:
    """(item, other language, (English turn, paragraph), (other turn, paragraph)) of every paragraph the hand
    alignments pair with an English one."""
    return {(item(e), lang, (a[0], a[1]), (b[0], b[1])) for e in EVENTS for lang, pairs in gold(e)["paragraphs"].items()
            if languages is None or lang in languages for a, b in pairs if a is not None and b is not None}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six events in three to five languages each."""
    return build(tmp_path_factory.mktemp("grouped"))


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same events in English only: no item has a second version."""
    return build(tmp_path_factory.mktemp("single"), languages=["en"])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "300"})


def props(element: ET.Element) -> dict[str, str]:
    return {p.get("type", ""): p.text or "" for p in element.findall("prop")}


def units(path: Path) -> list[dict[str, Any]]:
    """Each <tu> of a TMX file: its properties, and for each variant its language, properties and segment."""
    root = ET.parse(path).getroot()
    return [{"props": props(tu),
             "tuv": [{"lang": tuv.get(XML_LANG), **props(tuv), "seg": tuv.findtext("seg")} for tuv in tu.findall("tuv")]}
            for tu in root.iter("tu")]


def place(variant: dict[str, Any]) -> tuple[int, list[int]]:
    """(turn index, paragraph indexes) of a TMX variant."""
    return int(variant["x-turn"].rsplit("#", 1)[1]), [int(p) for p in variant["x-paragraph"].split(",")]


def event_of(item_id: str) -> str:
    return EVENTS[int(item_id.rsplit(":", 1)[1]) - 990001]


# --- TMX ------------------------------------------------------------------------------------------------

def test_tmx_pairs_each_english_paragraph_with_the_russian_one_the_hand_alignment_names(grouped: Path,
                                                                                      tmp_path: Path) -> None:
    out = tmp_path / "en-ru.tmx"
    with stenogram.open(grouped, read_only=True) as corpus:
        summary = corpus.export("tmx", out, languages=["en", "ru"])
    root = ET.parse(out).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert (header.get("srclang"), header.get("creationtool"), header.get("creationtoolversion")) == (
        "en", "stenogram", __version__)
    assert header.get("segtype") == "paragraph" and header.get("datatype") and header.get("o-tmf")
    found = units(out)
    assert summary.pairs == len(found) and summary.versions == len(EVENTS)      # every event has en and ru
    assert summary.documents == 2 * len(EVENTS) and not out.with_name(f".{out.name}.tmp").exists()
    want = gold_pairs(["ru"])
    right = set()
    for unit in found:
        en, ru = unit["tuv"]
        assert (en["lang"], ru["lang"]) == ("en", "ru")
        event = event_of(unit["props"]["x-item"])
        assert en["x-document"] == f"{item(event)}:en" and ru["x-document"] == f"{item(event)}:ru"
        (ta, pa), (tb, pb) = place(en), place(ru)
        assert en["x-turn"] == f"{item(event)}:en#{ta}" and ru["x-turn"] == f"{item(event)}:ru#{tb}"
        # the segments are the paragraphs named, word for word
        assert en["seg"] == "\n\n".join(version(event, "en").turns[ta].paragraphs[k] for k in pa)
        assert ru["seg"] == "\n\n".join(version(event, "ru").turns[tb].paragraphs[k] for k in pb)
        assert en.get("x-speaker") == version(event, "en").turns[ta].speaker
        assert 0 < float(unit["props"]["x-confidence"]) <= 1 and 0 < float(unit["props"]["x-turn-confidence"]) <= 1
        assert unit["props"]["x-date"] == event[:10] and unit["props"]["x-source"] == "mid.ru"
        pairs = {(item(event), "ru", (ta, a), (tb, b)) for a in pa for b in pb}
        assert pairs <= want, (event, ta, pa, tb, pb)     # every unit is one the hand alignment has
        right |= pairs
    assert len(right) >= RECALL * len(want)


def test_a_merged_paragraph_is_one_unit_with_the_two_it_stands_for(grouped: Path, tmp_path: Path) -> None:
    """In Spanish the interview with Prensa Latina merges two paragraphs of the answer on Cuba into one."""
    event = "2023-04-14-lavrov-interview-prensa-latina"
    merged: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for a, b in gold(event)["paragraphs"]["es"]:
        if a is not None and b is not None:
            merged.setdefault(tuple(b), []).append(tuple(a))
    (es_place, en_places), = [(b, a) for b, a in merged.items() if len(a) == 2]
    out = tmp_path / "en-es.tmx"
    with stenogram.open(grouped, read_only=True) as corpus:
        corpus.export("tmx", out, "lang:es AND Cuba", languages=["en", "es"])
    found = [u for u in units(out) if u["props"]["x-item"] == item(event)]
    assert {u["props"]["x-item"] for u in units(out)} == {item(event)}      # the query found this item only
    unit = next(u for u in found if place(u["tuv"][1]) == (es_place[0], [es_place[1]]))
    en = unit["tuv"][0]
    assert place(en) == (en_places[0][0], sorted(p for _, p in en_places))
    assert en["seg"] == "\n\n".join(version(event, "en").turns[en_places[0][0]].paragraphs[p] for _, p in en_places)
    assert sum(1 for u in found for k in place(u["tuv"][1])[1] if k == es_place[1]) == 1      # once, not twice


def test_text_that_looks_like_markup_stays_text(tmp_path: Path) -> None:
    event = "2019-03-19-lavrov-safadi-press-conference"
    tricky = ' Tags: <b>bold</b> & <script>alert("x")</script> ]]> &amp; \'single\'\x0c.'

    def edit(doc: dict[str, Any]) -> dict[str, Any]:
        doc["turns"][1]["paragraphs"][0] += tricky
        doc["turns"][1]["text"] = "\n\n".join(doc["turns"][1]["paragraphs"])
        doc["turns"][1]["speaker"] = 'A "B" <C> & D'
        return doc

    db = build(tmp_path / "c", events=[event], languages=["en", "ru"], edit=edit)
    out = tmp_path / "x.tmx"
    with stenogram.open(db, read_only=True) as corpus:
        corpus.export("tmx", out)
    assert ET.parse(out).getroot().find("header").get("srclang") == "*all*"     # type: ignore[union-attr]
    unit = next(u for u in units(out) if place(u["tuv"][0]) == (1, [0]))
    en, ru = unit["tuv"]
    assert en["seg"].endswith(tricky.replace("\x0c", "")) and ru["seg"].endswith(tricky.replace("\x0c", ""))
    assert en["x-speaker"] == 'A "B" <C> & D'
    assert "<script>" not in out.read_text("utf-8")


def test_languages_named_in_another_order_make_that_language_the_source(grouped: Path, tmp_path: Path) -> None:
    out = tmp_path / "ru-en.tmx"
    with stenogram.open(grouped, read_only=True) as corpus:
        corpus.export("tmx", out, languages=["ru", "en"])
    assert ET.parse(out).getroot().find("header").get("srclang") == "ru"       # type: ignore[union-attr]
    found = units(out)
    assert found and all([v["lang"] for v in u["tuv"]] == ["ru", "en"] for u in found)


# --- the parallel table -----------------------------------------------------------------------------------

def english_rows(rows: list[dict[str, Any]]) -> set[tuple[str, str, tuple[int, int], tuple[int, int]]]:
    return {(r["item"], r["language_b"], (int(r["turn_a"].rsplit("#", 1)[1]), int(r["paragraph_a"])),
             (int(r["turn_b"].rsplit("#", 1)[1]), int(r["paragraph_b"]))) for r in rows if r["language_a"] == "en"}


def test_parallel_csv_rows_are_the_hand_alignments_pairs(grouped: Path, tmp_path: Path) -> None:
    every = ["en", "ru", "de", "es", "fr"]        # English first: side a of every pair it is in
    with stenogram.open(grouped, read_only=True) as corpus:
        corpus.export("parallel", tmp_path / "all.csv", languages=every)
        summary = corpus.export("parallel", tmp_path / "sure.csv", languages=every, min_confidence=0.8)
    with (tmp_path / "all.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (tmp_path / "sure.csv").open(encoding="utf-8", newline="") as fh:
        sure = list(csv.DictReader(fh))
    assert list(rows[0]) == ["item", "date", "source", "language_a", "language_b", "document_a", "document_b",
                             "turn_a", "turn_b", "paragraph_a", "paragraph_b", "speaker_a", "speaker_b", "kind",
                             "text_a", "text_b", "confidence", "turn_confidence"]
    want = gold_pairs()
    got = english_rows(rows)
    assert len(got & want) >= RECALL * len(want) and len(got & want) >= PRECISION * len(got)
    # the confident rows: fewer, every one at least 0.8, and (nearly) all of them right
    assert summary.pairs == len(sure) and 0 < len(sure) < len(rows)
    assert all(float(r["confidence"]) >= 0.8 and float(r["turn_confidence"]) >= 0.8 for r in sure)
    confident = english_rows(sure)
    assert confident <= got and len(confident & want) >= PRECISION * len(confident)
    for r in rows:
        event = event_of(r["item"])
        a, b = version(event, r["language_a"]), version(event, r["language_b"])
        ta, tb = a.turns[int(r["turn_a"].rsplit("#", 1)[1])], b.turns[int(r["turn_b"].rsplit("#", 1)[1])]
        assert r["text_a"] == ta.paragraphs[int(r["paragraph_a"])] and r["text_b"] == tb.paragraphs[int(r["paragraph_b"])]
        assert (r["speaker_a"], r["speaker_b"], r["kind"]) == (ta.speaker or "", tb.speaker or "", ta.kind)
        assert r["document_a"] == f"{r['item']}:{r['language_a']}" and r["date"] == event[:10]
    # every pair of languages of an event: 5 languages make 10 pairs, 4 make 6, 3 make 3
    assert {(r["item"], r["language_a"], r["language_b"]) for r in rows} == {
        (item(e), x, y) for e in EVENTS for i, x in enumerate(every) for y in every[i + 1:]
        if x in gold(e)["languages"] and y in gold(e)["languages"]}


def test_parallel_parquet_holds_the_csv_rows(grouped: Path, tmp_path: Path) -> None:
    with stenogram.open(grouped, read_only=True) as corpus:
        corpus.export("parallel", tmp_path / "p.csv", languages=["de", "fr"])
        corpus.export("parallel", tmp_path / "p.parquet", languages=["de", "fr"])
    table = pq.read_table(tmp_path / "p.parquet")
    assert str(table.schema.field("paragraph_a").type) == "int32" and str(table.schema.field("confidence").type) == "double"
    with (tmp_path / "p.csv").open(encoding="utf-8", newline="") as fh:
        from_csv = [{k: v for k, v in r.items()} for r in csv.DictReader(fh)]
    from_parquet = [{k: "" if v is None else str(v) for k, v in r.items()} for r in table.to_pylist()]
    assert from_parquet == from_csv and from_csv
    assert {(r["language_a"], r["language_b"]) for r in from_csv} == {("de", "fr")}


# --- what cannot be exported --------------------------------------------------------------------------------

def test_a_corpus_without_language_versions_has_nothing_to_align(single: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.tmx"
    done = run("export", "--format", "tmx", "--out", str(out), "--db", str(single))
    assert done.returncode == 1, done.stderr
    message = " ".join(done.stderr.split())
    assert "nothing to align" in message and "two language versions" in message
    assert "ingest" in message and "grouped by their address" in message and "Traceback" not in done.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".x.tmx")]
    with stenogram.open(single, read_only=True) as corpus, pytest.raises(ExportError, match="nothing to align"):
        corpus.export("parallel", tmp_path / "x.csv")
    assert not list(tmp_path.iterdir())


def test_a_query_chooses_the_items(grouped: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = run("export", "Venezuela", "--format", "parallel", "--lang", "en,es", "--out", str(out), "--db", str(grouped))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    safadi = item("2019-03-19-lavrov-safadi-press-conference")
    assert {r["item"] for r in rows} == {safadi, item("2023-04-14-lavrov-interview-prensa-latina")}
    # the Spanish version of the news conference leaves out the question on Venezuela and its answer
    venezuela = [k for k, t in enumerate(version("2019-03-19-lavrov-safadi-press-conference", "en").turns)
                 if "Venezuela" in t.text]
    assert venezuela and not [r for r in rows if r["item"] == safadi and int(r["turn_a"].rsplit("#")[1]) in venezuela]
    done = run("export", "zzyzx", "--format", "parallel", "--out", str(tmp_path / "y.csv"), "--db", str(grouped))
    assert done.returncode == 1 and "among the documents the query finds" in " ".join(done.stderr.split())
    assert not (tmp_path / "y.csv").exists()


@pytest.mark.parametrize(("options", "says"), [
    (["--lang", "en,xx"], "no document in xx; its languages are de, en, es, fr, ru"),
    (["--lang", "english,ru"], "'english' is not a language code"),
    (["--lang", "en"], "name two or more"),
    (["--lang", "en,ru,en"], "en is named twice"),
    (["--min-confidence", "1.5"], "from 0 to 1"),
    (["--min-confidence", "-0.1"], "from 0 to 1"),
    (["--min-confidence", "nan"], "from 0 to 1"),
])
def test_bad_languages_and_confidences_are_refused_and_leave_no_file(grouped: Path, tmp_path: Path,
                                                                    options: list[str], says: str) -> None:
    before = tmp_path / "kept.tmx"
    before.write_text("an earlier export", encoding="utf-8")
    done = run("export", "--format", "tmx", "--out", str(before), *options, "--db", str(grouped))
    assert done.returncode == 1 and says in " ".join(done.stderr.split()), done.stderr
    assert "Traceback" not in done.stderr
    assert before.read_text("utf-8") == "an earlier export" and [p.name for p in tmp_path.iterdir()] == ["kept.tmx"]


def test_pair_options_belong_to_the_pair_formats(grouped: Path, tmp_path: Path) -> None:
    with stenogram.open(grouped, read_only=True) as corpus:
        with pytest.raises(ExportError, match="tmx and parallel"):
            corpus.export("csv", tmp_path / "x.csv", languages=["en", "ru"])
        with pytest.raises(QueryError, match="from 0 to 1"):
            corpus.export("parallel", tmp_path / "x.csv", min_confidence=2)
    assert not list(tmp_path.iterdir())


def test_the_command_reports_what_it_wrote(grouped: Path, tmp_path: Path) -> None:
    out = tmp_path / "en-ru.tmx"
    done = run("export", "--format", "tmx", "--lang", "en,ru", "--min-confidence", "0.9", "--out", str(out),
               "--db", str(grouped))
    assert done.returncode == 0, done.stderr
    found = units(out)
    assert f"{len(found)} aligned paragraph pairs" in done.stderr and f"from {len(EVENTS)} pairs of language" in done.stderr
    assert found and all(float(u["props"]["x-confidence"]) >= 0.9 for u in found)
