"""Importers for pages and transcripts collected by others: web archives (WARC) and published datasets (CSV, Parquet).

- :func:`iter_warc` streams the HTML pages a crawl stored in a WARC (``.warc``, ``.warc.gz``, also ARC) as
  :class:`WarcPage`; :func:`page_to_document` parses one;
- :func:`iter_dataset` streams the rows of a CSV or Parquet dataset in the layout researchers publish for
  the mid.ru and kremlin.ru corpora (``doc_id, text, date, datetime, title, url, translations, countries``)
  as :class:`DatasetRow`; :func:`row_to_document` parses one.

Everything streams: a WARC record by record, Parquet by record batches, CSV row by row, so a file of any
size is read in bounded memory. A file that cannot be read as what it claims to be raises
:class:`DatasetError` before the first item, saying what is wrong and what to do.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from stenogram.errors import InputError
from stenogram.model import Document, DocumentKind, Event
from stenogram.parse import parse_bytes_auto, parse_html, parse_text, sites
from stenogram.parse.dates import date_line, glued_date_time, to_iso
from stenogram.parse.html import looks_like_html
from stenogram.parse.text import lines as split_lines
from stenogram.parse.text import normalise_line
from stenogram.parse.titles import event_of, kind_of

__all__ = [
    "DATASET_SUFFIXES",
    "TEXT_COLUMNS",
    "WARC_SUFFIXES",
    "DatasetError",
    "DatasetRow",
    "NoTextColumn",
    "WarcPage",
    "is_dataset",
    "is_warc",
    "iter_dataset",
    "iter_warc",
    "page_to_document",
    "row_to_document",
]

#: file names :func:`iter_warc` reads
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
#: file names :func:`iter_dataset` reads
DATASET_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".parquet", ".pq")
#: the largest page :func:`iter_warc` reads (larger pages are skipped: no transcript is that large)
MAX_PAGE_BYTES = 64 * 1024 * 1024
#: rows a Parquet record batch holds (transcripts are ~10 KB, so a batch is a few MB)
PARQUET_BATCH_ROWS = 256
#: the CSV field size limit while reading datasets (the csv module's default, 128 KiB, is too small)
CSV_FIELD_LIMIT = 2**31 - 1


# --- errors ------------------------------------------------------------------------------------------


class DatasetError(InputError):
    """A WARC or dataset file cannot be read as one: what is wrong and what to do."""

    def __init__(self, path: str, problem: str, advice: str) -> None:
        super().__init__(f"{path}: {problem}; {advice}")
        self.path = path
        self.problem = problem


class NoTextColumn(DatasetError):
    """A dataset without a column of transcript text."""

    def __init__(self, path: str, found: Sequence[str]) -> None:
        shown = ", ".join(repr(c) for c in found) if found else "none"
        super().__init__(
            path,
            f"no column holds the transcript text (columns found: {shown})",
            f"a dataset needs a text column named one of {', '.join(TEXT_COLUMNS)} (any case); rename the column that holds"
            " the transcripts, and optionally give title, url, date or datetime, doc_id, lang, translations and countries",
        )
        self.found = tuple(found)
        self.needed = TEXT_COLUMNS


# --- WARC --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WarcPage:
    """One HTML page a crawl stored: its URL, the body as served (transfer and content encodings undone),
    the charset the HTTP header declared and the capture date (``WARC-Date``)."""

    url: str
    data: bytes
    charset: str | None
    date: str | None


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_ENCODING_ALIASES = {"x-gzip": "gzip", "x-deflate": "deflate"}


def is_warc(path: str | Path) -> bool:
    """The file's name says it is a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``)."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def iter_warc(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[WarcPage]:
    """The HTML pages of a WARC (or ARC) file, plain or gzipped, in file order.

    A page is an HTTP response record with status 200 whose Content-Type is ``text/html`` or
    ``application/xhtml+xml`` (or missing, when the body looks like HTML); requests, metadata, revisits,
    other statuses and other types are skipped, and so are bodies over ``max_bytes`` and bodies whose
    content encoding is damaged. Raises :class:`DatasetError` at once for a file that is not a web archive,
    and while iterating for a record that cannot be read.
    """
    path = Path(path)
    arc = _check_warc(path)
    return _warc_pages(path, max_bytes, arc=arc)


