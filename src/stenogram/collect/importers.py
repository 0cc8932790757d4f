"""Importers for pages and transcripts collected by others: web archives (WARC) and published datasets (CSV, Parquet).

- :func:`iter_warc` streams the HTML pages a crawl stored in a WARC (``.warc``, ``.warc.gz``, also ARC) as
  :class:`WarcPage`; :func:`read_warc` does too, and reports a damaged record in its place and goes on after
  it; :func:`page_to_document` parses one;
- :func:`iter_dataset` streams the rows of a CSV or Parquet dataset in the layout researchers publish for
  the mid.ru and kremlin.ru corpora (``doc_id, text, date, datetime, title, url, translations, countries``)
  as :class:`DatasetRow`; :func:`row_to_document` parses one.

Everything streams: a WARC record by record, Parquet by record batches, CSV row by row, so a file of any
size is read in bounded memory. A file that cannot be read as what it claims to be raises
:class:`DatasetError` before the first item, saying what is wrong and what to do.
"""

from __future__ import annotations

import ast
import base64
import binascii
import csv
import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import logging
import re
import zlib
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from warcio.bufferedreaders import BufferedReader, ChunkedDataReader  # type: ignore[import-untyped]
from warcio.recordloader import ArcWarcRecordLoader  # type: ignore[import-untyped]

from stenogram import sites
from stenogram.collect.validate import url_problem
from stenogram.errors import InputError
from stenogram.model import Document, DocumentKind, Event
from stenogram.parse import parse_bytes_auto, parse_html, parse_text
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
    "read_warc",
    "row_to_document",
]

# warcio warns through logging (e.g. about spaces in a target URI): an application that configures logging sees
# the warnings; without that they are not printed on standard error
logging.getLogger("warcio").addHandler(logging.NullHandler())

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
    the charset the HTTP header declared, the capture date (``WARC-Date``) and the record's number in the
    file (from 1; 0 when unknown)."""

    url: str
    data: bytes
    charset: str | None
    date: str | None
    record: int = 0


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_ENCODING_ALIASES = {"x-gzip": "gzip", "x-deflate": "deflate"}
#: bytes read from the file at a time
_CHUNK = 1 << 16
#: the longest header line, and the largest record header, a record may have (real ones are a few hundred bytes)
_MAX_LINE = 1 << 16
_MAX_HEADER = 1 << 20
#: where a record can start: what the reader looks for to go on after a damaged one
_WARC_START = re.compile(rb"(?m)^WARC/\d+\.\d+\r?\n")
_ARC_START = re.compile(rb"(?m)^\S+ \d{1,3}(?:\.\d{1,3}){3} \d{14} \S+ \d+\r?\n")
_BLANK = re.compile(rb"[ \t\r\n]*")
_GZIP_MAGIC = b"\x1f\x8b\x08"
#: the types of record a WARC file holds (ARC records are read as ``response``, the file's header as ``warcinfo``)
_WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                         "continuation", "arc_header"})
#: the block digests a record is checked against, and their sizes in bytes
_DIGEST_SIZES = {"sha1": 20, "sha256": 32, "md5": 16}


def is_warc(path: str | Path) -> bool:
    """The file's name says it is a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``)."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def iter_warc(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[WarcPage]:
    """The HTML pages of a WARC (or ARC) file, plain or gzipped, in file order.

    A page is an HTTP response record with status 200 whose Content-Type is ``text/html`` or
    ``application/xhtml+xml`` (or missing, when the body looks like HTML); requests, metadata, revisits,
    other statuses and other types are skipped, and so are bodies over ``max_bytes``. Raises
    :class:`DatasetError` at once for a file that is not a web archive, and while iterating, after the pages
    before it, for the first record that cannot be read or where the file ends early. :func:`read_warc`
    reports such records in the pages' stream and goes on after them.
    """
    return _raising(read_warc(path, max_bytes=max_bytes))


