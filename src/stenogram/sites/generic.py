"""The fallback for sites without a profile (reposts, blogs, embassies): common markup, read with care."""

from __future__ import annotations

from stenogram.sites.profile import Site, SiteProfile

SITE = Site(
    profile=SiteProfile(name="generic"),
    selectors={
        "title": ("h1.entry-title", "h1.post-title", "h1.article-title", "article h1", "main h1", "h1"),
        "date": ("time.entry-date", "article time", "time[datetime]", ".entry-date", ".post-date", ".published",
                 ".article-date", "div.date", "span.date", ".date"),
        "time": ("time.entry-date[datetime]", "article time[datetime]", "main time[datetime]",
                 "meta[property='article:published_time']", "meta[itemprop='datePublished']"),
        "byline": (".byline", ".entry-author", ".author-name", "[rel='author']"),
        "drop": (),
    },
)