def page_to_document(page: WarcPage) -> Document:
    """Parse one archived page (HTML, or text served as HTML) with its URL and declared charset."""
    return parse_bytes_auto(page.data, name=page.url or "<warc record>", url=page.url or None, charset=page.charset)


def _check_warc(path: Path) -> bool:
    """Raise unless the file starts as a WARC or an ARC file does; True for ARC."""
    where = str(path)
    head = _read_head(path, 64)
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as fh:
                head = fh.read(64)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(where, f"the gzip data is damaged ({exc})", "check the download, or give the uncompressed WARC") from exc
    start = head.lstrip(b"\r\n")
    if not (start.startswith(b"WARC/") or start.startswith(b"filedesc://")):
        shown = start[:24].decode("ascii", errors="replace")
        raise DatasetError(
            where,
            f"not a web archive: a WARC file starts with 'WARC/1.0' or 'WARC/1.1', this one with {shown!r}",
            "give a .warc or .warc.gz file written by a crawler (wget --warc-file, Heritrix, browsertrix, warcio); a saved"
            " page goes to `stenogram ingest` as it is",
        )
    return start.startswith(b"filedesc://")


def _read_head(path: Path, size: int) -> bytes:
    where = str(path)
    if not path.exists():
        raise DatasetError(where, "no such file", "check the path")
    if path.is_dir():
        raise DatasetError(where, "it is a folder", "give one file")
    try:
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError as exc:
        raise DatasetError(where, f"cannot be read ({exc.strerror or exc})", "check the file's permissions") from exc
    if not head:
        raise DatasetError(where, "the file is empty", "check the download")
    return head


def _warc_pages(path: Path, max_bytes: int, *, arc: bool) -> Iterator[WarcPage]:
    where = str(path)
    seen = 0          # records read, so a restart on the decompressed stream can skip them
    restarted = False
    while True:
        with _open_archive(path, decompress=restarted) as fh:
            # ARC records are read as WARC ones; a WARC file is read strictly (a line of words is not an ARC header)
            records = ArchiveIterator(fh, arc2warc=arc)
            skip, count = (seen if restarted else 0), 0
            try:
                for record in records:
                    count += 1
                    if count <= skip:
                        continue
                    seen = max(seen, count)
                    page = _page(record, max_bytes)
                    if page is not None:
                        yield page
            except ArchiveLoadFailed as exc:
                if "non-chunked gzip" in str(exc) and not restarted:
                    # One gzip stream around the whole file rather than one per record: read it decompressed.
                    restarted = True
                    continue
                raise DatasetError(
                    where,
                    f"record {count} (at byte {records.get_record_offset()}) cannot be read ({_first_line(str(exc))})",
                    "the pages before it were read; check the file with `warcio check`, or repair it with `warcio recompress`",
                ) from exc
            except _CutShort as exc:
                raise DatasetError(
                    where, f"the file ends inside record {count}, cut short",
                    "the pages before it were read; download the file again, or let the crawl that writes it finish",
                ) from exc
            except (OSError, EOFError, zlib.error) as exc:
                raise DatasetError(
                    where,
                    f"the file is damaged or cut short after record {count} ({exc})",
                    "the pages before it were read; download the file again",
                ) from exc
            return


def _open_archive(path: Path, *, decompress: bool) -> IO[bytes]:
    """The file as stored (warcio reads gzip members itself), or decompressed as one gzip stream."""
    if decompress:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _first_line(message: str) -> str:
    return next((line.strip() for line in message.splitlines() if line.strip()), message)


