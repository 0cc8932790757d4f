"""Aligning language versions of one event: turns and paragraphs, measured against hand alignments of the
multilingual fixtures (tests/fixtures/multilingual: six events in three to five languages, with a missing
turn, merged paragraphs, a moved note and an extra turn among them)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from stenogram.align import Alignment, align, name_key, same_person
from tests.multilingual import EVENTS, gold, version

#: floors of the measured figures (precision, recall), so a change that makes alignment worse fails
TURN_FLOOR = 0.98
PARAGRAPH_FLOOR = 0.95


def pairs() -> list[tuple[str, str, str]]:
    return [(e, gold(e)["pivot"], lang) for e in EVENTS for lang in gold(e)["languages"] if lang != gold(e)["pivot"]]


def _found(event: str, pivot: str, lang: str) -> tuple[Alignment, set[tuple[int, int]], set[tuple[Any, Any]]]:
    g = gold(event)
    turns = {(a, b) for a, b in g["turns"][lang] if a is not None and b is not None}
    paragraphs = {(tuple(a), tuple(b)) for a, b in g["paragraphs"][lang] if a is not None and b is not None}
    return align(version(event, pivot), version(event, lang)), turns, paragraphs


def test_the_fixtures_are_six_events_in_several_languages() -> None:
    assert len(EVENTS) >= 6
    assert sum(len(gold(e)["languages"]) == 5 for e in EVENTS) >= 3


def test_alignment_precision_and_recall_hold_their_floors() -> None:
    counts = {"turns": [0, 0, 0], "paragraphs": [0, 0, 0]}
    for event, pivot, lang in pairs():
        found, turns, paragraphs = _found(event, pivot, lang)
        for key, want, got in (("turns", turns, {(p.a, p.b) for p in found.turns}),
                               ("paragraphs", paragraphs, {(p.a, p.b) for p in found.paragraphs})):
            counts[key][0] += len(want & got)
            counts[key][1] += len(got)
            counts[key][2] += len(want)
    for key, floor in (("turns", TURN_FLOOR), ("paragraphs", PARAGRAPH_FLOOR)):
        right, found_n, wanted = counts[key]
        assert wanted > 100, key
        precision, recall = right / found_n, right / wanted
        assert precision >= floor and recall >= floor, (key, round(precision, 3), round(recall, 3))


@pytest.mark.parametrize(("event", "pivot", "lang"), pairs())
def test_a_turn_without_a_counterpart_stays_unaligned(event: str, pivot: str, lang: str) -> None:
    """Where the hand alignment has no counterpart for a turn (a dropped question, an extra moderator line),
    the alignment does not force one onto a neighbour."""
    found, _, _ = _found(event, pivot, lang)
    alone_a = {a for a, b in gold(event)["turns"][lang] if b is None and a is not None}
    alone_b = {b for a, b in gold(event)["turns"][lang] if a is None and b is not None}
    assert alone_a <= set(found.unaligned(version(event, pivot), first=True))
    assert alone_b <= set(found.unaligned(version(event, lang), first=False))
    assert all(0 <= p.confidence <= 1 for p in (*found.turns, *found.paragraphs))
    firsts, seconds = [p.a for p in found.turns], [p.b for p in found.turns]
    assert firsts == sorted(set(firsts)) and seconds == sorted(set(seconds))     # in order, each turn once


def test_a_merged_paragraph_pairs_with_both_it_stands_for() -> None:
    merged = [(e, p, lang) for e, p, lang in pairs()
              if any("merge" in d and d.startswith(lang) for d in gold(e)["differences"])]
    assert merged
    for event, pivot, lang in merged:
        found, _, paragraphs = _found(event, pivot, lang)
        by_other: dict[Any, set[Any]] = {}
        for a, b in paragraphs:
            by_other.setdefault(b, set()).add(a)
        doubles = {b: a for b, a in by_other.items() if len(a) == 2}
        assert doubles, event
        got = {(p.a, p.b) for p in found.paragraphs}
        for b, both in doubles.items():
            assert {(a, b) for a in both} <= got, (event, lang, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Sergey Lavrov", "Сергей Лавров"), ("Sergey Lavrov", "Sergej Lawrow"), ("Sergey Lavrov", "Serguéi Lavrov"),
    ("Sergey Lavrov", "Sergueï Lavrov"), ("Sergey Lavrov", "С.В.Лавров"), ("Maria Zakharova", "Мария Захарова"),
    ("Maria Zakharova", "María Zajárova"), ("Maria Zakharova", "Maria Sacharowa"), ("Wang Yi", "Ван И"),
    ("Vyacheslav Nikonov", "В.А.Никонов"), ("Ayman Safadi", "А.Сафади"),
])
def test_transliterations_of_one_name_meet(a: str, b: str) -> None:
    assert same_person(a, b) == 1.0, (name_key(a), name_key(b))


@pytest.mark.parametrize(("a", "b"), [("Sergey Lavrov", "Maria Zakharova"), ("Sergey Lavrov", "Sergey Ryabkov"),
                                      ("Вячеслав Никонов", "Вячеслав Володин")])
def test_different_people_do_not(a: str, b: str) -> None:
    assert same_person(a, b) == 0.0
    assert same_person(a, None) == 0.5


EVENT = "2019-03-19-lavrov-safadi-press-conference"


@pytest.fixture(scope="module")
def versions_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One event's five language versions, stored as one item's versions (ids that differ by language only)."""
    import stenogram

    folder = tmp_path_factory.mktemp("versions")
    lines = []
    for lang in gold(EVENT)["languages"]:
        doc = version(EVENT, lang).to_json()
        lines.append(json.dumps({**doc, "id": f"mid.ru:990001:{lang}", "url": f"https://mid.ru/{lang}/990001/"},
                                ensure_ascii=False))
    (folder / "event.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "c.db"
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(folder / "event.jsonl")]).ok
    return db


