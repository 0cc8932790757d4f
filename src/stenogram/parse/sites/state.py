"""state.gov: the US Department of State's press briefings."""

import re

from stenogram.parse.sites import SiteProfile, _signals

PROFILE = SiteProfile(
    name="state.gov",
    tz="America/New_York",
    country="US",
    hosts=("state.gov", "2009-2017.state.gov", "2001-2009.state.gov"),
    signals=_signals(
        (r"^An official website of the United States [Gg]overnment", 3),
        (r"^Department Press Briefing", 3),
        (r"^Daily Press Briefing$", 2),
        (r"^(?:MR|MS|MRS)\.? [A-Z]{2,}\s*:", 2),
        (r"^QUESTION\s*:", 1),
        (r"Department Spokesperson", 1),
    ),
    item_id=re.compile(r"/dpb/\d{4}/\d{2}/(\d+)\.htm|/briefings/([\w-]+)/?$"),
)