def _page(record: Any, max_bytes: int) -> WarcPage | None:
    """The record as a page, or None when it is not an HTML page with status 200."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    if str(http.get_statuscode()).strip() != "200":
        return None
    content_type = str(http.get_header("Content-Type") or "").strip()
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in _HTML_TYPES:
        return None
    try:
        data = _read(_body(record), max_bytes + 1)
    except (OSError, EOFError, ValueError, zlib.error):
        return None   # a body whose gzip or chunking is damaged has no page to give
    if len(data) <= max_bytes and _cut_short(record):
        raise _CutShort
    if not data or len(data) > max_bytes or (not mime and not looks_like_html(data)):
        return None
    m = _CHARSET.search(content_type)
    url = str(record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    date = record.rec_headers.get_header("WARC-Date")
    return WarcPage(url=url, data=data, charset=m.group(1) if m else None, date=str(date) if date else None)


class _CutShort(Exception):
    """The file ends inside a record."""


def _cut_short(record: Any) -> bool:
    """The record's block ends before the length its header gives (the file was cut short); bytes left unread after
    the payload (a gzip trailer, chunk trailers) are read and dropped."""
    stream = record.raw_stream
    while getattr(stream, "limit", 0) > 0:
        if not stream.read(min(int(stream.limit), 1 << 20)):
            return True
    return False


def _read(stream: Any, limit: int) -> bytes:
    """Up to ``limit`` bytes of a warcio stream (its ``read`` may return fewer than asked before the end)."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        chunk = cast(bytes, stream.read(min(1 << 20, limit - size)))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)


def _body(record: Any) -> Any:
    """The payload with the transfer and content encodings undone (warcio's ``content_stream``, with header values
    compared case-insensitively: ``Transfer-Encoding: Chunked`` is chunked too)."""
    http = record.http_headers
    encoding: str | None = str(http.get_header("Content-Encoding") or "").strip().lower() or None
    encoding = _ENCODING_ALIASES.get(encoding or "", encoding)
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    if "chunked" in str(http.get_header("Transfer-Encoding") or "").lower():
        return ChunkedDataReader(record.raw_stream, decomp_type=encoding)
    if encoding:
        return BufferedReader(record.raw_stream, decomp_type=encoding)
    return record.raw_stream


# --- datasets ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """One row of a dataset: ``row`` counts data rows from 1 (the header is not a row); optional fields are None
    when the dataset has no such column or the cell is empty."""

    row: int
    url: str | None
    text: str
    title: str | None
    published: str | None
    date: str | None
    doc_id: str | None
    language: str | None
    translations: list[str]
    countries: list[str]


#: the column names each field is read from, in order of preference (compared case-insensitively, with spaces
#: and hyphens read as underscores)
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "transcript", "full_text", "fulltext", "article_text", "text_content"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "href", "source_url", "page_url", "uri"),
    "published": ("datetime", "published", "published_at", "publication_date", "pub_date", "date_time", "timestamp"),
    "date": ("date", "day"),
    "doc_id": ("doc_id", "id", "docid", "document_id", "item_id"),
    "language": ("lang", "language", "locale"),
    "translations": ("translations", "translation", "versions", "other_languages"),
    "countries": ("countries", "country"),
}
TEXT_COLUMNS = COLUMNS["text"]


def is_dataset(path: str | Path) -> bool:
    """The file's name says it is a dataset :func:`iter_dataset` reads (CSV, TSV, Parquet)."""
    return str(path).lower().endswith(DATASET_SUFFIXES)


def iter_dataset(path: Path) -> Iterator[DatasetRow]:
    """The rows of a CSV (delimiter ``,``, ``;`` or tab, read from the header; ``.gz`` too) or Parquet dataset.

    Columns are matched to fields by name (see :data:`COLUMNS`); other columns are ignored. Raises
    :class:`DatasetError` at once for a file that cannot be read and :class:`NoTextColumn` for a dataset with no
    text column; a row that cannot be decoded raises DatasetError while iterating, naming the row.
    """
    path = Path(path)
    where = str(path)
    name = path.name.lower()
    _read_head(path, 1)
    if name.endswith((".parquet", ".pq")):
        columns = _parquet_columns(path)
        return _parquet_rows(path, _map_columns(where, columns))
    if name.endswith((".csv", ".tsv", ".csv.gz", ".tsv.gz")):
        header, delimiter = _csv_header(path)
        return _csv_rows(path, delimiter, _map_columns(where, header))
    raise DatasetError(
        where,
        "not a dataset stenogram reads (the name does not end in .csv, .tsv, .csv.gz, .tsv.gz or .parquet)",
        "export the dataset as CSV (UTF-8, with a header row) or Parquet, and name the file accordingly",
    )


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", name.strip().lstrip("\ufeff").lower())


