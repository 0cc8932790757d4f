"""mofa.go.jp: Japan's Ministry of Foreign Affairs, press conferences in English (the Minister, the Press Secretary)."""

from __future__ import annotations

import re

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # One index of the press conferences, newest first; later pages, when the site pages it, by ?page=.
    url = f"{base}/press/kaiken/index.html"
    return url if page <= 1 else f"{url}?page={page}"


SITE = Site(
    profile=SiteProfile(
        name="mofa.go.jp",
        tz="Asia/Tokyo",
        country="JP",
        hosts=("mofa.go.jp",),
        signals=_signals(
            (r"^This is a provisional translation by an external company", 3),
            (r"^Press Conference by (?:Foreign Minister|(?:Deputy )?Press Secretary|Foreign Press Secretary|State Minister)\b", 2),
            (r"^Press Conferences$", 1),
            (r", Ministry of Foreign Affairs$|\d\s*[ap]\.m\.,? (?:[\w’' ]+, )?Ministry of Foreign Affairs$", 1),
        ),
        item_id=re.compile(r"/press/kaiken/(kaiken\d*e?_\d{3,7})\.html"),
        topic_headings=True,
    ),
    selectors={
        "title": ("div#maincontents h1", "div.main h1", "h1"),
        "date": ("p.rightalign", "div#maincontents p.date"),
        "body": ("div#maincontents div.main-contents", "div#maincontents", "div.main"),
        "drop": ("div#breadcrumb", ".pagetop", ".share", "div.other-language"),
    },
    markers=(("meta[content*='mofa.go.jp']", 3), ("div#maincontents", 1)),
    crawl=CrawlProfile(
        name="mofa.go.jp",
        aliases=("mofa", "mofa.go.jp", "www.mofa.go.jp"),
        hosts=("mofa.go.jp",),
        bases={"*": "https://www.mofa.go.jp"},
        listing=_listing,
        item_pattern=re.compile(r"^/press/kaiken/(kaiken\d*e_\d{3,7})\.html$"),
        lang_of=lambda url: "en" if re.search(r"/kaiken\d*e_", url) else None,
    ),
)
