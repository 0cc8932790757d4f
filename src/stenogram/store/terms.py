"""Words as the corpus counts them (case and accents folded; letters and digits), and the yearly
word counts the store keeps up to date as documents come and go, so a yearly trend of a word over
the whole corpus is a look-up instead of a pass over every occurrence."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache

_WORD = re.compile(r"[^\W_]+")
#: for ASCII text: letters lowered, digits kept, everything else a space (then the words are a split,
#: the same as the expression's matches on the folded text and about four times faster)
_ASCII_WORDS = str.maketrans({chr(i): chr(i).lower() if chr(i).isalnum() else " " for i in range(128)})


@cache
def _combining_marks() -> dict[int, None]:
    """The code points with a combining class (accents and other marks), for str.translate to delete.
    Unicode has them in its first two planes only."""
    return dict.fromkeys(cp for cp in range(0x20000) if unicodedata.combining(chr(cp)))


def fold(text: str) -> str:
    """Lower case (case-folded) without accents."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_combining_marks()).casefold()


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The folded word tokens of a text."""
    return tuple(_words(text))


def _words(text: str) -> list[str]:
    if text.isascii():
        return text.translate(_ASCII_WORDS).split()
    return _WORD.findall(fold(text))


def year_of(day: str | None) -> int | None:
    """The year of a document's date (``2020-11-25`` → 2020); None without a date."""
    if not day or len(day) < 4 or not day[:4].isdigit():
        return None
    return int(day[:4])


def count_terms(texts: Iterable[str]) -> Counter[str]:
    """How often each folded word occurs in these texts."""
    return Counter(_words("\n".join(texts)))     # a line break is no part of any word
