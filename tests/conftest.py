from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import stenogram
from tests.golden import FIXTURES, fixture_names

HERE = Path(__file__).parent
SCHEMA_PATH = HERE / "fixtures" / "contract" / "document.schema.json"


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stenogram.Corpus]:
    """Every fixture document ingested into a fresh corpus file (one per test module)."""
    path = tmp_path_factory.mktemp("corpus") / "fixtures.db"
    with stenogram.open(path) as c:
        report = c.ingest([str(FIXTURES)])
        assert report.ok and len(report.added) == len(fixture_names())
        yield c