def read_warc(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[WarcPage | DatasetError]:
    """The HTML pages of a WARC (or ARC) file in file order (as :func:`iter_warc`), with a :class:`DatasetError`
    in the place of each record that cannot be read, naming the record (its number from 1, and the byte where it,
    or in a gzipped file its gzip member, starts) and what is wrong.

    After a damaged record (gzip data that does not decompress, a header that is not a record's, bytes that do
    not match the record's ``WARC-Block-Digest``) the reader goes on at the next record it finds; when the file
    ends inside a record or inside a gzip member (a download or a crawl cut short), the last item says that the
    archive ends early, and after which record. A page whose ``WARC-Target-URI`` is missing or is not an http
    or https URL, and a page whose body cannot be decoded, are reported in the page's place. Raises
    DatasetError at once for a file that is not a web archive.
    """
    path = Path(path)
    arc, gzipped = _check_warc(path)
    return _WarcReader(path, max_bytes, arc=arc, gzipped=gzipped).items()


def page_to_document(page: WarcPage) -> Document:
    """Parse one archived page (HTML, or text served as HTML) with its URL and declared charset."""
    return parse_bytes_auto(page.data, name=page.url or "<warc record>", url=page.url or None, charset=page.charset)


def _raising(items: Iterator[WarcPage | DatasetError]) -> Iterator[WarcPage]:
    for item in items:
        if isinstance(item, DatasetError):
            raise item
        yield item


def _check_warc(path: Path) -> tuple[bool, bool]:
    """Raise unless the file is a web archive: it starts as a WARC or an ARC file does or, its first record damaged,
    a record begins in its first CHECK_SPAN bytes (in a gzipped file, a gzip member that begins one). Returns
    (ARC, gzipped)."""
    where = str(path)
    head = _read_head(path, 64)
    problem = ""
    with path.open("rb") as fh:
        gzipped = head.startswith(b"\x1f\x8b")
        if gzipped:
            try:
                head = _member_head(fh, 0, 512)
            except zlib.error as exc:
                problem, head = f"the gzip data is damaged ({exc})", b""
        if not _looks_like_record(head):
            later = _later_record_head(fh, gzipped=gzipped)
            if later is None:         # the first bytes damaged so that the file looks compressed, or not compressed
                later = _later_record_head(fh, gzipped=not gzipped)
                gzipped = gzipped if later is None else not gzipped
            if later is None and problem:
                raise DatasetError(where, problem, "check the download, or give the uncompressed WARC")
            if later is None:
                shown = head.lstrip(b"\r\n")[:24].decode("ascii", errors="replace")
                raise DatasetError(
                    where,
                    f"not a web archive: a WARC file starts with 'WARC/1.0' or 'WARC/1.1', this one with {shown!r}",
                    "give a .warc or .warc.gz file written by a crawler (wget --warc-file, Heritrix, browsertrix, warcio);"
                    " a saved page goes to `stenogram ingest` as it is",
                )
            head = later
    return not head.lstrip(b"\r\n").startswith(b"WARC/"), gzipped


#: how far into a file whose first record is damaged :func:`read_warc` looks for another before it calls the file
#: no web archive (an archive's first record, its warcinfo, is small)
CHECK_SPAN = 4 << 20


def _later_record_head(fh: IO[bytes], *, gzipped: bool) -> bytes | None:
    """The first bytes of a record that begins after the file's first byte, within CHECK_SPAN bytes; None if none."""
    if not gzipped:
        fh.seek(1)
        data = fh.read(CHECK_SPAN)
        found = [m.start() for m in (_WARC_START.search(data), _ARC_START.search(data)) if m is not None]
        return data[min(found):min(found) + 512] if found else None
    pos = 1
    while (at := _find_member(fh, pos, limit=CHECK_SPAN)) is not None:
        try:
            head = _member_head(fh, at, 512)
        except zlib.error:
            head = b""
        if _looks_like_record(head):
            return head
        pos = at + 1
    return None


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


def _member_head(fh: IO[bytes], at: int, size: int = 64) -> bytes:
    """The first bytes the gzip member at byte ``at`` decompresses to; raises zlib.error when it does not."""
    fh.seek(at)
    return zlib.decompressobj(31).decompress(fh.read(_CHUNK), size)


def _find_member(fh: IO[bytes], start: int, *, limit: int | None = None) -> int | None:
    """The byte where the next gzip member at or after ``start`` (and before ``limit``) begins, or None: a member is
    taken for one when it begins a record, or when it decompresses whole (its checksum included), or for 256 KiB,
    without an error."""
    pos = start
    while limit is None or pos < limit:
        fh.seek(pos)
        chunk = fh.read(_CHUNK + len(_GZIP_MAGIC) - 1)
        if len(chunk) < len(_GZIP_MAGIC):
            return None
        i = chunk.find(_GZIP_MAGIC)
        while i >= 0:
            if _member_starts(fh, pos + i):
                return pos + i
            i = chunk.find(_GZIP_MAGIC, i + 1)
        pos += _CHUNK
    return None


def _member_starts(fh: IO[bytes], at: int) -> bool:
    d = zlib.decompressobj(31)
    fh.seek(at)
    try:
        head = d.decompress(fh.read(_CHUNK), 512)
        if _looks_like_record(head):
            return True
        out, pending = len(head), d.unconsumed_tail
        while not d.eof and out < (1 << 18):
            if not pending:
                pending = fh.read(_CHUNK)
                if not pending:
                    return False
            out += len(d.decompress(pending, 1 << 16))
            pending = d.unconsumed_tail
        return True
    except zlib.error:
        return False


def _looks_like_record(data: bytes) -> bool:
    start = data.lstrip(b"\r\n")
    return start.startswith((b"WARC/", b"filedesc://")) or _ARC_START.match(start) is not None


def _first_line(message: str) -> str:
    return next((line.strip() for line in message.splitlines() if line.strip()), message)


class _Broken(Exception):
    """The gzip data cannot be decompressed from the member at byte ``offset`` of the file on."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


class _Damaged(Exception):
    """The record that starts at ``start`` (of the uncompressed data) cannot be read."""

    def __init__(self, start: int, reason: str) -> None:
        super().__init__(reason)
        self.start = start
        self.reason = reason


class _EndsEarly(Exception):
    """The data ends inside the record that starts at ``start``."""

    def __init__(self, start: int) -> None:
        super().__init__(start)
        self.start = start


class _Source:
    """The archive's uncompressed bytes, read forward; ``pos`` is the position of the next one."""

    cut = False   # the data ends inside a gzip member

    def __init__(self) -> None:
        self._buf = bytearray()
        self.pos = 0
        self._eof = False

    def _chunk(self) -> bytes:
        raise NotImplementedError

    def where(self, start: int) -> str:
        """Where the record that starts at ``start`` is, as a message says it."""
        return f"at byte {start}"

    def rewind(self, at: int) -> None:
        """Read again from ``at`` (a position already read), or from the first place after it the source can go
        back to; else go on where it is."""

    def later_record(self, start: int, pattern: re.Pattern[bytes]) -> bool:
        """Whether a record (whose first line ``pattern`` matches) may begin after the one that begins at ``start``."""
        return False

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._chunk()
        if not chunk:
            self._eof = True
            return False
        self._buf += chunk
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buf[:n])
        del self._buf[:n]
        self.pos += n
        return data

    def _drop(self, n: int) -> None:
        del self._buf[:n]
        self.pos += n

    def more(self) -> bool:
        """Skip the blank lines between records; False when the data ends."""
        while True:
            m = _BLANK.match(self._buf)
            self._drop(m.end() if m else 0)
            if self._buf:
                return True
            if not self._fill():
                return False

    def readline(self, limit: int) -> bytes:
        searched = 0
        while True:
            i = self._buf.find(b"\n", searched, limit)
            if i >= 0:
                return self._take(i + 1)
            if len(self._buf) >= limit:
                return self._take(limit)
            searched = len(self._buf)
            if not self._fill():
                return self._take(len(self._buf))

    def read(self, n: int) -> bytes:
        while len(self._buf) < n and self._fill():
            pass
        return self._take(min(n, len(self._buf)))

    def skip_to(self, pattern: re.Pattern[bytes]) -> bool:
        """Drop the bytes before the next match of ``pattern`` (a record's first line); False when there is none."""
        while True:
            m = pattern.search(self._buf)
            if m is not None:
                self._drop(m.start())
                return True
            self._drop(max(0, len(self._buf) - 1024))   # a line split between two reads is found after the next
            if not self._fill():
                self._drop(len(self._buf))
                return False


