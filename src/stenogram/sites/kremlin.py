"""kremlin.ru and en.kremlin.ru: the President of Russia."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    url = f"{base}/events/president/transcripts"
    return url if page <= 1 else f"{url}/page/{page}"


def _lang(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if not (host == "kremlin.ru" or host.endswith(".kremlin.ru")):
        return None
    return "en" if host.startswith("en.") else "ru"


def _versions(url: str) -> dict[str, str]:
    # The same id on en.kremlin.ru and kremlin.ru is the same event in English and Russian.
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in ("kremlin.ru", "www.kremlin.ru", "en.kremlin.ru"):
        return {}
    return {"en": f"http://en.kremlin.ru{parts.path}", "ru": f"http://kremlin.ru{parts.path}"}


SITE = Site(
    profile=SiteProfile(
        name="kremlin.ru",
        tz="Europe/Moscow",
        country="RU",
        hosts=("kremlin.ru",),
        signals=_signals(
            (r"^Official website of the President of Russia$", 3),
            (r"^Официальный сайт Президента России$", 3),
            (r"^View settings$", 2),
            (r"^(?:President of Russia Vladimir Putin|В\.\s?Путин)\s*:", 2),
            (r"^(?:News|Документ|Document|Новости) /$", 1),
        ),
        item_id=re.compile(r"/(?:events|catalog/[\w/]+?/events)/(?:president/)?(?:transcripts/|news/)?(\d{3,7})|/d/(\d{3,7})"),
        lead_is_preamble=True,
    ),
    selectors={
        "title": ("h1.entry-title.p-name", "h1.entry-title", "h1"),
        "date": ("time.read__published", ".read__published"),
        "time": ("time.read__published[datetime]",),
        "clock": ("div.read__time", ".read__time"),
        "place": ("div.read__place.p-location", ".read__place"),
        "lead": ("div.read__lead.entry-summary.p-summary", "div.read__lead"),
        "body": ("div.entry-content.e-content.read__internal_content", "div.read__internal_content", "div.entry-content"),
        "drop": ("div.read__tags.masha-ignore", "div.read__bottommeta", ".read__tags", ".read__bottommeta", ".read__tabs",
                 ".read__share", ".masha-ignore"),
    },
    markers=(("h1.entry-title.p-name", 3), ("time.read__published", 3), ("div.read__internal_content", 3),
             ("meta[content*='kremlin.ru']", 2)),
    crawl=CrawlProfile(
        name="kremlin.ru",
        aliases=("kremlin", "kremlin.ru", "en.kremlin.ru"),
        hosts=("kremlin.ru",),
        bases={"en": "http://en.kremlin.ru", "ru": "http://kremlin.ru", "*": "http://en.kremlin.ru"},
        listing=_listing,
        item_pattern=re.compile(r"/events/president/transcripts/(\d{2,9})/?$"),
        entry_selector=".hentry",
        date_selector="time",
        lang_of=_lang,
        derived_versions=_versions,
    ),
    # kremlin.ru/events/... is Russian; en.kremlin.ru names its language in the host
    host_languages={"kremlin.ru": "ru"},
)
