"""The API reference: every route of the OpenAPI document has a description, a description for every
parameter, an example request and an example answer; every field of a real answer to the example request
is described; and docs/api.md names every route, so that a route added without its reference fails here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.web import create_app
from stenogram.web.reference import BASE, DOC

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    path = tmp_path_factory.mktemp("reference") / "examples.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
    with TestClient(create_app(path)) as c:
        yield c


@pytest.fixture(scope="module")
def spec(client: Any) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def routes(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def answer_of(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    return dict(op["responses"]["200"]["content"]["application/json"])


def fields_of(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    schema = answer_of(spec, op).get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return dict(schema.get("properties", {}))


def test_every_route_parameter_and_answer_is_described_with_an_example(spec: dict[str, Any]) -> None:
    assert len(list(routes(spec))) >= 14
    for path, method, op in routes(spec):
        where = f"{method.upper()} {path}"
        assert len(op.get("description", "")) > 20, f"{where} has no description"
        for param in op.get("parameters", []):
            assert len(param.get("description", "")) > 10, f"{where}: parameter {param['name']} has no description"
            assert "web.answers" not in param["description"] and "``" not in param["description"], param
        samples = op.get("x-codeSamples", [])
        assert samples and samples[0]["source"].startswith(f"curl '{BASE}{path.split('{')[0]}"), f"{where}: no example request"
        example = answer_of(spec, op).get("example")
        assert isinstance(example, dict) and example.get("ok") is True, f"{where}: no example answer"
        fields = fields_of(spec, op)
        undescribed = [name for name in fields if not fields[name].get("description")]
        assert not undescribed, f"{where}: answer fields without a description: {undescribed}"
        assert set(example) <= set(fields), f"{where}: the example has fields the reference does not describe"


def test_the_filters_descriptions_come_from_the_one_vocabulary(spec: dict[str, Any]) -> None:
    search = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    for f in stenogram.api.FILTER_FIELDS:
        assert f.name in search, f.name
        assert search[f.name]["description"].startswith(f.help), f.name
    assert search["speaker"]["example"] == "Lavrov" and search["kind"]["example"] == "answer"


def test_every_field_of_a_real_answer_to_each_example_request_is_described(spec: dict[str, Any], client: Any) -> None:
    found = client.get("/api/search", params={"q": "Hussein", "lang": "en", "documents": "true"}).json()
    doc = found["hits"][0]["document_id"]
    for path, _, op in routes(spec):
        request = op["x-codeSamples"][0]["source"].removeprefix(f"curl '{BASE}").removesuffix("'").replace(DOC, doc)
        response = client.get(request)
        assert response.status_code == 200, (request, response.text)
        real = response.json()
        fields = fields_of(spec, op)
        assert set(real) <= set(fields), f"{path}: fields of the answer not in the reference: {set(real) - set(fields)}"
        example = answer_of(spec, op)["example"]
        for name, value in example.items():   # the example is the real answer abbreviated: the same shapes
            assert type(value) is type(real[name]) or value is None or real[name] is None, (path, name)


def test_the_docs_page_shows_descriptions_and_examples(client: Any) -> None:
    page = client.get("/docs").text
    assert "Speaker: full name, a label it was printed under, or a surname." in page
    assert "curl &#39;http://127.0.0.1:8000/api/search?q=Iraq" in page
    assert "next_offset" in page and "The offset of the next page" in page


def test_docs_api_md_names_every_route_with_an_example(spec: dict[str, Any]) -> None:
    text = (ROOT / "docs" / "api.md").read_text("utf-8")
    headings = re.findall(r"^### `GET (\S+)`", text, flags=re.MULTILINE)
    missing = [path for path, _, _ in routes(spec) if path not in headings]
    assert not missing, f"docs/api.md does not describe: {missing}"
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    for section in sections:
        assert "curl " in section and "```json" in section, section.splitlines()[0]
    assert "docs/api.md" in (ROOT / "README.md").read_text("utf-8")