def _map_columns(where: str, columns: Sequence[str]) -> dict[str, int]:
    """field → index of the column it is read from; raises NoTextColumn."""
    keys = [_column_key(c) for c in columns]
    mapping: dict[str, int] = {}
    for field, names in COLUMNS.items():
        for candidate in names:
            if candidate in keys:
                mapping[field] = keys.index(candidate)
                break
    if "text" not in mapping:
        raise NoTextColumn(where, list(columns))
    return mapping


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header row and the delimiter, chosen among ``,``, ``;`` and tab by their count in the header line."""
    where = str(path)
    try:
        with _open_text(path) as fh:
            first = fh.readline()
            delimiter = _sniff_delimiter(first, tab_first=".tsv" in path.name.lower())
            row = next(csv.reader([first], delimiter=delimiter), [])
    except UnicodeDecodeError as exc:
        raise _not_utf8(where, "the header") from exc
    except (OSError, EOFError, zlib.error, csv.Error) as exc:
        raise DatasetError(where, f"cannot be read as CSV ({exc})", "check that it is a CSV file with a header row") from exc
    if not any(cell.strip() for cell in row):
        raise DatasetError(where, "the first line is empty, so the dataset has no header row",
                           "put the column names (text, title, url, date ...) on the first line")
    return row, delimiter


def _sniff_delimiter(header: str, *, tab_first: bool) -> str:
    counts = {d: header.count(d) for d in (("\t", ",", ";") if tab_first else (",", ";", "\t"))}
    best = max(counts, key=lambda d: counts[d])   # ties: the first in order
    return best if counts[best] else ("\t" if tab_first else ",")


def _not_utf8(where: str, what: str) -> DatasetError:
    return DatasetError(where, f"{what} is not UTF-8 text",
                        "save the dataset as UTF-8 (in a spreadsheet: CSV UTF-8; in pandas: to_csv's default)")


def _csv_rows(path: Path, delimiter: str, mapping: dict[str, int]) -> Iterator[DatasetRow]:
    where = str(path)
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)   # transcripts of a few MB are fields too
    n = 0
    with _open_text(path) as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            next(reader, None)   # the header
            for cells in reader:
                if not cells or not any(cells):
                    continue
                n += 1
                yield _make_row(n, {field: cells[i] for field, i in mapping.items() if i < len(cells)})
        except UnicodeDecodeError as exc:
            raise _not_utf8(where, f"row {n + 1}") from exc
        except csv.Error as exc:
            raise DatasetError(where, f"row {n + 1} cannot be read as CSV ({exc})", "check the quoting around that row") from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(where, f"the file is damaged or cut short after row {n} ({exc})", "download the file again") from exc


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as pf:
            return [str(name) for name in pf.schema_arrow.names]
    except (pa.ArrowException, OSError, ValueError) as exc:   # ArrowInvalid for a file that is not Parquet
        raise DatasetError(
            str(path), f"cannot be read as Parquet ({_first_line(str(exc))})",
            "check that the file is a complete Parquet file (pandas: DataFrame.to_parquet), or give the dataset as CSV",
        ) from exc


def _parquet_rows(path: Path, mapping: dict[str, int]) -> Iterator[DatasetRow]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    where = str(path)
    n = 0
    with pq.ParquetFile(path) as pf:
        names = [str(name) for name in pf.schema_arrow.names]
        wanted = {field: names[i] for field, i in mapping.items()}
        columns = sorted(set(wanted.values()), key=names.index)
        try:
            for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
                for record in batch.to_pylist():
                    n += 1
                    yield _make_row(n, {field: record.get(name) for field, name in wanted.items()})
        except (pa.ArrowException, OSError) as exc:   # damaged pages or unreadable encodings
            raise DatasetError(where, f"the rows after row {n} cannot be read ({_first_line(str(exc))})",
                               "the file is damaged or cut short; download it again") from exc


def _make_row(n: int, cells: Mapping[str, Any]) -> DatasetRow:
    """A row from its cells by field name (fields without a column are missing)."""
    cell = cells.get
    return DatasetRow(
        row=n,
        url=_text_value(cell("url")),
        text=_text_value(cell("text")) or "",
        title=_text_value(cell("title")),
        published=_text_value(cell("published")),
        date=_text_value(cell("date")),
        doc_id=_text_value(cell("doc_id")),
        language=_text_value(cell("language")),
        translations=_list_value(cell("translations"), split=r"[\s,;|]+"),
        countries=_list_value(cell("countries"), split=r"\s*[,;|\n]\s*"),
    )


def _text_value(value: Any) -> str | None:
    """A cell as a string; None for a missing or empty cell (NaN included)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        value = value.isoformat()
    elif isinstance(value, float):
        if value != value:   # NaN
            return None
        value = str(int(value)) if value.is_integer() else str(value)
    elif not isinstance(value, str):
        value = str(value)
    return value if value.strip() else None


