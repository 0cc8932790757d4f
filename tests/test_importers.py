"""Importers: HTML pages out of WARC files, rows out of CSV and Parquet datasets, rows parsed into documents.

Every archive and dataset is built here, in tmp_path, from the golden fixtures' text: warcio's WARCWriter for
the archives, the csv module and pyarrow for the datasets."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import html
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from stenogram.collect import importers
from stenogram.collect.importers import (
    DatasetError,
    DatasetRow,
    NoTextColumn,
    WarcPage,
    is_dataset,
    is_warc,
    iter_dataset,
    iter_warc,
    page_to_document,
    row_to_document,
)
from stenogram.errors import StenogramError
from stenogram.model import Document
from stenogram.parse import parse_bytes_auto

DOCS = Path(__file__).parent / "fixtures" / "docs"
SEED = "mid.ru-en-2020-11-25-lavrov-hussein"
KREMLIN = "kremlin.ru-en-2018-putin-erdogan-press-statements"
KREMLIN_RU = "kremlin.ru-ru-2021-putin-press-conference"
STATE = "state.gov-en-2022-press-briefing"
URLS = {
    SEED: "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4452960",
    KREMLIN: "http://en.kremlin.ru/events/president/news/57199",
    KREMLIN_RU: "http://kremlin.ru/events/president/news/65870",
    STATE: "https://www.state.gov/briefings/department-press-briefing-march-1-2022/",
}


def text_of(name: str) -> str:
    return (DOCS / f"{name}.txt").read_text("utf-8")


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCS / f"{name}.expected.json").read_text("utf-8"))
    return data


def turns_of(doc: Document) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.kind) for t in doc.turns]


def expected_turns(name: str) -> list[tuple[str | None, str]]:
    return [(t["speaker"], t["kind"]) for t in expected(name)["turns"]]


# --- building pages and archives ----------------------------------------------------------------------


def html_page(name: str) -> bytes:
    """The fixture as a web page: the title in <h1>, each paragraph in <p>, lines above the title (the date, the
    site's chrome) above it, with a menu and a footer around the article."""
    lines = [" ".join(line.split()) for line in text_of(name).splitlines() if line.strip()]
    title = expected(name)["title"]
    at = lines.index(title)
    dates = [line for line in lines[:at] if re.search(r"(?:19|20)\d\d", line)]
    chrome = [line for line in lines[:at] if line not in dates]
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title></head><body>",
        '<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news/">News</a></li>'
        '<li><a href="/about/">About us</a></li><li><a href="/contacts/">Contacts</a></li></ul></nav>',
        *(f'<div class="toolbar">{esc(line)}</div>' for line in chrome),
        "<main><article>",
        *(f'<p class="date">{esc(line)}</p>' for line in dates),
        f"<h1>{esc(title)}</h1>",
        *(f"<p>{esc(line)}</p>" for line in lines[at + 1:]),
        "</article></main>",
        '<footer><p>© 2024 All rights reserved.</p><a href="/privacy/">Privacy policy</a> <a href="/rss/">RSS</a></footer>',
        "</body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


def chunked(data: bytes, size: int = 997) -> bytes:
    """HTTP/1.1 chunked transfer encoding."""
    out = io.BytesIO()
    for start in range(0, len(data), size):
        piece = data[start:start + size]
        out.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    out.write(b"0\r\n\r\n")
    return out.getvalue()


def http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def response(writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK", content_type: str | None = "text/html; charset=utf-8",
             extra: list[tuple[str, str]] | None = None, date: str = "2024-05-01T10:00:00Z") -> None:
    headers = [("Content-Type", content_type)] if content_type is not None else []
    headers += extra if extra is not None else [("Content-Length", str(len(body)))]
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http(status, headers),
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)


def request(writer: WARCWriter, url: str) -> None:
    path = "/" + url.split("/", 3)[3]
    headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", url.split("/")[2]), ("Accept", "text/html")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=headers))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.fixture
