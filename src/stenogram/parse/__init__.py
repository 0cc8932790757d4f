"""Text or bytes → Document. Pure functions, no I/O beyond what the caller hands in."""

from stenogram.model import Document
from stenogram.parse.document import parse_text
from stenogram.parse.html import looks_like_html, parse_html
from stenogram.parse.text import decode

__all__ = ["decode", "parse_bytes", "parse_bytes_auto", "parse_html", "parse_text"]


def parse_bytes(data: bytes, *, name: str = "<input>", url: str | None = None, charset: str | None = None,
                source: str | None = None) -> Document:
    """Decode (legacy encodings included) and parse; raises InputError subclasses for unusable bytes."""
    return parse_text(decode(data, name=name, declared=charset), url=url, source=source)


def parse_bytes_auto(data: bytes, *, name: str, url: str | None = None, charset: str | None = None,
                     source: str | None = None) -> Document:
    """A saved web page (``<!doctype html``, ``<html``, or markup with a ``<body>``) or copied text, parsed as what it is."""
    if looks_like_html(data):
        return parse_html(data, url=url, charset=charset, name=name, source=source)
    return parse_bytes(data, name=name, url=url, charset=charset, source=source)
