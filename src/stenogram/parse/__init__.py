"""Text or bytes → Document. Pure functions, no I/O beyond what the caller hands in."""

from stenogram.model import Document
from stenogram.parse.document import parse_text
from stenogram.parse.text import decode

__all__ = ["decode", "parse_bytes", "parse_text"]


def parse_bytes(data: bytes, *, name: str = "<input>", url: str | None = None, charset: str | None = None) -> Document:
    """Decode (legacy encodings included) and parse; raises InputError subclasses for unusable bytes."""
    return parse_text(decode(data, name=name, declared=charset), url=url)
