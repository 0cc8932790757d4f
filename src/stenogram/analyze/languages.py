"""Which languages an analysis counted. The corpus holds the same events in several languages, and
a word is written in one of them, so every analysis says whose turns it counted: language → turns
(or lines, or occurrences) counted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


def ordered(counts: Mapping[str, int]) -> dict[str, int]:
    """Languages with something counted, most first (then by code), for stable output."""
    return dict(sorted(((lang, n) for lang, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


class Counted(list[T], Generic[T]):
    """An analysis's rows (a list like any other), with the languages of the turns behind them."""

    def __init__(self, rows: Iterable[T] = (), languages: Mapping[str, int] | None = None) -> None:
        super().__init__(rows)
        #: language → turns (or lines) counted, most first
        self.languages: dict[str, int] = ordered(languages or {})


def listed(languages: Iterable[str]) -> str:
    """``en, ru`` (or ``none``)."""
    return ", ".join(languages) or "none"
