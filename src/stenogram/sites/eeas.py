"""eeas.europa.eu: the EU External Action Service (press remarks of the High Representative, spokespersons)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # Drupal's pager counts from 0: the site's page 2 is ?page=1.
    url = f"{base}/eeas/press-material_{lang}"
    return url if page <= 1 else f"{url}?page={page - 1}"


def _lang(url: str) -> str | None:
    m = re.search(r"_([a-z]{2})/?$", urlsplit(url).path)
    return m.group(1) if m else None


SITE = Site(
    profile=SiteProfile(
        name="eeas.europa.eu",
        tz="Europe/Brussels",
        country=None,
        hosts=("eeas.europa.eu",),
        signals=_signals(
            (r"^EEAS Press Team$", 3),
            (r"^European External Action Service$", 3),
            (r"^Page language:?$", 1),
            (r"^HR/VP speeches$", 2),
            (r"^Link to the video: https?://audiovisual\.ec\.europa\.eu", 2),
        ),
        item_id=re.compile(r"eeas\.europa\.eu/(?:eeas|delegations/[\w-]+)/([a-z0-9][a-z0-9-]+?)_[a-z]{2}\b|/node/(\d+)"),
    ),
    selectors={
        "title": ("h1.node__title", "div.c-page-header h1", "h1"),
        "date": ("div.node__meta .date", ".c-page-header__meta time", "time"),
        "time": ("meta[property='article:published_time']",),
        "byline": ("div.node__meta .author",),
        "body": ("div.node__content div.field--name-field-text", "div.node__content", "article .content"),
        "languages": ("ul.language-list a[hreflang]",),
        "drop": (".node__tags", ".field--name-field-tags", ".social-share", ".print", ".ecl-site-header"),
    },
    markers=(("meta[content*='eeas.europa.eu']", 3), ("div.node__content div.field--name-field-text", 2),
             ("meta[property='og:site_name'][content*='EEAS']", 2)),
    crawl=CrawlProfile(
        name="eeas.europa.eu",
        aliases=("eeas", "eeas.europa.eu"),
        hosts=("eeas.europa.eu",),
        bases={"*": "https://www.eeas.europa.eu"},
        listing=_listing,
        # /eeas/<slug>_en: press remarks, statements, speeches (never the press-material listing itself)
        item_pattern=re.compile(r"^/eeas/((?!press-material_)[a-z0-9][a-z0-9-]{8,})_[a-z]{2}/?$"),
        entry_selector=".card",
        date_selector="time",
        lang_of=_lang,
    ),
)
