"""mea.gov.in: India's Ministry of External Affairs, the Official Spokesperson's weekly media briefings."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals


def _listing(base: str, lang: str, page: int) -> str:
    # The site addresses its pages in the query string: "media-briefings.htm?49/Media_Briefings".
    name = "media-briefings-hi.htm" if lang == "hi" else "media-briefings.htm"
    url = f"{base}/{name}?49/Media_Briefings"
    return url if page <= 1 else f"{url}&pageno={page}"


def _lang(url: str) -> str | None:
    return "hi" if urlsplit(url).path.endswith("-hi.htm") else "en"


SITE = Site(
    profile=SiteProfile(
        name="mea.gov.in",
        tz="Asia/Kolkata",
        country="IN",
        hosts=("mea.gov.in",),
        signals=_signals(
            (r"^Transcript of (?:Virtual |Special )?(?:Weekly )?Media Briefing by (?:the )?Official Spokesperson", 3),
            (r"^(?:Shri|Smt\.?) [A-Z][\w ]+, Official Spokesperson\s*:", 3),
            (r"^Official Spokesperson, (?:Shri|Smt\.?) ", 2),
            (r"^Media Cent(?:er|re)$", 1),
        ),
        item_id=re.compile(r"\?dtl/(\d{3,7})\b"),
    ),
    selectors={
        "title": ("div.innerHead h1", "h1.heading", "h1"),
        "date": ("div.innerHead .date", "span.date", ".date"),
        "body": ("div#innerContent", "div.innerContent", "div.fullText"),
        "drop": (".social", ".print", ".shareIcons", ".innerBreadcrumb"),
    },
    markers=(("meta[content*='mea.gov.in']", 3), ("div#innerContent", 1)),
    crawl=CrawlProfile(
        name="mea.gov.in",
        aliases=("mea", "mea.gov.in", "www.mea.gov.in"),
        hosts=("mea.gov.in",),
        bases={"*": "https://www.mea.gov.in"},
        listing=_listing,
        # the item id is in the query string: media-briefings.htm?dtl/37456/Transcript_of_...
        item_pattern=re.compile(r"^dtl/(\d{3,7})/"),
        lang_of=_lang,
    ),
)
