"""fmprc.gov.cn: the Chinese Foreign Ministry's regular press conferences (English)."""

from __future__ import annotations

import re

from stenogram.sites.profile import Site, SiteProfile, _signals

SITE = Site(
    profile=SiteProfile(
        name="fmprc.gov.cn",
        tz="Asia/Shanghai",
        country="CN",
        hosts=("fmprc.gov.cn", "mfa.gov.cn", "china-embassy.gov.cn", "china-un.org"),
        signals=_signals(
            (r"^Foreign Ministry Spokesperson .{3,40}[’']s? Regular Press Conference", 4),
            (r"^Home > Press and Media Services", 2),
            (r"^(?:19|20)\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d$", 1),
        ),
        item_id=re.compile(r"/t(\d{5,8})(?:_\d+)?\.s?html?|/t\d{8}_(\d{5,9})\.htm"),
        outlet_labels=True,
    ),
    selectors={
        "title": ("div.news-title h1", ".news-details h1", "h1", "div#News_Body_Title", "td.title"),
        "date": ("p.time span", "p.time", "div#News_Body_Time", "span.time", ".news-time"),
        "body": ("div.news-main", "div#News_Body_Txt_A", "div.trs_editor_view", "div.content"),
        "drop": (".news-tools", ".share", ".suggest", "div.printFooter", ".news-bottom", "#News_Body_Tools"),
    },
    markers=(("div.news-main", 1), ("div#News_Body_Txt_A", 3), ("meta[content*='fmprc.gov.cn']", 3),
             ("meta[name='SiteName'][content*='Ministry of Foreign Affairs']", 2)),
)
