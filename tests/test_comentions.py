"""Co-mentions over real corpus files: the ranked pairs against a count made here from the mentions
table, the work linear in the matching turns (SQLite VM steps and the query plan), and the command
and the API answering through the same code on a corpus of generated transcripts."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

import stenogram
from stenogram.analyze.comentions import TYPES, Pair, comentions
from stenogram.analyze.text import base, from_where
from stenogram.store.sqlite import Store

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
sys.path.insert(0, str(HERE.parent / "bench"))
from generate import documents  # noqa: E402

# (query, filters): words, phrases, prefixes, NOT, filters typed in the query and given as options,
# a query that matches nothing, and none at all
QUERIES: tuple[tuple[str, dict[str, str | None] | None], ...] = (
    ("", None),
    ("security", None),
    ("Iraq", None),
    ('"United Nations"', None),
    ("secur* NOT sanctions", None),
    ("-cooperation", None),
    ("speaker:Lavrov", None),
    ("lang:en date:2015..2020", None),
    ("country:IQ", None),
    ("", {"speaker": "Maria Zakharova"}),
    ("cooperation", {"lang": "en", "country": "SY"}),
    ("", {"doc_kind": "briefing"}),
    ("zzyzzx", None),
)

# the statement that ranked the pairs before: the same answer is expected, order and ties included
RANKED_IN_ONE_STATEMENT = (
    "WITH hits AS (SELECT t.id AS turn_id {from_where}), "
    "ents AS (SELECT DISTINCT m.turn_id, coalesce(m.person_id, m.entity_id) AS entity_id FROM mentions m "
    "JOIN hits h ON h.turn_id = m.turn_id WHERE m.type = ? AND m.entity_id IS NOT NULL) "
    "SELECT a.entity_id AS a, b.entity_id AS b, count(*) AS n FROM ents a JOIN ents b "
    "ON a.turn_id = b.turn_id AND a.entity_id < b.entity_id GROUP BY a.entity_id, b.entity_id "
    "ORDER BY n DESC, a.entity_id, b.entity_id LIMIT ?"
)


def _ingest_generated(path: Path, folder: Path, count: int, *, size: int = 8000) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # the simple vocabulary: every query word in about half the turns, so twice the corpus is twice the matches
    for name, text in documents(count, seed=11, size=size, simple=True):
        (folder / name).write_text(text, encoding="utf-8")
    with stenogram.open(path) as corpus:
        report = corpus.ingest([str(folder)])
        assert report.ok and len(report.added) == count


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The examples and 120 generated transcripts in one corpus file, opened read-only."""
    root = tmp_path_factory.mktemp("mixed")
    path = root / "mixed.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
    _ingest_generated(path, root / "generated", 120, size=4000)
    store = Store(path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Corpus files of 250 and 500 generated transcripts (the first 250 the same in both)."""
    root = tmp_path_factory.mktemp("generated")
    paths = {}
    for count in (250, 500):
        paths[count] = root / f"g{count}.db"
        _ingest_generated(paths[count], root / f"docs{count}", count)
    return paths


def reference(store: Store, query: str, options: Mapping[str, str | None] | None, type: str) -> list[Pair]:
    """Every pair, counted here: the matching turns, then each one's distinct entities of the type read
    from the whole mentions table, each pair of them once a turn; ranked by count, then by the ids."""
    sql, params = from_where(base(store, query, options))
    hits = {row[0] for row in store.query("SELECT t.id " + sql, params)}
    by_turn: dict[str, set[str]] = {}
    for turn_id, kind, entity in store.query("SELECT turn_id, type, coalesce(person_id, entity_id) FROM mentions"
                                             " WHERE entity_id IS NOT NULL"):
        if turn_id in hits and kind == type and entity is not None:
            by_turn.setdefault(turn_id, set()).add(entity)
    counts: Counter[tuple[str, str]] = Counter()
    for entities in by_turn.values():
        counts.update(combinations(sorted(entities, key=lambda e: e.encode("utf-8")), 2))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].encode("utf-8"), item[0][1].encode("utf-8")))
    return [Pair(a, b, n) for (a, b), n in ranked]


def ranked_in_one_statement(store: Store, query: str, options: Mapping[str, str | None] | None, type: str,
                            limit: int) -> list[Pair]:
    sql, params = from_where(base(store, query, options))
    rows = store.query(RANKED_IN_ONE_STATEMENT.format(from_where=sql), [*params, type, limit])
    return [Pair(r["a"], r["b"], int(r["n"])) for r in rows]


def by_id(pairs: list[Pair]) -> list[Pair]:
    """The pairs as their ids name them (people are counted by person id and shown by name)."""
    return [Pair(p.a_id or p.a, p.b_id or p.b, p.turns) for p in pairs]


def test_pairs_equal_a_count_from_the_mentions_table(mixed: Store) -> None:
    statements: list[str] = []
    mixed.conn.set_trace_callback(statements.append)
    try:
        for type in TYPES:
            seen_pairs = 0
            for query, options in QUERIES:
                expected = reference(mixed, query, options, type)
                seen_pairs += len(expected)
                got = by_id(comentions(mixed, query=query, options=options, type=type, limit=100_000))
                assert got == expected, (type, query, options)
                assert by_id(comentions(mixed, query=query, options=options, type=type, limit=-1)) == expected
                for limit in (0, 1, 3, 50):
                    got = by_id(comentions(mixed, query=query, options=options, type=type, limit=limit))
                    assert got == expected[:limit], (type, query, options, limit)
                    assert got == ranked_in_one_statement(mixed, query, options, type, limit), (type, query, limit)
            assert seen_pairs > 0, f"no {type} pairs at all: the comparison would prove nothing"
    finally:
        mixed.conn.set_trace_callback(None)
    # both ways of reading the mentions were compared: each matching turn's, and each mention of a type
    read = [s for s in statements if "FROM mentions m" in s or "JOIN mentions m" in s]
    assert any("CROSS JOIN mentions m" in s for s in read) and any(s.startswith("SELECT m.turn_id") and
                                                                  "FROM mentions m" in s for s in read)
    assert mixed.query("SELECT name FROM sqlite_temp_master") == []


def test_ties_are_broken_by_the_ids(mixed: Store) -> None:
    pairs = comentions(mixed, type="country", limit=-1)
    counts = [p.turns for p in pairs]
    assert len(counts) != len(set(counts)), "the corpus has no tied pairs to order"
    assert all(p.a < p.b for p in pairs)
    assert pairs == sorted(pairs, key=lambda p: (-p.turns, p.a, p.b))


def _steps(store: Store, query: str, type: str, *, budget: int) -> int:
    """SQLite VM instructions (in hundreds) that comentions runs; stops it once past the budget."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 1 if steps > budget else 0

    store.conn.set_progress_handler(count, 100)
    try:
        comentions(store, query=query, type=type, limit=50)
    except sqlite3.OperationalError as exc:
        assert "interrupted" in str(exc)
    finally:
        store.conn.set_progress_handler(None, 0)
    return steps


@pytest.mark.parametrize("query", ["security", "speaker:Lavrov", "", "Iraq OR Syria"])
def test_work_grows_linearly_with_the_corpus(generated: dict[int, Path], query: str) -> None:
    small = Store(generated[250], read_only=True)
    large = Store(generated[500], read_only=True)
    try:
        hits = []
        for s in (small, large):
            sql, params = from_where(base(s, query, None))
            hits.append(s.query("SELECT count(*) " + sql, params)[0][0])
        assert hits[0] > 200 and 1.8 < hits[1] / hits[0] < 2.2     # twice the corpus, twice the matches
        few = _steps(small, query, "country", budget=10**9)
        many = _steps(large, query, "country", budget=4 * few)
    finally:
        small.close()
        large.close()
    assert many <= 2.5 * few, f"{few} → {many} hundred VM steps for twice the matching turns"


def _plans(store: Store, query: str, type: str) -> list[list[tuple[int, int, str]]]:
    """The query plan (id, parent, step) of each query comentions runs, explained as it starts (values
    bound, its temporary tables there)."""
    plans: list[list[tuple[int, int, str]]] = []

    def explain(statement: str) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            rows = store.conn.execute("EXPLAIN QUERY PLAN " + statement).fetchall()
            plans.append([(int(r[0]), int(r[1]), str(r[3])) for r in rows])

    store.conn.set_trace_callback(explain)
    try:
        comentions(store, query=query, type=type)
    finally:
        store.conn.set_trace_callback(None)
    assert plans
    return plans


HITS_LOOP = re.compile(r"^(SCAN|SEARCH) (h|hits|(temp\.)?comention_hits)\b")
MENTIONS_STEP = re.compile(r"^(SCAN|SEARCH) (m|mentions)\b")


@pytest.mark.parametrize("query", ["security", "", "speaker:Lavrov", "lang:en date:2015..2020", "Iraq OR Syria"])
def test_mentions_are_never_searched_by_type_once_per_matching_turn(mixed: Store, query: str) -> None:
    """Inside a loop over the matching turns, mentions are read by turn only; read by type (or
    scanned), they are read once, with the matching turns looked up."""
    read = 0
    for type in TYPES:
        for plan in _plans(mixed, query, type):
            by_parent: dict[int, list[str]] = {}
            for _, parent, step in plan:
                by_parent.setdefault(parent, []).append(step)
            for steps in by_parent.values():       # the loops of one join, outermost first
                outer = next((i for i, step in enumerate(steps) if HITS_LOOP.match(step)), None)
                inner = [step for step in steps[(outer if outer is not None else len(steps)):]
                         if MENTIONS_STEP.match(step)]
                assert all("(turn_id=?)" in step for step in inner), plan
                read += sum(1 for step in steps if MENTIONS_STEP.match(step))
    assert read > 0


def test_an_interrupted_count_leaves_the_connection_usable(generated: dict[int, Path]) -> None:
    store = Store(generated[500], read_only=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="interrupted"), store.deadline(0):
            comentions(store, query="security", type="country")
        assert store.query("SELECT name FROM sqlite_temp_master") == []
        assert comentions(store, query="security", type="country", limit=-1) == reference(store, "security", None,
                                                                                           "country")
    finally:
        store.close()


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", "comentions", *args, "--db", str(db)],
                          capture_output=True, text=True, timeout=300)


def test_command_and_api_answer_through_the_same_count(generated: dict[int, Path]) -> None:
    from fastapi.testclient import TestClient

    from stenogram.web import create_app

    db = generated[500]
    store = Store(db, read_only=True)
    try:
        expected = {t: reference(store, "security", None, t) for t in TYPES}
    finally:
        store.close()
    assert len(expected["country"]) > 20
    res = _cli(db, "--query", "security", "--type", "country", "--limit", "20", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [{"a": p.a, "b": p.b, "turns": p.turns} for p in expected["country"][:20]]
    with TestClient(create_app(db)) as client:
        for type in TYPES:
            answer = client.get("/api/comentions", params={"q": "security", "type": type, "limit": 20})
            assert answer.status_code == 200, answer.text
            body: dict[str, Any] = answer.json()
            assert [{"a": p["a_id"] or p["a"], "b": p["b_id"] or p["b"], "turns": p["turns"]} for p in body["pairs"]] \
                == [{"a": p.a, "b": p.b, "turns": p.turns} for p in expected[type][:20]]
            assert all((p["a_id"] is None) == (type != "person") for p in body["pairs"])
