"""A plain word that names a country finds only the turns written in its language; the search offers the
country search, which finds its mentions in every language: a hint in the CLI, a link on the page, and
``suggestions`` in the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from lxml import html

import stenogram
from stenogram.web.app import create_app


def country_turns(corpus: stenogram.Corpus, code: str) -> tuple[int, int]:
    """Turns mentioning the country and their languages, counted here from the mentions table."""
    turns, languages = corpus.store.query(
        "SELECT count(DISTINCT m.turn_id), count(DISTINCT d.language) FROM mentions m JOIN turns t ON t.id = m.turn_id "
        "JOIN documents d ON d.id = t.document_id WHERE m.type = 'country' AND m.entity_id = ?", (code,))[0]
    return int(turns), int(languages)


@pytest.mark.parametrize("written", ["Syria", "Syrien", "Сирия", "syria"])
def test_a_country_name_suggests_the_country_search(corpus: stenogram.Corpus, written: str) -> None:
    turns, languages = country_turns(corpus, "SY")
    assert turns > corpus.search(written).total and languages >= 2    # the word alone misses some of them
    [hint] = corpus.suggestions(f"{written} cooperation")
    assert (hint.field, hint.value, hint.query, hint.turns, hint.languages) == ("country", "SY", "country:SY", turns, languages)
    assert hint.message().startswith(f"{written} is also a country")
    assert corpus.search("country:SY").total == turns


@pytest.mark.parametrize("query", ["cooperation", "NOT Syria", "Syria country:SY", "Syr*", '"open'])
def test_no_suggestion_where_none_is_meant(corpus: stenogram.Corpus, query: str) -> None:
    assert corpus.suggestions(query) == []


def test_the_faces_offer_it(corpus: stenogram.Corpus) -> None:
    turns, languages = country_turns(corpus, "SY")
    shown = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "Syrien", "--db", corpus.path],
                           capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "300"})
    assert shown.returncode == 0, shown.stderr
    assert f"hint: Syrien is also a country (Syria): 'country:SY' finds {turns:,} turns in {languages} languages" in shown.stderr
    as_json = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "search", "Syrien", "--format", "json",
                              "--db", corpus.path], capture_output=True, text=True, timeout=120)
    assert json.loads(as_json.stdout)["suggestions"][0]["query"] == "country:SY"
    client = TestClient(create_app(corpus.path))
    api = client.get("/api/search", params={"q": "Сирия"}).json()
    assert api["suggestions"] == [{"text": "Сирия", "field": "country", "value": "SY", "name": "Syria",
                                   "query": "country:SY", "turns": turns, "languages": languages,
                                      "instead": False}]
    page = html.fromstring(client.get("/", params={"q": "Syrien Kurdistan", "speaker": "Lavrov"}).text)
    [link] = page.xpath("//p[@class='suggestion']/a")
    target = parse_qs(urlsplit(link.get("href")).query)
    assert target["q"] == ["country:SY Kurdistan"] and target["speaker"] == ["Lavrov"]
    facets = html.fromstring(client.get("/", params={"q": "country:IQ"}).text).xpath("//a[@data-facet='country']")
    assert "Iraq" in [a.text_content() for a in facets]       # the name shown, the code in the tooltip
    assert "country code: IQ" in [a.xpath("string(.//span/@title)") for a in facets]
