"""The optional spaCy adapter: label mapping, offsets, merging with the rules, errors, and lazy import.

No trained model is used or downloaded: the pipelines are blank ones with an ``entity_ruler``, which
sets ``doc.ents`` exactly as a statistical ``ner`` component does.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import stenogram
from stenogram.enrich import enrich
from stenogram.enrich.ner import BadNerSpec, NerUnavailable, spacy_extra, spacy_extra_from
from stenogram.errors import StenogramError
from stenogram.model import Document, Mention, Turn
from tests.golden import FIXTURES, fixture_names

PATTERNS = [
    {"label": "PERSON", "pattern": "Ivo Andrich"},
    {"label": "ORG", "pattern": "Ruritanian Grain Board"},
    {"label": "GPE", "pattern": "Ruritania"},
    {"label": "GPE", "pattern": "Iraq"},
    {"label": "GPE", "pattern": "Paris"},
    {"label": "GPE", "pattern": "Chad"},
    {"label": "GPE", "pattern": "Georgia"},
    {"label": "GPE", "pattern": "Baghdad, Iraq"},
    {"label": "GPE", "pattern": "the United States"},
    {"label": "LOC", "pattern": "South China Sea"},
    {"label": "NORP", "pattern": "Iraqi"},
    {"label": "ORG", "pattern": "United Nations"},
    {"label": "PERSON", "pattern": "Foreign Minister Mahamat"},
]

TEXT = """Press conference by the Foreign Minister

Question: Ivo Andrich of the Ruritanian Grain Board visited Iraq and Paris last week. What about Ruritania?

Answer: We met Chad Foreign Minister Mahamat Zene Cherif. He flew from Atlanta, Georgia to Iraq.

Question: Iraqi students came from Baghdad, Iraq. Is the United States at the United Nations on the South China Sea?
"""


def ruler(lang: str = "en", patterns: list[dict[str, Any]] | None = None) -> Any:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank(lang)
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS if patterns is None else patterns)
    return nlp


def parsed() -> Document:
    doc = stenogram.parse_text(TEXT)
    assert doc.language == "en"
    assert [t.kind for t in doc.turns] == ["question", "answer", "question"]
    return doc


def spans(mentions: tuple[Mention, ...] | list[Mention]) -> list[tuple[str, str, str | None, int]]:
    return [(m.type, m.text, m.id, m.turn) for m in mentions]


def assert_merged(merged: Document, rules: Document) -> None:
    """Every mention is exact; the rules' mentions are all kept; an added one overlaps no other mention."""
    assert set(rules.mentions) <= set(merged.mentions)
    for m in merged.mentions:
        assert merged.turns[m.turn].text[m.start:m.end] == m.text, m
    added = [m for m in merged.mentions if m not in rules.mentions]
    for a in added:
        for b in merged.mentions:
            assert a is b or b.turn != a.turn or b.end <= a.start or a.end <= b.start, (a, b)


def test_entities_become_mentions_with_exact_offsets() -> None:
    doc = parsed()
    got = spacy_extra_from(ruler())(enrich(doc))
    t0 = doc.turns[0].text
    andrich = next(m for m in got if m.type == "person" and m.turn == 0)
    assert (andrich.start, andrich.end) == (t0.index("Ivo Andrich"), t0.index("Ivo Andrich") + len("Ivo Andrich"))
    board = next(m for m in got if m.type == "organization" and m.turn == 0)
    assert (board.start, board.text, board.id) == (t0.index("Ruritanian"), "Ruritanian Grain Board", "Ruritanian Grain Board")
    for m in got:
        assert doc.turns[m.turn].text[m.start:m.end] == m.text
    assert spans(got) == [
        ("person", "Ivo Andrich", "Ivo Andrich", 0),
        ("organization", "Ruritanian Grain Board", "Ruritanian Grain Board", 0),
        ("country", "Chad", "TD", 1),
    ]


def test_what_is_skipped() -> None:
    nlp, doc = ruler(), parsed()
    tagged = {e.text for t in doc.turns for e in nlp(t.text).ents}
    assert {"Paris", "Ruritania", "Georgia", "South China Sea", "Iraqi", "Baghdad, Iraq"} <= tagged
    texts = [m.text for m in spacy_extra_from(nlp)(doc)]
    assert "Paris" not in texts                     # a city: not a country
    assert "Ruritania" not in texts                 # a GPE stenogram does not know as a country
    assert "Georgia" not in texts                   # after "Atlanta,": the rules' US state stays rejected
    assert "South China Sea" not in texts and "China" not in texts
    assert "Iraqi" not in texts                     # NORP
    assert not any("Baghdad" in t for t in texts)   # a city with its country is not the country


