"""Analyses checked against counts made independently from the fixtures' expected JSON."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.analyze.comentions import comentions, write_graph
from stenogram.analyze.keyness import keyness, log_likelihood, log_odds_z
from stenogram.analyze.kwic import kwic
from stenogram.analyze.profile import speaker_profile
from stenogram.analyze.text import content_words
from stenogram.analyze.trend import plot, trend
from stenogram.errors import NotFound, QueryError
from tests.golden import FIXTURES, fixture_names, load_expected


def turns() -> list[dict[str, Any]]:
    out = []
    for name in fixture_names():
        doc = load_expected(name)
        day = (doc["published"] or doc["event"]["date"] or "")[:10] or None
        out.extend({**t, "day": day, "doc": name, "language": doc["language"]} for t in doc["turns"])
    return out


def pairs_counted(corpus: stenogram.Corpus, type: str) -> Counter[tuple[str, str]]:
    """Turns mentioning each pair of entities of a type, counted here from the mentions table."""
    by_turn: dict[str, set[str]] = {}
    for turn_id, entity in corpus.store.query("SELECT turn_id, entity_id FROM mentions WHERE type = ?", (type,)):
        by_turn.setdefault(turn_id, set()).add(entity)
    counted: Counter[tuple[str, str]] = Counter()
    for ents in by_turn.values():
        counted.update(combinations(sorted(ents), 2))
    return counted


def names_of(person_id: str) -> set[str]:
    """Every form of a person's name in the shipped registry file: a speaker filter finds them all."""
    people = json.loads((Path(stenogram.__file__).parent / "data" / "officials.json").read_text("utf-8"))["people"]
    return {form for p in people if p["id"] == person_id for forms in p["names"].values() for form in forms}


def occurrences(term: str, text: str) -> int:
    """Occurrences of a word as a whole word, any case: counted here, not with the code under test."""
    return len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE))


