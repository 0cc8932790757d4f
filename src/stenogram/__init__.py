"""stenogram: diplomatic transcripts into a structured, searchable corpus."""

from stenogram.api import Corpus, bulk, open
from stenogram.errors import StenogramError
from stenogram.model import Document, Mention, Participant, Section, Turn
from stenogram.parse import parse_bytes, parse_text
from stenogram.version import __version__

__all__ = [
    "Corpus",
    "Document",
    "Mention",
    "Participant",
    "Section",
    "StenogramError",
    "Turn",
    "__version__",
    "bulk",
    "open",
    "parse_bytes",
    "parse_text",
]