def archive(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A gzipped WARC as a crawler writes it: warcinfo, requests, two HTML transcripts, an image, a 404, a revisit,
    a metadata record, and a transcript sent with Transfer-Encoding: chunked and Content-Encoding: gzip."""
    pages = {URLS[SEED]: html_page(SEED), URLS[KREMLIN]: html_page(KREMLIN), URLS[STATE]: html_page(STATE)}
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "stenogram tests", "format": "WARC 1.0"}))
        request(writer, URLS[SEED])
        response(writer, URLS[SEED], pages[URLS[SEED]], date="2024-05-01T10:00:00Z")
        request(writer, "https://www.mid.ru/logo.png")
        response(writer, "https://www.mid.ru/logo.png", PNG, content_type="image/png")
        response(writer, URLS[KREMLIN], pages[URLS[KREMLIN]], content_type="text/html;charset=UTF-8", date="2024-05-01T10:00:05Z")
        response(writer, "https://www.mid.ru/en/missing/", b"<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>",
                 status="404 Not Found")
        revisit = writer.create_revisit_record(
            URLS[SEED], digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=URLS[SEED], refers_to_date="2024-05-01T10:00:00Z",
            http_headers=http("200 OK", [("Content-Type", "text/html; charset=utf-8")]),
        )
        writer.write_record(revisit)
        writer.write_record(writer.create_warc_record(
            URLS[SEED], "metadata", payload=io.BytesIO(b"outlink: https://www.mid.ru/en/\n"), warc_content_type="application/warc-fields",
        ))
        body = chunked(gzip.compress(pages[URLS[STATE]]))
        response(writer, URLS[STATE], body, extra=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
                 date="2024-05-01T10:00:09Z")
    return path, pages


# --- WARC ---------------------------------------------------------------------------------------------


def test_warc_yields_exactly_the_html_pages(archive: tuple[Path, dict[str, bytes]]) -> None:
    path, pages = archive
    got = list(iter_warc(path))
    assert [p.url for p in got] == [URLS[SEED], URLS[KREMLIN], URLS[STATE]]
    for page in got:
        assert isinstance(page, WarcPage)
        assert page.data == pages[page.url]   # the chunked, gzipped one decoded too
    assert [p.charset for p in got] == ["utf-8", "UTF-8", "utf-8"]
    assert [p.date for p in got] == ["2024-05-01T10:00:00Z", "2024-05-01T10:00:05Z", "2024-05-01T10:00:09Z"]


@pytest.mark.parametrize("name", [SEED, KREMLIN, STATE])
def test_warc_pages_parse_to_the_fixture_turns(archive: tuple[Path, dict[str, bytes]], name: str) -> None:
    path, _ = archive
    page = next(p for p in iter_warc(path) if p.url == URLS[name])
    doc = parse_bytes_auto(page.data, name=page.url, url=page.url, charset=page.charset)
    want = expected(name)
    assert len(doc.turns) == len(want["turns"])
    assert turns_of(doc) == expected_turns(name)
    assert doc.title == want["title"]
    assert doc.source == want["source"]
    assert doc.url == URLS[name]
    assert not any("All rights reserved" in t.text or "About us" in t.text for t in doc.turns)
    assert page_to_document(page).turns == doc.turns


def test_seed_page_has_seven_turns(archive: tuple[Path, dict[str, bytes]]) -> None:
    path, _ = archive
    doc = page_to_document(next(iter_warc(path)))
    assert len(doc.turns) == 7 == len(expected(SEED)["turns"])
    assert doc.id == "mid.ru:4452960:en"
    assert doc.published == expected(SEED)["published"]


def _write_warc(path: Path, *, gzip_records: bool, records: list[tuple[str, bytes, list[tuple[str, str]]]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip_records)
        for url, body, headers in records:
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http("200 OK", headers))
            writer.write_record(record)


def test_warc_uncompressed_and_sniffed_types(tmp_path: Path) -> None:
    """A plain .warc; a response with no Content-Type is a page when its body is HTML, and not when it is not;
    'Transfer-Encoding: Chunked' in capitals is chunked too; XHTML counts as HTML."""
    page = html_page(SEED)
    path = tmp_path / "plain.warc"
    _write_warc(path, gzip_records=False, records=[
        ("https://mid.ru/a", page, []),
        ("https://mid.ru/b.json", b'{"items": []}', []),
        ("https://mid.ru/c", chunked(page, 4096), [("Content-Type", "text/html"), ("Transfer-Encoding", "Chunked")]),
        ("https://mid.ru/d", page, [("Content-Type", "application/xhtml+xml; charset=\"windows-1251\"")]),
        ("https://mid.ru/e.txt", b"plain text", [("Content-Type", "text/plain")]),
    ])
    got = list(iter_warc(path))
    assert [p.url for p in got] == ["https://mid.ru/a", "https://mid.ru/c", "https://mid.ru/d"]
    assert all(p.data == page for p in got)
    assert [p.charset for p in got] == [None, None, "windows-1251"]


def test_warc_gzipped_as_one_stream(tmp_path: Path) -> None:
    """`gzip crawl.warc` makes one gzip stream instead of one per record; it is read all the same."""
    plain = tmp_path / "plain.warc"
    pages = [(f"https://mid.ru/{n}", html_page(name), [("Content-Type", "text/html")]) for n, name in enumerate((SEED, KREMLIN, STATE))]
    _write_warc(plain, gzip_records=False, records=pages)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    assert [p.url for p in iter_warc(whole)] == [url for url, _, _ in pages]
    assert [p.data for p in iter_warc(whole)] == [body for _, body, _ in pages]


@pytest.mark.parametrize("content", [
    b"\x00\x01garbage\xff" * 100,
    b"<!DOCTYPE html><html><body><p>a saved page</p></body></html>",
    gzip.compress(b"this is gzip, but not of a WARC file\n" * 50, mtime=0),   # the same bytes in every worker that collects it
    b"\x1f\x8b\x08\x00broken gzip",
])
def test_not_a_warc(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as info:
        iter_warc(path)   # at once, before the first page
    assert isinstance(info.value, StenogramError)
    assert str(path) in str(info.value)
    assert "WARC" in str(info.value) or "gzip" in str(info.value)


def test_warc_missing_or_empty(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        iter_warc(tmp_path / "nothing.warc")
    (tmp_path / "empty.warc").write_bytes(b"")
    with pytest.raises(DatasetError, match="empty"):
        iter_warc(tmp_path / "empty.warc")


def test_warc_damaged_after_the_first_record(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    _write_warc(path, gzip_records=False, records=[("https://mid.ru/a", html_page(SEED), [("Content-Type", "text/html")])])
    with path.open("ab") as fh:
        fh.write(b"garbage where the next record should start\r\n\r\n")
    pages = iter_warc(path)
    assert next(pages).url == "https://mid.ru/a"
    with pytest.raises(DatasetError, match="cannot be read"):
        next(pages)


@pytest.mark.parametrize("gzip_records", [False, True])
def test_warc_cut_short(tmp_path: Path, gzip_records: bool) -> None:
    """An interrupted download or crawl: the last record ends early. The pages before it come out, then an error."""
    path = tmp_path / ("cut.warc.gz" if gzip_records else "cut.warc")
    _write_warc(path, gzip_records=gzip_records, records=[
        ("https://mid.ru/a", html_page(SEED), [("Content-Type", "text/html")]),
        ("https://mid.ru/b", html_page(STATE) + random.Random(0).randbytes(100_000), [("Content-Type", "text/html")]),
    ])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20000])
    pages = iter_warc(path)
    assert next(pages).url == "https://mid.ru/a"
    with pytest.raises(DatasetError, match="cut short"):
        next(pages)


def test_arc_file(tmp_path: Path) -> None:
    """The older ARC format (Internet Archive crawls) is read too."""
    page = html_page(KREMLIN)
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(page), page)
    image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n" + PNG
    version = b"1 0 stenogram tests\nURL IP-address Archive-date Content-type Archive-length\n"
    data = b"filedesc://crawl.arc 0.0.0.0 20180404000000 text/plain %d\n%s\n" % (len(version), version)
    data += b"%s 95.173.136.70 20180404101500 text/html %d\n%s\n" % (URLS[KREMLIN].encode(), len(reply), reply)
    data += b"http://en.kremlin.ru/logo.png 95.173.136.70 20180404101501 image/png %d\n%s\n" % (len(image), image)
    path = tmp_path / "crawl.arc"
    path.write_bytes(data)
    (got,) = list(iter_warc(path))
    assert (got.url, got.data, got.charset, got.date) == (URLS[KREMLIN], page, "utf-8", "2018-04-04T10:15:00Z")
    assert turns_of(page_to_document(got)) == expected_turns(KREMLIN)


def test_suffixes() -> None:
    assert is_warc("a/crawl.warc.gz") and is_warc("x.WARC") and not is_warc("x.csv")
    assert is_dataset("mid.csv") and is_dataset("kremlin.parquet") and is_dataset("x.tsv.gz") and not is_dataset("x.warc")


# --- datasets -------------------------------------------------------------------------------------------

DATASET = [SEED, KREMLIN, KREMLIN_RU]
TRANSLATIONS = {
    SEED: ["https://www.mid.ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4452951",
           "https://www.mid.ru/de/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4452962"],
    KREMLIN: ["http://kremlin.ru/events/president/news/57198"],
    KREMLIN_RU: [],
}
COUNTRIES = {SEED: ["IQ", "RU", "SY"], KREMLIN: ["TR", "RU"], KREMLIN_RU: ["US", "RU"]}
DATETIMES = {SEED: "2020-11-25 16:19:00", KREMLIN: "2018-04-03 00:00:00", KREMLIN_RU: "2021-06-16 00:00:00"}


def dataset_records() -> list[dict[str, Any]]:
    return [
        {
            "doc_id": 100 + n, "text": text_of(name), "date": DATETIMES[name][:10], "datetime": DATETIMES[name],
            "title": expected(name)["title"], "url": URLS[name], "translations": TRANSLATIONS[name], "countries": COUNTRIES[name],
        }
        for n, name in enumerate(DATASET)
    ]


def write_csv(path: Path, records: list[dict[str, Any]], *, delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]), delimiter=delimiter)
        writer.writeheader()
        for record in records:
            # lists as pandas writes them: their Python repr
            writer.writerow({k: repr(v) if isinstance(v, list) else v for k, v in record.items()})


def write_parquet(path: Path, records: list[dict[str, Any]], *, row_group_size: int | None = None) -> None:
    table = pa.Table.from_pylist(records)
    pq.write_table(table, path, row_group_size=row_group_size)


def check_rows(rows: list[DatasetRow]) -> None:
    assert [r.row for r in rows] == [1, 2, 3]
    for row, name in zip(rows, DATASET, strict=True):
        assert row.url == URLS[name]
        assert row.text == text_of(name)
        assert row.title == expected(name)["title"]
        assert row.published == DATETIMES[name]
        assert row.date == DATETIMES[name][:10]
        assert row.doc_id == str(100 + DATASET.index(name))
        assert row.language is None
        assert row.translations == TRANSLATIONS[name]
        assert row.countries == COUNTRIES[name]


def check_documents(rows: list[DatasetRow]) -> None:
    for row, name in zip(rows, DATASET, strict=True):
        doc = row_to_document(row)
        want = expected(name)
        assert turns_of(doc) == expected_turns(name), name
        for field in ("source", "language", "title", "published", "kind"):
            assert getattr(doc, field) == want[field], (name, field)
        assert doc.url == URLS[name]
    seed, kremlin, kremlin_ru = (row_to_document(r) for r in rows)
    assert seed.id == "mid.ru:4452960:en" and kremlin.id == "kremlin.ru:57199:en" and kremlin_ru.id == "kremlin.ru:65870:ru"
    assert seed.versions == tuple(expected(SEED)["versions"])   # the page's language bar wins
    assert kremlin.versions == ("en", "ru")                     # from the translations column: the page has none
    assert kremlin_ru.versions == ()


def test_csv_dataset(tmp_path: Path) -> None:
    path = tmp_path / "mid.csv"
    write_csv(path, dataset_records())
    rows = list(iter_dataset(path))
    check_rows(rows)
    check_documents(rows)


def test_parquet_dataset(tmp_path: Path) -> None:
    path = tmp_path / "kremlin.parquet"
    write_parquet(path, dataset_records())
    rows = list(iter_dataset(path))
    check_rows(rows)
    check_documents(rows)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "data.csv"
    write_csv(path, dataset_records(), delimiter=delimiter)
    check_rows(list(iter_dataset(path)))


def test_column_variants_case_insensitive(tmp_path: Path) -> None:
    """ID, Body, Headline, Link, Published, Lang: common names in any case; unknown columns are ignored."""
    path = tmp_path / "data.tsv.gz"
    text = text_of(KREMLIN_RU)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["ID", "Headline", "Body", "Link", "Published", "Lang", "Versions", "Country", "views"])
        writer.writerow(["k-65870", expected(KREMLIN_RU)["title"], text, URLS[KREMLIN_RU], "2021-06-16T18:00:00+03:00", "ru",
                         "en; ru", "United States; Russia", "1234"])
        writer.writerow([])   # a blank line is not a row
        writer.writerow(["k-2", "", "Short text.", "", "", "", "", "", ""])
    first, second = list(iter_dataset(path))
    assert (first.row, first.doc_id, first.url, first.language, first.text) == (1, "k-65870", URLS[KREMLIN_RU], "ru", text)
    assert first.published == "2021-06-16T18:00:00+03:00" and first.date is None
    assert first.translations == ["en", "ru"] and first.countries == ["United States", "Russia"]
    assert (second.row, second.title, second.url, second.published, second.translations) == (2, None, None, None, [])


def test_csv_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "meta.csv"
    path.write_text("doc_id,Title,url,date\n1,Press conference,https://mid.ru/x,2020-01-01\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        iter_dataset(path)
    error = info.value
    assert isinstance(error, NoTextColumn)
    message = str(error)
    for column in ("doc_id", "Title", "url", "date"):
        assert repr(column) in message
    for needed in ("text", "body", "content", "transcript"):
        assert needed in message
    assert error.found == ("doc_id", "Title", "url", "date")


def test_parquet_without_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "meta.parquet"
    write_parquet(path, [{"doc_id": 1, "title": "x"}])
    with pytest.raises(NoTextColumn, match="'doc_id', 'title'"):
        iter_dataset(path)


def test_csv_huge_field(tmp_path: Path) -> None:
    """A text far over the csv module's default field limit (128 KiB)."""
    body = "\n\n".join(f"Paragraph {n}, with a comma; and a semicolon, and \"quotes\"." + " word" * 200 for n in range(1200))
    assert len(body) > 1_000_000
    text = text_of(SEED) + "\n\n" + body
    path = tmp_path / "huge.csv"
    write_csv(path, [{"text": text, "title": expected(SEED)["title"], "url": URLS[SEED]}, {"text": "next row", "title": "", "url": ""}])
    rows = list(iter_dataset(path))
    assert len(rows) == 2 and rows[0].text == text and rows[1].text == "next row"
    assert len(row_to_document(rows[0]).turns) == 7


def test_parquet_streams_by_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "PARQUET_BATCH_ROWS", 7)
    records = [{"Content": f"Text {n}", "published": dt.datetime(2020, 1, 1, 12, n % 60, tzinfo=dt.UTC), "lang": None}
               for n in range(50)]
    path = tmp_path / "many.parquet"
    write_parquet(path, records, row_group_size=16)
    batches: list[int] = []
    real = pq.ParquetFile.iter_batches

    def spy(self: pq.ParquetFile, *args: Any, **kwargs: Any) -> Any:
        batches.append(kwargs["batch_size"])
        assert kwargs["columns"] == ["Content", "published", "lang"]
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    rows = iter_dataset(path)
    first = next(rows)
    assert (first.row, first.text, first.published, first.language) == (1, "Text 0", "2020-01-01T12:00:00+00:00", None)
    rest = list(rows)
    assert [r.row for r in rest] == list(range(2, 51)) and rest[-1].text == "Text 49"
    assert batches == [7]


