"""Regions that are no country (Crimea, Donbass, Hong Kong, Kosovo as a province, Gaza ...): mentions of type
``region`` with ids ``region:<name>``, in the five languages, never counted as a country; stored, searched,
faceted and exported like any other mention."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import stenogram
from stenogram.enrich import enrich, entities


def _found(text: str) -> list[tuple[str, str, str | None]]:
    doc = enrich(stenogram.parse_text(text))
    return [(m.type, m.text, m.id) for m in doc.mentions if m.type in ("country", "region")]


@pytest.mark.parametrize(("text", "want"), [
    ("Question: And Crimea?\n\nSergey Lavrov: Crimea voted. Hong Kong and Macao are China's business; so is "
     "the Gaza Strip for the UN, and the West Bank.\n",
     [("region", "Crimea", "region:crimea"), ("region", "Crimea", "region:crimea"),
      ("region", "Hong Kong", "region:hong-kong"), ("region", "Macao", "region:macau"), ("country", "China", "CN"),
      ("region", "Gaza Strip", "region:gaza"), ("region", "West Bank", "region:west-bank")]),
    ("Вопрос: Что в Крыму?\n\nСергей Лавров: В Крыму и в Донбассе спокойно. Абхазия, Южной Осетии, Приднестровье, "
     "Нагорный Карабах. Россия.\n",
     [("region", "Крыму", "region:crimea"), ("region", "Крыму", "region:crimea"),
      ("region", "Донбассе", "region:donbas"), ("region", "Абхазия", "region:abkhazia"),
      ("region", "Южной Осетии", "region:south-ossetia"), ("region", "Приднестровье", "region:transnistria"),
      ("region", "Нагорный Карабах", "region:nagorno-karabakh"), ("country", "Россия", "RU")]),
    ("Frage: Und die Krim?\n\nSergej Lawrow: Die Krim, der Donbass und Bergkarabach. Und Russland.\n",
     [("region", "Krim", "region:crimea"), ("region", "Krim", "region:crimea"), ("region", "Donbass", "region:donbas"),
      ("region", "Bergkarabach", "region:nagorno-karabakh"), ("country", "Russland", "RU")]),
    ("Pregunta.- ¿Y Crimea?\n\nSerguéi Lavrov.- Crimea, Abjasia y Osetia del Sur. Y Kosovo y Metohija, que es Serbia.\n",
     [("region", "Crimea", "region:crimea"), ("region", "Crimea", "region:crimea"),
      ("region", "Abjasia", "region:abkhazia"), ("region", "Osetia del Sur", "region:south-ossetia"),
      ("region", "Kosovo y Metohija", "region:kosovo"), ("country", "Serbia", "RS")]),
    ("Q - Et la Crimée ?\n\nR - La Crimée, la Transnistrie et la bande de Gaza. La France aussi.\n",
     [("region", "Crimée", "region:crimea"), ("region", "Crimée", "region:crimea"),
      ("region", "Transnistrie", "region:transnistria"), ("region", "bande de Gaza", "region:gaza"),
      ("country", "France", "FR")]),
])
def test_regions_in_five_languages(text: str, want: list[tuple[str, str, str | None]]) -> None:
    assert _found(text) == want


def test_a_region_is_never_its_country() -> None:
    """``Kosovo and Metohija`` is a province (no XK); plain ``Kosovo`` is still the country the page names."""
    doc = enrich(stenogram.parse_text(
        "Question: Kosovo?\n\nSergey Lavrov: Kosovo and Metohija is an autonomous province of Serbia; the Crimean "
        "Peninsula is Russian.\n"))
    ents = entities(doc)
    assert ents["region"] == {"region:kosovo", "region:crimea"}
    assert ents["country"] == {"XK", "RS", "RU"}   # "Kosovo?" in the question, "Serbia", "Russian"
    asked = [m for m in doc.mentions if m.turn == 0 and m.type == "country"]
    assert [m.text for m in asked] == ["Kosovo"]
    assert not any(m.type == "country" and m.turn == 1 and m.text.startswith("Kosovo") for m in doc.mentions)


def test_region_mentions_are_valid_and_round_trip(schema: dict[str, Any]) -> None:
    doc = enrich(stenogram.parse_text("Question: Donbass?\n\nSergey Lavrov: Donbass and Crimea.\n"))
    data = doc.to_json()
    assert {m["type"] for m in data["mentions"]} == {"region"}
    jsonschema.validate(data, schema)
    assert stenogram.Document.from_json(data) == doc


def test_stored_searched_faceted_and_exported(tmp_path: Path) -> None:
    """A corpus with region mentions: search and its country facet and filter work (regions are not countries),
    and the exports carry the region mentions."""
    page = tmp_path / "crimea.txt"
    page.write_text("Press conference on Crimea, Moscow, 12 March 2021\n\nQuestion: What about Crimea and "
                    "Ukraine?\n\nSergey Lavrov: Crimea is where it belongs. Ukraine knows it.\n", "utf-8")
    with stenogram.open(tmp_path / "c.db") as corpus:
        assert corpus.ingest([str(page)]).ok
        found = corpus.search("Crimea", facets=True)
        assert found.total == 2
        assert dict(found.facets["country"]) == {"UA": 2}
        assert corpus.search("Crimea", country="UA").total == 2
        assert corpus.countries() == [("UA", 2)]
        corpus.export("jsonl", tmp_path / "out.jsonl")
        corpus.export("parquet", tmp_path / "pq")
    exported = json.loads((tmp_path / "out.jsonl").read_text("utf-8").splitlines()[0])
    assert sorted({(m["type"], m["id"]) for m in exported["mentions"]}) == [("country", "UA"),
                                                                            ("region", "region:crimea")]
    import pyarrow.dataset as ds

    table = ds.dataset(tmp_path / "pq" / "mentions", partitioning="hive").to_table()
    assert "region" in set(table.column("type").to_pylist())
