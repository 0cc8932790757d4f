"""Hostile and damaged input to `ingest`: a record that fails is reported with its file and position, and the rest of
the file and of the batch go in.

JSONL lines that are not contract documents and documents that break the contract, a document the store refuses,
dataset rows and web-archive records whose URLs do not parse, damaged and cut-short web archives, file names that are
not UTF-8, `parse --url` with a URL that does not parse, and parsing processes whose ingest is killed with SIGKILL.
Every file and corpus is built here, in temporary folders, from the examples and the golden fixtures.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

import stenogram
from stenogram.api import IngestReport, process
from stenogram.collect.importers import DatasetError, WarcPage, iter_dataset, read_warc, row_to_document
from stenogram.collect.validate import ContractViolation, check_document
from stenogram.errors import ContractError
from stenogram.model import Document
from tests.test_importers import KREMLIN, SEED, STATE, URLS, html_page, request

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "bench"))
from generate import documents as generated  # noqa: E402

#: fixture pages an archive holds: (URL, fixture)
PAGES = [
    (URLS[SEED], SEED),
    (URLS[KREMLIN], KREMLIN),
    ("https://www.state.gov/briefings/department-press-briefing-march-1-2022/", STATE),
    ("https://example.org/news/colons-and-quotes", "generic-en-2023-colons-and-quotes"),
    ("https://www.un.org/press/en/2023/noon-briefing", "un.org-en-2023-noon-briefing"),
]


# --- helpers ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def contract_docs() -> list[dict[str, Any]]:
    """The examples, parsed, as contract JSON (ten documents, each with turns and mentions)."""
    return [process(p.read_bytes(), name=p.name).to_json() for p in sorted(EXAMPLES.glob("*.txt"))]


def numbered(docs: list[dict[str, Any]], i: int) -> dict[str, Any]:
    """A copy of one example document under the id ``test:i``."""
    doc = copy.deepcopy(docs[i % len(docs)])
    doc["id"] = f"test:{i}"
    return doc


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """One line per item: a string as it is, anything else as JSON."""
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), "utf-8")
    return path


def ingest(db: Path, *paths: Path) -> IngestReport:
    with stenogram.open(db) as corpus:
        return corpus.ingest([str(p) for p in paths])


def stored_ids(db: Path) -> set[str]:
    with stenogram.open(db, read_only=True) as corpus:
        return {r[0] for r in corpus.store.query("SELECT id FROM documents")}


def stored_titles(db: Path) -> set[str]:
    with stenogram.open(db, read_only=True) as corpus:
        return {r[0] for r in corpus.store.query("SELECT title FROM documents")}


def check_whole(db: Path) -> int:
    """The corpus opens, its full-text index holds every turn, and each document has all its turns; its size."""
    with stenogram.open(db) as corpus:
        store = corpus.store
        assert store.count("turns") == store.indexed_turns()
        ids = [r[0] for r in store.query("SELECT id FROM documents")]
        for ident in ids:
            doc = store.document(ident)
            assert store.query("SELECT count(*) FROM turns WHERE document_id = ?", (ident,))[0][0] == len(doc.turns)
        return len(ids)


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], capture_output=True, text=True,
                          timeout=timeout, errors="replace")


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


# --- JSONL: lines that are not documents, documents that break the contract -----------------------------


def test_jsonl_lines_that_are_not_documents_are_reported_and_the_rest_go_in(
        tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    no_id = numbered(contract_docs, 3)
    no_id["id"] = None
    odd_paragraphs = numbered(contract_docs, 4)
    odd_paragraphs["turns"][0]["paragraphs"] = [None, 5]
    path = write_jsonl(tmp_path / "corpus.jsonl", [
        numbered(contract_docs, 0), [1, 2], "\"text\"", "5", "null", no_id, odd_paragraphs,
        numbered(contract_docs, 1), "{not json", numbered(contract_docs, 2),
    ])
    db = tmp_path / "c.db"
    run = cli("ingest", str(path), "--db", str(db), "-q")
    no_traceback(run)
    assert run.returncode == 1
    assert "3 added, 0 updated, 0 unchanged, 7 failed" in run.stderr
    for line, problem in [
        (2, "the line is an array, not a document"),
        (3, "the line is the string 'text', not a document"),
        (4, "the line is the number 5, not a document"),
        (5, "the line is null, not a document"),
        (6, "'id' is null; it must be a non-empty string"),
        (7, "turn 0's paragraph 0 is null; it must be a string"),
        (9, "not a line of JSON"),
    ]:
        assert f"failed: {path}:{line}: {problem}" in run.stderr
    assert stored_ids(db) == {"test:0", "test:1", "test:2"}
    again = cli("ingest", str(path), "--db", str(db), "-q")
    no_traceback(again)
    assert again.returncode == 1 and "0 added, 0 updated, 3 unchanged, 7 failed" in again.stderr
    assert check_whole(db) == 3


def test_a_mention_at_a_turn_that_does_not_exist_fails_alone(tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    """Five good documents and, fourth in the same file and batch, one whose mention points at turn 999."""
    docs = [numbered(contract_docs, i) for i in range(6)]
    mentioned = next(i for i, d in enumerate(docs) if len(d["mentions"]) > 3)
    docs.insert(3, docs.pop(mentioned))
    docs[3]["mentions"][3]["turn"] = 999
    path = write_jsonl(tmp_path / "corpus.jsonl", docs)
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert len(report.failed) == 1
    where, reason = report.failed[0]
    assert where == f"{path}:4"
    assert reason.startswith("mention 3 points at turn 999, which does not exist")
    assert sorted(report.added) == sorted(f"{path}:{n}" for n in (1, 2, 3, 5, 6))
    assert stored_ids(db) == {d["id"] for i, d in enumerate(docs) if i != 3}
    again = ingest(db, path)
    assert len(again.unchanged) == 5 and len(again.failed) == 1
    assert check_whole(db) == 5


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to a document: the value at a dotted path (numbers index arrays); ``...`` deletes the key."""
    def change(doc: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for p in parents:
            target = target[p]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return change


def _mention_beyond_text(doc: dict[str, Any]) -> None:
    m = doc["mentions"][0]
    m["end"] = len(doc["turns"][m["turn"]]["text"]) + 5


def _mention_other_text(doc: dict[str, Any]) -> None:
    doc["mentions"][0]["text"] = "Atlantis"


def _text_not_paragraphs(doc: dict[str, Any]) -> None:
    doc["turns"][0]["text"] += " and more"


CONTRACT_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("published", _set("published", "not-a-date"), "'published' 'not-a-date' is not an ISO 8601 date or date-time"),
    ("impossible date", _set("published", "2020-13-45"), "'published' '2020-13-45' is not an ISO 8601 date"),
    ("language number", _set("language", 123), "'language' is the number 123; it must be a language code"),
    ("language code", _set("language", "xx"), "'language' 'xx' is not an ISO 639-1 language code"),
    ("reply_to missing turn", _set("turns.1.reply_to", 9999), "turn 1 replies to turn 9999, which does not exist"),
    ("reply_to later turn", _set("turns.1.reply_to", 2), "turn 1 replies to turn 2, which does not come before it"),
    ("source markup", _set("source", "<script>alert(1)</script>"),
     "'source' '<script>alert(1)</script>' is not a plain name"),
    ("url javascript", _set("url", "javascript:alert(3)"),
     "'url' 'javascript:alert(3)' is not an http or https URL"),
    ("url ipv6", _set("url", "http://[::1"), "'url' 'http://[::1' cannot be parsed (Invalid IPv6 URL)"),
    ("mention offsets", _mention_beyond_text, "mention 0 (characters "),
    ("mention text", _mention_other_text, "mention 0's 'text' 'Atlantis' is not what turn "),
    ("turn order", _set("turns.1.index", 7), "turn 1 has 'index' 7; turns are numbered 0, 1, 2"),
    ("turn kind", _set("turns.0.kind", "speech"), "turn 0's 'kind' is the string 'speech'; turn kinds are"),
    ("turn text", _text_not_paragraphs, "turn 0's 'text' is not its paragraphs joined by a blank line"),
    ("event date", _set("event.date", "yesterday"), "the event's 'date' 'yesterday' is not an ISO 8601 date"),
    ("versions twice", _set("versions", ["en", "ru", "en"]), "'versions' lists 'en' twice"),
    ("empty id", _set("id", ""), "'id' is the string ''; it must be a non-empty string"),
    ("id line break", _set("id", "a\nb"), "'id' 'a\\nb' contains a control character"),
    ("no turns", _set("turns", ...), "the document has no 'turns' field, which the contract requires"),
    ("schema", _set("schema", "x"), "'schema' is the string 'x', expected 'stenogram/document@1'"),
    ("mention value", _set("mentions.0.value", "big"), "mention 0's 'value' is the string 'big'"),
    ("section turn", _set("sections", [{"title": "Syria", "turn": 99}]), "section 0 points at turn 99"),
    ("participant", _set("participants", [{"role": "x"}]), "participant 0 has no 'name' field"),
]


