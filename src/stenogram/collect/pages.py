"""What the crawler reads on a fetched page: its text, a listing page's items, an item page's language versions.

The site's :class:`~stenogram.sites.CrawlProfile` says which URLs are items, where a listing entry and its
date are, the language of a URL and the versions known by rule; this module applies it to the markup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stenogram.collect.fetch import strip_fragment
from stenogram.parse.dates import find_dates
from stenogram.sites import CrawlProfile, lang_code


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


# --- listing pages ---------------------------------------------------------------------------------


def find_items(profile: CrawlProfile, html: str, page_url: str) -> list[ListedItem]:
    """Item links on a listing page, in page order, each with the date printed next to it."""
    tree = LexborHTMLParser(html)
    items: list[ListedItem] = []
    seen: set[str] = set()
    if profile.entry_selector:
        for entry in tree.css(profile.entry_selector):
            for a in entry.css("a[href]"):
                url = _resolve(profile, a, page_url)
                if url and url not in seen:
                    seen.add(url)
                    items.append(ListedItem(url, profile.item_id(url), _date_in(profile, entry), _text(a)))
                    break
    if items:
        return items
    # No entry matched the selector (the layout changed, or there is none): item links anywhere,
    # each in the largest element around it that holds no other item.
    for a in tree.css("a[href]"):
        url = _resolve(profile, a, page_url)
        if not url or url in seen:
            continue
        seen.add(url)
        box = a
        while box.parent is not None and box.parent.tag not in ("body", "html") and _only_item(profile, box.parent, url, page_url):
            box = box.parent
        items.append(ListedItem(url, profile.item_id(url), _date_in(profile, box), _text(a)))
    return items


def _resolve(profile: CrawlProfile, a: LexborNode, page_url: str) -> str | None:
    href = (a.attributes.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    url = strip_fragment(urljoin(page_url, href))
    return url if profile.is_item(url) else None


def _only_item(profile: CrawlProfile, node: LexborNode, url: str, page_url: str) -> bool:
    return all(_resolve(profile, a, page_url) in (None, url) for a in node.css("a[href]"))


def _date_in(profile: CrawlProfile, node: LexborNode) -> dt.date | None:
    if profile.date_selector:
        for d in node.css(profile.date_selector):
            found = _date_from(d.attributes.get("datetime")) or _date_from(d.text(separator=" "))
            if found:
                return found
    for t in node.css("time"):
        found = _date_from(t.attributes.get("datetime")) or _date_from(t.text(separator=" "))
        if found:
            return found
    return _date_from(node.text(separator=" "))


# --- item pages ------------------------------------------------------------------------------------


def find_versions(profile: CrawlProfile, html: str, page_url: str) -> dict[str, str]:
    """language → URL of the item's versions linked from its page (the page's own language included)."""
    tree = LexborHTMLParser(html)
    found: dict[str, str] = {}

    def add(lang: str | None, href: str | None) -> None:
        if not lang or not href:
            return
        url = strip_fragment(urljoin(page_url, href.strip()))
        if profile.is_item(url):
            found.setdefault(lang, url)

    for n in tree.css("link[hreflang][href], a[hreflang][href]"):
        add(lang_code(n.attributes.get("hreflang")), n.attributes.get("href"))
    for n in tree.css("a[lang][href]"):
        add(lang_code(n.attributes.get("lang")), n.attributes.get("href"))
    for n in tree.css("a[href]"):
        add(LANGUAGE_WORDS.get(_text(n).lower()), n.attributes.get("href"))
    for lang, url in profile.derived_versions(page_url).items():
        found.setdefault(lang, url)
    return found


def _text(node: LexborNode) -> str:
    return " ".join(node.text(separator=" ").split())