def test_dataset_errors(tmp_path: Path) -> None:
    bad_parquet = tmp_path / "bad.parquet"
    bad_parquet.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DatasetError, match="Parquet"):
        iter_dataset(bad_parquet)
    other = tmp_path / "data.xlsx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(DatasetError, match="CSV"):
        iter_dataset(other)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"text,title\n" + "Question: caf\xe9 ?,t\n".encode("cp1252"))
    with pytest.raises(DatasetError, match="UTF-8"):
        list(iter_dataset(latin))
    with pytest.raises(DatasetError, match="no such file"):
        iter_dataset(tmp_path / "missing.csv")


# --- rows → documents -------------------------------------------------------------------------------------


def _row(text: str, **fields: Any) -> DatasetRow:
    values: dict[str, Any] = {"row": 1, "url": None, "text": text, "title": None, "published": None, "date": None, "doc_id": None,
                              "language": None, "translations": [], "countries": []}
    values.update(fields)
    return DatasetRow(**values)


def _without_header(name: str, last_header_line: str) -> str:
    text = text_of(name)
    at = text.index(last_header_line) + len(last_header_line)
    return text[at:]


@pytest.mark.parametrize(("published", "url"), [
    ("2020-11-25 16:19:00", URLS[SEED]),
    ("2020-11-25T13:19:00Z", "mid.ru/en/foreign_policy/news/4452960/"),
    ("2020-11-25T16:19:00+03:00", None),
])
def test_text_without_header_gets_title_and_date(published: str, url: str | None) -> None:
    """Datasets often keep only the body: the title and date in front let the parser read kind, event, participants."""
    body = _without_header(SEED, "ru-RU1 fr-FR1")
    assert not body.lstrip().startswith(("25 November", "Foreign Minister"))
    want = expected(SEED)
    doc = row_to_document(_row(body, title=want["title"], published=published, url=url, translations=["de", "en-GB", "es", "fr", "ru"]))
    assert turns_of(doc) == expected_turns(SEED)
    assert doc.title == want["title"]
    assert doc.published == want["published"]
    assert doc.kind == want["kind"] and doc.event.to_json() == want["event"]
    assert [p.name for p in doc.participants] == [p["name"] for p in want["participants"]]
    assert doc.versions == tuple(want["versions"])
    if url:
        assert doc.id == "mid.ru:4452960:en"
    else:   # no site id in the URL: the parser's content id, the same for the same text
        assert doc.id.startswith("sha256:")
        again = row_to_document(_row(body, title=want["title"], published=published, url=url,
                                     translations=["de", "en-GB", "es", "fr", "ru"]))
        assert again.id == doc.id


