"""A parse against a fixture's expected JSON: strict checks, field by field and turn by turn, and the
totals (turn-boundary F1, speaker, kind and metadata accuracy) printed as a report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
HTML = Path(__file__).parent / "fixtures" / "html"
METADATA_FIELDS = ("source", "language", "title", "published", "kind", "event", "versions")
TURN_FIELDS = ("kind", "speaker", "label", "affiliation", "translated_from", "addressed_to", "after", "reply_to", "notes")
#: every field compared exactly, per document and per turn
DOCUMENT_FIELDS = (*METADATA_FIELDS, "url", "participants", "sections", "preamble", "boilerplate")
STRICT_TURN_FIELDS = ("text", "paragraphs", *TURN_FIELDS)
_LISTS = {"versions", "participants", "sections", "preamble", "boilerplate", "addressed_to", "notes", "paragraphs"}

#: Misses the parser still makes, one entry per (fixture, turn index or None for the document, field), with
#: the reason. Each is an expected failure (strict): when the parser gets one right, the test fails until
#: its entry is taken out of this list. Fixtures are named as their files are ("docs/<name>", "html/<name>").
KNOWN_MISSES: dict[tuple[str, int | None, str], str] = {}


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def fixture_names() -> list[str]:
    return sorted(p.name[: -len(".expected.json")] for p in FIXTURES.glob("*.expected.json"))


def load_expected(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))


def _key(turn: dict[str, Any]) -> str:
    return norm(turn["text"])[:60]


@dataclass
class Score:
    boundary_tp: int = 0
    boundary_got: int = 0
    boundary_expected: int = 0
    speaker_right: int = 0
    kind_right: int = 0
    matched: int = 0
    meta_right: int = 0
    meta_total: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("boundary_tp", "boundary_got", "boundary_expected", "speaker_right", "kind_right",
                     "matched", "meta_right", "meta_total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.problems.extend(other.problems)

    @property
    def f1(self) -> float:
        p = self.boundary_tp / self.boundary_got if self.boundary_got else 0.0
        r = self.boundary_tp / self.boundary_expected if self.boundary_expected else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.matched if self.matched else 0.0

    @property
    def metadata_accuracy(self) -> float:
        return self.meta_right / self.meta_total if self.meta_total else 0.0


def score(name: str, got: dict[str, Any], expected: dict[str, Any]) -> Score:
    s = Score()
    for f in METADATA_FIELDS:
        s.meta_total += 1
        if got.get(f) == expected.get(f):
            s.meta_right += 1
        else:
            s.problems.append(f"{name}: {f}: got {got.get(f)!r}, expected {expected.get(f)!r}")
    s.meta_total += 1
    def people(doc: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
        return [(p["name"], p.get("role"), p.get("country")) for p in doc["participants"]]

    if people(got) == people(expected):
        s.meta_right += 1
    else:
        s.problems.append(f"{name}: participants: got {people(got)}, expected {people(expected)}")
    got_turns = {_key(t): t for t in got["turns"]}
    exp_turns = {_key(t): t for t in expected["turns"]}
    s.boundary_got, s.boundary_expected = len(got["turns"]), len(expected["turns"])
    for key, exp in exp_turns.items():
        g = got_turns.get(key)
        if g is None:
            s.problems.append(f"{name}: turn {exp['index']} not found: {key[:50]!r}")
            continue
        s.boundary_tp += 1
        s.matched += 1
        s.speaker_right += g["speaker"] == exp["speaker"]
        s.kind_right += g["kind"] == exp["kind"]
        for f in TURN_FIELDS:
            if g.get(f) != exp.get(f):
                s.problems.append(f"{name}: turn {exp['index']} {f}: got {g.get(f)!r}, expected {exp.get(f)!r}")
        if norm(g["text"]) != norm(exp["text"]):
            s.problems.append(f"{name}: turn {exp['index']} text differs")
    for key, g in got_turns.items():
        if key not in exp_turns:
            s.problems.append(f"{name}: extra turn {g['index']}: {key[:50]!r}")
    return s


# --- strict comparison ------------------------------------------------------------------------------------
def html_names() -> list[str]:
    return sorted(p.name[: -len(".expected.json")] for p in HTML.glob("*.expected.json"))


def load_expected_html(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HTML / f"{name}.expected.json").read_text("utf-8"))
    return data


def document_value(doc: dict[str, Any], name: str) -> Any:
    """A document field as compared: lists default to empty, participants as name, role and country."""
    value = doc.get(name, [] if name in _LISTS else None)
    if name == "participants":
        return [{"name": p["name"], "role": p.get("role"), "country": p.get("country")} for p in value]
    return value


def turn_value(turn: dict[str, Any], name: str) -> Any:
    """A turn field as compared: text and paragraphs with their whitespace normalised."""
    if name == "text":
        return norm(turn.get("text"))
    if name == "paragraphs":
        return [norm(p) for p in turn.get("paragraphs", [])]
    return turn.get(name, [] if name in _LISTS else None)


def _show(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 600 else shown[:600] + "…"


def check_document_field(fixture: str, got: dict[str, Any], expected: dict[str, Any], name: str) -> None:
    want, have = document_value(expected, name), document_value(got, name)
    assert have == want, f"{fixture}: {name}\n  expected {_show(want)}\n  got      {_show(have)}"


def check_turn_count(fixture: str, got: dict[str, Any], expected: dict[str, Any]) -> None:
    g, e = got["turns"], expected["turns"]
    if len(g) == len(e):
        return
    first = next((i for i, (a, b) in enumerate(zip(g, e, strict=False)) if norm(a["text"]) != norm(b["text"])),
                 min(len(g), len(e)))

    def at(turns: list[dict[str, Any]]) -> str | None:
        return norm(turns[first]["text"])[:80] if first < len(turns) else None

    raise AssertionError(f"{fixture}: {len(g)} turns, expected {len(e)}; the first turn that differs is "
                         f"{first}:\n  expected {at(e)!r}\n  got      {at(g)!r}")


def check_turn_field(fixture: str, got: dict[str, Any], expected: dict[str, Any], index: int, name: str) -> None:
    want = turn_value(expected["turns"][index], name)
    assert index < len(got["turns"]), (
        f"{fixture}: turn {index} {name}: expected {_show(want)}, got no turn {index} "
        f"(the parse has {len(got['turns'])} turns)")
    have = turn_value(got["turns"][index], name)
    assert have == want, f"{fixture}: turn {index} {name}\n  expected {_show(want)}\n  got      {_show(have)}"


def check(fixture: str, got: dict[str, Any], expected: dict[str, Any], turn: int | None, name: str) -> None:
    """One strict case: a document field (``turn`` None), the number of turns, or one field of one turn."""
    if name == "turn-count":
        check_turn_count(fixture, got, expected)
    elif turn is None:
        check_document_field(fixture, got, expected, name)
    else:
        check_turn_field(fixture, got, expected, turn, name)


def case_keys(corpus: str, names: Sequence[str], load: Callable[[str], dict[str, Any]]) -> list[tuple[str, int | None, str]]:
    """(fixture, turn, field) of every strict case: each document field, the number of turns, and each field of
    each expected turn. Fixtures are named ``<corpus>/<name>``."""
    keys: list[tuple[str, int | None, str]] = []
    for name in names:
        fixture = f"{corpus}/{name}"
        keys.extend((fixture, None, what) for what in (*DOCUMENT_FIELDS, "turn-count"))
        for turn in load(name)["turns"]:
            keys.extend((fixture, turn["index"], what) for what in STRICT_TURN_FIELDS)
    return keys


def strict_cases(corpus: str, names: Sequence[str], load: Callable[[str], dict[str, Any]]) -> list[Any]:
    """The strict cases as pytest parameters ``(fixture, turn, field)``; a case in :data:`KNOWN_MISSES` is a
    strict expected failure, so a miss the parser stops making fails until its entry is removed."""
    out: list[Any] = []
    for fixture, turn, what in case_keys(corpus, names, load):
        reason = KNOWN_MISSES.get((fixture, turn, what))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        where = what if turn is None else f"turn{turn}-{what}"
        out.append(pytest.param(fixture, turn, what, id=f"{fixture.split('/', 1)[1]}:{where}", marks=marks))
    return out
