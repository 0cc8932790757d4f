"""The seed sample parses to exactly its expected structure (every field but mentions)."""

from __future__ import annotations

from typing import Any

import jsonschema

import stenogram
from tests.golden import FIXTURES, load_expected

SEED = "mid.ru-en-2020-11-25-lavrov-hussein"
COMPARED = ("schema", "source", "language", "title", "published", "kind", "event", "versions", "participants",
            "turns", "boilerplate")


def test_seed_matches_expected_exactly(schema: dict[str, Any]) -> None:
    got = stenogram.parse_text((FIXTURES / f"{SEED}.txt").read_text("utf-8")).to_json()
    expected = load_expected(SEED)
    for field in COMPARED:
        assert got[field] == expected[field], field
    assert got["sections"] == [] and got["preamble"] == []
    jsonschema.validate(got, schema)


def test_seed_ids_and_url() -> None:
    text = (FIXTURES / f"{SEED}.txt").read_text("utf-8")
    plain = stenogram.parse_text(text)
    assert plain.id.startswith("sha256:") and plain.id == stenogram.parse_text(text).id
    url = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4450563"
    assert stenogram.parse_text(text, url=url).id == "mid.ru:4450563:en"