class _PlainSource(_Source):
    """An uncompressed archive: the file itself."""

    def __init__(self, fh: IO[bytes]) -> None:
        super().__init__()
        self._fh = fh

    def _chunk(self) -> bytes:
        return self._fh.read(_CHUNK)

    def rewind(self, at: int) -> None:
        self._fh.seek(at)
        self._buf.clear()
        self.pos = at
        self._eof = False

    def later_record(self, start: int, pattern: re.Pattern[bytes]) -> bool:
        self.rewind(start + 1)
        found = self.skip_to(pattern)
        self.rewind(start + 1)
        return found


class _GzipSource(_Source):
    """A gzipped archive decompressed member after member (one a record, as crawlers write them, or one around the
    whole file, or blocks of any size); ``cut`` tells that the file ends inside a member."""

    def __init__(self, fh: IO[bytes]) -> None:
        super().__init__()
        self._fh = fh
        self._starts: deque[tuple[int, int]] = deque(maxlen=4096)   # (uncompressed position, byte in the file)
        self.restart(0)

    def restart(self, raw: int, pos: int | None = None) -> None:
        """Go on with the gzip member that begins at byte ``raw`` of the file (``pos`` of the uncompressed data, when
        it is one read before); what was not read yet is dropped."""
        if pos is not None:
            self.pos = pos
        self._fh.seek(raw)
        self._raw = raw                       # the byte of the file that self._in begins at
        self._in = b""
        self._d: Any = None                   # the current member's decompressor; None between members
        self._member = raw
        self._buf.clear()
        self._eof = False

    def rewind(self, at: int) -> None:
        member = next(((upos, raw) for upos, raw in self._starts if upos >= at), None)
        if member is not None:
            self.restart(member[1], member[0])

    def later_record(self, start: int, pattern: re.Pattern[bytes]) -> bool:
        return any(upos > start for upos, _ in self._starts)

    def where(self, start: int) -> str:
        for upos, raw in self._starts:
            if upos == start:
                return f"at byte {raw}"
        return f"at byte {start} of the decompressed data"

    def _read_in(self, size: int) -> None:
        while len(self._in) < size:
            more = self._fh.read(_CHUNK)
            if not more:
                return
            self._in += more

    def _chunk(self) -> bytes:
        while True:
            if self._d is None:               # between members: the next one begins at self._raw
                self._read_in(len(_GZIP_MAGIC))
                if not self._in:
                    return b""
                if not self._in.startswith(_GZIP_MAGIC):
                    if _GZIP_MAGIC.startswith(self._in):
                        self.cut = True       # the file ends in the first bytes of a member
                        return b""
                    raise _Broken(self._raw, f"the bytes there do not begin a gzip member ({_shown(self._in[:12])})")
                self._d = zlib.decompressobj(31)
                self._member = self._raw
                self._starts.append((self.pos + len(self._buf), self._raw))
            if not self._in:
                self._in = self._fh.read(_CHUNK)
                if not self._in:
                    if _find_member(self._fh, self._member + 1) is not None:
                        # a member that runs to the end of the file with members after it: its header is damaged
                        raise _Broken(self._member, "its gzip member does not end where the next one begins")
                    self.cut = True           # the file ends inside a gzip member
                    return b""
            try:
                out = self._d.decompress(self._in, _CHUNK * 16)
            except zlib.error as exc:
                raise _Broken(self._member, f"its gzip data is damaged ({exc})") from exc
            rest = self._d.unused_data if self._d.eof else self._d.unconsumed_tail
            self._raw += len(self._in) - len(rest)
            self._in = rest
            if self._d.eof:
                self._d = None
            if out:
                return bytes(out)


