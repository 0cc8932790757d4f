"""One person, one id, in every language: person ids on turns and mentions, language versions found by
content when no address links them, alignments stored at ingest, merges of ids by aligned turns, the
speaker filter and listing keyed on the id, and the upgrade of a corpus built by the previous release."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import stenogram
from stenogram.align.people import person_id, person_key
from stenogram.align.versions import version_score
from stenogram.api import parse_file
from stenogram.store.schema import VERSION

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
MULTI = ROOT / "tests" / "fixtures" / "multilingual"
CORPORA = ROOT / "tests" / "fixtures" / "corpora"
SEED = "mid.ru-*-2020-11-25-lavrov-hussein.txt"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "c.db"
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
    return db


@pytest.fixture(scope="module")
def fixtures_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("multilingual") / "c.db"
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(MULTI)]).ok
    return db


@pytest.mark.parametrize(("a", "b"), [
    ("Ayman Safadi", "Айман Сафади"), ("Ayman Safadi", "А.Сафади"), ("Vyacheslav Nikonov", "В.А.Никонов"),
    ("Vyacheslav Nikonov", "Wjatscheslaw Nikonow"), ("Vyacheslav Nikonov", "Viatcheslav Nikonov"),
    ("Mr Ayman Safadi", "Ayman Safadi"),
])
def test_transliterations_of_a_name_outside_the_registry_share_a_key(a: str, b: str) -> None:
    assert person_key(a) == person_key(b) != ""


def test_registry_officials_get_their_id_in_any_form() -> None:
    for printed in ("Sergey Lavrov", "С.В.Лавров", "Sergej Lawrow", "Sergueï Lavrov", "sergey-lavrov"):
        assert person_id(printed) == ("sergey-lavrov", ""), printed
    assert person_id("Vyacheslav Nikonov") == ("~nikonov-v", "nikonov-v")
    assert person_id("Vyacheslav Volodin") != person_id("Vyacheslav Nikonov")
    assert person_id(None) == (None, "") and person_id("  ") == (None, "")


def test_the_seed_event_is_one_item_in_four_languages_with_lavrov_one_speaker(examples_db: Path) -> None:
    """The bundled examples are text files (no address): their versions are grouped by what they say."""
    seed = sorted(EXAMPLES.glob(SEED))
    assert len(seed) >= 3
    con = sqlite3.connect(examples_db)
    groups = con.execute("SELECT group_id, group_concat(language) FROM documents GROUP BY group_id"
                         " HAVING count(*) > 1").fetchall()
    assert len(groups) == 1 and sorted(groups[0][1].split(",")) == sorted(p.name.split("-")[1] for p in seed)
    lavrov = con.execute("SELECT DISTINCT speaker_id FROM turns WHERE speaker IN (SELECT speaker FROM turns"
                         " WHERE speaker_id = 'sergey-lavrov')").fetchall()
    assert lavrov == [("sergey-lavrov",)]
    languages = {r[0] for r in con.execute("SELECT DISTINCT d.language FROM turns t JOIN documents d ON d.id ="
                                           " t.document_id WHERE t.speaker_id = 'sergey-lavrov'")}
    assert {"en", "ru", "de", "fr", "es"} <= languages
    # every pair of the four versions is aligned and stored, each of the seed's 7 turns in every pair
    pairs = con.execute("SELECT first, second, count(*) FROM alignments WHERE paragraph_a IS NULL"
                        " GROUP BY first, second").fetchall()
    assert len(pairs) == 6 and all(n == 7 for _, _, n in pairs)
    # the other examples are of other events: no group was made of them
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(list(EXAMPLES.glob("*.txt")))


def test_speaker_filter_finds_the_same_turns_in_every_form(examples_db: Path) -> None:
    con = sqlite3.connect(examples_db)
    expected = {r[0] for r in con.execute("SELECT id FROM turns WHERE speaker_id = 'sergey-lavrov'")}
    with stenogram.open(examples_db, read_only=True) as corpus:
        for form in ("Lavrov", "Лавров", "Lawrow", '"Sergey Lavrov"', '"Sergueï Lavrov"', "sergey-lavrov"):
            found = {h.turn_id for h in corpus.stream(f"speaker:{form}")}
            assert found == expected, form
        facets = corpus.search("", facets=True).facets["speaker"]
    assert ("Sergey Lavrov", len(expected)) in facets
    assert not [name for name, _ in facets if name != "Sergey Lavrov" and "Lav" in name]


def test_a_person_outside_the_registry_is_one_id_across_languages(fixtures_db: Path) -> None:
    con = sqlite3.connect(fixtures_db)
    printed = {r[0] for r in con.execute("SELECT DISTINCT speaker FROM turns WHERE speaker_id = '~nikonov-v'")}
    assert {"Vyacheslav Nikonov", "В.А.Никонов", "Wjatscheslaw Nikonow", "Viatcheslav Nikonov"} <= printed
    expected = {r[0] for r in con.execute("SELECT id FROM turns WHERE speaker_id = '~nikonov-v'")}
    with stenogram.open(fixtures_db, read_only=True) as corpus:
        for form in ("Nikonov", "Никонов", '"Wjatscheslaw Nikonow"', "~nikonov-v"):
            assert {h.turn_id for h in corpus.stream(f"speaker:{form}")} == expected, form
        listed = {s.id: s for s in corpus.speakers("Ник")}
    person = listed["~nikonov-v"]
    assert person.turns == len(expected) and set(person.languages) == {"en", "ru", "de", "fr"}
    assert person.names["ru"] == "В.А.Никонов" and person.names["de"] == "Wjatscheslaw Nikonow"


def _renamed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


def test_aligned_versions_join_two_spellings_that_do_not_meet(tmp_path: Path) -> None:
    """A Russian version spells the interviewer so that no transliteration key meets the English one; the
    aligned turns say they are one person, and a later document with that spelling gets the same id."""
    event = MULTI / "2020-01-29-lavrov-interview-bolshaya-igra"
    (tmp_path / "en.txt").write_text((event / "en.txt").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "ru.txt").write_text(_renamed((event / "ru.txt").read_text("utf-8"), "В.А.Никонов", "В.А.Никанов"),
                                     encoding="utf-8")
    assert person_key("В.А.Никанов") != person_key("Vyacheslav Nikonov")
    with stenogram.open(tmp_path / "c.db") as corpus:
        assert corpus.ingest([str(tmp_path / "en.txt")]).ok
        assert corpus.ingest([str(tmp_path / "ru.txt")]).ok
        con = corpus.store.conn
        ids = {r[0] for r in con.execute("SELECT DISTINCT speaker_id FROM turns WHERE speaker IN"
                                         " ('Vyacheslav Nikonov', 'В.А.Никанов')")}
        assert ids == {"~nikonov-v"}
        key = person_key("В.А.Никанов")
        assert con.execute("SELECT person_id FROM person_keys WHERE key = ?", (key,)).fetchone()[0] == "~nikonov-v"
        assert {h.turn_id for h in corpus.stream("speaker:Никанов")} == \
            {h.turn_id for h in corpus.stream('speaker:"Vyacheslav Nikonov"')}


def test_a_different_person_is_not_merged_by_a_misaligned_turn(tmp_path: Path) -> None:
    event = MULTI / "2020-01-29-lavrov-interview-bolshaya-igra"
    (tmp_path / "en.txt").write_text((event / "en.txt").read_text("utf-8"), encoding="utf-8")
    (tmp_path / "ru.txt").write_text(_renamed((event / "ru.txt").read_text("utf-8"), "В.А.Никонов", "Д.К.Киселёв"),
                                     encoding="utf-8")
    with stenogram.open(tmp_path / "c.db") as corpus:
        assert corpus.ingest([str(tmp_path)]).ok
        ids = dict(corpus.store.conn.execute(
            "SELECT speaker, speaker_id FROM turns WHERE speaker IN ('Vyacheslav Nikonov', 'Д.К.Киселёв')"
            " GROUP BY speaker"))
    assert ids["Vyacheslav Nikonov"] == "~nikonov-v" and ids["Д.К.Киселёв"] == "~kiselev-d"


def test_documents_of_other_events_are_not_versions() -> None:
    en = parse_file(str(MULTI / "2019-03-19-lavrov-safadi-press-conference" / "en.txt"))
    ru_same = parse_file(str(MULTI / "2019-03-19-lavrov-safadi-press-conference" / "ru.txt"))
    ru_other = parse_file(str(MULTI / "2018-04-05-lavrov-wang-yi-press-conference" / "ru.txt"))
    assert version_score(en, ru_same) >= 0.8
    assert version_score(en, ru_other) < 0.6
    assert version_score(en, en) == 0.0


def test_a_speaker_that_matches_nobody_gets_the_nearest_names(examples_db: Path) -> None:
    with stenogram.open(examples_db, read_only=True) as corpus:
        hints = corpus.suggestions("speaker:Lavrof")
        assert [h.value for h in hints] == ["sergey-lavrov"] and hints[0].instead
        assert "no speaker is called 'Lavrof'" in hints[0].message()
        assert corpus.search(hints[0].query).total == hints[0].turns > 0
        assert [h.value for h in corpus.suggestions("", speaker="Zaharowa")] == ["maria-zakharova"]
        assert corpus.suggestions("speaker:Lavrov") == []
        nobody = corpus.suggestions("speaker:Qwxz")
        assert len(nobody) == 1 and "no name is near it" in nobody[0].message()
    found = cli("search", "speaker:Lavrof", "--db", str(examples_db))
    assert found.returncode == 0 and "no speaker is called 'Lavrof'" in found.stderr
    assert "Sergey Lavrov" in found.stderr


def test_speakers_command_lists_people_with_ids_and_names_per_language(examples_db: Path) -> None:
    done = cli("speakers", "--db", str(examples_db), "--format", "json")
    assert done.returncode == 0, done.stderr
    people = {p["id"]: p for p in json.loads(done.stdout)}
    lavrov = people["sergey-lavrov"]
    con = sqlite3.connect(examples_db)
    assert lavrov["turns"] == con.execute("SELECT count(*) FROM turns WHERE speaker_id = 'sergey-lavrov'").fetchone()[0]
    assert lavrov["names"]["ru"] == "Сергей Лавров" and lavrov["names"]["de"] == "Sergej Lawrow"
    assert sum(lavrov["languages"].values()) == lavrov["turns"]
    assert [p["id"] for p in json.loads(cli("speakers", "Лав", "--db", str(examples_db), "--format", "json").stdout)] \
        == ["sergey-lavrov"]
    missing = cli("speakers", "Qwxz", "--db", str(examples_db))
    assert missing.returncode == 1 and "no speaker has a name beginning with 'Qwxz'" in missing.stderr


def test_a_corpus_of_the_previous_release_gets_person_ids_groups_and_alignments(tmp_path: Path) -> None:
    """schema-7-examples.db was built by the release before person ids (schema 7) from the bundled examples
    of that release and one event's five language versions, all text files: no groups, no ids."""
    path = tmp_path / "old.db"
    shutil.copy(CORPORA / "schema-7-examples.db", path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 7
    documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
    turns = raw.execute("SELECT count(*) FROM turns").fetchone()[0]
    assert raw.execute("SELECT count(DISTINCT group_id) FROM documents").fetchone()[0] == documents
    raw.close()
    with stenogram.open(path) as corpus:
        con = corpus.store.conn
        assert corpus.store.schema_version == VERSION
        assert con.execute("SELECT count(*) FROM turns").fetchone()[0] == turns
        groups = con.execute("SELECT group_concat(language) FROM documents GROUP BY group_id HAVING count(*) > 1"
                             ).fetchall()
        assert [sorted(g[0].split(",")) for g in groups] == [["de", "en", "es", "fr", "ru"]]
        assert con.execute("SELECT count(DISTINCT first || second) FROM alignments").fetchone()[0] == 10
        assert con.execute("SELECT count(*) FROM turns WHERE speaker IS NOT NULL AND speaker_id IS NULL"
                           ).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM mentions WHERE type = 'person' AND person_id IS NULL"
                           ).fetchone()[0] == 0
        lavrov = {r[0] for r in con.execute("SELECT id FROM turns WHERE speaker_id = 'sergey-lavrov'")}
        assert {h.turn_id for h in corpus.stream("speaker:Лавров")} == lavrov
        assert {h.turn_id for h in corpus.stream("speaker:Lavrov")} == lavrov
        en = next(d for d, lang in con.execute("SELECT id, language FROM documents WHERE group_id IN (SELECT group_id"
                                               " FROM documents GROUP BY group_id HAVING count(*) > 1)") if lang == "en")
        versions = corpus.turn_versions(f"{en}#1")
        assert {v.language for v in versions} == {"de", "es", "fr", "ru"} and all(v.turn for v in versions)


