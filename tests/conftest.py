from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
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


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright (never a downloaded browser). Under CI a missing
    Chromium fails the tests that need it: a green run always includes them."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    """A real server on 127.0.0.1 over the module's corpus (its ``db`` fixture), for the module's tests."""
    from stenogram.web import create_app
    from tests.test_web_safety import serving

    with serving(create_app(db)) as url:
        yield url


@pytest.fixture(scope="module")
def http(server: str) -> Iterator[httpx.Client]:
    """A client of that server."""
    with httpx.Client(base_url=server, timeout=30) as client:
        yield client
