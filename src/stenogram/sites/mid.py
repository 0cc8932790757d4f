"""mid.ru: the Russian Foreign Ministry (Liferay era, the current site, archive.mid.ru)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from stenogram.sites.profile import CrawlProfile, Site, SiteProfile, _signals, lang_code

_LANGS = ("en", "ru", "de", "es", "fr", "pt", "ar", "zh")


def _listing(base: str, lang: str, page: int) -> str:
    # The current (Bitrix) site pages its news with PAGEN_1; page numbers past the end repeat the last page.
    url = f"{base}/{lang}/foreign_policy/news/"
    return url if page <= 1 else f"{url}?PAGEN_1={page}"


def _lang(url: str) -> str | None:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "lang" in query:
        return lang_code(query["lang"][0])
    m = re.match(r"^/([a-z]{2})(?:_[A-Z]{2})?(?:/|$)", parts.path)
    return m.group(1) if m and m.group(1) in _LANGS else None


SITE = Site(
    profile=SiteProfile(
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
    ),
    selectors={
        "title": ("h1.photo-content__title", "div.asset-full-content h1", "h1.title", ".page-body h1", "h1"),
        "date": (".article-line__date", "div.asset-full-content .date", ".news-date", "div.date", "span.date"),
        "time": (".article-line time[datetime]", "div.asset-full-content time[datetime]",
                 "meta[property='article:published_time']"),
        "number": ("p.article-line__note.article-line__note_small", ".article-line__note_small"),
        "body": ("div.text.article-content", "div.article-content", "div.journal-content-article", "div.asset-full-content"),
        "languages": ("div.language-bar a", "ul.taglib-language-list-text a", ".article-languages a"),
        "drop": (".article-line__share", ".photo-content__gallery", ".additional-materials", ".article-tools",
                 "a.btn.btn-single", ".taglib-social-bookmarks", ".portlet-title-text"),
    },
    markers=(("div.text.article-content", 2), ("h1.photo-content__title", 3), ("p.article-line__note", 2),
             ("div.language-bar a", 1), ("div.asset-full-content", 1), ("meta[content*='mid.ru']", 2)),
    crawl=CrawlProfile(
        name="mid.ru",
        aliases=("mid", "mid.ru"),
        hosts=("mid.ru",),
        bases={"*": "https://www.mid.ru"},
        listing=_listing,
        # /foreign_policy/news/1893612/ (current site), /content/id/4454419 (Liferay), speeches and visits
        item_pattern=re.compile(r"(?:/foreign_policy/news/|/content/id/|/minister_speeches/|/vizity-ministra/)(\d{4,9})/?$"),
        entry_selector=".announce__item",
        date_selector=".announce__date",
        lang_of=_lang,
        challenge=re.compile(r"Data processing\.\.\. Please, wait|Обработка данных\.\.\. Пожалуйста, подождите", re.IGNORECASE),
    ),
    # old www.mid.ru/foreign_policy/... URLs name no language
    host_languages={"mid.ru": "ru"},
)
