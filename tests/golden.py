"""Scoring a parse against a fixture's expected JSON: turn-boundary F1, speaker and metadata accuracy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
METADATA_FIELDS = ("source", "language", "title", "published", "kind", "event", "versions")
TURN_FIELDS = ("kind", "speaker", "label", "affiliation", "translated_from", "addressed_to", "after", "reply_to", "notes")


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
