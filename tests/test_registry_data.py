"""The shipped registry of officials (``stenogram/data/officials.json``): every entry has the shape the parser
reads, office dates that make sense, no printed name that stands for two people in office at the same time,
the offices the registry promises to cover are covered, and real lookups find the right person and office."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.parse.names import Resolver, fold, registry

PEOPLE: list[dict[str, Any]] = json.loads(
    (Path(stenogram.__file__).parent / "data" / "officials.json").read_text("utf-8"))["people"]
LANGUAGES = ("en", "ru", "de", "es", "fr")
ENTRY_KEYS = {"id", "names", "surname_first", "offices", "source"}
OFFICE_KEYS = {"role", "country", "start", "end", "start_precision", "end_precision"}
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTRY = re.compile(r"[A-Z]{2}")
STILL_IN_OFFICE = "9999-12-31"


def by_id(ident: str) -> dict[str, Any]:
    return next(p for p in PEOPLE if p["id"] == ident)


def forms(person: dict[str, Any]) -> list[str]:
    return [form for printed in person["names"].values() for form in printed]


def iso_day(text: str) -> date:
    """A full ISO date (YYYY-MM-DD) or a failed test."""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    return date.fromisoformat(text)


def span(office: dict[str, Any]) -> tuple[str, str]:
    return office["start"], office["end"] or STILL_IN_OFFICE


def overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def test_the_file_is_not_trivially_small() -> None:
    assert len(PEOPLE) >= 250 and sum(len(p["offices"]) for p in PEOPLE) >= 300


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p["id"])
def test_every_entry_has_the_fields_and_the_five_languages(person: dict[str, Any]) -> None:
    assert {"id", "names", "offices", "source"} <= set(person) <= ENTRY_KEYS
    assert isinstance(person["source"], str) and person["source"].strip()
    assert isinstance(person.get("surname_first", False), bool)
    assert set(person["names"]) == set(LANGUAGES)
    for language, printed in person["names"].items():
        assert printed and all(isinstance(f, str) and f == f.strip() and f for f in printed), (language, printed)
        assert len(printed) == len(set(printed)), (language, printed)
        for form in printed:
            # Russian forms are Cyrillic, the others Latin: a form in the wrong script is a copy-paste slip
            assert bool(CYRILLIC.search(form)) == (language == "ru"), (language, form)
    assert person["offices"], person["id"]


def test_ids_are_unique_lowercase_ascii_slugs() -> None:
    ids = [p["id"] for p in PEOPLE]
    assert len(ids) == len(set(ids))
    assert all(SLUG.fullmatch(i) for i in ids), [i for i in ids if not SLUG.fullmatch(i)]


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p["id"])
def test_one_word_forms_only_for_people_known_by_one_name(person: dict[str, Any]) -> None:
    """A one-word form would match that word anywhere; only a person who has no longer name may have one."""
    lengths = {len(f.split()) for f in forms(person)}
    assert min(lengths) >= 2 or lengths == {1}, person["id"]


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p["id"])
def test_offices_have_valid_ordered_dates(person: dict[str, Any]) -> None:
    offices = person["offices"]
    assert [o["start"] for o in offices] == sorted(o["start"] for o in offices), "offices are listed by start"
    for office in offices:
        assert {"role", "country", "start", "end"} <= set(office) <= OFFICE_KEYS, office
        assert isinstance(office["role"], str) and office["role"].strip()
        assert office["country"] is None or COUNTRY.fullmatch(office["country"]), office
        start = iso_day(office["start"])
        end = iso_day(office["end"]) if office["end"] is not None else None
        assert end is None or start <= end, office
        assert date(1950, 1, 1) <= start <= date(2026, 12, 31), office
        precision = office.get("start_precision")
        assert precision in (None, "year", "month"), office
        if precision == "year":
            assert (start.month, start.day) == (1, 1), office
        if precision == "month":
            assert start.day == 1, office
        precision = office.get("end_precision")
        assert precision in (None, "year", "month"), office
        if precision is not None:
            assert end is not None, office
            assert end.day == calendar.monthrange(end.year, end.month)[1], office
            assert precision == "month" or end.month == 12, office


def test_the_overlap_check_itself_tells_apart_overlapping_and_disjoint_terms() -> None:
    assert overlap(("2001-01-01", "2005-01-01"), ("2004-06-01", STILL_IN_OFFICE))
    assert not overlap(("2001-01-01", "2004-05-31"), ("2004-06-01", "2010-01-01"))


def test_no_printed_name_stands_for_two_people_in_office_at_the_same_time() -> None:
    owners: dict[str, set[str]] = {}
    for person in PEOPLE:
        for form in forms(person):
            owners.setdefault(fold(form), set()).add(person["id"])
    assert len(owners) > 500
    clashes = []
    for key, ids in owners.items():
        for a, b in combinations(sorted(ids), 2):
            if any(overlap(span(x), span(y)) for x in by_id(a)["offices"] for y in by_id(b)["offices"]):
                clashes.append((key, a, b))
    assert clashes == []


# Offices the registry is meant to cover without a gap, checked on 15 November of every year from the given one
# to 2025: (country, roles, first year, years with no holder). Between Morgan Ortagus (until June 2020) and
# Ned Price (January 2021) the State Department had no Department Spokesperson.
COVERED: list[tuple[str | None, tuple[str, ...], int, frozenset[int]]] = [
    ("RU", ("President",), 2000, frozenset()),
    ("RU", ("Prime Minister",), 2000, frozenset()),
    ("RU", ("Foreign Minister",), 2000, frozenset()),
    ("RU", ("Foreign Ministry Spokesman", "Foreign Ministry Spokesperson"), 2000, frozenset()),
    ("RU", ("Presidential Press Secretary",), 2000, frozenset()),
    ("CN", ("President",), 2000, frozenset()),
    ("CN", ("Premier",), 2000, frozenset()),
    ("CN", ("Foreign Minister",), 2000, frozenset()),
    ("CN", ("Foreign Ministry Spokesperson",), 2000, frozenset()),
    ("US", ("President",), 2000, frozenset()),
    ("US", ("Secretary of State",), 2000, frozenset()),
    ("US", ("Department Spokesperson",), 2000, frozenset({2020})),
    (None, ("Secretary-General",), 2000, frozenset()),
    (None, ("Spokesman for the Secretary-General", "Spokesperson for the Secretary-General"), 2000, frozenset()),
    ("GB", ("Queen", "King"), 2000, frozenset()),
    ("GB", ("Prime Minister",), 2000, frozenset()),
    ("GB", ("Foreign Secretary",), 2000, frozenset()),
    ("FR", ("President",), 2000, frozenset()),
    ("FR", ("Prime Minister",), 2000, frozenset()),
    ("FR", ("Foreign Minister",), 2000, frozenset()),
    (None, ("High Representative for the Common Foreign and Security Policy",
            "High Representative for Foreign Affairs and Security Policy"), 2000, frozenset()),
    ("IN", ("External Affairs Minister",), 2000, frozenset()),
    *[(c, ("Foreign Minister",), since, frozenset()) for c, since in (
        ("AR", 2000), ("AU", 2000), ("BR", 2000), ("CA", 2004), ("DE", 2000), ("ID", 2000), ("IT", 2000),
        ("JP", 2000), ("MX", 2001), ("SA", 2000), ("ZA", 2000), ("KR", 2007), ("TR", 2000))],
]


@pytest.mark.parametrize("country, roles, since, gaps", COVERED, ids=lambda v: str(v))
def test_covered_offices_have_a_holder_every_year(country: str | None, roles: tuple[str, ...], since: int,
                                                  gaps: frozenset[int]) -> None:
    missing = []
    for year in range(since, 2026):
        day = f"{year}-11-15"
        holders = [p["id"] for p in PEOPLE for o in p["offices"]
                   if o["country"] == country and o["role"] in roles and o["start"] <= day <= span(o)[1]]
        if not holders and year not in gaps:
            missing.append(year)
        assert not (holders and year in gaps), (year, holders)
    assert missing == []


def test_the_registry_reads_every_entry() -> None:
    loaded = registry().officials
    assert set(loaded) == {p["id"] for p in PEOPLE}
    for person in PEOPLE:
        official = loaded[person["id"]]
        assert official.surname_first == person.get("surname_first", False)
        assert len(official.offices) == len(person["offices"])
        for language in LANGUAGES:
            assert official.canonical(language) == person["names"][language][0]


@pytest.mark.parametrize("printed, ident", [
    ("Sergej Lawrow", "sergey-lavrov"),
    ("Сергей Викторович Лавров", "sergey-lavrov"),
    ("С.В.Лавров", "sergey-lavrov"),
    ("Лаврова", "sergey-lavrov"),
    ("Serguéi Lavrov", "sergey-lavrov"),
    ("Michail Fradkow", "mikhail-fradkov"),
    ("Михаил Фрадков", "mikhail-fradkov"),
    ("Sergueï Ivanov", "sergei-ivanov"),
    ("И.С.Иванов", "igor-ivanov"),
    ("С.Б.Иванов", "sergei-ivanov"),
    ("Кондолиза Райс", "condoleezza-rice"),
    ("Ван И", "wang-yi"),
    ("Wang Yi", "wang-yi"),
    ("Си Цзиньпин", "xi-jinping"),
    ("Ли Кэцян", "li-keqiang"),
    ("Пан Ги Мун", "ban-ki-moon"),
    ("Élisabeth II", "elizabeth-ii"),
    ("Jean-Yves Le Drian", "jean-yves-le-drian"),
    ("Франк-Вальтер Штайнмайер", "frank-walter-steinmeier"),
    ("Mevlüt Çavuşoğlu", "mevlut-cavusoglu"),
    ("Adel al-Dschubeir", "adel-al-jubeir"),
    ("Kang Kyung-wha", "kang-kyung-wha"),
])
def test_printed_forms_find_the_person(printed: str, ident: str) -> None:
    found = registry().find(printed)
    assert found is not None and found.id == ident


@pytest.mark.parametrize("printed", ["Ivanov", "Иванов", "Li", "Wang", "Kim", "Park", "Cho", "Zhang", "Singh",
                                     "Clinton", "Rice", "Kono", "Faisal"])
def test_a_family_name_several_people_share_finds_nobody(printed: str) -> None:
    assert registry().find(printed) is None


@pytest.mark.parametrize("printed, day, role", [
    ("Vladimir Putin", "1999-06-01", None),
    ("Vladimir Putin", "2000-01-15", "Acting President"),
    ("Wladimir Putin", "2010-06-01", "Prime Minister"),
    ("Владимир Путин", "2020-01-01", "President"),
    ("Sergey Lavrov", "2003-01-01", None),
    ("Sergey Lavrov", "2004-03-09", "Foreign Minister"),
    ("Igor Ivanov", "2001-06-01", "Foreign Minister"),
    ("Igor Ivanov", "2005-06-01", "Secretary of the Security Council"),
    ("Igor Ivanov", "2010-06-01", None),
    ("Wang Yi", "2023-03-01", None),
    ("Qin Gang", "2023-03-01", "Foreign Minister"),
    ("Qin Gang", "2008-06-01", "Foreign Ministry Spokesperson"),
    ("David Cameron", "2012-06-01", "Prime Minister"),
    ("David Cameron", "2024-01-10", "Foreign Secretary"),
    ("David Cameron", "2020-01-01", None),
])
def test_office_on_a_day_in_and_out_of_office(printed: str, day: str, role: str | None) -> None:
    found = registry().find(printed)
    assert found is not None
    office = found.office_on(day)
    assert (office["role"] if office else None) == role


def test_a_document_date_picks_the_office_through_the_resolver() -> None:
    assert Resolver("de", "2016-06-01").office("Frank-Walter Steinmeier") == ("Foreign Minister", "DE")
    assert Resolver("de", "2018-06-01").office("Frank-Walter Steinmeier") == ("President", "DE")
    assert Resolver("en", "2010-06-01").office("Steinmeier") == (None, None)
    assert Resolver("ru", "2021-06-01").resolve("С.В.Лавров") == "Сергей Лавров"
    assert Resolver("fr", "2021-06-01").resolve("Sergej Lawrow") == "Sergueï Lavrov"
