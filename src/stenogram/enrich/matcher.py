"""Finding listed phrases in text: word tokens, the longest listed phrase first, exact surface forms.

Phrases are looked up by their exact text between the first and last word (so ``Guinea-Bissau``,
``Gazprom Neft`` and ``U.S.`` match as written), longest first, so ``Equatorial Guinea`` wins over
``Guinea`` and ``Nigeria`` is never ``Niger``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_TRAILING = frozenset(".+»”\")")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    value: str


class PhraseMatcher:
    """Exact, case-sensitive phrase lookup over word tokens; values are ids (``IQ``, ``United Nations``)."""

    def __init__(self, phrases: Mapping[str, str], *, max_words: int = 14) -> None:
        self.table: dict[str, str] = {}
        self.first_words: set[str] = set()
        self.max_words = 1
        for phrase, value in phrases.items():
            key = _SPACE.sub(" ", phrase.strip())
            words = _WORD.findall(key)
            if not words or len(words) > max_words:
                continue
            self.table[key] = value
            self.first_words.add(words[0])
            self.max_words = max(self.max_words, len(words))

    def find(self, text: str) -> Iterator[Match]:
        tokens = _tokens(text)
        first = self.first_words
        n = len(tokens)
        resume = 0   # no match may start before the end of the previous one
        for i in [k for k, tok in enumerate(tokens) if tok[2] in first]:
            if i < resume:
                continue
            for length in range(min(self.max_words, n - i), 0, -1):
                start, end = tokens[i][0], tokens[i + length - 1][1]
                raw = text[start:end]
                key = _SPACE.sub(" ", raw) if "\n" in raw or "  " in raw else raw
                tail = text[end] if end < len(text) else ""
                if tail in _TRAILING and key + tail in self.table:
                    # a listed form that ends in punctuation: "U.S.", "OPEC+", "«Россия сегодня»"
                    yield Match(start, end + 1, text[start:end + 1], self.table[key + tail])
                elif key in self.table:
                    yield Match(start, end, raw, self.table[key])
                else:
                    continue
                resume = i + length
                break


@lru_cache(maxsize=32)
def _tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with offsets; cached, as every matcher reads the same turn."""
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
