"""bundesregierung.de: the German Federal Government's press conferences (Regierungspressekonferenz)."""

from __future__ import annotations

import re

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # the list of the government's press conferences, newest first (the site pages it with "page")
    url = f"{base}/breg-de/aktuelles/pressekonferenzen"
    return url if page <= 1 else f"{url}?page={page}"


SITE = Site(
    profile=SiteProfile(
        name="bundesregierung.de",
        tz="Europe/Berlin",
        country="DE",
        hosts=("bundesregierung.de", "bundeskanzler.de", "bundeskanzlerin.de"),
        # The site's own head; the wording of the transcript ("Im Wortlaut", "Mitschrift der
        # Pressekonferenz") travels with its reposts and counts little.
        signals=_signals(
            (r"^Die Bundesregierung$", 3),
            (r"^Der Bundesadler Die Flagge Die Bundesregierung$", 3),
            (r"^Mitschrift der Pressekonferenz\b", 1),
        ),
        # /breg-de/aktuelles/pressekonferenzen/regierungspressekonferenz-vom-12-juli-2023-2203562
        item_id=re.compile(r"/breg-de/[\w/-]*?-(\d{6,8})/?$"),
        reported_lead=True,
    ),
    selectors={
        "title": ("h1.bpa-article-title", "article h1", "h1"),
        "date": ("span.bpa-time time", "time.bpa-time", "p.bpa-date"),
        "time": ("span.bpa-time time[datetime]", "time.bpa-time[datetime]", "meta[name='date']"),
        "body": ("div.bpa-richtext", "div.bpa-article-text", "article .bpa-container"),
        "drop": (".bpa-share", ".bpa-print", ".bpa-breadcrumb", ".bpa-teaser-list", ".bpa-related"),
    },
    markers=(("div.bpa-richtext", 2), ("h1.bpa-article-title", 2), ("meta[content*='bundesregierung.de']", 2)),
    crawl=CrawlProfile(
        name="bundesregierung.de",
        aliases=("bundesregierung", "bundesregierung.de", "regpk"),
        hosts=("bundesregierung.de",),
        bases={"*": "https://www.bundesregierung.de"},
        listing=_listing,
        item_pattern=re.compile(r"/breg-de/aktuelles/pressekonferenzen/[\w-]+-(\d{6,8})/?$"),
        entry_selector="li.bpa-teaser-list-item, div.bpa-teaser",
        date_selector="time",
        lang_of=lambda url: "de",
    ),
)
