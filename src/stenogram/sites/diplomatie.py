"""diplomatie.gouv.fr: the French Foreign Ministry's points de presse (the spokesperson's questions and answers)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals

_LANGS = ("fr", "en", "es", "de", "ar", "zh", "ru")


def _listing(base: str, lang: str, page: int) -> str:
    # SPIP pages a list with "debut_articles", the offset of the first entry (10 a page)
    url = f"{base}/fr/salle-de-presse/point-de-presse-et-declarations/"
    return url if page <= 1 else f"{url}?debut_articles={10 * (page - 1)}#pagination_articles"


def _lang(url: str) -> str | None:
    m = re.match(r"^/([a-z]{2})/", urlsplit(url).path)
    return m.group(1) if m and m.group(1) in _LANGS else None


SITE = Site(
    profile=SiteProfile(
        name="diplomatie.gouv.fr",
        tz="Europe/Paris",
        country="FR",
        hosts=("diplomatie.gouv.fr",),
        signals=_signals(
            (r"^France Diplomatie\b", 3),
            (r"^Accueil > Salle de presse\b", 2),
            (r"^Q&R - Point de presse\b", 1),
        ),
        # /fr/salle-de-presse/point-de-presse-et-declarations/article/point-de-presse-du-14-mars-2022
        item_id=re.compile(r"/article/([\w-]+)/?$|[?&]article(\d+)"),
        reported_lead=True,
    ),
    selectors={
        "title": ("h1.titre-article", "article h1", "h1"),
        "date": ("p.date", "span.date", ".date-publication"),
        "time": ("meta[property='article:published_time']", "time[datetime]"),
        "body": ("div.texte", "div.article-texte", "article .texte"),
        "drop": (".partage", ".outils-article", ".fil-ariane", ".mots-cles", ".articles-lies"),
    },
    markers=(("meta[content*='diplomatie.gouv.fr']", 2), ("h1.titre-article", 2), ("div.texte", 1)),
    crawl=CrawlProfile(
        name="diplomatie.gouv.fr",
        aliases=("diplomatie", "diplomatie.gouv.fr", "quai d'orsay"),
        hosts=("diplomatie.gouv.fr",),
        bases={"*": "https://www.diplomatie.gouv.fr"},
        listing=_listing,
        item_pattern=re.compile(r"/salle-de-presse/point-de-presse-et-declarations/[\w/-]*?article/([\w-]+)/?$"),
        entry_selector="li.item-article, article.item",
        date_selector=".date, time",
        lang_of=_lang,
    ),
)
