"""whitehouse.gov: the White House press briefings, gaggles and remarks (Briefing Room)."""

from __future__ import annotations

import re

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # WordPress: the newest briefings on the section's first page, older ones under /page/N/.
    url = f"{base}/briefing-room/press-briefings/"
    return url if page <= 1 else f"{url}page/{page}/"


SITE = Site(
    profile=SiteProfile(
        name="whitehouse.gov",
        tz="America/New_York",
        country="US",
        hosts=("whitehouse.gov", "obamawhitehouse.archives.gov", "trumpwhitehouse.archives.gov",
               "bidenwhitehouse.archives.gov"),
        signals=_signals(
            (r"^The White House$", 2),
            (r"^WH\.gov$", 2),
            (r"^1600 Pennsylvania Ave(?:nue)? NW$", 2),
            (r"^James S\. Brady Press Briefing Room$", 2),   # a repost writes "The James S. Brady ..."
            (r"^Briefing Room$", 1),
        ),
        # /briefing-room/press-briefings/2023/10/12/press-briefing-by-...-7/ (the slug is unique on the site)
        item_id=re.compile(r"/(?:briefing-room/[\w-]+|briefings-statements|remarks|the-press-office)/"
                           r"\d{4}/\d{2}/(?:\d{2}/)?([\w-]+?)(?:\.html?)?/?$"),
    ),
    selectors={
        "title": ("h1.page-title", "h1.topper__title", "h1.wp-block-post-title", "h1"),
        "date": ("time.posted-on", ".wp-block-post-date time", "time"),
        "time": ("time.posted-on[datetime]", ".wp-block-post-date time[datetime]",
                 "meta[property='article:published_time']"),
        "body": ("section.body-content", "div.body-content", "div.entry-content", "article .entry-content"),
        "drop": (".share-links", ".shared-social", ".body-overflow", ".wp-block-whitehouse-share",
                 ".issue-flag", ".breadcrumbs"),
    },
    markers=(("section.body-content", 2), ("time.posted-on", 1), ("h1.page-title.topper__title", 2),
             ("meta[content*='whitehouse.gov']", 2), ("meta[property='og:site_name'][content='The White House']", 3)),
    crawl=CrawlProfile(
        name="whitehouse.gov",
        aliases=("whitehouse", "whitehouse.gov", "white house"),
        hosts=("whitehouse.gov",),
        bases={"*": "https://www.whitehouse.gov"},
        listing=_listing,
        item_pattern=re.compile(r"/briefing-room/press-briefings/\d{4}/\d{2}/\d{2}/([\w-]+)/?$"),
        entry_selector="article.news-item",
        date_selector="time.posted-on",
        lang_of=lambda url: "en",
    ),
)
