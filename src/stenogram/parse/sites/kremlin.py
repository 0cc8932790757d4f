"""kremlin.ru and en.kremlin.ru: the President of Russia."""

import re

from stenogram.parse.sites import SiteProfile, _signals

PROFILE = SiteProfile(
    name="kremlin.ru",
    tz="Europe/Moscow",
    country="RU",
    hosts=("kremlin.ru",),
    signals=_signals(
        (r"^Official website of the President of Russia$", 3),
        (r"^Официальный сайт Президента России$", 3),
        (r"^View settings$", 2),
        (r"^(?:President of Russia Vladimir Putin|В\.\s?Путин)\s*:", 2),
        (r"^(?:News|Документ|Document|Новости) /$", 1),
    ),
    item_id=re.compile(r"/(?:events|catalog/[\w/]+?/events)/(?:president/)?(?:transcripts/|news/)?(\d{3,7})|/d/(\d{3,7})"),
    lead_is_preamble=True,
)
