"""The sites stenogram knows, one module a site, and the look-ups over them.

A site module (``mid``, ``kremlin``, ``state``, ``fmprc``, ``un``, ``generic``) holds one :class:`Site`:
its detection signals, item-id pattern, time zone and country (a :class:`SiteProfile`), the CSS
selectors and markers that read its saved pages, how to crawl it (a :class:`CrawlProfile`, when it can
be crawled) and the language of its pages whose URL names none. Adding a site is a new module and a
line in :data:`SITES`; parsing and crawling do not change.

Detection scores each profile's signals on the page's first and last lines (and its URL, when known);
the generic site takes whatever no site claims.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from stenogram.sites import (
    bundesregierung,
    diplomatie,
    eeas,
    fmprc,
    generic,
    govuk,
    kremlin,
    mea,
    mid,
    mofa,
    nato,
    state,
    un,
    whitehouse,
)
from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, lang_code

__all__ = [
    "GENERIC", "HEADING_MARK", "MARKERS", "REPOST_MARKERS", "SELECTORS", "SITES", "CrawlProfile", "Site", "SiteProfile",
    "by_host", "by_name", "crawl_names", "crawl_profile", "detect", "host_language", "lang_code",
]

#: every site, in the order detection asks them; the generic fallback last
SITES: tuple[Site, ...] = (mid.SITE, kremlin.SITE, state.SITE, fmprc.SITE, un.SITE, whitehouse.SITE, govuk.SITE,
                           bundesregierung.SITE, diplomatie.SITE, nato.SITE, eeas.SITE, mofa.SITE, mea.SITE, generic.SITE)
GENERIC: Site = generic.SITE
_KNOWN: tuple[Site, ...] = tuple(site for site in SITES if site is not GENERIC)

#: CSS selectors by site name, then by field (see :class:`Site`)
SELECTORS: Mapping[str, Mapping[str, tuple[str, ...]]] = {site.name: site.selectors for site in SITES}
#: page markers (selector, weight) by site name: which site made a page saved without its address
MARKERS: Mapping[str, tuple[tuple[str, int], ...]] = {site.name: site.markers for site in SITES if site.markers}
#: line prefixes some sites' text layout puts before a heading inside the body, by site name
HEADING_MARK: Mapping[str, str] = {site.name: site.heading_mark for site in SITES if site.heading_mark}

# Lines that mark a copy on someone else's site: such a page is 'generic' whatever it reposts.
REPOST_MARKERS = re.compile(
    r"^(?:Consular queries:?.*|SPEECHES, INTERVIEWS, ARTICLES|Versão de impressão|.{0,40}days? have passed since.*|"
    r"[A-Z][a-z]+: [0-2]?\d:[0-5]\d|Unofficial translation.*|.*\bEmbassy of\b.*|Посольство .*)$",
    re.IGNORECASE,
)


def by_host(host: str) -> Site | None:
    """The site whose hosts (suffixes) include ``host`` (lower case), or None."""
    for site in _KNOWN:
        if any(host == h or host.endswith("." + h) for h in site.profile.hosts):
            return site
    return None


def detect(lines: Sequence[str], url: str | None = None) -> SiteProfile:
    """The profile that recognises the page (``generic`` when none does)."""
    if url:
        host = (urlsplit(url).hostname or "").lower()
        site = by_host(host)
        if site is not None:
            return site.profile
        if host:
            return GENERIC.profile
    # Signals are read line by line on the page's first and last lines, cut short: cheap and enough.
    edges = [line[:200] for line in (*lines[:14], *lines[-6:]) if len(line) < 600]
    if any(REPOST_MARKERS.match(line) for line in edges[:14]):
        return GENERIC.profile
    best, best_score = GENERIC.profile, 0
    for site in _KNOWN:
        score = sum(w for rx, w in site.profile.signals if any(rx.search(line) for line in edges))
        if score > best_score:
            best, best_score = site.profile, score
        if score >= 5:
            break   # unmistakable: no need to ask the other profiles
    return best if best_score >= 2 else GENERIC.profile


def by_name(name: str) -> SiteProfile:
    """The profile named exactly ``name`` (``generic`` for any other name)."""
    for site in SITES:
        if site.name == name:
            return site.profile
    return GENERIC.profile


def crawl_profile(name: str) -> CrawlProfile | None:
    """The crawl profile by name or alias (``mid.ru``, ``mid``, ``kremlin.ru``, ``kremlin``; any case, with or
    without ``www.``), or None."""
    key = name.strip().lower().removeprefix("www.")
    for site in SITES:
        if site.crawl is not None and key in (n.lower() for n in (site.crawl.name, *site.crawl.aliases)):
            return site.crawl
    return None


def crawl_names() -> list[str]:
    """The names of the sites that can be crawled, sorted."""
    return sorted(site.crawl.name for site in SITES if site.crawl is not None)


def host_language(host: str) -> str | None:
    """The language of a site's pages on ``host`` (lower case) whose URL names none, when the site has one."""
    for site in SITES:
        for suffix, code in site.host_languages.items():
            if host == suffix or host.endswith("." + suffix):
                return code
    return None
