"""mid.ru: the Russian Foreign Ministry (Liferay era, the current site, archive.mid.ru)."""

import re

from stenogram.parse.sites import SiteProfile, _signals

PROFILE = SiteProfile(
    name="mid.ru",
    tz="Europe/Moscow",
    country="RU",
    hosts=("mid.ru",),
    signals=_signals(
        (r"^\s*[0-3]?\d\.? \S+ (?:19|20)\d\d[0-2]\d:[0-5]\d\s*$", 3),   # glued date and time
        (r"^[•·\s]*(?:[a-z]{2}-[A-Z]{2}1\s*){2,}$", 3),                 # language bar
        (r"^(?:Advanced settings|Расширенные настройки|Asset Publisher)$", 2),
        (r"^official site$", 1),
        (r"^Home \\ Statements and speeches", 3),
        (r"^\d{2,5}-\d{2}-\d{2}-\d{4}$", 2),
        (r"^[0-3]?\d [A-Z][a-z]+ (?:19|20)\d\d [0-2]\d:[0-5]\d$", 1),   # current site: "2 March 2021 10:21"
    ),
    item_id=re.compile(r"(?:/content/id/|/(?:news|minister_speeches|vizity-ministra|maps/\w+)/)(\d{5,8})"),
)
