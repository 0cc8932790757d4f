"""``stenogram parse --explain``: each input line's destination and rule, from the parser's own decisions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stenogram.api import explain_file
from stenogram.parse.explain import UNDECIDED, LineDecision, explain_bytes
from stenogram.parse.header import chrome_text
from stenogram.parse.segment import strip_notes
from stenogram.parse.text import normalise_line

TESTS = Path(__file__).parent
TEXTS = sorted([*(TESTS / "fixtures" / "docs").glob("*.txt"), *(TESTS / "fixtures" / "unknown").glob("*.txt")])
PAGES = sorted((TESTS / "fixtures" / "html").glob("*.html"))
DOCS = TESTS / "fixtures" / "docs"


@pytest.mark.parametrize("path", TEXTS + PAGES, ids=lambda p: p.name)
def test_every_line_is_accounted_for_once_and_agrees_with_the_document(path: Path) -> None:
    doc, lines = explain_bytes(path.read_bytes(), name=path.name)
    if path.suffix == ".txt":
        text = path.read_text("utf-8")
        assert [d.line for d in lines] == list(range(1, len(text.splitlines()) + 1))
        assert [d.text for d in lines] == [normalise_line(raw) for raw in text.splitlines()]
    assert not [d for d in lines if d.where == UNDECIDED]
    assert {d.where for d in lines} <= {"blank", "title", "published", "header", "event", "preamble", "section",
                                        "boilerplate", "turn"}
    reached: set[int] = set()
    for d in lines:
        if d.where == "title":
            assert d.text in doc.title
        elif d.where == "section":
            assert d.text in {s.title for s in doc.sections}
        elif d.where == "boilerplate":
            assert chrome_text(d.text) in doc.boilerplate
        elif d.where == "turn":
            assert d.turns and all(0 <= n < len(doc.turns) for n in d.turns), d
            reached.update(d.turns)
            turn = doc.turns[d.turns[-1]]
            paragraph, _ = strip_notes(d.text)
            if d.part == "text" and paragraph:
                assert paragraph in turn.paragraphs, d
            elif d.part == "note":
                assert d.text in turn.notes, d
    assert reached == set(range(len(doc.turns))), "a turn no line went into"


def _by_text(lines: list[LineDecision], start: str) -> LineDecision:
    return next(d for d in lines if d.text.startswith(start))


def test_decisions_on_a_point_de_presse() -> None:
    _, lines = explain_file(str(DOCS / "diplomatie.gouv.fr-fr-2022-point-de-presse-legendre.txt"))
    assert _by_text(lines, "Point de presse du porte-parole").where == "title"
    assert _by_text(lines, "Publié le").where == "published"
    assert _by_text(lines, "Menu").where == "boilerplate"
    lead = _by_text(lines, "La porte-parole du ministère")
    assert (lead.where, lead.rule) == ("preamble", "a third-person lead before the first turn")
    assert _by_text(lines, "1 - Ukraine").where == "section"
    first = _by_text(lines, "La France a acheminé")
    assert (first.place, first.rule) == ("turn 0 text", "a paragraph without a label starts a turn")
    reply = _by_text(lines, "R - Notre ambassade")
    assert (reply.place, reply.rule) == ("turn 3 label+text", "a speaker label ('R') starts a turn")
    assert _by_text(lines, "Nous réévaluerons").place == "turn 3 text"
    assert _by_text(lines, "Partage").where == "boilerplate"


def test_decisions_on_a_government_press_conference() -> None:
    _, lines = explain_file(str(DOCS / "bundesregierung.de-de-2023-regierungspressekonferenz.txt"))
    themes = _by_text(lines, "Themen:")
    assert (themes.where, themes.rule) == ("preamble", "a field line of the head (Themen:), not a speaker")
    assert _by_text(lines, "Zusatzfrage: Wird es").place == "turn 3 label+text"


def test_a_split_off_question_a_note_and_one_other_turn() -> None:
    _, lines = explain_bytes(
        "Foreign Minister Sergey Lavrov’s press conference, Moscow, 12 March 2021\n\nGood afternoon. We met today.\n\n"
        "Thank you. What do you expect from Berlin?\n\nSergey Lavrov: Nothing new.\n\n(Applause)\n".encode())
    assert [d.place for d in lines if d.where != "blank"] == [
        "title", "turn 0 text", "turn 1 text", "turn 2 label+text", "turn 2 note"]
    doc, lines = explain_bytes(b"Some notes\n\nThis is a paragraph of prose.\n\nAnd another one, also prose.\n")
    assert len(doc.turns) == 1 and doc.turns[0].kind == "other"
    assert {d.place for d in lines if d.where == "turn"} == {"turn 0 text"}


def test_the_cli_prints_a_table_and_json(tmp_path: Path) -> None:
    page = DOCS / "bundesregierung.de-de-2023-regierungspressekonferenz.txt"
    cli = [sys.executable, "-m", "stenogram.cli.main", "parse", str(page), "--explain"]
    shown = subprocess.run(cli, capture_output=True, text=True, check=True, env={"COLUMNS": "200", "PATH": ""}).stdout
    assert "Themen:" in shown and "a field line of the head" in shown and "turn 3 label+text" in shown
    data = json.loads(subprocess.run([*cli, "--format", "json"], capture_output=True, text=True, check=True).stdout)
    assert len(data["lines"]) == len(page.read_text("utf-8").splitlines())
    assert data["lines"][0] == {"line": 1, "text": "Die Bundesregierung", "where": "boilerplate", "turns": [],
                                "part": None, "rule": "a plain line above the title (site name, menu)"}
    bad = subprocess.run([*cli, "--format", "xml"], capture_output=True, text=True)
    assert bad.returncode != 0 and "table or json" in bad.stderr
