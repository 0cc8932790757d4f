"""gov.uk: the UK Government's speeches, press conference statements and the Prime Minister's
spokesperson's lobby briefings (10 Downing Street)."""

from __future__ import annotations

import re

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # the finder of speeches and news from 10 Downing Street, newest first, 20 a page
    url = (f"{base}/search/news-and-communications?organisations%5B%5D=prime-ministers-office-10-downing-street"
           "&order=updated-newest")
    return url if page <= 1 else f"{url}&page={page}"


def _lang(url: str) -> str | None:
    # Welsh versions end in ".cy"; everything else on gov.uk is English
    return "cy" if url.rstrip("/").endswith(".cy") else "en"


SITE = Site(
    profile=SiteProfile(
        name="gov.uk",
        tz="Europe/London",
        country="GB",
        hosts=("gov.uk",),
        signals=_signals(
            (r"^GOV\.UK$", 3),
            (r"Cookies on GOV\.UK", 2),
            (r"^Search GOV\.UK$", 2),
            (r"^© Crown copyright$", 2),
            (r"^All content is available under the Open Government Licence", 2),
            (r"^Prime Minister.s Office, 10 Downing Street", 1),
        ),
        # /government/speeches/pm-remarks-at-press-conference-16-january-2024, /government/news/...
        item_id=re.compile(r"/government/(?:speeches|news|publications)/([\w-]+?)(?:\.cy)?/?$"),
        reported_lead=True,
    ),
    selectors={
        "title": ("h1.gem-c-title__text", "h1.govuk-heading-l", "main h1", "h1"),
        "time": ("meta[name='govuk:first-published-at']", "meta[name='govuk:public-updated-at']"),
        # the summary, then the metadata fields ("From:", "Published", "Delivered on:", "Location:") as the
        # text of a copied page has them
        "lead": ("p.gem-c-lead-paragraph", ".gem-c-metadata", ".gem-c-important-metadata"),
        "body": ("div.govspeak", "div.gem-c-govspeak", "main .govuk-grid-column-two-thirds"),
        "drop": (".gem-c-contextual-sidebar", ".gem-c-share-links", ".gem-c-print-link", ".gem-c-published-dates",
                 ".gem-c-single-page-notification-button", ".govuk-breadcrumbs", ".gem-c-contents-list"),
    },
    markers=(("div.govspeak", 2), ("h1.gem-c-title__text", 2), ("meta[name='govuk:format']", 3),
             ("meta[content*='www.gov.uk']", 2)),
    crawl=CrawlProfile(
        name="gov.uk",
        aliases=("govuk", "gov.uk", "number10", "10 downing street"),
        hosts=("gov.uk",),
        bases={"*": "https://www.gov.uk"},
        listing=_listing,
        item_pattern=re.compile(r"/government/(?:speeches|news)/([\w-]+?)(?:\.cy)?/?$"),
        entry_selector="li.gem-c-document-list__item",
        date_selector="time",
        lang_of=_lang,
    ),
)