class _Block:
    """A record's block: the next ``length`` bytes of the source, hashed when the record has a digest to check."""

    def __init__(self, src: _Source, length: int, digest: tuple[str, bytes] | None) -> None:
        self._src = src
        self.left = length
        self._read = 0
        self._digest = digest
        self._hash = hashlib.new(digest[0]) if digest else None

    def read(self, n: int | None = None) -> bytes:
        size = self.left if n is None or n < 0 else min(n, self.left)
        return self._got(self._src.read(size)) if size > 0 else b""

    def readline(self, n: int | None = None) -> bytes:
        size = self.left if n is None or n < 0 else min(n, self.left)
        return self._got(self._src.readline(size)) if size > 0 else b""

    def tell(self) -> int:
        return self._read

    def close(self) -> None:
        pass

    def _got(self, data: bytes) -> bytes:
        self.left -= len(data)
        self._read += len(data)
        if self._hash is not None:
            self._hash.update(data)
        return data

    def drain(self) -> None:
        """Read what is left of the block (``left`` stays above 0 when the data ends first)."""
        while self.left > 0:
            if not self.read(1 << 20):
                return

    def intact(self) -> bool:
        return self._hash is None or self._digest is None or self._hash.digest() == self._digest[1]


class _Joined:
    """A record as warcio's loader reads it: the header already read, then the block."""

    def __init__(self, head: bytes, block: _Block) -> None:
        self._head = head
        self._block = block

    def read(self, n: int | None = None) -> bytes:
        if self._head:
            size = len(self._head) if n is None or n < 0 else min(n, len(self._head))
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._block.read(n)

    def readline(self, n: int | None = None) -> bytes:
        if self._head:
            end = self._head.find(b"\n") + 1 or len(self._head)
            if n is not None and n >= 0:
                end = min(end, n)
            data, self._head = self._head[:end], self._head[end:]
            return data
        return self._block.readline(n)

    def tell(self) -> int:
        return self._block.tell()

    def close(self) -> None:
        pass


