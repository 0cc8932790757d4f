"""state.gov: the US Department of State's press briefings."""

from __future__ import annotations

import re

from stenogram.sites.profile import Site, SiteProfile, _signals

SITE = Site(
    profile=SiteProfile(
        name="state.gov",
        tz="America/New_York",
        country="US",
        hosts=("state.gov", "2009-2017.state.gov", "2001-2009.state.gov"),
        signals=_signals(
            (r"^An official website of the United States [Gg]overnment", 3),
            (r"^Department Press Briefing", 3),
            (r"^Daily Press Briefing$", 2),
            (r"^(?:MR|MS|MRS)\.? [A-Z]{2,}\s*:", 1),    # with another signal: White House and other US pages write them too
            (r"^QUESTION\s*:", 1),
            (r"Department Spokesperson", 1),
        ),
        item_id=re.compile(r"/dpb/\d{4}/\d{2}/(\d+)\.htm|/briefings/([\w-]+)/?$"),
    ),
    selectors={
        "title": ("h1.featured-content__headline", "h1.entry-title", "h1"),
        "byline": (".article-meta__author-bar", ".article-meta__author"),
        "place": (".article-meta__publish-location",),
        "body": ("div.entry-content", "article .entry-content", "main article"),
        "drop": (".related-tags", ".article-meta__tags", ".sharing", ".page-header__share", ".usa-banner"),
    },
    markers=(("h1.featured-content__headline", 3), ("div.article-meta__author-bar", 2),
             ("meta[content*='state.gov']", 2), ("section.usa-banner", 1)),
)