def test_a_turn_in_its_other_languages(versions_corpus: Path) -> None:
    import stenogram

    with stenogram.open(versions_corpus, read_only=True) as corpus:
        found = {v.language: v for v in corpus.turn_versions("mid.ru:990001:en#6")}
        assert set(found) == set(gold(EVENT)["languages"]) - {"en"}
        for lang, v in found.items():
            want = dict((a, b) for a, b in gold(EVENT)["turns"][lang] if a is not None)[6]
            assert (v.turn.index if v.turn else None) == want, lang
            if v.turn is not None:
                assert 0.5 < v.confidence <= 1 and v.paragraphs
                assert all(a is None or a < len(corpus.turn("mid.ru:990001:en#6")[1].paragraphs) for a, _ in v.paragraphs)
        assert found["es"].turn is None          # the Spanish version lacks this question and its answer
        only = corpus.turn_versions("mid.ru:990001:en#6", languages=["ru"])
        assert [v.language for v in only] == ["ru"]


def test_show_versions_and_the_api(versions_corpus: Path) -> None:
    import subprocess
    import sys

    from fastapi.testclient import TestClient

    from stenogram.web.app import create_app

    shown = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "show", "mid.ru:990001:en#1", "--versions",
                            "--db", str(versions_corpus)], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    for lang in ("ru", "de", "es", "fr"):
        assert f"en ↔ {lang}" in shown.stdout
    ru_turn = next(t for t in version(EVENT, "ru").turns if t.index == 1)
    assert ru_turn.paragraphs[0][:40] in shown.stdout.replace("\n  ", " ")
    bad = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "show", "mid.ru:990001:en", "--versions",
                          "--db", str(versions_corpus)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COLUMNS": "300"})
    assert bad.returncode == 2 and "give a turn id" in bad.stderr
    client = TestClient(create_app(versions_corpus))
    answer = client.get("/api/turns/mid.ru:990001:en#1/versions".replace("#", "%23"), params={"lang": ["de", "fr"]}).json()
    assert answer["ok"] and [v["language"] for v in answer["versions"]] == ["de", "fr"]
    assert all(v["turn"]["index"] == 1 and v["paragraphs"] for v in answer["versions"])
    assert client.get("/api/turns/nope%231/versions").status_code == 404
