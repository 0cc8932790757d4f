"""Site profiles: what sets each site's pages apart, as data, and the detection that picks one.

A profile is a :class:`SiteProfile` in its own module; adding a site is a new module and a line in
``PROFILES``. Detection scores each profile's signals on the page's first and last lines (and its
URL, when known); the generic profile takes whatever no profile claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    #: IANA zone of the times the site prints (None: print no offset)
    tz: str | None = None
    #: country of the site's own officials (a speaker with no "of X" in the role)
    country: str | None = None
    #: URL hosts (suffixes) of the site
    hosts: tuple[str, ...] = ()
    #: (pattern, weight) found in the page's head or tail
    signals: tuple[tuple[re.Pattern[str], int], ...] = ()
    #: URL → site item id
    item_id: re.Pattern[str] | None = None
    #: labels that are not people are outlets asking questions (China MFA)
    outlet_labels: bool = False
    #: unlabelled paragraphs between the title block and the first turn marker are a lead (Kremlin)
    lead_is_preamble: bool = False


def _signals(*pairs: tuple[str, int]) -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple((re.compile(rx, re.IGNORECASE), weight) for rx, weight in pairs)


# Lines that mark a copy on someone else's site: such a page is 'generic' whatever it reposts.
REPOST_MARKERS = re.compile(
    r"^(?:Consular queries:?.*|SPEECHES, INTERVIEWS, ARTICLES|Versão de impressão|.{0,40}days? have passed since.*|"
    r"[A-Z][a-z]+: [0-2]?\d:[0-5]\d|Unofficial translation.*|.*\bEmbassy of\b.*|Посольство .*)$",
    re.IGNORECASE,
)


def detect(lines: Sequence[str], url: str | None = None) -> SiteProfile:
    """The profile that recognises the page (``generic`` when none does)."""
    from stenogram.parse.sites import fmprc, generic, kremlin, mid, state, un

    profiles = (mid.PROFILE, kremlin.PROFILE, state.PROFILE, fmprc.PROFILE, un.PROFILE)
    if url:
        host = (urlsplit(url).hostname or "").lower()
        for profile in profiles:
            if any(host == h or host.endswith("." + h) for h in profile.hosts):
                return profile
        if host:
            return generic.PROFILE
    # Signals are read line by line on the page's first and last lines, cut short: cheap and enough.
    edges = [line[:200] for line in (*lines[:14], *lines[-6:]) if len(line) < 600]
    if any(REPOST_MARKERS.match(line) for line in edges[:14]):
        return generic.PROFILE
    best, best_score = generic.PROFILE, 0
    for profile in profiles:
        score = sum(w for rx, w in profile.signals if any(rx.search(line) for line in edges))
        if score > best_score:
            best, best_score = profile, score
        if score >= 5:
            break   # unmistakable: no need to ask the other profiles
    return best if best_score >= 2 else generic.PROFILE


def by_name(name: str) -> SiteProfile:
    from stenogram.parse.sites import fmprc, generic, kremlin, mid, state, un

    for profile in (mid.PROFILE, kremlin.PROFILE, state.PROFILE, fmprc.PROFILE, un.PROFILE, generic.PROFILE):
        if profile.name == name:
            return profile
    return generic.PROFILE
