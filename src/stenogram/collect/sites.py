"""Crawl profiles: how to walk one site's archive, as data plus a few small functions.

A profile knows

- the site's base URL per language (overridable with ``--base-url`` for a mirror or a test server),
- how to build the URL of listing page N (page 1 is the newest),
- which URLs are items (a pattern on the path whose first group is the site's item id),
- where a listing entry is (a CSS selector, optional) and where its date is,
- the language of an item URL, and how to find an item's other language versions
  (``hreflang`` links, ``lang`` attributes, language-switcher anchors, or a rule on the URL),
- what an anti-bot challenge page looks like, so it is never taken for content.

Adding a site is adding a profile with :func:`register`; the crawler does not change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stenogram.collect.errors import UnknownSite
from stenogram.collect.fetch import strip_fragment
from stenogram.parse.dates import find_dates


@dataclass(frozen=True, slots=True)
class ListedItem:
    """One entry of a listing page."""

    url: str
    item_id: str | None
    date: dt.date | None = None
    title: str = ""


#: anchor texts of language switchers, by language
LANGUAGE_WORDS: dict[str, str] = {
    "en": "en", "eng": "en", "english": "en",
    "ru": "ru", "rus": "ru", "русский": "ru", "рус": "ru", "russian": "ru",
    "de": "de", "deutsch": "de", "es": "es", "español": "es", "espanol": "es",
    "fr": "fr", "français": "fr", "francais": "fr", "zh": "zh", "中文": "zh", "ar": "ar", "العربية": "ar",
    "pt": "pt", "português": "pt",
}


def _lang_code(value: str | None) -> str | None:
    """``en-GB`` → ``en``; ``x-default`` and junk → None."""
    if not value:
        return None
    m = re.match(r"^\s*([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower() if m and m.group(1).lower() != "x" else None


def _date_from(text: str | None) -> dt.date | None:
    if not text:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    found = find_dates(text)
    return found[0].date if found else None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Bytes of a page → text: the HTTP charset, else a ``<meta charset>``, else UTF-8 (bad bytes replaced)."""
    candidates = [charset] if charset else []
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:\-]+)", data[:4096], re.IGNORECASE)
    if m:
        candidates.append(m.group(1).decode("ascii", "replace"))
    for enc in candidates:
        try:
            return data.decode(enc, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class CrawlProfile:
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

    # -- URLs -----------------------------------------------------------------------------------

    def base_url(self, lang: str, override: str | None = None) -> str:
        if override:
            return override.rstrip("/")
        return (self.bases.get(lang) or self.bases.get("*") or next(iter(self.bases.values()))).rstrip("/")

    def listing_url(self, page: int, *, lang: str = "en", base_url: str | None = None) -> str:
        return self.listing(self.base_url(lang, base_url), lang, page)

    def item_id(self, url: str) -> str | None:
        m = self.item_pattern.search(urlsplit(url).path)
        if not m:
            return None
        return next((g for g in m.groups() if g), None)

    def is_item(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and self.item_id(url) is not None

    def language(self, url: str) -> str | None:
        return self.lang_of(url)

    def is_challenge(self, text: str) -> bool:
        return bool(self.challenge and self.challenge.search(text[:20000]))

    # -- listing pages --------------------------------------------------------------------------

    def find_items(self, html: str, page_url: str) -> list[ListedItem]:
        """Item links on a listing page, in page order, each with the date printed next to it."""
        tree = LexborHTMLParser(html)
        items: list[ListedItem] = []
        seen: set[str] = set()
        if self.entry_selector:
            for entry in tree.css(self.entry_selector):
                for a in entry.css("a[href]"):
                    url = self._resolve(a, page_url)
                    if url and url not in seen:
                        seen.add(url)
                        items.append(ListedItem(url, self.item_id(url), self._date_in(entry), _text(a)))
                        break
        if items:
            return items
        # No entry matched the selector (the layout changed, or there is none): item links anywhere,
        # each in the largest element around it that holds no other item.
        for a in tree.css("a[href]"):
            url = self._resolve(a, page_url)
            if not url or url in seen:
                continue
            seen.add(url)
            box = a
            while box.parent is not None and box.parent.tag not in ("body", "html") and self._only_item(box.parent, url, page_url):
                box = box.parent
            items.append(ListedItem(url, self.item_id(url), self._date_in(box), _text(a)))
        return items

    def _resolve(self, a: LexborNode, page_url: str) -> str | None:
        href = (a.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            return None
        url = strip_fragment(urljoin(page_url, href))
        return url if self.is_item(url) else None

    def _only_item(self, node: LexborNode, url: str, page_url: str) -> bool:
        return all(self._resolve(a, page_url) in (None, url) for a in node.css("a[href]"))

    def _date_in(self, node: LexborNode) -> dt.date | None:
        if self.date_selector:
            for d in node.css(self.date_selector):
                found = _date_from(d.attributes.get("datetime")) or _date_from(d.text(separator=" "))
                if found:
                    return found
        for t in node.css("time"):
            found = _date_from(t.attributes.get("datetime")) or _date_from(t.text(separator=" "))
            if found:
                return found
        return _date_from(node.text(separator=" "))

    # -- item pages -----------------------------------------------------------------------------

    def find_versions(self, html: str, page_url: str) -> dict[str, str]:
        """language → URL of the item's versions linked from its page (the page's own language included)."""
        tree = LexborHTMLParser(html)
        found: dict[str, str] = {}

        def add(lang: str | None, href: str | None) -> None:
            if not lang or not href:
                return
            url = strip_fragment(urljoin(page_url, href.strip()))
            if self.is_item(url):
                found.setdefault(lang, url)

        for n in tree.css("link[hreflang][href], a[hreflang][href]"):
            add(_lang_code(n.attributes.get("hreflang")), n.attributes.get("href"))
        for n in tree.css("a[lang][href]"):
            add(_lang_code(n.attributes.get("lang")), n.attributes.get("href"))
        for n in tree.css("a[href]"):
            add(LANGUAGE_WORDS.get(_text(n).lower()), n.attributes.get("href"))
        for lang, url in self.derived_versions(page_url).items():
            found.setdefault(lang, url)
        return found


def _text(node: LexborNode) -> str:
    return " ".join(node.text(separator=" ").split())


# --- the registry ---------------------------------------------------------------------------------

PROFILES: dict[str, CrawlProfile] = {}


def register(profile: CrawlProfile) -> CrawlProfile:
    """Make a profile crawlable by its name and aliases."""
    for name in (profile.name, *profile.aliases):
        PROFILES[name.lower()] = profile
    return profile


def get_profile(name: str) -> CrawlProfile:
    """The profile by name or alias (``mid.ru``, ``mid``, ``kremlin.ru``, ``kremlin``), or :class:`UnknownSite`."""
    key = name.strip().lower().removeprefix("www.")
    try:
        return PROFILES[key]
    except KeyError:
        raise UnknownSite(name, site_names()) from None


def site_names() -> list[str]:
    return sorted({p.name for p in PROFILES.values()})


# --- mid.ru ----------------------------------------------------------------------------------------

_MID_LANGS = ("en", "ru", "de", "es", "fr", "pt", "ar", "zh")


def _mid_listing(base: str, lang: str, page: int) -> str:
    # The current (Bitrix) site pages its news with PAGEN_1; page numbers past the end repeat the last page.
    url = f"{base}/{lang}/foreign_policy/news/"
    return url if page <= 1 else f"{url}?PAGEN_1={page}"


def _mid_lang(url: str) -> str | None:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "lang" in query:
        return _lang_code(query["lang"][0])
    m = re.match(r"^/([a-z]{2})(?:_[A-Z]{2})?(?:/|$)", parts.path)
    return m.group(1) if m and m.group(1) in _MID_LANGS else None


MID = register(CrawlProfile(
    name="mid.ru",
    aliases=("mid", "mid.ru"),
    hosts=("mid.ru",),
    bases={"*": "https://www.mid.ru"},
    listing=_mid_listing,
    # /foreign_policy/news/1893612/ (current site), /content/id/4454419 (Liferay), speeches and visits
    item_pattern=re.compile(r"(?:/foreign_policy/news/|/content/id/|/minister_speeches/|/vizity-ministra/)(\d{4,9})/?$"),
    entry_selector=".announce__item",
    date_selector=".announce__date",
    lang_of=_mid_lang,
    challenge=re.compile(r"Data processing\.\.\. Please, wait|Обработка данных\.\.\. Пожалуйста, подождите", re.IGNORECASE),
))


# --- kremlin.ru ------------------------------------------------------------------------------------


def _kremlin_listing(base: str, lang: str, page: int) -> str:
    url = f"{base}/events/president/transcripts"
    return url if page <= 1 else f"{url}/page/{page}"


def _kremlin_lang(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if not (host == "kremlin.ru" or host.endswith(".kremlin.ru")):
        return None
    return "en" if host.startswith("en.") else "ru"


def _kremlin_versions(url: str) -> dict[str, str]:
    # The same id on en.kremlin.ru and kremlin.ru is the same event in English and Russian.
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in ("kremlin.ru", "www.kremlin.ru", "en.kremlin.ru"):
        return {}
    return {"en": f"http://en.kremlin.ru{parts.path}", "ru": f"http://kremlin.ru{parts.path}"}


KREMLIN = register(CrawlProfile(
    name="kremlin.ru",
    aliases=("kremlin", "kremlin.ru", "en.kremlin.ru"),
    hosts=("kremlin.ru",),
    bases={"en": "http://en.kremlin.ru", "ru": "http://kremlin.ru", "*": "http://en.kremlin.ru"},
    listing=_kremlin_listing,
    item_pattern=re.compile(r"/events/president/transcripts/(\d{2,9})/?$"),
    entry_selector=".hentry",
    date_selector="time",
    lang_of=_kremlin_lang,
    derived_versions=_kremlin_versions,
))
