"""fmprc.gov.cn: the Chinese Foreign Ministry's regular press conferences (English)."""

import re

from stenogram.parse.sites import SiteProfile, _signals

PROFILE = SiteProfile(
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
)
