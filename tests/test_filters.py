"""One filter vocabulary: every face and both indexes take their filters from stenogram.search.filters, so a
filter added there is a query field, a CLI option, an API parameter and a form field at once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

import stenogram
from stenogram.errors import QueryError, QuerySyntaxError
from stenogram.search.compile import FILTER_SQL
from stenogram.search.filters import FIELDS, NAMES
from stenogram.search.query import parse_query
from stenogram.search.turn_index.beside import beside
from stenogram.store.sqlite import Store
from stenogram.web.app import create_app
from stenogram.web.pages import FILTERS as FORM_FIELDS


@contextmanager
def store_only(store: Store) -> Iterator[None]:
    """Searches answer from the corpus file's own index while inside."""
    real = beside(store).in_step
    beside(store).in_step = lambda: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        beside(store).in_step = real  # type: ignore[method-assign]


def test_every_filter_is_a_query_field_with_sql_and_an_example() -> None:
    # dates are compared with the documents' days, edits with the day a changed version was seen, and speakers with
    # the corpus's distinct speakers and labels
    assert set(FILTER_SQL) == set(NAMES) - {"date", "edited", "speaker"}
    for f in FIELDS:
        node = parse_query(f.example)
        assert node is not None and getattr(node, "field", None) == f.name, f.example


# the examples hold no edited document: the edited filter is checked alike on a corpus with edits (test_edits.py)
@pytest.mark.parametrize("field", [f for f in FIELDS if f.name != "edited"], ids=[n for n in NAMES if n != "edited"])
def test_each_filter_narrows_alike_in_both_indexes(corpus: stenogram.Corpus, field: object) -> None:
    from stenogram.search.filters import FilterField

    assert isinstance(field, FilterField)
    everything = corpus.search("").total
    indexed = corpus.search(field.example, limit=1000)
    with store_only(corpus.store):
        stored = corpus.search(field.example, limit=1000)
    assert indexed.engine == "index" and stored.engine == "store"
    assert indexed.total == stored.total and 0 < indexed.total < everything, field.example
    assert sorted(h.turn_id for h in indexed.hits) == sorted(h.turn_id for h in stored.hits)
    # given as an option (CLI, API, Python keyword) it means what it means in the query
    option = corpus.search("", limit=1000, **{field.name: field.example.split(":", 1)[1].strip('"')})
    assert sorted(h.turn_id for h in option.hits) == sorted(h.turn_id for h in indexed.hits)


def test_a_bad_value_says_what_is_wrong_and_where_it_was_typed(corpus: stenogram.Corpus) -> None:
    with pytest.raises(QuerySyntaxError, match=r"kind:nonsense is not a turn kind.* at column 6"):
        corpus.search("Iraq kind:nonsense")
    # as an option there is no column to point at: the message names the keyword and the value instead
    with pytest.raises(QueryError, match=r"^kind='nonsense' is not a turn kind; kinds are: statement") as caught:
        corpus.search("Iraq", kind="nonsense")
    assert not isinstance(caught.value, QuerySyntaxError) and "column" not in str(caught.value)
    with pytest.raises(QueryError, match="unknown filter 'speeker'"):
        corpus.search("Iraq", speeker="x")


def test_the_cli_offers_an_option_per_filter_with_its_help() -> None:
    shown = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "--help"], capture_output=True,
                           text=True, timeout=60, env={**os.environ, "COLUMNS": "300"})
    assert shown.returncode == 0, shown.stderr
    for f in FIELDS:
        line = next((ln for ln in shown.stdout.splitlines() if re.search(rf"--{f.name.replace('_', '-')}\b", ln)), "")
        assert f.help.split(":")[0] in line, (f.name, line)


def test_the_api_takes_a_parameter_per_filter_described_by_the_vocabulary(corpus: stenogram.Corpus) -> None:
    client = TestClient(create_app(corpus.path))
    params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]}
    for f in FIELDS:
        assert params[f.name]["description"].startswith(f.help), f.name
    answer = client.get("/api/search", params={"kind": "answer", "speaker": "Lavrov", "limit": 100}).json()
    assert answer["total"] == corpus.search("kind:answer speaker:Lavrov").total > 0


def test_the_search_form_has_a_field_per_filter(corpus: stenogram.Corpus) -> None:
    page = TestClient(create_app(corpus.path)).get("/").text
    for name in FORM_FIELDS:
        assert f'name="{name}"' in page, name
    assert {n.removesuffix("_from").removesuffix("_to") for n in FORM_FIELDS} == set(NAMES)
