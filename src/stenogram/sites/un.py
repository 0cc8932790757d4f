"""un.org: the UN Secretary-General's spokesperson (noon briefings)."""

from __future__ import annotations

import re

from stenogram.sites.profile import Site, SiteProfile, _signals

SITE = Site(
    profile=SiteProfile(
        name="un.org",
        tz=None,
        country=None,
        hosts=("un.org", "press.un.org"),
        signals=_signals(
            (r"Office of the Spokesperson for the Secretary-General", 3),
            (r"^Spokesperson.s Noon Briefing", 3),
            (r"near-verbatim transcript of today.s noon briefing", 2),
        ),
        item_id=re.compile(r"/(db\d{6})\.doc\.htm"),
    ),
    selectors={
        "title": ("h1.page-header", "h1.page-title", "h1"),
        "date": ("div.field--name-field-dated time", ".date-display-single", "time"),
        "time": ("div.field--name-field-dated time[datetime]",),
        "body": ("div.field--name-body", "div.field-name-body", "div.field--type-text-with-summary", "article .content"),
        "drop": (".field--name-field-tags", ".field--name-field-document-symbol", ".pr-social", ".language-switcher",
                 ".field--name-field-disclaimer-hidden"),
    },
    markers=(("div.field--name-body", 1), ("meta[content*='press.un.org']", 3), ("meta[property='og:site_name'][content*='UN']", 1),
             ("div.field--name-field-dated", 2)),
    heading_mark="**",
)
