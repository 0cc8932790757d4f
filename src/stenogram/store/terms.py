"""Words as the corpus counts them (case and accents folded; letters and digits), and the yearly
word counts the store keeps up to date as documents come and go, so a yearly trend of a word over
the whole corpus is a look-up instead of a pass over every occurrence."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case (case-folded) without accents."""
    if text.isascii():
        return text.lower()
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The folded word tokens of a text."""
    return tuple(_WORD.findall(fold(text)))


def year_of(day: str | None) -> int | None:
    """The year of a document's date (``2020-11-25`` → 2020); None without a date."""
    if not day or len(day) < 4 or not day[:4].isdigit():
        return None
    return int(day[:4])


def count_terms(texts: Iterable[str]) -> Counter[str]:
    """How often each folded word occurs in these texts."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_WORD.findall(fold(text)))
    return counts