def test_trend_counts_and_rates(corpus: stenogram.Corpus) -> None:
    result = trend(corpus.store, ["Iraq", "Syria"], by="year", per="10k-words")
    expected_counts: Counter[tuple[str, str]] = Counter()
    words: Counter[tuple[str, str]] = Counter()          # (year, language)
    written_in: dict[str, set[str]] = {"Iraq": set(), "Syria": set()}
    for t in turns():
        if t["day"]:
            year = t["day"][:4]
            words[(year, t["language"])] += len(t["text"].split())
            for term in ("Iraq", "Syria"):
                expected_counts[(year, term)] += occurrences(term, t["text"])
                if occurrences(term, t["text"]):
                    written_in[term].add(t["language"])
    years = {y for y, _ in words}
    assert result.periods == [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    # each word's rates are counted against the words of the languages it is written in only
    assert {c.term: set(c.languages) for c in result.counted} == written_in and written_in["Iraq"] != {lang for _, lang in words}
    for p in result.points:
        assert p.count == expected_counts[(p.period, p.term)], p
        assert p.base == sum(words[(p.period, lang)] for lang in written_in[p.term])
        if p.base:
            assert p.rate == pytest.approx(p.count / p.base * 10_000)
    assert sum(p.count for p in result.points if p.term == "Iraq") == sum(occurrences("Iraq", t["text"]) for t in turns() if t["day"])


def test_trend_split_and_filters(corpus: stenogram.Corpus) -> None:
    result = trend(corpus.store, ['"international law"'], by="month", per="documents", split="speaker",
                   query="lang:en")
    expected: Counter[str] = Counter()
    for t in turns():
        if t["language"] == "en" and t["day"] and t["speaker"]:
            expected[t["speaker"]] += t["text"].lower().count("international law")
    got_by_speaker: Counter[str] = Counter()
    for p in result.points:
        got_by_speaker[p.group or ""] += p.count
    assert {k: v for k, v in got_by_speaker.items() if v} == {k: v for k, v in expected.items() if v}
    assert sum(expected.values()) >= 3
    with pytest.raises(QueryError):
        trend(corpus.store, ["Iraq"], by="decade")  # type: ignore[arg-type]


def test_trend_plot(corpus: stenogram.Corpus, tmp_path: Path) -> None:
    result = trend(corpus.store, ["Iraq", "Syria"], by="year", per="10k-words")
    for name in ("t.png", "t.svg"):
        plot(result, str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 5000
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")


def test_kwic(corpus: stenogram.Corpus) -> None:
    lines = kwic(corpus.store, "Iraq", width=30, limit=1000)
    assert len(lines) == sum(occurrences("Iraq", t["text"]) for t in turns())
    assert all(ln.keyword.lower() == "iraq" and len(ln.left) <= 30 and len(ln.right) <= 30 for ln in lines)
    left_words = [(re.findall(r"\w+", ln.left) or [""])[-1].casefold() for ln in lines]
    assert left_words == sorted(left_words) and len(set(left_words)) > 5
    right_sorted = kwic(corpus.store, "Iraq", sort="right", limit=1000)
    rights = [ln.right.casefold().lstrip() for ln in right_sorted]
    assert rights == sorted(rights)
    dated = kwic(corpus.store, "Iraq", sort="date", limit=1000)
    days = [ln.published or "" for ln in dated]
    assert days == sorted(days)
    assert len(kwic(corpus.store, "Iraq", limit=3)) == 3
    phrase = kwic(corpus.store, '"Baghdad Information Centre"', limit=100)
    assert len(phrase) == 2 and all(ln.keyword == "Baghdad Information Centre" for ln in phrase)


def test_comentions_match_an_independent_count(corpus: stenogram.Corpus, tmp_path: Path) -> None:
    pairs = comentions(corpus.store, type="country", limit=1000)
    expected = pairs_counted(corpus, "country")
    assert {(p.a, p.b): p.turns for p in pairs} == dict(expected)
    assert pairs[0].turns == max(expected.values())
    graph = tmp_path / "g.graphml"
    write_graph(pairs, graph)
    from lxml import etree

    tree = etree.parse(str(graph))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(tree.findall(".//g:edge", ns)) == len(pairs)
    edges = tmp_path / "g.csv"
    write_graph(pairs, edges)
    assert edges.read_text().splitlines()[0] == "source,target,weight"


def test_keyness_counts_and_scores(corpus: stenogram.Corpus) -> None:
    terms = keyness(corpus.store, "speaker:Lavrov lang:en", 'speaker:"Maria Zakharova"', min_count=2, limit=500)
    target: Counter[str] = Counter()
    reference: Counter[str] = Counter()
    for t in turns():
        if t["speaker"] == "Sergey Lavrov" and t["language"] == "en":
            target.update(content_words(t["text"], language="en"))
        elif t["speaker"] in names_of("maria-zakharova") and t["language"] == "en":
            # a person in every language, compared in the target's language only
            reference.update(content_words(t["text"], language="en"))
    assert terms.compared == ["en"]
    top = terms[0]
    assert top.target_total == sum(target.values()) and top.reference_total == sum(reference.values())
    for k in terms:
        assert (k.target_count, k.reference_count) == (target[k.term], reference[k.term])
    assert top.term == "iraq"
    # Dunning's G² by hand for a=10, b=0 in 1000 and 1000 words: 2 * 10 * ln(10 / 5) = 13.8629
    assert log_likelihood(10, 0, 1000, 1000) == pytest.approx(2 * 10 * math.log(2))
    assert log_likelihood(0, 10, 1000, 1000) == pytest.approx(-2 * 10 * math.log(2))
    assert log_odds_z(10, 10, 1000, 1000, 20, 2000, 100.0) == pytest.approx(0.0)
    assert log_odds_z(30, 5, 1000, 1000, 35, 2000, 100.0) > 3
    by_odds = keyness(corpus.store, "speaker:Lavrov lang:en", 'speaker:"Maria Zakharova"', by="log_odds", limit=5)
    assert by_odds == sorted(by_odds, key=lambda k: -k.log_odds_z)


def test_speaker_profile(corpus: stenogram.Corpus) -> None:
    prof = speaker_profile(corpus.store, "Sergey Lavrov")
    own = [t for t in turns() if t["speaker"] in names_of("sergey-lavrov")]   # in every language
    assert prof.turns == len(own) and prof.words == sum(len(t["text"].split()) for t in own)
    assert dict(prof.kinds) == dict(Counter(t["kind"] for t in own))
    assert dict(prof.countries)["IQ"] >= 5
    assert sum(n for _, n, _ in prof.by_year) == prof.turns and sum(prof.languages.values()) == prof.turns
    # the top words, each without its turn's language's function words, counted word by word here
    expected: Counter[str] = Counter()
    for t in own:
        expected.update(content_words(t["text"], language=t["language"], min_length=4))
    assert prof.top_terms and all(expected[w] == n for w, n in prof.top_terms)
    assert min(n for _, n in prof.top_terms) >= max(n for w, n in expected.items() if w not in dict(prof.top_terms))
    for nobody in ("Nobody Atall", "", "  "):
        with pytest.raises(NotFound):
            speaker_profile(corpus.store, nobody)


def test_cli_analyses(corpus: stenogram.Corpus, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args, "--db", corpus.path],
                              capture_output=True, timeout=120)

    res = run("trend", "Iraq", "--per", "turns", "--format", "json", "--plot", str(tmp_path / "c.png"))
    assert res.returncode == 0, res.stderr
    assert sum(r["count"] for r in json.loads(res.stdout)) == sum(occurrences("Iraq", t["text"]) for t in turns() if t["day"])
    assert (tmp_path / "c.png").stat().st_size > 5000
    lines = run("kwic", "Iraq", "--format", "csv", "--limit", "1000").stdout.decode()
    assert lines.startswith("turn_id,document_id")
    keywords = [row["keyword"] for row in csv.DictReader(io.StringIO(lines))]
    assert len(keywords) == sum(occurrences("Iraq", t["text"]) for t in turns()) and {k.lower() for k in keywords} == {"iraq"}
    pairs = run("comentions", "--type", "organization", "--format", "json")
    assert pairs.returncode == 0, pairs.stderr
    expected = pairs_counted(corpus, "organization")
    got = json.loads(pairs.stdout)
    assert len(got) == min(50, len(expected)) > 0
    assert all(expected[(p["a"], p["b"])] == p["turns"] for p in got)
    assert [p["turns"] for p in got] == sorted(expected.values(), reverse=True)[:len(got)]
    key = run("keyness", "speaker:Lavrov lang:en", 'speaker:"Maria Zakharova"', "--format", "csv")
    assert key.returncode == 0, key.stderr
    rows = list(csv.DictReader(io.StringIO(key.stdout.decode())))
    assert rows and rows[0]["term"] == "iraq"
    profile = run("profile", "Zakharova", "--json")
    assert profile.returncode == 0, profile.stderr
    assert json.loads(profile.stdout)["turns"] == sum(1 for t in turns() if t["speaker"] in names_of("maria-zakharova"))
    bad = run("trend", "Iraq", "--by", "decade")
    assert bad.returncode == 1 and b"choose day, week, month or year" in bad.stderr


@pytest.mark.parametrize("per", [None, "10k-words", "documents", "turns"])
def test_yearly_counts_kept_by_the_store_agree_with_a_pass_over_the_text(
        corpus: stenogram.Corpus, per: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    import stenogram.analyze.trend as trend_module

    terms = ["Iraq", "Russia", "secur*", "Лавров", "minister"]
    fast = trend(corpus.store, terms, by="year", per=per)  # type: ignore[arg-type]
    monkeypatch.setattr(trend_module, "_counts_answer", lambda *a: False)
    slow = trend(corpus.store, terms, by="year", per=per)  # type: ignore[arg-type]
    assert fast.periods == slow.periods and fast.points == slow.points
    assert sum(p.count for p in fast.points) > 50


def test_yearly_counts_follow_replacements_and_deletions(tmp_path: Path) -> None:
    from stenogram.store.sqlite import Store

    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(FIXTURES)])
        ids = [r[0] for r in c.store.query("SELECT id FROM documents WHERE day IS NOT NULL ORDER BY id LIMIT 3")]
        for ident in ids[:2]:
            c.store.delete(ident)
        doc = c.store.document(ids[2])
        c.store.write(doc.__class__.from_json({**doc.to_json(), "title": doc.title + " (corrected)"}), content_hash="new")

    def snapshot(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        return ([tuple(r) for r in store.query("SELECT * FROM term_years ORDER BY term, year")],
                [tuple(r) for r in store.query("SELECT * FROM year_totals ORDER BY year")])

    store = Store(db)
    kept = snapshot(store)
    with store.transaction():
        store._rebuild_year_counts()          # counted again from scratch
    assert snapshot(store) == kept and len(kept[0]) > 1000
    store.close()


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
def test_trend_leaves_out_a_stored_date_that_is_not_a_date(tmp_path: Path, by: str) -> None:
    """A corpus stored before dates were checked may hold ``published: "not-a-date"``: trends leave that document
    out like an undated one (it made `trend --by month` and /api/trend answer 500)."""
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(FIXTURES)])
        before = trend(c.store, ["Iraq"], by=by)  # type: ignore[arg-type]
        doc = c.store.document(c.store.query("SELECT id FROM documents WHERE day IS NOT NULL ORDER BY id LIMIT 1")[0][0])
        broken = doc.__class__.from_json({**doc.to_json(), "id": doc.id + ":copy", "published": "not-a-date",
                                          "event": {**doc.to_json()["event"], "date": None}})
        c.store.write(broken, content_hash="copy")
        assert c.store.query("SELECT day FROM documents WHERE id = ?", (broken.id,))[0][0] == "not-a-date"
        after = trend(c.store, ["Iraq"], by=by)  # type: ignore[arg-type]
        assert after.periods == before.periods
        assert [(p.period, p.count) for p in after.points] == [(p.period, p.count) for p in before.points]


