"""un.org: the UN Secretary-General's spokesperson (noon briefings)."""

import re

from stenogram.parse.sites import SiteProfile, _signals

PROFILE = SiteProfile(
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
)