@pytest.mark.parametrize(("change", "problem"), [case[1:] for case in CONTRACT_CASES],
                         ids=[case[0] for case in CONTRACT_CASES])
def test_a_document_that_breaks_the_contract_is_reported_precisely(
        tmp_path: Path, contract_docs: list[dict[str, Any]], change: Callable[[dict[str, Any]], None], problem: str) -> None:
    bad = numbered(contract_docs, 3)           # a briefing: questions, answers, mentions, sections
    assert len(bad["turns"]) > 2 and bad["mentions"]
    change(bad)
    path = write_jsonl(tmp_path / "corpus.jsonl", [numbered(contract_docs, 0), bad, numbered(contract_docs, 1)])
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert len(report.failed) == 1, report.failed
    where, reason = report.failed[0]
    assert where == f"{path}:2"
    assert reason.startswith(problem), reason
    assert stored_ids(db) == {"test:0", "test:1"}


def test_the_validator_accepts_what_the_parser_and_export_write(tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    """A corpus exported as JSONL goes back in whole: nothing the project writes breaks the contract."""
    for doc in contract_docs:
        check_document(doc)
    db = tmp_path / "c.db"
    source = write_jsonl(tmp_path / "in.jsonl", [numbered(contract_docs, i) for i in range(10)])
    assert ingest(db, source).ok
    with stenogram.open(db) as corpus:
        corpus.export("jsonl", tmp_path / "out.jsonl")
    again = tmp_path / "again.db"
    report = ingest(again, tmp_path / "out.jsonl")
    assert report.ok and len(report.added) == 10


# --- a document the store refuses ----------------------------------------------------------------------


def test_a_document_the_store_refuses_is_rolled_back_alone(tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    """The store refuses the fourth document of a batch halfway through writing it (after its row and its turns, at
    its mentions): that document leaves nothing behind, the five others are committed, and the ingest goes on."""
    db = tmp_path / "c.db"
    with stenogram.open(db):
        pass
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON mentions WHEN NEW.turn_id LIKE 'test:3#%' "
                     "BEGIN SELECT RAISE(ABORT, 'mentions of this document are refused'); END")
        conn.commit()
    docs = [numbered(contract_docs, i) for i in range(6)]
    assert docs[3]["mentions"]
    path = write_jsonl(tmp_path / "corpus.jsonl", docs)
    report = ingest(db, path)
    assert report.failed == [(f"{path}:4", "cannot be stored (IntegrityError: mentions of this document are refused)")]
    assert len(report.added) == 5
    assert stored_ids(db) == {f"test:{i}" for i in (0, 1, 2, 4, 5)}
    with stenogram.open(db, read_only=True) as corpus:
        assert not corpus.store.query("SELECT 1 FROM turns WHERE document_id = 'test:3'")
        assert not corpus.store.query("SELECT 1 FROM index_log WHERE document_id = 'test:3'")
    assert check_whole(db) == 5


# --- datasets and parse --url ---------------------------------------------------------------------------

ROWS = [
    ("good", "state.gov-en-2022-press-briefing", "https://www.state.gov/briefings/department-press-briefing-march-1-2022/"),
    ("ipv6", "mid.ru-en-2019-zakharova-briefing", "http://[::1"),
    ("script", "un.org-en-2023-noon-briefing", "javascript:alert(3)"),
    ("empty", None, ""),
    ("also good", "fmprc.gov.cn-en-2023-mao-ning", ""),
]
ROW_PROBLEMS = [
    "row 2: the url 'http://[::1' cannot be parsed (Invalid IPv6 URL)",
    "row 3: the url 'javascript:alert(3)' is not an http or https URL",
    "row 4: the text cell is empty",
]


def _records() -> list[dict[str, str]]:
    return [{"doc_id": ident, "text": (EXAMPLES / f"{name}.txt").read_text("utf-8") if name else "  ", "url": url}
            for ident, name, url in ROWS]


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_dataset_rows_with_bad_urls_are_reported_with_file_and_row(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"rows.{kind}"
    if kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["doc_id", "text", "url"])
            writer.writeheader()
            writer.writerows(_records())
    else:
        pq.write_table(pa.Table.from_pylist(_records()), path)
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert len(report.added) == 2
    assert [where for where, _ in report.failed] == [str(path)] * 3
    for (_, reason), problem in zip(report.failed, ROW_PROBLEMS, strict=True):
        assert reason.startswith(problem), reason
    # the row's own error names the file and the row
    rows = list(iter_dataset(path))
    with pytest.raises(DatasetError) as info:
        row_to_document(rows[3])
    assert str(info.value).startswith(f"{path}: row 4: the text cell is empty")
    run = cli("ingest", str(path), "--db", str(tmp_path / "cli.db"), "-q")
    no_traceback(run)
    assert run.returncode == 1 and "2 added, 0 updated, 0 unchanged, 3 failed" in run.stderr
    assert f"failed: {path}: row 2: the url 'http://[::1' cannot be parsed" in run.stderr


@pytest.mark.parametrize(("url", "problem"), [
    ("http://[::1", "the URL 'http://[::1' cannot be parsed (Invalid IPv6 URL)"),
    ("http://example.org:99999/", "the URL 'http://example.org:99999/' cannot be parsed (Port out of range"),
    ("javascript:alert(1)", "the URL 'javascript:alert(1)' is not an http or https URL"),
])
def test_parse_with_a_url_that_does_not_parse_is_a_one_line_error(url: str, problem: str) -> None:
    run = cli("parse", str(EXAMPLES / "state.gov-en-2022-press-briefing.txt"), "--url", url)
    no_traceback(run)
    assert run.returncode == 1 and not run.stdout
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {problem}"), run.stderr


# --- web archives -----------------------------------------------------------------------------------------


class Archive:
    """A WARC built record by record, with where each record begins and ends in the file."""

    def __init__(self, *, gzipped: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzipped)
        self.spans: list[tuple[int, int]] = []
        self.pages: dict[int, bytes] = {}      # record number (from 1) → the page's body
        self.urls: dict[int, str] = {}
        self.write(self.writer.create_warcinfo_record("crawl.warc", {"software": "stenogram tests"}))

    def write(self, record: Any) -> int:
        start = self.buffer.tell()
        self.writer.write_record(record)
        self.spans.append((start, self.buffer.tell()))
        return len(self.spans)

    def page(self, url: str, body: bytes) -> int:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        n = self.write(self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        self.pages[n] = body
        self.urls[n] = url
        return n

    def request(self, url: str) -> int:
        request(self.writer, url)
        self.spans.append((self.spans[-1][1], self.buffer.tell()))
        return len(self.spans)

    def image(self, url: str) -> int:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        return self.write(self.writer.create_warc_record(url, "response", payload=io.BytesIO(b"\x89PNG" + bytes(600)),
                                                         http_headers=headers))

    @property
    def data(self) -> bytes:
        return self.buffer.getvalue()


def five_pages(*, gzipped: bool = True) -> Archive:
    """warcinfo, five fixture pages, a request before the fourth and an image after it: nine records."""
    archive = Archive(gzipped=gzipped)
    for i, (url, name) in enumerate(PAGES):
        if i == 3:
            archive.request(url)
        archive.page(url, html_page(name))
        if i == 3:
            archive.image("https://example.org/logo.png")
    return archive


def titles_of(archive: Archive, records: Callable[[int], bool]) -> set[str]:
    """The titles the archive's pages in these records parse to."""
    return {process(body, name=archive.urls[n], url=archive.urls[n]).title
            for n, body in archive.pages.items() if records(n)}


def test_warc_records_without_a_usable_target_uri_are_reported(tmp_path: Path) -> None:
    archive = Archive()
    first = archive.page(PAGES[0][0], html_page(PAGES[0][1]))
    empty = archive.page("", html_page(PAGES[1][1]))
    ipv6 = archive.page("http://[::1", html_page(PAGES[2][1]))
    script = archive.page("javascript:alert(3)", html_page(PAGES[3][1]))
    last = archive.page(PAGES[4][0], html_page(PAGES[4][1]))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(archive.data)
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert sorted(report.added) == sorted([PAGES[0][0], PAGES[4][0]])
    assert [where for where, _ in report.failed] == [str(path)] * 3
    reasons = [reason for _, reason in report.failed]
    assert reasons[0].startswith(f"record {empty} (at byte {archive.spans[empty - 1][0]}): it is a response record with no WARC-Target-URI")
    assert reasons[1].startswith(f"record {ipv6} (at byte {archive.spans[ipv6 - 1][0]}): ")
    assert "'http://[::1'" in reasons[1]
    assert reasons[2].startswith(f"record {script} (at byte {archive.spans[script - 1][0]}): ")
    assert "'javascript:alert(3)' is not an http or https URL" in reasons[2]
    assert first == 2 and last == 6 and len(stored_ids(db)) == 2


def test_a_damaged_record_is_named_and_reading_goes_on(tmp_path: Path) -> None:
    """Bytes overwritten inside the gzip data of the third page: that record is reported by its number and the byte
    its gzip member begins at, and every other page is read."""
    archive = five_pages()
    damaged = sorted(archive.pages)[2]
    start, end = archive.spans[damaged - 1]
    data = bytearray(archive.data)
    middle = (start + end) // 2
    data[middle:middle + 16] = b"\x00" * 16
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(bytes(data))
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert len(report.added) == 4
    assert report.failed == [(str(path), report.failed[0][1])]
    assert report.failed[0][1].startswith(f"record {damaged} (at byte {start}) cannot be read: its gzip data is damaged")
    assert stored_titles(db) == titles_of(archive, lambda n: n != damaged)


def test_damaged_headers_of_an_uncompressed_warc(tmp_path: Path) -> None:
    """The first record's version line overwritten (which stopped the reader with a TypeError), and the length of the
    third page made larger than the file: each is reported by number and byte, and the pages between and after go in."""
    archive = five_pages(gzipped=False)
    data = archive.data
    assert data.startswith(b"WARC/1.0\r\n")
    data = b"WARC/9.9" + data[8:]
    third = sorted(archive.pages)[2]
    start, end = archive.spans[third - 1]
    record = data[start:end]
    length = record.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0]
    data = data[:start] + record.replace(b"Content-Length: " + length, b"Content-Length: 9" + length[1:], 1) + data[end:]
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert len(report.added) == 4
    reasons = [reason for where, reason in report.failed if where == str(path)]
    assert len(reasons) == 2 == len(report.failed)
    assert reasons[0].startswith("record 1 (at byte 0): its headers cannot be read"), reasons[0]
    assert reasons[1].startswith(f"record {third} (at byte {start}) cannot be read: "), reasons[1]
    assert len(stored_ids(db)) == 4


@pytest.mark.parametrize(("gzipped", "where"), [(True, "request"), (True, "page"), (False, "header")])
def test_a_cut_short_archive_is_never_zero_failed(tmp_path: Path, gzipped: bool, where: str) -> None:
    """The file ends inside the request before the fourth page (whose absence was not reported), inside the fourth
    page, or inside a record's header: the pages before it go in and the report says the archive ends early."""
    archive = five_pages(gzipped=gzipped)
    fourth = sorted(archive.pages)[3]
    record = fourth - 1 if where == "request" else fourth
    start, end = archive.spans[record - 1]
    cut = start + 40 if where == "header" else (start + end) // 2
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(archive.data[:cut])
    db = tmp_path / "c.db"
    report = ingest(db, path)
    assert report.failed == [(str(path), report.failed[0][1])]
    assert report.failed[0][1].startswith(f"the archive ends early, inside record {record} (at byte {start}): the file is "
                                          f"cut short after record {record - 1}")
    assert stored_titles(db) == titles_of(archive, lambda n: n < record)
    run = cli("ingest", str(path), "--db", str(tmp_path / "cli.db"), "-q")
    no_traceback(run)
    assert run.returncode == 1 and "3 added, 0 updated, 0 unchanged, 1 failed" in run.stderr


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def small_archives() -> dict[bool, Archive]:
    return {True: five_pages(gzipped=True), False: five_pages(gzipped=False)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gzipped=st.booleans(), cut=st.booleans(), where=st.floats(0, 1, exclude_max=True),
       noise=st.binary(min_size=1, max_size=12))
def test_any_cut_or_overwrite_of_a_warc_is_read_or_reported(small_archives: dict[bool, Archive], tmp_path: Path,
                                                          gzipped: bool, cut: bool, where: float, noise: bytes) -> None:
    """Whatever the damage: no exception escapes; every page whose record lies wholly before the damage is read;
    when a page is missing, a failure says so; and in a gzipped archive every page whose record the damage does
    not touch is read (the reader goes on at the next record it finds)."""
    archive = small_archives[gzipped]
    original = archive.data
    at = int(where * len(original))
    data = original[:at] if cut else original[:at] + noise + original[at + len(noise):]
    if cut and at == 0:
        data = original[:1]
    damage_end = at if cut else at + len(noise)
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / ("crawl.warc.gz" if gzipped else "crawl.warc")
    path.write_bytes(data)
    pages: list[WarcPage] = []
    failures: list[DatasetError] = []
    try:
        for item in read_warc(path):
            (failures if isinstance(item, DatasetError) else pages).append(item)   # type: ignore[arg-type]
    except DatasetError as exc:        # the file as a whole is not an archive any more
        failures.append(exc)
    got = {_sha(p.data) for p in pages}
    for n, body in archive.pages.items():
        start, end = archive.spans[n - 1]
        if end <= at:
            assert _sha(body) in got, f"page of record {n} before the damage at {at} was not read: {failures}"
        if not cut and (end <= at or start >= damage_end):
            assert _sha(body) in got, f"page of record {n} outside the damage {at}–{damage_end} was not read: {failures}"
    missing = [n for n, body in archive.pages.items() if _sha(body) not in got]
    whole = cut and any(start == at or (not gzipped and end - 4 <= at <= end) for start, end in archive.spans)
    if missing and not whole:
        assert failures, f"pages of records {missing} are missing and nothing was reported (damage at {at})"
    if gzipped and cut and not whole:
        assert failures, "a gzipped archive cut inside a gzip member must be reported"
    for failure in failures:
        assert str(failure).startswith(f"{path}: ")


# --- JSON values of any kind as lines ---------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


@st.composite
def mutated_documents(draw: st.DrawFn, template: dict[str, Any]) -> Any:
    """A valid document with one value replaced by any JSON value, or one key taken away."""
    doc = copy.deepcopy(template)
    paths = [p for p in _paths(doc) if p]
    where = draw(st.sampled_from(paths))
    parent: Any = doc
    for key in where[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[where[-1]]
    else:
        parent[where[-1]] = draw(json_values)
    return doc


@pytest.fixture(scope="module")
def small_doc(contract_docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The smallest example document with mentions, under the id ``mutated``."""
    doc = copy.deepcopy(min((d for d in contract_docs if d["mentions"]), key=lambda d: len(json.dumps(d))))
    doc["id"] = "mutated"
    return doc


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_line_is_stored_or_reported(tmp_path: Path, contract_docs: list[dict[str, Any]],
                                             small_doc: dict[str, Any], data: st.DataObject) -> None:
    """Lines of any JSON value, and documents with one value changed or one key taken away, between two valid
    documents: nothing escapes as an exception, each failure is a clean one naming its line, a line that follows the
    contract is stored, and the valid documents around them always are."""
    odd = data.draw(st.lists(json_values | mutated_documents(small_doc), min_size=1, max_size=4))
    lines = [numbered(contract_docs, 0), *odd, numbered(contract_docs, 1)]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = write_jsonl(folder / "corpus.jsonl", [json.dumps(line) for line in lines])
    report = ingest(folder / "c.db", path)
    failed = dict(report.failed)
    assert len(failed) == len(report.failed)
    for n, value in enumerate(lines, 1):
        where = f"{path}:{n}"
        try:
            check_document(orjson.loads(json.dumps(value)))
        except ContractViolation:
            assert where in failed, f"line {n} breaks the contract but was not reported"
            assert "unexpected error" not in failed[where], failed[where]
        else:
            assert where not in failed, failed[where]
    ids = stored_ids(folder / "c.db")
    assert {"test:0", "test:1"} <= ids
    check_whole(folder / "c.db")


# --- file names that are not UTF-8 ------------------------------------------------------------------------


def test_file_names_that_are_not_utf8(tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = os.fsencode(folder)
    with open(os.path.join(raw, b"bad\xff.txt"), "wb") as fh:
        fh.write((EXAMPLES / "state.gov-en-2022-press-briefing.txt").read_bytes())
    with open(os.path.join(raw, b"empty\xfe.txt"), "wb") as fh:
        fh.write(b"   \n")
    with open(os.path.join(raw, b"lines\xfd.jsonl"), "wb") as fh:
        fh.write(json.dumps(numbered(contract_docs, 7)).encode() + b"\n")
    db = tmp_path / "c.db"
    run = cli("ingest", str(folder), "--db", str(db))
    no_traceback(run)
    assert run.returncode == 1
    assert "2 added, 0 updated, 0 unchanged, 1 failed" in run.stderr
    assert f"failed: {folder}/empty\\xfe.txt: the file is empty" in run.stderr
    with stenogram.open(db, read_only=True) as corpus:
        origins = {r[0] for r in corpus.store.query("SELECT origin FROM documents")}
    assert origins == {f"{folder.resolve()}/bad\\xff.txt", f"{folder}/lines\\xfd.jsonl:1"}
    again = cli("ingest", str(folder), "--db", str(db))
    no_traceback(again)
    assert "0 added, 0 updated, 2 unchanged, 1 failed" in again.stderr


# --- parsing processes end with their ingest --------------------------------------------------------------


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            kids |= {int(k) for k in (task / "children").read_text().split()}
    return kids


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _committed(db: Path) -> int:
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_parsing_processes_end_when_the_ingest_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "generated"
    folder.mkdir()
    for name, text in generated(600, seed=17, size=6000):
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "ingest", str(folder), "--db", str(db),
                             "--jobs", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and (len(workers) < 2 or _committed(db) < 1):
            workers |= _children(proc.pid)
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) >= 2, "the ingest ended before its workers could be seen"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.1)
        alive = {w for w in workers if _running(w)}
        assert not alive, f"parsing processes {sorted(alive)} outlived the ingest that started them"
    finally:
        for w in workers:
            if _running(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    n = check_whole(db)
    assert 0 < n < 600, "the ingest was not interrupted halfway; make the corpus larger"


def test_corpus_add_checks_the_contract_as_ingest_does(tmp_path: Path, contract_docs: list[dict[str, Any]]) -> None:
    """The Python door refuses what the JSONL door refuses: nothing of the document is stored."""
    good = Document.from_json(numbered(contract_docs, 0))
    bad = Document.from_json({**numbered(contract_docs, 1), "url": "javascript:alert(3)"})
    with stenogram.open(tmp_path / "c.db") as corpus:
        with pytest.raises(ContractError, match="url"):
            corpus.add(bad)
        assert corpus.add(good) == "added"
        assert [r[0] for r in corpus.store.query("SELECT id FROM documents")] == [good.id]