def test_a_country_the_rules_miss_comes_from_the_model() -> None:
    doc = parsed()
    rules = enrich(doc)
    assert "Chad" not in [m.text for m in rules.mentions]     # the rules read "Chad Foreign" as a first name
    merged = enrich(doc, extra=spacy_extra_from(ruler()))
    chad = [m for m in merged.mentions if m.text == "Chad"]
    assert [(m.type, m.id, m.turn, m.start) for m in chad] == [("country", "TD", 1, doc.turns[1].text.index("Chad"))]


def test_a_leading_article_is_not_part_of_the_country() -> None:
    doc = stenogram.parse_text("Answer: We thank the Chad Foreign Ministry.")
    assert not [m for m in enrich(doc).mentions if m.type == "country"]      # "Chad Foreign": a first name to the rules
    got = spacy_extra_from(ruler(patterns=[{"label": "GPE", "pattern": "the Chad"}]))(doc)
    text = doc.turns[0].text
    assert [(m.type, m.text, m.id, m.start) for m in got] == [("country", "Chad", "TD", text.index("Chad"))]


def test_merge_keeps_the_rules_and_never_duplicates(schema: dict[str, Any]) -> None:
    doc = parsed()
    rules = enrich(doc)
    merged = enrich(doc, extra=spacy_extra_from(ruler()))
    iraq = [m for m in merged.mentions if m.text == "Iraq"]
    assert len(iraq) == len([m for m in rules.mentions if m.text == "Iraq"]) == 3   # found by both, kept once each
    assert all(m.type == "country" and m.id == "IQ" for m in iraq)
    un = [m for m in merged.mentions if "United Nations" in m.text]
    assert [(m.type, m.id) for m in un] == [("organization", "United Nations")]
    # "Foreign Minister Mahamat" (PERSON) overlaps the rules' "Mahamat Zene Cherif": the rules win.
    assert not any(m.text == "Foreign Minister Mahamat" for m in merged.mentions)
    assert ("person", "Mahamat Zene Cherif") in [(m.type, m.text) for m in merged.mentions]
    assert spans([m for m in merged.mentions if m not in rules.mentions]) == [
        ("person", "Ivo Andrich", "Ivo Andrich", 0),
        ("organization", "Ruritanian Grain Board", "Ruritanian Grain Board", 0),
        ("country", "Chad", "TD", 1),
    ]
    assert_merged(merged, rules)
    jsonschema.validate(merged.to_json(), schema)
    assert Document.from_json(merged.to_json()) == merged


def test_the_input_documents_own_mentions_do_not_matter() -> None:
    # enrich() hands the extra source its input: a parsed document has no mentions yet, and an enriched one
    # read back from a corpus may hold an earlier run's spaCy mentions. The result is the same either way.
    doc = parsed()
    extra = spacy_extra_from(ruler())
    once = enrich(doc, extra=extra)
    assert enrich(once, extra=extra) == once
    assert enrich(dataclasses.replace(doc, mentions=()), extra=extra) == once


def one_turn(text: str, language: str = "en") -> Document:
    turn = Turn(index=0, kind="statement", speaker=None, label=None, paragraphs=(text,))
    return Document(id="t", source="generic", language=language, title="t", published=None, kind="other", turns=(turn,))


def test_whitespace_in_a_name_is_normalised_in_the_id_only() -> None:
    patterns = [{"label": "PERSON", "pattern": [{"LOWER": "ivo"}, {"IS_SPACE": True}, {"LOWER": "andrich"}]}]
    doc = one_turn("Then Ivo  \n Andrich said so.")
    got = spacy_extra_from(ruler(patterns=patterns))(doc)
    assert [(m.type, m.text, m.id, m.start, m.end) for m in got] == [("person", "Ivo  \n Andrich", "Ivo Andrich", 5, 19)]


def test_an_entity_across_paragraphs_is_dropped() -> None:
    patterns = [{"label": "ORG", "pattern": [{"LOWER": "grain"}, {"IS_SPACE": True}, {"LOWER": "board"}]}]
    doc = dataclasses.replace(one_turn(""), turns=(Turn(index=0, kind="statement", speaker=None, label=None,
                                                        paragraphs=("We sold grain", "Board members agreed.")),))
    assert spacy_extra_from(ruler(patterns=patterns))(doc) == []


def test_a_document_in_another_language_gets_nothing_from_an_english_pipeline() -> None:
    doc = dataclasses.replace(parsed(), language="de")
    assert spacy_extra_from(ruler())(doc) == []
    assert spacy_extra_from(ruler("xx"))(doc) != []    # a multi-language pipeline reads every language


