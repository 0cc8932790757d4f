"""Bytes to clean text: decoding (legacy Russian and Chinese encodings included), normalisation, lines."""

from __future__ import annotations

import re

from stenogram.errors import BinaryInput, EmptyInput

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Characters that never occur in a transcript but fill binary files.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, *, name: str = "<input>", declared: str | None = None) -> str:
    """Decode a transcript's bytes: BOM, the declared charset, UTF-8, then detection.

    Raises EmptyInput for whitespace only and BinaryInput for bytes that are not text.
    """
    if not data.strip():
        raise EmptyInput(name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_text(data[len(bom):].decode(encoding, errors="replace"), name)
    if b"\x00" in data[:4096]:
        raise BinaryInput(name)
    if declared:
        try:
            return _check_text(data.decode(declared), name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    return _check_text(_detect(data), name)


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "gb18030", "cp1252", "latin_1", "utf_8"]).best()
    if best is None:
        return data.decode("cp1252", errors="replace")
    return str(best)


def _check_text(text: str, name: str) -> str:
    sample = text[:8192]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise BinaryInput(name)
    if not text.strip():
        raise EmptyInput(name)
    return text


_DELETE_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff"))


def normalise_line(line: str) -> str:
    """One line as the parser sees it: no-break and odd spaces folded to one space, edges stripped."""
    return " ".join(line.translate(_DELETE_ZERO_WIDTH).split())


def lines(text: str) -> list[str]:
    """The text's non-blank lines, normalised; each is a paragraph candidate."""
    out = []
    for raw in text.splitlines():
        line = normalise_line(raw)
        if line:
            out.append(line)
    return out
