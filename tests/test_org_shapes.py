"""Organisations beyond the gazetteer: names by shape, acronyms a page spells out, named media outlets,
and a country's name inside a body's name (never a mention of the country)."""

from __future__ import annotations

import pytest

from stenogram.api import process
from stenogram.enrich.organizations import find_acronyms, find_shaped


def orgs(text: str) -> list[tuple[str, str | None]]:
    doc = process(text.encode(), name="x.txt")
    return [(m.text, m.id) for m in doc.mentions if m.type == "organization"]


def countries(text: str) -> list[str | None]:
    doc = process(text.encode(), name="x.txt")
    return [m.id for m in doc.mentions if m.type == "country"]


@pytest.mark.parametrize("sentence, name", [
    ("Ministers will meet in the Kandor-Vellmar Joint Commission next week.", "Kandor-Vellmar Joint Commission"),
    ("The money goes through the Northern Lakes Development Fund this year.", "Northern Lakes Development Fund"),
    ("She spoke to the Arctic Shipping Bureau yesterday.", "Arctic Shipping Bureau"),
    ("The Baltic Grain Agency has not answered.", "Baltic Grain Agency"),
    ("We support the European Coastal Facility and its work.", "European Coastal Facility"),
    ("He wrote to the Regional Water Organisation in May.", "Regional Water Organisation"),
])
def test_a_name_once_after_the_article_is_a_body(sentence: str, name: str) -> None:
    assert (name, name) in orgs(f"Question: Any news?\n\nJohn Smith: {sentence}\n")


@pytest.mark.parametrize("sentence", [
    "The Council said nothing more.",                         # one word after the article
    "Council members agreed on the text.",                    # sentence-initial, no article
    "Yesterday Fisheries Council members met.",               # a capitalised phrase, no article
    "We expect the next Council to decide.",                  # a description, not a name
    "Shipping Bureau staff were on strike, I am told.",       # opening a sentence
])
def test_what_is_no_body(sentence: str) -> None:
    assert orgs(f"Question: Any news?\n\nJohn Smith: {sentence}\n") == []


def test_a_place_is_no_body_whatever_its_shape() -> None:
    doc = process(b"Question: Any news?\n\nJohn Smith: Settlements in the West Bank are growing.\n", name="x.txt")
    assert [(m.type, m.id) for m in doc.mentions] == [("region", "region:west-bank")]


def test_a_name_that_goes_on_after_its_head_is_not_cut() -> None:
    """Only the beginning of ``the Intergovernmental ... Commission on Trade and Cooperation`` has the
    shape; a cut name is worse than none."""
    found = find_shaped(["the work of the Joint Kandor Commission on Trade, Economic and Technical Cooperation"])
    assert found == {}


def test_twice_or_after_a_city_as_before() -> None:
    assert find_shaped(["Rivers Export Council met.", "Rivers Export Council met again."]) == {"Rivers Export Council": 2}
    assert find_shaped(["the Baghdad Information Centre"]) == {"Baghdad Information Centre": 1}


def test_the_whole_name_wins_over_its_tail() -> None:
    found = find_shaped(["Peace Facility money. More Peace Facility money.", "We fund the European Peace Facility."])
    assert list(found) == ["European Peace Facility"]


def test_acronym_with_its_expansion_on_the_page() -> None:
    texts = ["Aid goes through the Northern Relief Facility (NRF).", "The NRF pays."]
    assert find_acronyms(texts) == {"Northern Relief Facility": "Northern Relief Facility", "NRF": "Northern Relief Facility"}
    # a role spelled out is no body
    assert find_acronyms(["The Chief Press Officer Spokesman (CPOS) said so."]) == {}


@pytest.mark.parametrize("text, outlet", [
    ("Sir, Sidhant from WION.", "WION"),
    ("I saw it on NHK this morning.", "NHK"),
    ("According to Kyodo News, the talks start today.", "Kyodo News"),
    ("Le Monde reported it first.", "Le Monde"),
    ("Agence France-Presse, second row.", "AFP"),
])
def test_named_media_outlets(text: str, outlet: str) -> None:
    assert outlet in {ident for _, ident in orgs(f"Question: Well?\n\nJohn Smith: {text}\n")}


def test_a_country_inside_a_body_is_no_country() -> None:
    text = "Question: Well?\n\nJohn Smith: Agence France-Presse asked. France did not answer. Ask the India-Nepal Joint Commission.\n"
    assert countries(text) == ["FR"]      # "France" alone; not inside "Agence France-Presse", "India-Nepal ..."
    assert ("India-Nepal Joint Commission", "India-Nepal Joint Commission") in orgs(text)