def test_a_saved_pipeline_loads_from_its_folder(tmp_path: Path) -> None:
    ruler().to_disk(tmp_path / "pipeline")
    merged = enrich(parsed(), extra=spacy_extra(f"spacy:{tmp_path / 'pipeline'}"))
    assert ("organization", "Ruritanian Grain Board") in [(m.type, m.text) for m in merged.mentions]


@pytest.mark.parametrize("name", fixture_names())
def test_every_fixture_stays_exact_and_valid(name: str, schema: dict[str, Any]) -> None:
    # A crude "model" that tags every run of capitalised words, in every language: many overlaps to drop.
    nlp = ruler("xx", patterns=[
        {"label": "PERSON", "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True}]},
        {"label": "ORG", "pattern": [{"IS_UPPER": True, "LENGTH": {">=": 2}}]},
        {"label": "GPE", "pattern": [{"IS_TITLE": True}]},
    ])
    doc = stenogram.parse_text((FIXTURES / f"{name}.txt").read_text("utf-8"))
    rules = enrich(doc)
    merged = enrich(doc, extra=spacy_extra_from(nlp))
    assert_merged(merged, rules)
    jsonschema.validate(merged.to_json(), schema)


def test_a_missing_model_says_how_to_install_it() -> None:
    pytest.importorskip("spacy")
    with pytest.raises(NerUnavailable) as err:
        spacy_extra("spacy:no_such_model_xyz")
    assert isinstance(err.value, StenogramError)
    assert "no_such_model_xyz" in str(err.value) and "pip install" in str(err.value)


def test_a_folder_that_is_not_a_pipeline_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    (tmp_path / "notes.txt").write_text("not a pipeline", "utf-8")
    with pytest.raises(NerUnavailable, match="not a spaCy pipeline"):
        spacy_extra(f"spacy:{tmp_path}")


@pytest.mark.parametrize("spec", ["en_core_web_sm", "spacy:", "stanza:en", ""])
def test_a_bad_spec_is_refused(spec: str) -> None:
    with pytest.raises(BadNerSpec, match="spacy:MODEL"):
        spacy_extra(spec)


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_importing_the_adapter_does_not_import_spacy() -> None:
    done = run("import sys, stenogram, stenogram.enrich, stenogram.enrich.ner; print('spacy' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_spacy_the_error_says_how_to_install_it() -> None:
    done = run(
        "import sys; sys.modules['spacy'] = None\n"          # makes `import spacy` fail as if it were not installed
        "from stenogram.enrich.ner import NerUnavailable, spacy_extra\n"
        "try:\n    spacy_extra('spacy:en_core_web_sm')\n"
        "except NerUnavailable as e:\n    print(e)\n"
    )
    assert done.returncode == 0, done.stderr
    assert "spaCy" in done.stdout and "pip install 'spacy>=" in done.stdout


def test_cli_parse_with_a_saved_pipeline(tmp_path: Path) -> None:
    """`stenogram parse --ner spacy:FOLDER --json` merges the model's entities with the rules'."""
    import json
    import subprocess
    import sys

    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Astana format"}, {"label": "GPE", "pattern": "Iraq"}])
    folder = tmp_path / "pipeline"
    nlp.to_disk(folder)
    seed = Path(__file__).parent / "fixtures" / "docs" / "mid.ru-en-2020-11-25-lavrov-hussein.txt"
    result = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "parse", str(seed), "--json", "--ner",
                             f"spacy:{folder}"], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)["mentions"]
    assert any(m["type"] == "organization" and m["text"] == "Astana format" for m in mentions)
    spans = [(m["turn"], m["start"], m["end"]) for m in mentions]
    assert len(spans) == len(set(spans))   # "Iraq" from both sources is one mention


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_ingest_adds_the_models_entities_to_the_pages_of_a_web_archive(tmp_path: Path, jobs: int) -> None:
    """`ingest --ner` on a WARC file: its pages, parsed in the ingesting process whatever --jobs says, get the
    model's entities as files of one transcript do."""
    from tests.test_importers import SEED, _write_warc, html_page

    pipeline = tmp_path / "pipeline"
    ruler(patterns=[{"label": "ORG", "pattern": "long-standing relations"}]).to_disk(pipeline)
    archive = tmp_path / "crawl.warc.gz"
    _write_warc(archive, gzip_records=True,
                records=[("https://www.mid.ru/en/1", html_page(SEED), [("Content-Type", "text/html; charset=utf-8")])])
    with stenogram.open(tmp_path / "c.db") as corpus:
        report = corpus.ingest([str(archive)], ner=f"spacy:{pipeline}", jobs=jobs)
        assert report.ok and len(report.added) == 1
        found = {str(r[0]) for r in corpus.store.query("SELECT text FROM mentions WHERE type = 'organization'")}
    assert "long-standing relations" in found