class _WarcReader:
    """The records of one archive, read with their framing checked; see :func:`read_warc`."""

    def __init__(self, path: Path, max_bytes: int, *, arc: bool, gzipped: bool) -> None:
        self.path = path
        self.gzipped = gzipped
        self.where = str(path)
        self.max_bytes = max_bytes
        self.arc = arc
        self.start = _ARC_START if arc else _WARC_START
        self.loader = ArcWarcRecordLoader(verify_http=False, arc2warc=True)
        self.count = 0          # records read, or found damaged

    def items(self) -> Iterator[WarcPage | DatasetError]:
        try:
            fh = self.path.open("rb")
        except OSError as exc:
            yield DatasetError(self.where, f"cannot be read ({exc.strerror or exc})", "check the file's permissions")
            return
        with fh:
            src: _Source = _GzipSource(fh) if self.gzipped else _PlainSource(fh)
            resync = False
            while True:
                n = self.count + 1
                try:
                    if resync:
                        resync = False
                        if not src.skip_to(self.start):
                            if src.cut:
                                yield self._ends_early(n, None)
                            return
                    if not src.more():
                        if src.cut:
                            yield self._ends_early(n, None)
                        return
                    item = self._record(src, n)
                except _Damaged as exc:
                    self.count = n
                    yield self._damaged(n, src.where(exc.start), exc.reason)
                    src.rewind(exc.start + 1)
                    resync = True
                    continue
                except _Broken as exc:
                    self.count = n
                    yield self._damaged(n, f"at byte {exc.offset}", exc.reason)
                    later = _find_member(fh, exc.offset + 1)
                    if later is None or not isinstance(src, _GzipSource):
                        return
                    src.restart(later)
                    resync = True
                    continue
                except _EndsEarly as exc:
                    yield self._ends_early(n, src.where(exc.start))
                    return
                except OSError as exc:
                    yield DatasetError(self.where, f"cannot be read after record {self.count} ({exc.strerror or exc})",
                                       "check the file and the disk it is on")
                    return
                self.count = n
                if item is not None:
                    yield item

    def _record(self, src: _Source, n: int) -> WarcPage | DatasetError | None:
        """The next record (the source is at its first line): a page, a failure in its place, or None."""
        start, head, length, fields = self._arc_head(src) if self.arc else self._warc_head(src)
        block = _Block(src, length, _digest(fields.get(b"warc-block-digest")))
        at = src.where(start)
        item: WarcPage | DatasetError | None
        try:
            kind = fields.get(b"warc-type", b"")
            if kind in (b"response", b"revisit", b"request") and not fields.get(b"warc-target-uri", b"").strip(b" <>"):
                item = self._bad(n, at, f"it is a {kind.decode()} record with no WARC-Target-URI, so what it holds "
                                        "cannot be told from other pages")
            else:
                record = self.loader.parse_record_stream(_Joined(head, block), known_format=None if self.arc else "warc")
                item = self._page(record, n, at)
        except (_Broken, _Damaged, _EndsEarly, OSError):
            raise
        except Exception as exc:   # warcio's parsers, on headers that are not what they should be
            item = self._bad(n, at, f"its headers cannot be read ({_first_line(str(exc))})")
        block.drain()
        if block.left > 0:
            if src.cut or not src.later_record(start, self.start):
                raise _EndsEarly(start)
            raise _Damaged(start, f"its Content-Length ({length}) runs past the records after it")
        if not block.intact():
            raise _Damaged(start, "its bytes do not match its WARC-Block-Digest (they were changed after it was written)")
        return item

    def _warc_head(self, src: _Source) -> tuple[int, bytes, int, dict[bytes, bytes]]:
        """The record's start, its header, its Content-Length and its fields (names in lower case)."""
        start = src.pos
        line = src.readline(_MAX_LINE)
        if not line.startswith(b"WARC/"):
            if not line.endswith(b"\n") and b"WARC/".startswith(line.strip()):
                raise _EndsEarly(start)
            raise _Damaged(start, f"it does not begin with a WARC header line, but with {_shown(line)}")
        lines = [line]
        size = len(line)
        while line.strip():
            line = src.readline(_MAX_LINE)
            if not line:
                raise _EndsEarly(start)
            if len(line) >= _MAX_LINE and not line.endswith(b"\n"):
                raise _Damaged(start, f"a line of its header is longer than {_MAX_LINE} bytes")
            size += len(line)
            if size > _MAX_HEADER:
                raise _Damaged(start, f"its header is longer than {_MAX_HEADER} bytes")
            lines.append(line)
        fields: dict[bytes, bytes] = {}
        for raw in lines[1:]:
            name, sep, value = raw.partition(b":")
            if sep:
                fields.setdefault(name.strip().lower(), value.strip())
        length = fields.get(b"content-length", b"")
        if not length.isdigit():
            what = f"is {_shown(length)}" if length else "is missing"
            raise _Damaged(start, f"its Content-Length {what}, so where it ends is not known")
        return start, b"".join(lines), int(length), fields

    def _arc_head(self, src: _Source) -> tuple[int, bytes, int, dict[bytes, bytes]]:
        start = src.pos
        line = src.readline(_MAX_LINE)
        if not line.endswith(b"\n"):
            if len(line) < _MAX_LINE:
                raise _EndsEarly(start)
            raise _Damaged(start, f"its header line is longer than {_MAX_LINE} bytes")
        parts = line.split()
        if len(parts) < 5 or not parts[-1].isdigit():
            raise _Damaged(start, f"it does not begin with an ARC header line, but with {_shown(line)}")
        return start, line, int(parts[-1]), {}

    def _page(self, record: Any, n: int, at: str) -> WarcPage | DatasetError | None:
        """The record as a page; None when it is not an HTML page with status 200; a failure when it is one that
        cannot be stored, or when the record's type is not a WARC record's (damage, most likely)."""
        if record.rec_type not in _WARC_TYPES:
            kind = f"WARC-Type {_shown(str(record.rec_type).encode('utf-8', 'replace'))}" if record.rec_type else \
                "no WARC-Type"
            return self._bad(n, at, f"it has {kind}, which is not a type of record a WARC file holds "
                                    f"({', '.join(sorted(_WARC_TYPES))}), so it is damaged or of an unknown kind")
        if record.rec_type == "response" and record.http_headers is None and \
                str(record.rec_headers.get_header("Content-Type") or "").lower().startswith("application/http"):
            url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
            return self._bad(n, at, f"it is an HTTP response, but its WARC-Target-URI {_shown(url.encode('utf-8', 'replace'))} "
                                    "is not an http or https URL")
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
            data = _read(_body(record), self.max_bytes + 1)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            return self._bad(n, at, f"the page's body cannot be decoded ({_first_line(str(exc))})")
        if not data or len(data) > self.max_bytes or (not mime and not looks_like_html(data)):
            return None
        url = str(record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
        if not url:
            return self._bad(n, at, "the page has no WARC-Target-URI, so it cannot be told from other pages")
        if (problem := url_problem(url)) is not None:
            return self._bad(n, at, f"the page's WARC-Target-URI {_shown(url.encode('utf-8', 'replace'))} {problem}")
        m = _CHARSET.search(content_type)
        date = record.rec_headers.get_header("WARC-Date")
        return WarcPage(url=url, data=data, charset=m.group(1) if m else None, date=str(date) if date else None, record=n)

    def _bad(self, n: int, at: str, reason: str) -> DatasetError:
        return DatasetError(self.where, f"record {n} ({at}): {reason}", "it is skipped; the other records are read")

    def _damaged(self, n: int, at: str, reason: str) -> DatasetError:
        return DatasetError(self.where, f"record {n} ({at}) cannot be read: {reason}",
                            "it is skipped, and reading goes on at the next record found; `warcio check` shows the "
                            "damage, and downloading the file again may repair it")

    def _ends_early(self, n: int, at: str | None) -> DatasetError:
        after = f"after record {n - 1}" if n > 1 else "before its first record"
        inside = f"inside record {n} ({at})" if at else "inside a gzip member"
        return DatasetError(self.where, f"the archive ends early, {inside}: the file is cut short {after}",
                            "the records before it were read; download the file again, or let the crawl that writes "
                            "it finish")


def _digest(value: bytes | None) -> tuple[str, bytes] | None:
    """A ``WARC-Block-Digest`` (``sha1:BASE32``; base 16 and base 64 too) as (algorithm, digest); None when there is
    none, or it is of a kind not checked."""
    if not value:
        return None
    name, sep, encoded = value.decode("ascii", "replace").partition(":")
    algorithm = name.strip().lower().replace("-", "")
    size = _DIGEST_SIZES.get(algorithm)
    if not sep or size is None:
        return None
    text = encoded.strip()
    decoders = (
        lambda s: base64.b32decode(s + "=" * (-len(s) % 8), casefold=True),
        bytes.fromhex,
        lambda s: base64.b64decode(s, validate=True),
    )
    for decode in decoders:
        try:
            raw = decode(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == size:
            return algorithm, raw
    return None


def _shown(data: bytes, limit: int = 40) -> str:
    """Bytes as a message shows them, quoted: their start, as text where it is text (other bytes as ``\\x85``)."""
    text = data[:limit].rstrip(b"\r\n").decode("utf-8", "backslashreplace")
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return f"'{text}{'...' if len(data) > limit else ''}'"


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
    when the dataset has no such column or the cell is empty; ``file`` is the dataset's path, which messages
    about the row name."""

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
    file: str | None = None

    @property
    def where(self) -> str:
        """The row as a message names it: ``data.csv: row 3``."""
        return f"{self.file}: row {self.row}" if self.file else f"row {self.row}"


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
                yield _make_row(n, {field: cells[i] for field, i in mapping.items() if i < len(cells)}, where)
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
                    yield _make_row(n, {field: record.get(name) for field, name in wanted.items()}, where)
        except (pa.ArrowException, OSError) as exc:   # damaged pages or unreadable encodings
            raise DatasetError(where, f"the rows after row {n} cannot be read ({_first_line(str(exc))})",
                               "the file is damaged or cut short; download it again") from exc


def _make_row(n: int, cells: Mapping[str, Any], file: str | None = None) -> DatasetRow:
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
        file=file,
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
    DatasetError, naming the file and the row, for a row with no text or with a url that is not an http or https
    URL.
    """
    if not row.text.strip():
        raise DatasetError(row.where, "the text cell is empty", "drop the row, or fill in the transcript")
    url = _url(row.url)
    if url is not None and (problem := url_problem(url)) is not None:
        raise DatasetError(row.where, f"the url {_shown((row.url or '').encode('utf-8', 'backslashreplace'))} {problem}",
                           "correct the url cell (the page's http or https address), or leave it empty")
    title = normalise_line(row.title or "")
    if looks_like_html(row.text[:65536].encode("utf-8")):
        # a dataset that kept the page's markup: read it as a page
        doc = parse_html(row.text.encode("utf-8"), url=url, charset="utf-8", name=row.where)
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
    return sites.host_language(host)   # kremlin.ru/events/..., old www.mid.ru/foreign_policy/...
