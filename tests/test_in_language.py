"""A search's hits in another language: each hit's document version in it and the turn of that version
aligned to the hit's turn, with the paragraph that translates the matched one, checked against the hand
alignments of the multilingual fixtures; through both indexes, the command and the JSON API."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import stenogram
from stenogram.search.aligned import SHORT
from tests.multilingual import build, gold, item, version
from tests.test_parallel_export import run

PRENSA = "2023-04-14-lavrov-interview-prensa-latina"      # one long turn; Spanish merges two paragraphs
SAFADI = "2019-03-19-lavrov-safadi-press-conference"      # Spanish leaves out the question on Venezuela
OSCE = "2016-12-08-lavrov-osce-hamburg-press-approaches"  # no German version


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("grouped"), events=[PRENSA, SAFADI, OSCE])


@pytest.fixture(scope="module")
def file_only(grouped: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus file without its turn index beside it: searches are answered by the file's own."""
    copy = tmp_path_factory.mktemp("file-only") / "corpus.db"
    shutil.copy(grouped, copy)
    return copy


@contextmanager
def opened(db: Path) -> Iterator[stenogram.Corpus]:
    with stenogram.open(db, read_only=True) as corpus:
        yield corpus


def flat(text: str) -> str:
    return " ".join(text.split())


def word_only_in(event: str, turn: int, paragraph: int) -> str:
    """A word of that English paragraph that no other paragraph of the turn holds (even inside a word)."""
    paragraphs: tuple[str, ...] = version(event, "en").turns[turn].paragraphs
    others = " ".join(p for k, p in enumerate(paragraphs) if k != paragraph).casefold()
    return next(m.group(0) for m in re.finditer(r"[A-Za-z]{6,}", paragraphs[paragraph]) if m.group(0).casefold() not in others)


def gold_paragraphs(event: str, lang: str, turn: int, paragraph: int) -> list[int]:
    return [b[1] for a, b in gold(event)["paragraphs"][lang] if a == [turn, paragraph] and b is not None]


@pytest.mark.parametrize("engine", ["index", "store"])
@pytest.mark.parametrize(("lang", "paragraph"), [("ru", 3), ("ru", 9), ("es", 5), ("es", 8)])
def test_a_hit_shows_the_paragraph_that_translates_the_matched_one(grouped: Path, file_only: Path, engine: str,
                                                                   lang: str, paragraph: int) -> None:
    word = word_only_in(PRENSA, 0, paragraph)
    with opened(grouped if engine == "index" else file_only) as corpus:
        result = corpus.search(word, lang="en", in_language=lang, limit=100)
    assert result.engine == engine
    hit = next(h for h in result.hits if h.turn_id == f"{item(PRENSA)}:en#0")
    assert hit.version == f"{item(PRENSA)}:{lang}" and hit.aligned is not None
    want = gold_paragraphs(PRENSA, lang, 0, paragraph)
    assert len(want) == 1 and hit.aligned.paragraph == want[0], (word, hit.snippet)
    assert (hit.aligned.language, hit.aligned.turn_id) == (lang, f"{item(PRENSA)}:{lang}#0")
    theirs = flat(version(PRENSA, lang).turns[0].paragraphs[want[0]])
    shown = hit.aligned.text
    assert len(shown) <= SHORT + 1 and theirs.startswith(shown.removesuffix("…"))
    assert shown == theirs or (len(theirs) > SHORT and shown.endswith("…"))
    assert 0.5 < hit.aligned.confidence <= 1


def test_merged_paragraphs_both_lead_to_the_one_that_stands_for_them(grouped: Path) -> None:
    merged = [a[1] for a, b in gold(PRENSA)["paragraphs"]["es"] if b is not None
              and sum(1 for _, c in gold(PRENSA)["paragraphs"]["es"] if c == b) == 2]
    assert len(merged) == 2
    found = set()
    with opened(grouped) as corpus:
        for k in merged:
            hits = corpus.search(word_only_in(PRENSA, 0, k), lang="en", in_language="es", limit=100).hits
            found.add(next(h.aligned for h in hits if h.turn_id == f"{item(PRENSA)}:en#0"))
    (aligned,) = found
    assert aligned is not None and aligned.paragraph == gold_paragraphs(PRENSA, "es", 0, merged[0])[0]
    assert aligned.text.removesuffix("…") in flat(version(PRENSA, "es").turns[0].paragraphs[aligned.paragraph])


