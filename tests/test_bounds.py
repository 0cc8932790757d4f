"""Every number a user can send is bounded in one place, so the CLI, the API and the pages refuse the same
values with the same clear message instead of asking the index for terabytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import stenogram
from stenogram import limits
from stenogram.analyze.keyness import keyness
from stenogram.analyze.kwic import kwic
from stenogram.analyze.trend import trend
from stenogram.errors import QueryError
from stenogram.web.app import create_app

HUGE = (99_999_999_999, 2**63, 2**64 + 1)


@pytest.fixture(scope="module")
def client(corpus: stenogram.Corpus) -> TestClient:
    return TestClient(create_app(corpus.path))


@pytest.mark.parametrize("offset", [-1, *HUGE])
def test_search_refuses_an_offset_out_of_range(corpus: stenogram.Corpus, offset: int) -> None:
    with pytest.raises(QueryError, match=r"offset .* out of range: results to skip must be from 0 to 100,000"):
        corpus.search("security", offset=offset)
    with pytest.raises(QueryError, match="offset"):
        corpus.search("", offset=offset, documents=True)


@pytest.mark.parametrize("limit", [0, -5, limits.LIMIT.high + 1, 2**63])
def test_search_refuses_a_limit_out_of_range(corpus: stenogram.Corpus, limit: int) -> None:
    with pytest.raises(QueryError, match=r"limit .* out of range: results a page must be from 1 to 1,000"):
        corpus.search("security", limit=limit)


def test_search_answers_at_the_edges(corpus: stenogram.Corpus) -> None:
    """The largest offset and page are allowed and answer (an empty page past the end, the total still counted)."""
    first = corpus.search("the", limit=limits.LIMIT.high)
    assert 0 < len(first.hits) <= limits.LIMIT.high and first.total >= len(first.hits)
    deep = corpus.search("the", offset=limits.OFFSET.high)
    assert deep.hits == [] and deep.total == first.total and deep.offset == limits.OFFSET.high
    docs = corpus.search("the", documents=True, offset=limits.OFFSET.high)
    assert docs.hits == [] and docs.total > 0


def test_a_flag_or_a_float_is_not_a_number_of_results(corpus: stenogram.Corpus) -> None:
    with pytest.raises(QueryError, match="whole number"):
        corpus.search("security", offset=True)
    with pytest.raises(QueryError, match="whole number"):
        corpus.search("security", limit=2.5)  # type: ignore[arg-type]


def test_analyses_bound_their_numbers(corpus: stenogram.Corpus) -> None:
    store = corpus.store
    with pytest.raises(QueryError, match="width 100,000 is out of range"):
        kwic(store, "Iraq", width=100_000)
    with pytest.raises(QueryError, match="limit 0 is out of range"):
        kwic(store, "Iraq", limit=0)
    with pytest.raises(QueryError, match="limit 99,999,999,999 is out of range"):
        keyness(store, "Iraq", "Syria", limit=99_999_999_999)
    with pytest.raises(QueryError, match="min_count 0 is out of range"):
        keyness(store, "Iraq", "Syria", min_count=0)
    with pytest.raises(QueryError, match="top_groups 0 is out of range"):
        trend(store, ["Iraq"], split="speaker", top_groups=0)
    with pytest.raises(QueryError, match="limit 20,000 is out of range: pairs"):
        corpus.comentions(limit=20_000)
    with pytest.raises(QueryError, match="limit 0 is out of range"):
        corpus.comentions(limit=0)
    with pytest.raises(QueryError, match="limit 0 is out of range"):
        corpus.speakers(limit=0)
    # in range, they answer
    assert len(kwic(store, "Iraq", width=limits.KWIC_WIDTH.high, limit=3)) == 3
    assert len(corpus.comentions(limit=2)) == 2 and len(corpus.speakers(limit=1)) == 1


@pytest.mark.parametrize("offset", ["99999999999", str(2**63), str(2**64), "-1"])
def test_the_search_page_answers_400_for_a_huge_offset(client: TestClient, offset: str) -> None:
    page = client.get("/", params={"q": "security", "offset": offset})
    if offset == "-1":   # the page reads a negative offset as the first page, as it always did
        assert page.status_code == 200
        return
    assert page.status_code == 400
    assert "out of range" in page.text and "results to skip" in page.text
    api = client.get("/api/search", params={"q": "security", "offset": offset})
    assert api.status_code == 400
    assert api.json()["ok"] is False and "offset" in api.json()["error"]["message"]


def test_the_api_declares_the_shared_bound(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["offset"]["schema"]["maximum"] == limits.OFFSET.high
    ok = client.get("/api/search", params={"q": "security", "offset": limits.OFFSET.high})
    assert ok.status_code == 200 and ok.json()["hits"] == []


@pytest.mark.parametrize("offset", ["99999999999", str(2**63)])
def test_the_cli_refuses_a_huge_offset_with_one_line(corpus: stenogram.Corpus, offset: str, tmp_path: Path) -> None:
    """Before the bound, this aborted the process (status 134) while allocating offset + limit hits."""
    run = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "security", "--db", corpus.path,
                          "--offset", offset], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "out of range" in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
