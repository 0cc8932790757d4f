"""Speakers and how many turns each has: for listings and for suggestions as a name is typed."""

from __future__ import annotations

from dataclasses import dataclass

from stenogram import limits
from stenogram.limits import bounded
from stenogram.store.sqlite import Store


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    name: str
    turns: int


def speakers(store: Store, prefix: str = "", *, limit: int = 20) -> list[SpeakerCount]:
    """Speakers with their turn counts, most turns first; ``prefix`` keeps the names whose first word or
    last word begins with it, any case (``Lav`` finds Sergey Lavrov)."""
    bounded("limit", limit, limits.SPEAKERS)
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = store.query(
        "SELECT speaker, count(*) AS n FROM turns WHERE speaker IS NOT NULL AND "
        "(speaker LIKE ? ESCAPE '\\' OR speaker LIKE '% ' || ? ESCAPE '\\') GROUP BY speaker "
        "ORDER BY n DESC, speaker LIMIT ?", (like, like, limit))
    return [SpeakerCount(r["speaker"], int(r["n"])) for r in rows]