def test_row_fills_date_only_where_the_parse_found_none() -> None:
    body = _without_header(KREMLIN, "April 3, 2018, Ankara")
    doc = row_to_document(_row(body, url=URLS[KREMLIN], title=expected(KREMLIN)["title"], date="2018-04-03", doc_id="57199"))
    assert turns_of(doc) == expected_turns(KREMLIN)
    assert doc.published == "2018-04-03"
    assert doc.id == "kremlin.ru:57199:en"
    # the text's own header wins over the dataset's values
    own = row_to_document(_row(text_of(SEED), title="Another title", published="2001-01-01 10:00", url=URLS[SEED]))
    assert own.title == expected(SEED)["title"] and own.published == expected(SEED)["published"]


def test_row_without_title_or_date_keeps_the_parse() -> None:
    doc = row_to_document(_row(text_of(STATE), url=URLS[STATE]))
    assert turns_of(doc) == expected_turns(STATE)
    assert doc.title == expected(STATE)["title"]


def test_row_holding_markup_is_read_as_a_page() -> None:
    doc = row_to_document(_row(html_page(SEED).decode("utf-8"), url=URLS[SEED], published="2020-11-25 16:19:00"))
    assert turns_of(doc) == expected_turns(SEED)
    assert doc.title == expected(SEED)["title"] and doc.id == "mid.ru:4452960:en"
    assert not any("<p>" in t.text for t in doc.turns)


def test_row_with_empty_text() -> None:
    with pytest.raises(DatasetError, match="row 4"):
        row_to_document(_row("  \n", row=4))