def test_a_filtered_trends_totals_are_kept_for_the_corpus_state_and_counted_again_after_a_write(tmp_path: Path) -> None:
    """The normaliser of a trend with a filter (the turns of the base set a period, group and language) is counted once
    a corpus state: the same after another term's trend, counted again when a write changes the corpus; a split by
    country counts each turn once however many countries it mentions."""
    db = tmp_path / "c.db"
    with stenogram.open(db) as c:
        c.ingest([str(FIXTURES)])

        def bases(query: str, split: str | None = None) -> dict[tuple[str, str | None], int]:
            result = trend(c.store, ["Iraq", "peace"], query=query, by="year", per="turns", split=split)  # type: ignore[arg-type]
            return {(p.period, p.group): p.base for p in result.points if p.term == "peace"}

        def turns_of(speaker: str) -> Counter[str]:
            return Counter(str(r[0])[:4] for r in c.store.query(
                "SELECT d.day FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.speaker = ? AND d.day IS NOT NULL"
                " AND d.language = 'en'", (speaker,)))

        expected = turns_of("Sergey Lavrov")
        assert expected
        first = bases('speaker:"Sergey Lavrov" lang:en')
        assert {p: n for (p, _), n in first.items() if n} == dict(expected)
        assert bases('speaker:"Sergey Lavrov" lang:en') == first
        by_country = bases("lang:en", split="country")
        mentions = {(str(r[0]), str(r[1])): int(r[2]) for r in c.store.query(
            "SELECT substr(d.day, 1, 4), m.entity_id, count(DISTINCT t.rowid) FROM turns t JOIN documents d ON d.id = t.document_id"
            " JOIN mentions m ON m.turn_id = t.id AND m.type = 'country' WHERE d.language = 'en' AND d.day IS NOT NULL"
            " GROUP BY 1, 2")}
        assert by_country and all(mentions[key] == n for key, n in by_country.items() if n)
        doc = c.store.document(c.store.query(
            "SELECT document_id FROM turns t JOIN documents d ON d.id = t.document_id WHERE t.speaker = 'Sergey Lavrov'"
            " AND d.language = 'en' AND d.day IS NOT NULL LIMIT 1")[0][0])
        c.store.write(doc.__class__.from_json({**doc.to_json(), "id": doc.id + ":copy", "url": None}), content_hash="copy")
        again = bases('speaker:"Sergey Lavrov" lang:en')
        assert {p: n for (p, _), n in again.items() if n} == dict(turns_of("Sergey Lavrov")) != dict(expected)


@pytest.mark.parametrize("per", [None, "10k-words", "documents", "turns"])
def test_a_trends_totals_over_every_turn_are_those_of_a_filter_that_keeps_every_turn(corpus: stenogram.Corpus,
                                                                                    per: str | None) -> None:
    """Without a filter, a trend's normaliser is summed a document at a time; a filter that keeps every dated turn
    takes the general path, a row a turn: the same totals, by year and by month, alone or split by source."""
    from stenogram.analyze.trend import base_totals

    for by in ("year", "month"):
        for split in (None, "source"):
            every = base_totals(corpus.store, "", None, by, per, split)  # type: ignore[arg-type]
            assert every and every == base_totals(corpus.store, "date:0001..9999-12-31", None, by, per, split)  # type: ignore[arg-type]
