"""Rough edges a new user meets in the terminal, each run as they run it: the real `stenogram` command in a
subprocess, on real corpora in temporary folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import stenogram
from stenogram.errors import FilterValueError, QuerySyntaxError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def stenogram_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STENOGRAM_DB"}
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a copy of the bundled examples and ``./stenogram.db`` built from them."""
    root = tmp_path_factory.mktemp("edges")
    shutil.copytree(EXAMPLES, root / "examples")
    built = stenogram_cli(root, "ingest", "examples/")
    assert built.returncode == 0, built.stderr
    return root


def corpus_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("stenogram.db"))


# --- 1. a failed or empty ingest makes no corpus --------------------------------------------------------------

def test_a_failed_ingest_leaves_no_corpus_behind(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "nothing.jsonl").write_text("", encoding="utf-8")
    for inputs in (["missing.txt"], ["empty"], ["missing.txt", "empty"], ["nothing.jsonl"]):
        ran = stenogram_cli(tmp_path, "ingest", *inputs)
        assert "Traceback" not in ran.stderr, ran.stderr
        assert corpus_files(tmp_path) == [], (inputs, ran.stderr)
        assert "no corpus was made at stenogram.db" in ran.stderr, ran.stderr
    assert stenogram_cli(tmp_path, "ingest", "missing.txt").returncode == 1
    # so a reading command says there is no corpus, and how to make one, instead of "0 turns match"
    for command in (["search", "Iraq"], ["stats"], ["speakers"], ["reindex"], ["compact"]):
        ran = stenogram_cli(tmp_path, *command)
        assert ran.returncode == 1 and "no corpus here" in ran.stderr and "stenogram ingest PATH" in ran.stderr, ran
        assert "0 turns match" not in ran.stdout and corpus_files(tmp_path) == [], command


def test_a_failed_ingest_never_removes_what_was_there(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "mid.ru-en-2019-zakharova-briefing.txt", tmp_path)
    assert stenogram_cli(tmp_path, "ingest", "mid.ru-en-2019-zakharova-briefing.txt").returncode == 0
    before = corpus_files(tmp_path)
    assert before == ["stenogram.db", "stenogram.db.index"]
    failed = stenogram_cli(tmp_path, "ingest", "missing.txt")
    assert failed.returncode == 1 and corpus_files(tmp_path) == before
    assert json.loads(stenogram_cli(tmp_path, "stats", "--format", "json").stdout)["documents"] == 1
    # an empty corpus file made earlier (by Python, or an older stenogram) stays, and search says it is empty
    stenogram.open(tmp_path / "empty.db").close()
    assert stenogram_cli(tmp_path, "ingest", "missing.txt", "--db", "empty.db").returncode == 1
    assert (tmp_path / "empty.db").is_file()
    searched = stenogram_cli(tmp_path, "search", "Iraq", "--db", "empty.db")
    assert searched.returncode == 0 and "holds no documents yet" in searched.stderr, searched.stderr


def test_a_new_corpus_with_something_in_it_is_kept(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "mid.ru-en-2019-zakharova-briefing.txt", tmp_path)
    ran = stenogram_cli(tmp_path, "ingest", "missing.txt", "mid.ru-en-2019-zakharova-briefing.txt")
    assert ran.returncode == 1 and "1 added" in ran.stderr and "1 failed" in ran.stderr
    assert corpus_files(tmp_path) == ["stenogram.db", "stenogram.db.index"]


# --- 2. facets in streamed formats ------------------------------------------------------------------------------

def test_jsonl_ends_with_the_facets(examples: Path) -> None:
    query = ["country:IQ kind:answer", "--facets"]
    streamed = stenogram_cli(examples, "search", *query, "--format", "jsonl")
    assert streamed.returncode == 0, streamed.stderr
    records = [json.loads(line) for line in streamed.stdout.splitlines()]
    paged = json.loads(stenogram_cli(examples, "search", *query, "--format", "json").stdout)
    assert list(records[-1]) == ["facets"] and records[-1]["facets"] == paged["facets"]
    assert records[-1]["facets"]["kind"] == [["answer", paged["total"]]]
    assert [r["turn_id"] for r in records[:-1]] == [h["turn_id"] for h in paged["hits"]]
    # without --facets, hits only
    plain = stenogram_cli(examples, "search", "country:IQ kind:answer", "--format", "jsonl").stdout.splitlines()
    assert plain == streamed.stdout.splitlines()[:-1]


def test_csv_with_facets_is_refused_with_what_to_use(examples: Path) -> None:
    ran = stenogram_cli(examples, "search", "Iraq", "--facets", "--format", "csv")
    assert ran.returncode != 0 and not ran.stdout
    said = " ".join(ran.stderr.replace("│", " ").split())
    assert "not available in CSV" in said and "--format json" in said and "--format jsonl" in said, said


