"""The analyses know which languages they count. A corpus of the same events in five languages (the
multilingual fixtures: mid.ru's layouts, in en, ru, de, es and fr): a word's trend is counted against
the words of its own language, keyness compares within one language, and every analysis says which
languages it counted, in Python, in the command's output, in the JSON API and on the pages. Expected
figures are counted here from the corpus file with plain SQL and regular expressions."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.analyze.text import content_words
from stenogram.errors import InputError, QueryError

HERE = Path(__file__).resolve().parent
MULTILINGUAL = HERE / "fixtures" / "multilingual"
LANGUAGES = {"en", "ru", "de", "es", "fr"}
#: French and Spanish function words a comparison of English turns must never rank
ROMANCE_FUNCTION_WORDS = {"nos", "avons", "nous", "sommes", "les", "des", "pour", "dans", "nuestro", "nuestra",
                          "para", "esta", "estos", "sus", "los", "las", "con", "una"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("languages") / "multilingual.db"
    with stenogram.open(path) as corpus:
        report = corpus.ingest([str(MULTILINGUAL)])
        assert report.ok and len(report.added) == sum(1 for _ in MULTILINGUAL.glob("*/*.txt"))
    return path


@pytest.fixture(scope="module")
def corpus(db: Path) -> Iterator[stenogram.Corpus]:
    with stenogram.open(db, read_only=True) as c:
        yield c


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Plain SQL over the corpus file, with no stenogram code in between."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dated_turns(db: Path) -> list[tuple[str, str, str, int, str | None]]:
    """(year, language, text, words, speaker) of every turn of a dated document."""
    return rows(db, "SELECT substr(d.day, 1, 4), d.language, t.text, t.words, t.speaker FROM turns t "
                    "JOIN documents d ON d.id = t.document_id WHERE d.day IS NOT NULL")


def occurrences(word: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE))


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=120)


def test_the_corpus_holds_five_languages(db: Path) -> None:
    assert {r[0] for r in rows(db, "SELECT DISTINCT language FROM documents")} == LANGUAGES


# --- trend ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("per", ["10k-words", "turns", "documents"])
def test_an_english_word_is_counted_against_english_totals(corpus: stenogram.Corpus, db: Path, per: str) -> None:
    turns = dated_turns(db)
    written_in = {lang for _, lang, text, _, _ in turns if occurrences("Syria", text)}
    assert written_in == {"en"}          # Siria, Syrie, Syrien, Сирия elsewhere
    count: Counter[str] = Counter()
    english: Counter[str] = Counter()
    everything: Counter[str] = Counter()
    for year, lang, text, words, _ in turns:
        count[year] += occurrences("Syria", text)
        size = {"10k-words": words, "turns": 1, "documents": 0}[per]
        english[year] += size if lang == "en" else 0
        everything[year] += size
    if per == "documents":
        for year, lang, n in rows(db, "SELECT substr(day, 1, 4), language, count(*) FROM documents "
                                      "WHERE day IS NOT NULL GROUP BY 1, 2"):
            english[year] += n if lang == "en" else 0
            everything[year] += n
    scale = 10_000 if per == "10k-words" else 1
    result = corpus.trend(["Syria"], per=per)  # type: ignore[arg-type]
    assert [(c.term, c.languages, c.entity, c.note) for c in result.counted] == [("Syria", ("en",), False, "counted in: en")]
    assert result.languages == {"en": sum(1 for _, lang, text, _, _ in turns if occurrences("Syria", text))}
    checked = 0
    for p in result.points:
        assert p.count == count[p.period] and p.base == english[p.period], p
        if p.count:
            assert p.rate == pytest.approx(p.count / english[p.period] * scale)
            assert p.rate > p.count / everything[p.period] * scale * 2     # what counting every language gave
            checked += 1
    assert checked >= 2


def test_the_kept_yearly_counts_and_a_pass_over_the_text_agree_on_languages(
        corpus: stenogram.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import stenogram.analyze.trend as trend_module

    terms = ["Syria", "Jordan*", "Сирии", "Lavrov", "zzyzzx"]
    fast = corpus.trend(terms, per="10k-words")
    monkeypatch.setattr(trend_module, "_counts_answer", lambda *a: False)
    slow = corpus.trend(terms, per="10k-words")
    assert fast.points == slow.points and fast.counted == slow.counted
    counted = {c.term: c for c in fast.counted}
    assert counted["Сирии"].languages == ("ru",)
    assert set(counted["Lavrov"].languages) == {"en", "es", "fr"}       # Lawrow in German, Лавров in Russian
    assert counted["zzyzzx"].languages == tuple(sorted(LANGUAGES)) and counted["zzyzzx"].note.endswith("not found")


def test_an_entity_search_is_counted_against_every_language(corpus: stenogram.Corpus, db: Path) -> None:
    mentioning = Counter(r[0] for r in rows(
        db, "SELECT substr(d.day, 1, 4) FROM turns t JOIN documents d ON d.id = t.document_id WHERE d.day IS NOT NULL "
            "AND t.id IN (SELECT turn_id FROM mentions WHERE type = 'country' AND entity_id = 'SY')"))
    all_turns = Counter(r[0] for r in dated_turns(db))
    result = corpus.trend(["country:SY", "Syria"], per="turns")
    entity, word = result.counted
    assert entity.entity and set(entity.languages) == LANGUAGES and len(entity.turns) == 5
    assert entity.note == "counted against all languages: an entity search"
    assert word.languages == ("en",)
    for p in result.points:
        if p.term == "country:SY":
            assert p.count == mentioning[p.period] and p.base == all_turns[p.period]
    assert sum(p.count for p in result.points if p.term == "country:SY") == sum(mentioning.values()) > 10
    with pytest.raises(QueryError, match="one entity search"):
        corpus.trend(["country:SY kind:answer"])


# --- keyness ----------------------------------------------------------------------------------------

def test_keyness_compares_within_one_language_by_default(corpus: stenogram.Corpus, db: Path) -> None:
    # the language both sides have the most words in: the larger of each language's smaller side
    words = {(who, lang): n for who, lang, n in rows(
        db, "SELECT t.speaker_id, d.language, sum(t.words) FROM turns t JOIN documents d ON d.id = t.document_id "
            "WHERE t.speaker_id IN ('sergey-lavrov', 'maria-zakharova') GROUP BY 1, 2")}
    shared = {lang for who, lang in words if who == "sergey-lavrov"} & {lang for who, lang in words if who == "maria-zakharova"}
    best = sorted(shared, key=lambda g: (-min(words["sergey-lavrov", g], words["maria-zakharova", g]),
                                         -(words["sergey-lavrov", g] + words["maria-zakharova", g]), g))[0]
    terms = corpus.keyness("speaker:Lavrov", "speaker:Zakharova", min_count=1, limit=500)
    assert terms.compared == [best] and set(terms.languages) == {best}
    assert terms.note.startswith(f"compared in {best}, the language both sides have the most words in")
    own = Counter(w for _, lang, text, _, _ in dated_turns(db) if lang == best
                  for w in content_words(text, language=best))
    assert all(own[t.term] for t in terms) and len(terms) > 100          # no word of another language
    # in English, chosen: no French or Spanish function words, every word an English turn's
    english_terms = corpus.keyness("speaker:Lavrov", "speaker:Zakharova", min_count=1, limit=500, lang="en")
    assert english_terms.compared == ["en"] and not {t.term for t in english_terms} & ROMANCE_FUNCTION_WORDS
    english = Counter(w for _, lang, text, _, _ in dated_turns(db) if lang == "en"
                      for w in content_words(text, language="en"))
    assert all(english[t.term] for t in english_terms) and len(english_terms) > 100
    # across languages, the other languages' words come in (their function words still left out)
    across = corpus.keyness("speaker:Lavrov", "speaker:Zakharova", min_count=1, limit=500, all_languages=True)
    assert set(across.compared) == LANGUAGES and {"estados", "jordanie"} <= {t.term for t in across}
    assert not {t.term for t in across} & ROMANCE_FUNCTION_WORDS


def test_keyness_of_one_chosen_language(corpus: stenogram.Corpus, db: Path) -> None:
    terms = corpus.keyness("speaker:Lavrov", "speaker:Zakharova", min_count=1, lang="ru")
    wanted = dict(rows(db, "SELECT d.language, count(*) FROM turns t JOIN documents d ON d.id = t.document_id "
                           "WHERE t.speaker IN ('Сергей Лавров', 'Мария Захарова') GROUP BY d.language"))
    assert terms.compared == ["ru"] and terms.languages == wanted and terms.note == "compared in ru"
    assert all(re.fullmatch(r"[а-я0-9]+", t.term) for t in terms), [t.term for t in terms]


def test_keyness_across_languages_needs_the_flag(corpus: stenogram.Corpus) -> None:
    with pytest.raises(InputError) as refused:
        corpus.keyness("speaker:Lavrov lang:fr", "speaker:Zakharova lang:es")
    message = str(refused.value)
    assert "share no language" in message and "fr" in message and "es" in message and "--all-languages" in message
    terms = corpus.keyness("speaker:Lavrov lang:fr", "speaker:Zakharova lang:es", all_languages=True, min_count=1)
    assert terms.compared == ["es", "fr"] and set(terms.languages) == {"es", "fr"} and len(terms) > 0
    assert terms.note.startswith("compared across languages: es, fr")


def test_function_words_of_each_language_are_left_out() -> None:
    assert list(content_words("Nous avons dit que nous sommes prêts pour une année", language="fr")) == ["dit", "prets", "annee"]
    assert list(content_words("Мы считаем, что её позиция важна", language="ru")) == ["считаем", "позиция", "важна"]
    assert list(content_words("Die Zusammenarbeit ist für uns sehr wichtig", language="de")) == ["zusammenarbeit", "wichtig"]
    # English words that are function words elsewhere stay in English
    assert list(content_words("the son of a die maker", language="en")) == ["son", "die", "maker"]


# --- kwic, comentions, profile ----------------------------------------------------------------------

def test_kwic_comentions_and_profile_count_by_language(corpus: stenogram.Corpus, db: Path) -> None:
    lines = corpus.kwic("Syria", limit=1000)
    assert lines.languages == {"en": len(lines)} and {ln.language for ln in lines} == {"en"}
    lines = corpus.kwic("Lavrov*", limit=1000)
    texts = rows(db, "SELECT d.language, t.text FROM turns t JOIN documents d ON d.id = t.document_id")
    want = Counter()
    for lang, text in texts:
        want[lang] += len(re.findall(r"(?<!\w)Lavrov\w*", text, re.IGNORECASE))
    assert lines.languages == +want and len(lines.languages) > 1

    by_turn: dict[str, set[str]] = {}
    for turn, entity in rows(db, "SELECT turn_id, entity_id FROM mentions WHERE type = 'country' AND entity_id IS NOT NULL"):
        by_turn.setdefault(turn, set()).add(entity)
    paired = [turn for turn, entities in by_turn.items() if len(entities) > 1]
    language_of = dict(rows(db, "SELECT t.id, d.language FROM turns t JOIN documents d ON d.id = t.document_id"))
    pairs = corpus.comentions(type="country", limit=3)
    assert len(pairs) == 3 and pairs.languages == Counter(language_of[t] for t in paired)
    assert sum(pairs.languages.values()) == len(paired) and set(pairs.languages) == LANGUAGES
    assert {(p.a, p.b) for p in pairs} <= {pair for t in paired for pair in combinations(sorted(by_turn[t]), 2)}

    prof = corpus.profile("Maria Zakharova")
    assert prof.languages == dict(rows(
        db, "SELECT d.language, count(*) FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.speaker IN "
            "('Maria Zakharova', 'Мария Захарова', 'Maria Sacharowa', 'María Zajárova') GROUP BY d.language"))
    assert sum(prof.languages.values()) == prof.turns and not {w for w, _ in prof.top_terms} & ROMANCE_FUNCTION_WORDS


# --- the command --------------------------------------------------------------------------------------

def test_the_command_prints_the_languages(db: Path) -> None:
    trend = cli(db, "trend", "Syria", "country:SY", "--per", "10k-words", "--format", "csv")
    assert trend.returncode == 0, trend.stderr
    assert "Syria: counted in: en · country:SY: counted against all languages: an entity search" in trend.stderr
    assert trend.stdout.startswith("period,term,count,base,rate")
    kwic = cli(db, "kwic", "Syria", "--format", "json")
    assert kwic.returncode == 0 and f"languages: en {len(json.loads(kwic.stdout))} lines" in kwic.stderr
    assert {line["language"] for line in json.loads(kwic.stdout)} == {"en"}
    pairs = cli(db, "comentions", "--format", "json")
    assert pairs.returncode == 0 and re.search(r"^languages: (\w\w \d+, ){4}\w\w \d+ turns$", pairs.stderr, re.M)
    profile = cli(db, "profile", "Zakharova")
    assert profile.returncode == 0 and re.search(r"^languages: (\w\w \d+, ){4}\w\w \d+ turns$", profile.stdout, re.M), \
        profile.stdout
    keyness = cli(db, "keyness", "speaker:Lavrov", "speaker:Zakharova", "--lang", "en", "--format", "csv")
    assert keyness.returncode == 0, keyness.stderr
    assert "compared in en" in keyness.stderr and "languages: en " in keyness.stderr
    terms = [line.split(",")[0] for line in keyness.stdout.splitlines()[1:]]
    assert terms and not set(terms) & ROMANCE_FUNCTION_WORDS
    refused = cli(db, "keyness", "speaker:Lavrov lang:fr", "speaker:Zakharova lang:es")
    assert refused.returncode == 1 and "share no language" in refused.stderr and refused.stdout == ""
    across = cli(db, "keyness", "speaker:Lavrov lang:fr", "speaker:Zakharova lang:es", "--all-languages",
                 "--min-count", "1", "--format", "csv")
    assert across.returncode == 0 and "compared across languages: es, fr" in across.stderr
    chosen = cli(db, "keyness", "speaker:Lavrov", "speaker:Zakharova", "--lang", "de", "--min-count", "1")
    assert chosen.returncode == 0 and "compared in de;" in chosen.stderr


# --- the JSON API and the pages -------------------------------------------------------------------------

def test_the_api_and_the_pages_show_the_languages(db: Path, corpus: stenogram.Corpus) -> None:
    from fastapi.testclient import TestClient

    from stenogram.web import create_app

    client = TestClient(create_app(db))
    trend = client.get("/api/trend", params={"terms": ["Syria", "country:SY"], "per": "10k-words"}).json()
    with_syria = sum(1 for _, _, text, _, _ in dated_turns(db) if occurrences("Syria", text))
    assert trend["counted"][0] == {"term": "Syria", "languages": ["en"], "turns": {"en": with_syria}, "entity": False,
                                   "note": "counted in: en"}
    assert trend["counted"][1]["entity"] and set(trend["counted"][1]["languages"]) == LANGUAGES
    expected = corpus.trend(["Syria", "country:SY"], per="10k-words")
    assert trend["languages"] == expected.languages and len(trend["points"]) == len(expected.points)
    kwic = client.get("/api/kwic", params={"term": "Syria"}).json()
    assert kwic["languages"] == {"en": len(kwic["lines"])} and all(ln["language"] == "en" for ln in kwic["lines"])
    pairs = client.get("/api/comentions").json()
    assert pairs["languages"] == corpus.comentions().languages and set(pairs["languages"]) == LANGUAGES
    profile = client.get("/api/speakers/Maria Zakharova/profile").json()
    assert profile["languages"] == corpus.profile("Maria Zakharova").languages
    default = client.get("/api/keyness", params={"target": "speaker:Lavrov", "reference": "speaker:Zakharova"}).json()
    assert default["compared"] == corpus.keyness("speaker:Lavrov", "speaker:Zakharova").compared
    keyness = client.get("/api/keyness", params={"target": "speaker:Lavrov", "reference": "speaker:Zakharova",
                                                 "lang": "en"}).json()
    assert keyness["compared"] == ["en"] and set(keyness["languages"]) == {"en"} and keyness["note"].startswith("compared in en")
    assert not {t["term"] for t in keyness["terms"]} & ROMANCE_FUNCTION_WORDS
    chosen = client.get("/api/keyness", params={"target": "speaker:Lavrov", "reference": "speaker:Zakharova",
                                                "lang": "fr", "min_count": 1}).json()
    assert chosen["compared"] == ["fr"] and set(chosen["languages"]) == {"fr"}
    refused = client.get("/api/keyness", params={"target": "speaker:Lavrov lang:fr", "reference": "speaker:Zakharova lang:es"})
    assert refused.status_code == 400
    error = refused.json()
    assert error["ok"] is False and error["error"]["status"] == 400 and "share no language" in error["error"]["message"]
    across = client.get("/api/keyness", params={"target": "speaker:Lavrov lang:fr", "reference": "speaker:Zakharova lang:es",
                                               "all_languages": "true", "min_count": 1})
    assert across.status_code == 200 and across.json()["compared"] == ["es", "fr"]

    page = client.get("/trend", params={"terms": "Syria, country:SY", "per": "10k-words"})
    assert page.status_code == 200
    shown = re.sub(r"<[^>]+>", "", page.text)
    assert "Syria: counted in English" in shown and "Syria (mentions): counted against every language (an entity search)" in shown
    speaker = client.get("/speaker/Maria Zakharova")
    assert speaker.status_code == 200
    assert re.search(r"In (English|Russian) \(\d+\), ", re.sub(r"<[^>]+>", "", speaker.text))   # the languages counted, by name
