"""A speaker filter finds a person in every language: any printed form of a name the registry of officials
knows, or its id, stands for every form of that name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stenogram
from stenogram.search.people import every_name, official

OFFICIALS = json.loads((Path(stenogram.__file__).parent / "data" / "officials.json").read_text("utf-8"))["people"]


def names_of(person_id: str) -> set[str]:
    """Every form of the person's name, read from the shipped registry file (not through the code under test)."""
    person = next(p for p in OFFICIALS if p["id"] == person_id)
    return {form for forms in person["names"].values() for form in forms}


@pytest.mark.parametrize("written", ["Lavrov", "Лавров", "Lawrow", "Sergey Lavrov", "Сергей Лавров", "Serguéi Lavrov",
                                     "sergey-lavrov", "С.В.Лавров"])
def test_any_form_of_a_known_name_finds_the_person_in_every_language(corpus: stenogram.Corpus, written: str) -> None:
    names = names_of("sergey-lavrov")
    placeholders = ",".join("?" * len(names))
    want = {r[0] for r in corpus.store.query(f"SELECT id FROM turns WHERE speaker IN ({placeholders})", sorted(names))}
    languages = {r[0] for r in corpus.store.query(
        f"SELECT DISTINCT d.language FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.speaker IN ({placeholders})",
        sorted(names))}
    assert len(languages) >= 3 and len(want) > 20
    found = corpus.search(f'speaker:"{written}"', limit=1000)
    assert {h.turn_id for h in found.hits} == want and found.total == len(want)
    assert {h.turn_id for h in corpus.search("", speaker=written, limit=1000).hits} == want


def test_the_same_in_both_indexes(corpus: stenogram.Corpus) -> None:
    real = corpus.store
    from stenogram.search.turn_index.beside import beside

    index = beside(real)
    in_step = index.in_step
    indexed = corpus.search("speaker:Лавров Iraq", limit=1000)
    index.in_step = lambda: None  # type: ignore[method-assign]
    try:
        stored = corpus.search("speaker:Лавров Iraq", limit=1000)
    finally:
        index.in_step = in_step  # type: ignore[method-assign]
    assert indexed.engine == "index" and stored.engine == "store"
    assert sorted(h.turn_id for h in indexed.hits) == sorted(h.turn_id for h in stored.hits) and indexed.total > 0


def test_a_name_outside_the_registry_is_matched_as_printed(corpus: stenogram.Corpus) -> None:
    assert official("Nobody Atall") is None and every_name("Nobody Atall") == ("Nobody Atall",)
    assert corpus.search('speaker:"Nobody Atall"').total == 0
    # and the widening keeps the query's shape: a NOT of a person leaves out their turns in every language
    everyone = corpus.search("", limit=1).total
    lavrov = corpus.search("speaker:Lavrov", limit=1).total
    assert corpus.search("NOT speaker:Lawrow", limit=1).total == everyone - lavrov


def test_a_profile_covers_every_language(corpus: stenogram.Corpus) -> None:
    prof = corpus.profile("Лавров")
    assert set(prof.names) <= names_of("sergey-lavrov") and len(prof.names) >= 3
    assert prof.turns == corpus.search("speaker:Lavrov").total


def test_a_surname_alone_is_the_documents_own_person_before_the_registrys() -> None:
    """The registry knows Gordon Brown; a document that names Denise Brown means her by "Ms. Brown"."""
    from stenogram.parse.names import Resolver

    resolver = Resolver("en", "2023-05-02")
    resolver.add("Denise Brown", "Resident Coordinator")
    assert resolver.resolve("Ms. Brown") == "Denise Brown"
    assert resolver.resolve("Brown") == "Denise Brown"
    alone = Resolver("en", "2009-05-02")                 # no Brown in the document: the registry's
    assert alone.resolve("Brown") == "Gordon Brown"