# --- 3. stats --format --------------------------------------------------------------------------------------------

def test_stats_has_format_json(examples: Path) -> None:
    as_format = stenogram_cli(examples, "stats", "--format", "json")
    assert as_format.returncode == 0, as_format.stderr
    counts = json.loads(as_format.stdout)
    assert counts["documents"] == len(list((examples / "examples").glob("*.txt")))
    assert json.loads(stenogram_cli(examples, "stats", "--json").stdout) == counts
    table = stenogram_cli(examples, "stats", "--format", "table")
    assert table.returncode == 0 and f"{counts['documents']}" in table.stdout
    wrong = stenogram_cli(examples, "stats", "--format", "csv")
    assert wrong.returncode != 0 and "table or json" in wrong.stderr


# --- 4. option errors name the option ----------------------------------------------------------------------------

@pytest.mark.parametrize(("options", "named", "allowed"), [
    (["--kind", "answr"], "--kind 'answr' is not a turn kind", "kinds are: statement, question, answer"),
    (["--doc-kind", "chat"], "--doc-kind 'chat' is not a document kind", "press_conference, briefing"),
    (["--date", "2020-13"], "--date '2020-13' does not exist", "YYYY, YYYY-MM or YYYY-MM-DD"),
    (["--date", "2020-13..2021"], "--date '2020-13..2021': '2020-13' does not exist", "FROM..TO"),
    (["--date", "soon"], "--date 'soon' is not a date", "YYYY, YYYY-MM or YYYY-MM-DD"),
    (["--date", "2021..2020"], "--date '2021..2020' ends before it starts", "earlier date first"),
    (["--country", "Narnia"], "--country 'Narnia' is not an ISO 3166 code", "IQ, Iraq"),
])
def test_a_bad_option_is_named_as_the_option(examples: Path, options: list[str], named: str, allowed: str) -> None:
    ran = stenogram_cli(examples, "search", "Iraq", *options)
    assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr
    said = " ".join(ran.stderr.split())
    assert named in said and allowed in said and "column" not in said, said


def test_a_bad_value_in_the_query_still_points_at_its_column(examples: Path) -> None:
    ran = stenogram_cli(examples, "search", "Iraq kind:answr")
    assert ran.returncode == 1 and "kind:answr is not a turn kind" in ran.stderr and "at column 6" in ran.stderr


def test_the_api_names_its_parameter(examples: Path) -> None:
    with stenogram.open(examples / "stenogram.db", read_only=True) as corpus:
        with pytest.raises(FilterValueError, match=r"^kind='answr' is not a turn kind; kinds are: statement"):
            corpus.search("Iraq", kind="answr")
        with pytest.raises(FilterValueError, match=r"^date='2020-13' does not exist; dates are YYYY"):
            corpus.kwic("Iraq", date="2020-13")
        with pytest.raises(QuerySyntaxError, match="at column 1"):
            corpus.search("date:2020-13")


# --- 5. profile of nobody ----------------------------------------------------------------------------------------

def test_a_profile_of_nobody_points_at_speakers(examples: Path) -> None:
    ran = stenogram_cli(examples, "profile", "Nobody Here")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    said = " ".join(ran.stderr.split())
    assert "no speaker is called 'Nobody Here'" in said and "`stenogram speakers`" in said, said
    assert "stenogram search" not in said


def test_a_misspelt_profile_offers_the_nearest_names(examples: Path) -> None:
    ran = stenogram_cli(examples, "profile", "Lavrof")
    said = " ".join(ran.stderr.split())
    assert ran.returncode == 1 and "nearest: Sergey Lavrov (`stenogram profile sergey-lavrov`" in said, said
    assert "`stenogram speakers`" in said
    # the suggested command works
    assert stenogram_cli(examples, "profile", "sergey-lavrov").returncode == 0
    # a real speaker whose turns the query leaves out is told apart from nobody
    narrowed = stenogram_cli(examples, "profile", "Sergey Lavrov", "--query", "date:1990")
    assert narrowed.returncode == 1 and "none of the turns of 'Sergey Lavrov' matches --query" in narrowed.stderr


# --- 7. the HTML extractor for unknown sites loads ---------------------------------------------------------------

def test_trafilatura_loads_and_extracts() -> None:
    # trafilatura reads pages through justext, which needs lxml's HTML cleaner (the lxml_html_clean package);
    # without it the import fails and unknown sites lose the extractor
    import trafilatura

    page = ("<html><body><nav>Home | News | Contacts</nav><article><h1>Briefing</h1>"
            + "<p>The spokesperson answered questions about the talks in Baghdad and the new agreement.</p>" * 5
            + "</article><footer>All rights reserved</footer></body></html>")
    text = trafilatura.extract(page, favor_recall=True)
    assert text is not None and "Baghdad" in text and "All rights reserved" not in text
