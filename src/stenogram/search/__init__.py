"""The query language and search over a corpus."""

from stenogram.search.engine import Hit, SearchResult, search, stream
from stenogram.search.query import describe, parse_query

__all__ = ["Hit", "SearchResult", "describe", "parse_query", "search", "stream"]
