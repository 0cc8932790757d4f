"""stenogram: diplomatic transcripts into a structured, searchable corpus."""

from stenogram.api import Corpus, open
from stenogram.errors import StenogramError
from stenogram.model import Document, Mention, Participant, Section, Turn
from stenogram.parse import parse_bytes, parse_text

__all__ = [
    "Corpus", "Document", "Mention", "Participant", "Section", "StenogramError", "Turn", "open", "parse_bytes", "parse_text",
]
__version__ = "0.1.0"
