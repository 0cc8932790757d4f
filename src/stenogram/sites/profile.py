"""The types a site is described with: what sets its pages apart, how its markup reads, how to crawl it.

These are data plus the few pure functions a description needs (URL rules, language codes). Reading
pages (:mod:`stenogram.parse`) and walking archives (:mod:`stenogram.collect`) use them; they know
neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    #: short unpunctuated lines in the body are topic headings (a press conference's topics, mofa.go.jp)
    topic_headings: bool = False
    #: a third-person lead before the first turn ("... a répondu aux questions") is preamble, and the person
    #: it names speaks the replies that name no one (as on unknown sites)
    reported_lead: bool = False


def _signals(*pairs: tuple[str, int]) -> tuple[tuple[re.Pattern[str], int], ...]:
    return tuple((re.compile(rx, re.IGNORECASE), weight) for rx, weight in pairs)


def lang_code(value: str | None) -> str | None:
    """``en-GB`` → ``en``; ``x-default`` and junk → None."""
    if not value:
        return None
    m = re.match(r"^\s*([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower() if m and m.group(1).lower() != "x" else None


@dataclass(frozen=True)
class CrawlProfile:
    """How to walk one site's archive.

    - the site's base URL per language (overridable with ``--base-url`` for a mirror or a test server),
    - how to build the URL of listing page N (page 1 is the newest),
    - which URLs are items (a pattern on the path whose first group is the site's item id),
    - where a listing entry is (a CSS selector, optional) and where its date is,
    - the language of an item URL, and the item's other language versions known by rule,
    - what an anti-bot challenge page looks like, so it is never taken for content.
    """

    name: str
    #: base URL of the real site, by language ("*": any language)
    bases: Mapping[str, str]
    #: (base URL, language, page number from 1) → listing page URL
    listing: Callable[[str, str, int], str]
    #: on a URL's path; group 1 is the item id
    item_pattern: re.Pattern[str]
    #: host suffixes of the real site
    hosts: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: CSS selector of one entry on a listing page (None: find item links anywhere)
    entry_selector: str | None = None
    #: CSS selector of the date inside an entry (then ``<time datetime>``, then any date in the entry's text)
    date_selector: str | None = None
    #: URL → language of the page, when the URL tells
    lang_of: Callable[[str], str | None] = field(default=lambda url: None)
    #: URL → other language versions known by rule (used with the links found on the page)
    derived_versions: Callable[[str], dict[str, str]] = field(default=lambda url: {})
    #: text of an anti-bot challenge page
    challenge: re.Pattern[str] | None = None

    def base_url(self, lang: str, override: str | None = None) -> str:
        if override:
            return override.rstrip("/")
        return (self.bases.get(lang) or self.bases.get("*") or next(iter(self.bases.values()))).rstrip("/")

    def listing_url(self, page: int, *, lang: str = "en", base_url: str | None = None) -> str:
        return self.listing(self.base_url(lang, base_url), lang, page)

    def item_id(self, url: str) -> str | None:
        parts = urlsplit(url)
        # some sites name the item in the query string (mea.gov.in: "media-briefings.htm?dtl/37456/...")
        m = self.item_pattern.search(parts.path) or (self.item_pattern.search(parts.query) if parts.query else None)
        if not m:
            return None
        return next((g for g in m.groups() if g), None)

    def is_item(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and self.item_id(url) is not None

    def language(self, url: str) -> str | None:
        return self.lang_of(url)

    def is_challenge(self, text: str) -> bool:
        return bool(self.challenge and self.challenge.search(text[:20000]))


@dataclass(frozen=True, slots=True)
class Site:
    """Everything stenogram knows of one site.

    ``selectors`` are the CSS selectors that read a saved page, by field; each field is a tuple tried in
    order, the first that matches wins (``languages``, ``byline``, ``lead`` and ``drop`` take every match):

    - ``title``: the document's title
    - ``date``: the displayed publication date (and time), emitted as the page shows it
    - ``time``: machine-readable time elements (``datetime`` or ``content`` attributes)
    - ``clock``: a displayed time printed apart from the date (kremlin.ru's ``div.read__time``)
    - ``place``: the place line (kremlin.ru prints "date, place" below the title)
    - ``number``: the document's register number (mid.ru)
    - ``byline``: author or briefer lines (state.gov)
    - ``lead``: a lead paragraph printed apart from the body (kremlin.ru)
    - ``body``: the container of the transcript itself
    - ``languages``: the document's own language versions (never a site-wide language menu)
    - ``drop``: chrome inside or around the body, removed before the body is read
    """

    #: detection signals, item ids, time zone, country and the parser's flags
    profile: SiteProfile
    #: CSS selectors by field (see above)
    selectors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: (selector, weight): the site's markup on a page saved without its address
    markers: tuple[tuple[str, int], ...] = ()
    #: line prefix the site's text layout puts before a heading inside the body (un.org: "**Sudan")
    heading_mark: str = ""
    #: how to crawl the site (None: it cannot be crawled)
    crawl: CrawlProfile | None = None
    #: host suffix → language of the site's pages whose URL names none (``kremlin.ru/events/...``)
    host_languages: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.profile.name
