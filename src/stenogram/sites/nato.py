"""nato.int: NATO's speeches and transcripts (press conferences, doorsteps, joint press points)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # "Speeches & transcripts", newest first; a page number past the end repeats the last page.
    url = f"{base}/cps/{lang}/natohq/opinions.htm"
    return url if page <= 1 else f"{url}?page={page}"


def _lang(url: str) -> str | None:
    m = re.match(r"^/cps/([a-z]{2})/", urlsplit(url).path)
    return m.group(1) if m else None


SITE = Site(
    profile=SiteProfile(
        name="nato.int",
        tz="Europe/Brussels",
        country=None,
        hosts=("nato.int",),
        signals=_signals(
            (r"^by NATO (?:Deputy )?Secretary General\b", 3),
            (r"\((?:NATO )?(?:Deputy )?Secretary General(?: of NATO)?\)\s*:", 2),
            (r"\(NATO Spokesperson\)\s*:", 2),
            (r"^[•·\s]*Last updated:? ", 1),
            (r"^\(As delivered\)$", 1),
        ),
        item_id=re.compile(r"/(?:opinions|news)_(\d{3,7})\.htm"),
    ),
    selectors={
        "title": ("div.content h1", "h1"),
        "date": ("ul.list-inline.meta li:first-child", ".meta .date"),
        "body": ("div.content div.body", "div.content .text"),
        "languages": ("ul.language-switch a[hreflang]",),
        "drop": (".meta", ".tools", ".share", ".related", ".photo", ".video"),
    },
    markers=(("meta[content*='nato.int']", 3), ("link[href*='nato.int']", 1), ("div.content div.body", 1)),
    crawl=CrawlProfile(
        name="nato.int",
        aliases=("nato", "nato.int", "www.nato.int"),
        hosts=("nato.int",),
        bases={"*": "https://www.nato.int"},
        listing=_listing,
        item_pattern=re.compile(r"/cps/[a-z]{2}/natohq/opinions_(\d{3,7})\.htm$"),
        lang_of=_lang,
    ),
)