def test_a_turn_the_version_lacks_has_no_aligned_turn(grouped: Path) -> None:
    en = version(SAFADI, "en")
    question = next(t.index for t in en.turns if "Venezuela" in t.text)
    assert [b for a, b in gold(SAFADI)["turns"]["es"] if a == question] == [None]
    with opened(grouped) as corpus:
        spanish = corpus.search("Venezuela", source="mid.ru", in_language="es", limit=100).hits
        russian = corpus.search("Venezuela", source="mid.ru", in_language="ru", limit=100).hits
    hit = next(h for h in spanish if h.turn_id == f"{item(SAFADI)}:en#{question}")
    assert hit.version == f"{item(SAFADI)}:es" and hit.aligned is None
    hit = next(h for h in russian if h.turn_id == f"{item(SAFADI)}:en#{question}")
    ru_turn = next(b for a, b in gold(SAFADI)["turns"]["ru"] if a == question)
    assert hit.aligned is not None and hit.aligned.turn_id == f"{item(SAFADI)}:ru#{ru_turn}"


def test_a_document_without_that_version_names_none(grouped: Path) -> None:
    assert "de" not in gold(OSCE)["languages"]
    word = word_only_in(OSCE, 1, 1)
    with opened(grouped) as corpus:
        hits = corpus.search(word, lang="en", in_language="de").hits
    hit = next(h for h in hits if h.document_id == f"{item(OSCE)}:en")
    assert hit.version is None and hit.aligned is None


def test_without_a_matched_word_the_aligned_turn_opens(grouped: Path) -> None:
    """A search by filters alone marks no word: the aligned turn's opening is shown."""
    with opened(grouped) as corpus:
        hits = corpus.search("", lang="en", kind="question", source="mid.ru", in_language="ru", limit=100).hits
    hit = next(h for h in hits if h.document_id == f"{item(SAFADI)}:en")
    assert hit.aligned is not None and hit.aligned.paragraph is None
    ru_turn = next(b for a, b in gold(SAFADI)["turns"]["ru"] if a == hit.index)
    assert flat(version(SAFADI, "ru").turns[ru_turn].text).startswith(hit.aligned.text.removesuffix("…"))


def test_the_command_prints_the_aligned_turn_under_each_hit(grouped: Path) -> None:
    question = next(t for t in version(SAFADI, "en").turns if "Venezuela" in t.text)
    ru_turn = next(b for a, b in gold(SAFADI)["turns"]["ru"] if a == question.index)
    ru_text = version(SAFADI, "ru").turns[ru_turn].paragraphs[0]
    done = run("search", "Venezuela", "--lang", "en", "--in-language", "ru", "--db", str(grouped))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith(f"{item(SAFADI)}:en#{question.index}"))
    below = next(line for line in lines[at + 1:] if line.lstrip().startswith("ru:"))
    assert f"ru: {item(SAFADI)}:ru#{ru_turn}" in below and flat(ru_text)[:60] in below
    spanish = run("search", "Venezuela", "--lang", "en", "--in-language", "es", "--db", str(grouped))
    assert spanish.returncode == 0 and "es: no aligned turn" in spanish.stdout
    as_json = run("search", "Venezuela", "--lang", "en", "--in-language", "ru", "--format", "json", "--db", str(grouped))
    hits = json.loads(as_json.stdout)["hits"]
    hit = next(h for h in hits if h["turn_id"] == f"{item(SAFADI)}:en#{question.index}")
    assert hit["aligned"]["turn_id"] == f"{item(SAFADI)}:ru#{ru_turn}" and hit["aligned"]["text"]
    streamed = run("search", "Venezuela", "--in-language", "ru", "--format", "jsonl", "--db", str(grouped))
    assert streamed.returncode == 2 and "--in-language" in streamed.stderr and not streamed.stdout


def test_the_api_returns_the_aligned_turn(grouped: Path) -> None:
    from fastapi.testclient import TestClient

    from stenogram.web.api import SearchResponse
    from stenogram.web.app import create_app

    client = TestClient(create_app(grouped))
    answer = client.get("/api/search", params={"q": "Venezuela", "lang": "en", "in_language": "es"})
    assert answer.status_code == 200
    data = answer.json()
    SearchResponse.model_validate(data)
    by_turn = {h["turn_id"]: h for h in data["hits"]}
    question = next(t.index for t in version(SAFADI, "en").turns if "Venezuela" in t.text)
    assert by_turn[f"{item(SAFADI)}:en#{question}"]["aligned"] is None
    assert by_turn[f"{item(SAFADI)}:en#{question}"]["version"] == f"{item(SAFADI)}:es"
    prensa = by_turn[f"{item(PRENSA)}:en#0"]["aligned"]
    assert prensa["turn_id"] == f"{item(PRENSA)}:es#0" and prensa["language"] == "es" and 0.5 < prensa["confidence"] <= 1
    plain = client.get("/api/search", params={"q": "Venezuela"}).json()
    assert all(h["aligned"] is None and h["version"] is None for h in plain["hits"])
    bad = client.get("/api/search", params={"q": "Venezuela", "in_language": "Russian"})
    assert bad.status_code == 400 and bad.json()["ok"] is False