def test_a_person_filter_finds_the_mentions_of_the_person_in_every_language(examples_db: Path) -> None:
    con = sqlite3.connect(examples_db)
    expected = {r[0] for r in con.execute("SELECT turn_id FROM mentions WHERE person_id = 'fuad-hussein'")}
    languages = {r[0] for r in con.execute(
        "SELECT DISTINCT d.language FROM mentions m JOIN turns t ON t.id = m.turn_id JOIN documents d"
        " ON d.id = t.document_id WHERE m.person_id = 'fuad-hussein'")}
    assert len(languages) >= 3
    with stenogram.open(examples_db, read_only=True) as corpus:
        for form in ('"Fuad Hussein"', "Hussein", "fuad-hussein"):
            assert {h.turn_id for h in corpus.stream(f"person:{form}")} == expected, form
        assert corpus.search("person:Hussein").total == len(expected)


def test_two_events_of_one_day_are_two_items(tmp_path: Path) -> None:
    """Two news conferences of the same minister on the same day, each in three languages, all without an
    address: each version joins its own event's item, none the other's."""
    lines = []
    events = ("2019-03-19-lavrov-safadi-press-conference", "2018-04-05-lavrov-wang-yi-press-conference")
    for event in events:
        for lang in ("en", "ru", "de"):
            doc = parse_file(str(MULTI / event / f"{lang}.txt")).to_json()
            doc.update(published="2019-03-19T12:00:00+03:00", url=None)
            doc["event"]["date"] = "2019-03-19"
            lines.append(json.dumps(doc, ensure_ascii=False))
    (tmp_path / "day.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with stenogram.open(tmp_path / "c.db") as corpus:
        assert corpus.ingest([str(tmp_path / "day.jsonl")]).ok
        groups = corpus.store.query("SELECT group_concat(id) FROM documents GROUP BY group_id")
    expected = [{json.loads(line)["id"] for line in lines[k:k + 3]} for k in (0, 3)]
    assert sorted(sorted(g[0].split(",")) for g in groups) == sorted(sorted(e) for e in expected)


def test_people_mentioned_together_are_counted_by_person_in_every_language(examples_db: Path) -> None:
    with stenogram.open(examples_db, read_only=True) as corpus:
        pairs = corpus.comentions(type="person", limit=10_000)
    assert pairs and len(pairs.languages) >= 2
    shown = {(p.a_id, p.a) for p in pairs} | {(p.b_id, p.b) for p in pairs}
    assert len({pid for pid, _ in shown}) == len({name for _, name in shown}) == len(shown)   # one name an id
    con = sqlite3.connect(examples_db)
    for p in pairs:            # each count is of the turns that mention both people, in any language
        together = con.execute(
            "SELECT count(*) FROM (SELECT turn_id FROM mentions WHERE person_id = ? INTERSECT"
            " SELECT turn_id FROM mentions WHERE person_id = ?)", (p.a_id, p.b_id)).fetchone()[0]
        assert together == p.turns, p


def test_the_command_shows_country_facets_by_name(examples_db: Path) -> None:
    found = cli("search", "Iraq", "--facets", "--limit", "1", "--db", str(examples_db))
    assert found.returncode == 0, found.stderr
    line = next(x for x in found.stdout.splitlines() if x.startswith("country:"))
    assert "Iraq IQ (" in line and "Russia RU (" in line