def _list_value(value: Any, *, split: str) -> list[str]:
    """A list cell: a Parquet list or map, a JSON or Python list literal, or items separated by ``split``."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return _list_value(list(value), split=split)
    if isinstance(value, list | tuple | set | frozenset):
        out: list[str] = []
        for item in value:
            if isinstance(item, tuple) and item:   # a Parquet map arrives as (key, value) pairs
                item = item[0]
            if isinstance(item, Mapping):
                item = next((v for v in item.values() if isinstance(v, str) and v.strip()), None)
            text = _text_value(item)
            if text is not None and text.strip() not in out:
                out.append(text.strip())
        return out
    text = _text_value(value)
    if text is None:
        return []
    text = text.strip()
    if text[:1] in "[{(":
        for loads in (json.loads, ast.literal_eval):
            try:
                parsed = loads(text)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                continue
            if isinstance(parsed, list | tuple | dict | set):
                return _list_value(parsed, split=split)
        text = text.strip("[](){}")
    return _list_value([part.strip("'\" ") for part in re.split(split, text)], split=split)


# --- rows → documents --------------------------------------------------------------------------------


def row_to_document(row: DatasetRow) -> Document:
    """Parse a dataset row into a Document.

    The text is parsed with its URL (which gives the site profile and the item id; without a site id the id is the
    parser's content hash, whatever the dataset's ``doc_id``). When the text has no header of its own (the dataset's
    title is not among its first lines), the date and the title are put in front of it, as a copied page prints
    them, so the parser reads the kind, the event, the participants and the date from them; a text that is a saved
    page's markup is parsed as HTML. Title and published date are then filled from the dataset where the parse found
    none, and the language versions from ``translations`` (codes or URLs) where the page listed none. Raises
    DatasetError for a row with no text.
    """
    if not row.text.strip():
        raise DatasetError(f"row {row.row}", "the text cell is empty", "drop the row, or fill in the transcript")
    url = _url(row.url)
    title = normalise_line(row.title or "")
    if looks_like_html(row.text[:65536].encode("utf-8")):
        # a dataset that kept the page's markup: read it as a page
        doc = parse_html(row.text.encode("utf-8"), url=url, charset="utf-8", name=f"row {row.row}")
        tz = sites.by_name(doc.source).tz
        published = _published(row.published, tz) or _published(row.date, tz)
    else:
        text = row.text
        profile = sites.detect(split_lines(text), url)
        published = _published(row.published, profile.tz) or _published(row.date, profile.tz)
        forced: str | None = None
        if title and not _has_title(text, title):
            stamp = _stamp(published)
            text = "\n\n".join([*([stamp] if stamp else []), title, text])
            forced = profile.name   # the profile the text itself shows, whatever the added lines look like
        doc = parse_text(text, url=url, source=forced)
    changes: dict[str, Any] = {}
    if not doc.title and title:
        changes["title"] = title
        if doc.kind == "other":
            changes["kind"] = cast(DocumentKind, kind_of(title))
        if doc.event == Event():
            place, day = event_of(title)
            changes["event"] = Event(place=place, date=day)
    if doc.published is None and published:
        changes["published"] = published
    if not doc.versions:
        codes = {code for item in row.translations if (code := _language_of(item))}
        if codes:
            changes["versions"] = tuple(sorted(codes | {doc.language}))
    return dataclasses.replace(doc, **changes) if changes else doc


def _url(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    url = value.strip()
    if "://" not in url and re.match(r"^(?:www\.)?[\w\-]+(?:\.[\w\-]+)+/", url):
        url = "https://" + url   # "mid.ru/en/foreign_policy/news/1441301/"
    return url


def _has_title(text: str, title: str) -> bool:
    """The dataset's title is one of the text's first lines, or part of one (the page may add place and date)."""
    want = title.casefold()
    for line in split_lines(text[:20000])[:40]:
        got = line.casefold()
        if got == want or (len(want) >= 20 and want in got) or (len(got) >= 20 and len(got) >= 0.8 * len(want) and got in want):
            return True
    return False


def _published(value: str | None, tz: str | None) -> str | None:
    """A dataset date or date-time as the parser writes ``published``: ISO 8601, in the site's zone where it has one,
    a bare date where no time is given (a naive midnight, as pandas writes dates, counts as no time)."""
    if not value or not value.strip():
        return None
    raw = value.strip()
    moment: dt.datetime | None = None
    day: dt.date | None = None
    try:
        if re.match(r"^\d{4}-\d\d-\d\d$", raw):
            day = dt.date.fromisoformat(raw)
        else:
            moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        found = glued_date_time(raw)
        dl = date_line(raw) if found is None else None
        if dl is not None:
            found = dl[0]
        if found is None:
            return None
        if found.time is None:
            day = found.date
        else:
            moment = dt.datetime.combine(found.date, found.time)
    if moment is None:
        return day.isoformat() if day else None
    moment = moment.replace(microsecond=0)
    if moment.tzinfo is not None:
        if tz is None:
            return moment.replace(tzinfo=None).isoformat()
        return moment.astimezone(ZoneInfo(tz)).isoformat()
    if moment.time() == dt.time(0, 0):
        return moment.date().isoformat()
    return to_iso(moment.date(), moment.time(), tz)


def _stamp(published: str | None) -> str | None:
    """The date line put in front of a text without a header: ``2020-11-25 16:19`` (site time) or ``2020-11-25``."""
    if not published:
        return None
    if len(published) == 10:
        return published
    moment = dt.datetime.fromisoformat(published)
    return moment.strftime("%Y-%m-%d %H:%M")


_LANGUAGE_NAMES = {
    "eng": "en", "english": "en", "rus": "ru", "russian": "ru", "deu": "de", "ger": "de", "german": "de",
    "fra": "fr", "fre": "fr", "french": "fr", "spa": "es", "spanish": "es", "zho": "zh", "chi": "zh", "chinese": "zh",
    "ara": "ar", "arabic": "ar", "por": "pt", "portuguese": "pt",
}
_CODE = re.compile(r"^([a-zA-Z]{2})(?:[-_][a-zA-Z]{2,4})?\d*$")
#: the language of a site's pages whose URL names none (``kremlin.ru/events/...``, old ``www.mid.ru/foreign_policy/...``)
_HOST_LANGUAGE = {"kremlin.ru": "ru", "mid.ru": "ru"}


def _language_of(item: str) -> str | None:
    """A translation given as a language code (``en``, ``en-GB``, ``eng``, ``English``) or as its page's URL."""
    value = item.strip()
    if (m := _CODE.match(value)) is not None:
        return m.group(1).lower()
    if value.casefold() in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value.casefold()]
    parts = urlsplit(value if "://" in value else "https://" + value)
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return None
    for key in ("lang", "language", "hl", "locale"):
        for candidate in parse_qs(parts.query).get(key, []):
            if (m := _CODE.match(candidate)) is not None:
                return m.group(1).lower()
    segment = next((s for s in parts.path.split("/") if s), "")
    if (m := _CODE.match(segment)) is not None and len(segment) <= 5:
        return m.group(1).lower()
    if len(segment) == 3 and segment.casefold() in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[segment.casefold()]   # fmprc.gov.cn/eng/
    first = host.split(".")[0]
    if len(host.split(".")) >= 3 and len(first) == 2 and first.isalpha():
        return first   # en.kremlin.ru
    for site, code in _HOST_LANGUAGE.items():
        if host == site or host.endswith("." + site):
            return code
    return None
