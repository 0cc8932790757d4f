"""The crawler: the fetcher against httpx.MockTransport with a fake clock, then end to end against a real
HTTP server on 127.0.0.1 serving a small site in mid.ru's layout (robots.txt, listings, en/ru items,
redirects, errors, a slow page, a cp1251 page, a huge page), and a crawl killed with SIGKILL and resumed.

No request leaves 127.0.0.1: the mock transport never opens a socket, and the real server is local.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import itertools
import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from stenogram.collect import FetchLog, SnapshotStore, crawl, get_profile, reparse
from stenogram.collect.crawler import CrawlProgress
from stenogram.collect.errors import (
    CrawlConfigError,
    HTTPStatusError,
    NetworkError,
    PageTooLarge,
    RedirectRefused,
    RetryAfterTooLong,
    RobotsDisallowed,
    RobotsUnavailable,
    SnapshotCorrupt,
    UnknownSite,
)
from stenogram.collect.fetch import Fetcher, parse_retry_after, robots_delay, user_agent
from stenogram.collect.fetchlog import fetchlog_path
from stenogram.collect.pages import decode_html, find_items, find_versions
from stenogram.collect.snapshots import snapshots_path
from stenogram.errors import StenogramError

CONTACT = "https://example.org/stenogram-tests"
UA = user_agent(CONTACT)


# --- a fake clock ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def mock_fetcher(handler: Handler, clock: FakeClock | None = None, **options: Any) -> tuple[Fetcher, list[httpx.Request], FakeClock]:
    """A Fetcher over a MockTransport; robots.txt allows everything unless the handler answers it."""
    seen: list[httpx.Request] = []
    clock = clock or FakeClock()

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client = httpx.Client(transport=httpx.MockTransport(record))
    options.setdefault("rate", 100.0)
    fetcher = Fetcher(client, contact_url=CONTACT, clock=clock.clock, sleep=clock.sleep, rng=random.Random(7), **options)
    return fetcher, seen, clock


def pages(routes: Mapping[str, Callable[[httpx.Request], httpx.Response] | httpx.Response]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        key = request.url.path
        if request.url.host != "example.org":
            key = f"{request.url.host}{key}"
        route = routes.get(key)
        if route is None:
            return httpx.Response(404, text="robots: none" if key.endswith("robots.txt") else "not found")
        return route(request) if callable(route) else route
    return handler


def sequence(*responses: httpx.Response | Exception) -> Callable[[httpx.Request], httpx.Response]:
    """Answers in turn, the last one for ever."""
    queue = list(responses)

    def answer(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item
    return answer


def paths(seen: list[httpx.Request]) -> list[str]:
    return [r.url.path for r in seen]


# --- the fetcher, unit tests -----------------------------------------------------------------------


def test_user_agent_and_robots_txt_first() -> None:
    fetcher, seen, _ = mock_fetcher(pages({"/robots.txt": httpx.Response(200, text="User-agent: *\nAllow: /\n"),
                                           "/a": httpx.Response(200, text="A")}))
    res = fetcher.fetch("http://example.org/a")
    assert res.content == b"A" and res.status == 200 and not res.not_modified
    assert paths(seen) == ["/robots.txt", "/a"]
    assert UA.startswith("stenogram/") and UA.endswith(f" (+{CONTACT})")
    assert all(r.headers["user-agent"] == UA for r in seen)
    fetcher.fetch("http://example.org/a")
    assert paths(seen) == ["/robots.txt", "/a", "/a"]   # robots.txt is read once per host


def test_retries_5xx_with_capped_exponential_backoff_and_jitter() -> None:
    fetcher, seen, clock = mock_fetcher(
        pages({"/p": sequence(*[httpx.Response(503)] * 5, httpx.Response(200, text="ok"))}),
        backoff=1.0, backoff_cap=5.0, max_retries=5,
    )
    assert fetcher.fetch("http://example.org/p").content == b"ok"
    assert paths(seen) == ["/robots.txt"] + ["/p"] * 6
    waits = clock.sleeps[1:]                       # the first sleep spaces /robots.txt and /p (the rate limit)
    assert len(waits) == 5
    for attempt, wait in enumerate(waits, start=1):
        full = min(5.0, 2.0 ** (attempt - 1))
        assert full / 2 - 1e-9 <= wait <= full + 1e-9, (attempt, wait)    # equal jitter, capped
    assert max(waits) <= 5.0
    assert waits[2] > waits[0]


def test_retries_timeouts_and_connection_errors_then_gives_up() -> None:
    timeout = httpx.ReadTimeout("slow")
    fetcher, seen, _ = mock_fetcher(pages({"/ok": sequence(httpx.ConnectError("refused"), httpx.Response(200, text="x")),
                                           "/slow": sequence(timeout)}), max_retries=2, backoff=0.1)
    assert fetcher.fetch("http://example.org/ok").content == b"x"
    with pytest.raises(NetworkError) as err:
        fetcher.fetch("http://example.org/slow")
    assert err.value.attempts == 3 and "timed out" in str(err.value) and "run the crawl again later" in str(err.value)
    assert paths(seen).count("/slow") == 3


def test_retry_after_seconds_and_http_date_are_honoured() -> None:
    wall = 1_700_000_000.0
    date = email.utils.formatdate(wall + 30, usegmt=True)
    fetcher, _, clock = mock_fetcher(
        pages({"/a": sequence(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, text="a")),
               "/b": sequence(httpx.Response(503, headers={"Retry-After": date}), httpx.Response(200, text="b"))}),
        wall_clock=lambda: wall,
    )
    fetcher.fetch("http://example.org/a")
    assert clock.sleeps[-1] == pytest.approx(7.0)
    fetcher.fetch("http://example.org/b")
    assert clock.sleeps[-1] == pytest.approx(30.0)
    assert parse_retry_after("120", 0) == 120 and parse_retry_after("soon", 0) is None
    assert parse_retry_after(email.utils.formatdate(100, usegmt=True), 160) == 0.0   # a date in the past: no wait


def test_retry_after_longer_than_the_limit_ends_the_fetch() -> None:
    fetcher, seen, _ = mock_fetcher(pages({"/a": httpx.Response(503, headers={"Retry-After": "86400"})}), max_retry_after=60)
    with pytest.raises(RetryAfterTooLong) as err:
        fetcher.fetch("http://example.org/a")
    assert paths(seen).count("/a") == 1 and "86400 s" in str(err.value)
    assert isinstance(err.value, HTTPStatusError) and isinstance(err.value, StenogramError)


def test_no_retry_on_404() -> None:
    fetcher, seen, _ = mock_fetcher(pages({"/gone": httpx.Response(404)}))
    with pytest.raises(HTTPStatusError) as err:
        fetcher.fetch("http://example.org/gone")
    assert err.value.status == 404 and err.value.attempts == 1
    assert "answered 404" in str(err.value) and "check the URL" in str(err.value)
    assert paths(seen).count("/gone") == 1


def test_page_over_the_maximum_size_is_dropped() -> None:
    produced: list[int] = []

    def endless() -> Iterator[bytes]:
        for i in range(1000):
            produced.append(i)
            yield b"x" * 1024

    fetcher, seen, _ = mock_fetcher(pages({"/declared": httpx.Response(200, content=b"y" * 5000),
                                           "/streamed": lambda r: httpx.Response(200, content=endless())}), max_bytes=4096)
    with pytest.raises(PageTooLarge) as err:
        fetcher.fetch("http://example.org/declared")      # Content-Length says so: nothing is read
    assert err.value.size == 5000 and "maximum page size of 4096 bytes" in str(err.value)
    with pytest.raises(PageTooLarge):
        fetcher.fetch("http://example.org/streamed")      # no length: reading stops past the limit
    assert len(produced) <= 6
    assert paths(seen).count("/streamed") == 1            # a size failure is not retried


def test_conditional_request_sends_validators_and_handles_304() -> None:
    etag, modified = '"v1"', "Tue, 12 Mar 2024 13:19:00 GMT"

    def page(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        return httpx.Response(200, text="body", headers={"ETag": etag, "Last-Modified": modified})

    fetcher, seen, _ = mock_fetcher(pages({"/p": page}))
    first = fetcher.fetch("http://example.org/p")
    assert first.etag == etag and first.last_modified == modified and "if-none-match" not in seen[-1].headers
    again = fetcher.fetch("http://example.org/p", etag=first.etag, last_modified=first.last_modified)
    assert seen[-1].headers["if-none-match"] == etag and seen[-1].headers["if-modified-since"] == modified
    assert again.not_modified and again.status == 304 and again.content == b""


def test_redirects_within_the_site_are_followed_and_to_another_host_refused(caplog: pytest.LogCaptureFixture) -> None:
    routes = {
        "/old": httpx.Response(301, headers={"Location": "https://www.example.org/new#frag"}),
        "www.example.org/new": httpx.Response(200, text="new"),
        "/away": httpx.Response(302, headers={"Location": "http://elsewhere.example.net/x"}),
        "/loop": httpx.Response(302, headers={"Location": "/loop2"}),
        "/loop2": httpx.Response(302, headers={"Location": "/loop"}),
    }
    fetcher, seen, _ = mock_fetcher(pages(routes))
    res = fetcher.fetch("http://example.org/old")
    assert res.final_url == "https://www.example.org/new" and res.content == b"new" and res.redirects == ("https://www.example.org/new",)
    with caplog.at_level(logging.WARNING, logger="stenogram.collect"), pytest.raises(RedirectRefused) as err:
        fetcher.fetch("http://example.org/away")
    assert err.value.location == "http://elsewhere.example.net/x" and "--base-url" in str(err.value)
    assert "elsewhere.example.net" in caplog.text
    assert all(r.url.host != "elsewhere.example.net" for r in seen)
    with pytest.raises(StenogramError, match="redirected"):
        fetcher.fetch("http://example.org/loop")


def test_robots_disallow_and_crawl_delay_larger_than_the_rate() -> None:
    robots = "User-agent: *\nDisallow: /private/\nCrawl-delay: 5\n"
    fetcher, seen, clock = mock_fetcher(pages({"/robots.txt": httpx.Response(200, text=robots),
                                               "/a": httpx.Response(200), "/b": httpx.Response(200)}), rate=10.0)
    with pytest.raises(RobotsDisallowed) as err:
        fetcher.fetch("http://example.org/private/x")
    assert "disallowed" in str(err.value) and "/private/x" not in paths(seen)
    fetcher.fetch("http://example.org/a")
    fetcher.fetch("http://example.org/b")
    assert clock.sleeps[-1] == pytest.approx(5.0)        # Crawl-delay beats 1/rate = 0.1 s
    slow, _, clock2 = mock_fetcher(pages({"/robots.txt": httpx.Response(200, text=robots), "/a": httpx.Response(200)}), rate=0.1)
    slow.fetch("http://example.org/a")
    slow.fetch("http://example.org/a")
    assert clock2.sleeps[-1] == pytest.approx(10.0)      # 1/rate = 10 s beats Crawl-delay


def test_robots_404_allows_and_an_unreachable_robots_txt_forbids() -> None:
    open_site, _, _ = mock_fetcher(pages({"/a": httpx.Response(200, text="a")}))
    assert open_site.fetch("http://example.org/a").content == b"a"
    down, seen2, _ = mock_fetcher(pages({"/robots.txt": httpx.Response(503), "/a": httpx.Response(200)}), max_retries=1)
    with pytest.raises(RobotsUnavailable) as err:
        down.fetch("http://example.org/a")
    assert "/a" not in paths(seen2) and "could not be read" in str(err.value)
    closed, _, _ = mock_fetcher(pages({"/robots.txt": httpx.Response(403), "/a": httpx.Response(200)}))
    with pytest.raises(RobotsDisallowed):
        closed.fetch("http://example.org/a")


def test_robots_delay_reads_fractions_rates_and_the_right_group() -> None:
    assert robots_delay("User-agent: *\nCrawl-delay: 0.05\n") == pytest.approx(0.05)
    assert robots_delay("User-agent: *\nRequest-rate: 1/10s\n") == pytest.approx(10.0)
    text = "User-agent: Googlebot\nCrawl-delay: 1\n\nUser-agent: stenogram\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 9\n"
    assert robots_delay(text, "stenogram/0.1") == 3.0
    assert robots_delay(text, "otherbot") == 9.0
    assert robots_delay("User-agent: foo\nDisallow: /\n") == 0.0


# --- sites, snapshots, fetch log -------------------------------------------------------------------


def test_profiles_build_listing_urls_and_read_item_ids() -> None:
    mid, kremlin = get_profile("mid.ru"), get_profile("kremlin")
    assert mid.listing_url(1) == "https://www.mid.ru/en/foreign_policy/news/"
    assert mid.listing_url(3, lang="ru") == "https://www.mid.ru/ru/foreign_policy/news/?PAGEN_1=3"
    assert mid.listing_url(2, base_url="http://127.0.0.1:9/") == "http://127.0.0.1:9/en/foreign_policy/news/?PAGEN_1=2"
    assert mid.item_id("https://mid.ru/en/foreign_policy/news/1893612/") == "1893612"
    assert mid.item_id("https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/4454419") == "4454419"
    assert mid.item_id("https://mid.ru/en/foreign_policy/news/") is None
    assert mid.language("https://mid.ru/es/maps/au/1821243/?COUNTRY_CODE=au&lang=en") == "en"
    assert mid.language("https://mid.ru/ru/foreign_policy/news/1/") == "ru"
    assert kremlin.listing_url(1) == "http://en.kremlin.ru/events/president/transcripts"
    assert kremlin.listing_url(2, lang="ru") == "http://kremlin.ru/events/president/transcripts/page/2"
    assert kremlin.item_id("http://en.kremlin.ru/events/president/transcripts/73585") == "73585"
    assert kremlin.item_id("http://en.kremlin.ru/events/president/transcripts/page/2") is None
    assert kremlin.language("http://en.kremlin.ru/events/president/transcripts/73585") == "en"
    with pytest.raises(UnknownSite, match=r"sites that can be crawled: .*kremlin\.ru, .*mid\.ru"):
        get_profile("state.gov")


def test_kremlin_listing_entries_dates_and_versions() -> None:
    html = """<div class="events">
      <div class="hentry hentry_event"><h3><a href="/events/president/transcripts/73585">Meeting with ...</a></h3>
        <time datetime="2024-03-01">March 1, 2024</time></div>
      <div class="hentry hentry_event"><h3><a href="/events/president/transcripts/73570">News conference</a></h3>
        <time datetime="2024-02-27">February 27, 2024</time></div>
      <a href="/events/president/transcripts/page/2">Next</a></div>"""
    kremlin = get_profile("kremlin.ru")
    items = find_items(kremlin, html, "http://en.kremlin.ru/events/president/transcripts")
    assert [(i.item_id, i.date) for i in items] == [("73585", dt.date(2024, 3, 1)), ("73570", dt.date(2024, 2, 27))]
    versions = find_versions(kremlin, "<html></html>", "http://en.kremlin.ru/events/president/transcripts/73585")
    assert versions == {"en": "http://en.kremlin.ru/events/president/transcripts/73585", "ru": "http://kremlin.ru/events/president/transcripts/73585"}


def test_mid_listing_without_entry_markup_falls_back_to_links_and_nearby_dates() -> None:
    html = """<ul><li><span>25 ноября 2020</span> <a href="/ru/foreign_policy/news/1443/">Пресс-конференция</a></li>
              <li><a href="/ru/foreign_policy/news/1442/">Брифинг</a><small>24.11.2020</small></li></ul>
              <a href="/ru/foreign_policy/news/">Все новости</a>"""
    items = find_items(get_profile("mid"), html, "https://mid.ru/ru/foreign_policy/news/")
    assert [(i.url, i.date) for i in items] == [("https://mid.ru/ru/foreign_policy/news/1443/", dt.date(2020, 11, 25)),
                                               ("https://mid.ru/ru/foreign_policy/news/1442/", dt.date(2020, 11, 24))]


def test_snapshot_store_is_content_addressed_write_once_and_checked(tmp_path: Path) -> None:
    store = SnapshotStore.for_corpus(tmp_path / "c.db")
    assert store.root == tmp_path / "c.db.snapshots" == snapshots_path(tmp_path / "c.db")
    data = "Вопрос: ...".encode()
    key = store.put(data)
    assert key == hashlib.sha256(data).hexdigest()
    path = tmp_path / "c.db.snapshots" / key[:2] / f"{key[2:]}.gz"
    assert path.is_file() and gzip.decompress(path.read_bytes()) == data
    mtime = path.stat().st_mtime_ns
    assert store.put(data) == key and path.stat().st_mtime_ns == mtime     # write-once
    assert store.get(key) == data and key in store and list(store.keys()) == [key]
    (path.parent / ".tmp-abandoned.gz").write_bytes(b"half")            # an interrupted write
    assert list(store.keys()) == [key] and store.clean_temporary() == 1
    path.write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(SnapshotCorrupt, match="do not hash"):
        store.get(key)


def test_fetch_log_is_wal_sqlite_next_to_the_corpus(tmp_path: Path) -> None:
    with FetchLog.for_corpus(tmp_path / "c.db") as flog:
        assert flog.path == str(tmp_path / "c.db.fetch.sqlite") == str(fetchlog_path(tmp_path / "c.db"))
        flog.record(url="http://x/1", kind="item", status=200, size=3, sha256="ab", etag='"e"', headers={"etag": '"e"'})
        flog.record(url="http://x/1", kind="item", status=None, error="boom")
        assert [r.status for r in flog.requests(url="http://x/1")] == [200, None]
        last = flog.last_success("http://x/1")
        assert last is not None and last.etag == '"e"' and last.headers == {"etag": '"e"'}
    with sqlite3.connect(tmp_path / "c.db.fetch.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- the fixture site --------------------------------------------------------------------------------

# (id, date on the listing, listing page); 1000013 is disallowed by robots.txt
EN_ITEMS = [
    (1000010, "12.03.2024", 1), (1000013, "11.03.2024", 1), (1000009, "10.03.2024", 1), (1000008, "09.03.2024", 1),
    (1000007, "08.03.2024", 2), (1000006, "07.03.2024", 2), (1000005, "06.03.2024", 2), (1000004, "05.03.2024", 2),
    (1000003, "04.03.2024", 3), (1000002, "03.03.2024", 3), (1000001, "02.03.2024", 3),
]
RU_OF = {1000010: 2000010, 1000002: 2000002, 1000001: 2000001}
EN_OF = {v: k for k, v in RU_OF.items()}
LAST_PAGE = 3
LAST_MODIFIED = "Tue, 12 Mar 2024 13:19:00 GMT"
ROBOTS = "# fixture\nUser-agent: *\nCrawl-delay: 0.05\nDisallow: /en/foreign_policy/news/1000013/\n"


def news(lang: str, n: int) -> str:
    return f"/{lang}/foreign_policy/news/{n}/"


def listing_html(page: int) -> str:
    entries = []
    for n, date, p in EN_ITEMS:
        if p == page:
            href = f"/en/content/id/{n}" if n == 1000005 else news("en", n)
            entries.append(f"""<div class="announce__item">
  <div class="announce__meta"><span class="announce__date">{date}</span> <span class="announce__time">16:19</span></div>
  <a class="announce__link" href="{href}">Foreign Minister Sergey Lavrov’s remarks, item {n}</a>
  <div class="announce__meta-tags">Iraq, Syria</div></div>""")
    nav = " ".join(f'<a href="/en/foreign_policy/news/?PAGEN_1={i}">{i}</a>' for i in range(1, LAST_PAGE + 1))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body>
<header><a href="/en/">Home</a> <a href="/ru/foreign_policy/news/">RU</a></header>
<div class="announce announce_articles">{"".join(entries)}</div><div class="pagination">{nav}</div></body></html>"""


def en_item_html(n: int) -> str:
    ru = RU_OF.get(n)
    head = body = ""
    if n == 1000010:
        head = (f'<link rel="alternate" hreflang="ru" href="{news("ru", ru or 0)}">'
                f'<link rel="alternate" hreflang="en" href="{news("en", n)}">')
    elif n == 1000002:
        body = f'<a hreflang="ru" href="{news("ru", ru or 0)}">Русская версия</a>'
    elif n == 1000001:
        body = f'<div class="lang-switcher"><a href="{news("en", n)}">EN</a> <a href="{news("ru", ru or 0)}">RU</a></div>'
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Item {n}</title>{head}</head><body>{body}
<h1>Foreign Minister Sergey Lavrov’s remarks and answers to media questions, Moscow, March 12, 2024</h1>
<div class="text"><p>Question: What do you expect from the talks?</p><p>Sergey Lavrov: Results, item {n}.</p></div>
<div class="related"><a href="{news("en", 1000099)}">Related news</a></div></body></html>"""


def ru_item_html(n: int) -> str:
    return f"""<!DOCTYPE html><html lang="ru"><head><meta charset="{"windows-1251" if n == 2000010 else "utf-8"}"><title>Новость {n}</title>
<link rel="alternate" hreflang="en" href="{news("en", EN_OF[n])}"></head><body>
<h1>Выступление и ответы на вопросы СМИ Министра иностранных дел России С.В.Лаврова, Москва, 12 марта 2024 года</h1>
<div class="text"><p>Вопрос: Чего Вы ждёте от переговоров?</p><p>С.В.Лавров: Результатов, № {n}.</p></div></body></html>"""


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    no_length: bool = False


@dataclass
class Hit:
    t: float
    path: str
    host: str
    user_agent: str
    if_none_match: str | None
    status: int
    #: answered only after the client's timeout
    late: bool = False


class FixtureSite:
    """A small site in mid.ru's layout; the same answers for the real server and for MockTransport."""

    def __init__(self, other_host_base: str) -> None:
        self.other_host_base = other_host_base
        self.counts: Counter[str] = Counter()
        self.hits: list[Hit] = []
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()
            self.hits.clear()

    def page(self, body: str, charset: str = "utf-8") -> Answer:
        raw = body.encode(charset)
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        return Answer(200, {"Content-Type": f"text/html; charset={charset}", "ETag": etag, "Last-Modified": LAST_MODIFIED}, raw)

    def answer(self, target: str) -> Answer:
        parts = urlsplit(target)
        path = parts.path
        count = self.counts[target]
        if path == "/robots.txt":
            return Answer(200, {"Content-Type": "text/plain"}, ROBOTS.encode())
        if path == "/en/foreign_policy/news/":
            page = int(parse_qs(parts.query).get("PAGEN_1", ["1"])[0])
            return self.page(listing_html(min(page, LAST_PAGE)))      # Bitrix: pages past the end repeat the last
        if path == "/en/content/id/1000005":
            return Answer(301, {"Location": news("en", 1000005)})
        for n in (*(i[0] for i in EN_ITEMS), 1000099):
            if path == news("en", n):
                if n == 1000009 and count == 1:
                    return Answer(500, {"Content-Type": "text/plain"}, b"Internal Server Error")
                if n == 1000008 and count == 1:
                    return Answer(429, {"Retry-After": "1"}, b"Too Many Requests")
                if n == 1000006:
                    return Answer(404, {"Content-Type": "text/plain"}, b"Not Found")
                if n == 1000004:
                    return Answer(200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>" + b"x" * 300_000, no_length=True)
                if n == 1000003:
                    return Answer(302, {"Location": f"{self.other_host_base}{news('en', n)}"})
                answer = self.page(en_item_html(n))
                if n == 1000007 and count == 1:
                    answer.delay = 1.0
                return answer
        for n in RU_OF.values():
            if path == news("ru", n):
                return self.page(ru_item_html(n), "windows-1251" if n == 2000010 else "utf-8")
        return Answer(404, {"Content-Type": "text/plain"}, b"Not Found")

    def respond(self, target: str, headers: Mapping[str, str], host: str) -> Answer:
        with self.lock:
            self.counts[target] += 1
            answer = self.answer(target)
            inm = headers.get("If-None-Match") or headers.get("if-none-match")
            if answer.status == 200 and inm and inm == answer.headers.get("ETag"):
                answer = Answer(304, {"ETag": inm})
            self.hits.append(Hit(time.monotonic(), target, host, headers.get("User-Agent") or headers.get("user-agent") or "", inm,
                                 answer.status, late=answer.delay > 0))
            return answer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def do_GET(self) -> None:
        answer = self.server.site.respond(self.path, dict(self.headers.items()), self.headers.get("Host", ""))
        if answer.delay:
            time.sleep(answer.delay)
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if not answer.no_length:
                self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.status != 304:
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: FixtureSite


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, FixtureSite]]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    port = httpd.server_address[1]
    httpd.site = FixtureSite(other_host_base=f"http://localhost:{port}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", httpd.site
    httpd.shutdown()
    httpd.server_close()


def real_fetcher(client: httpx.Client) -> Fetcher:
    return Fetcher(client, contact_url=CONTACT, rate=50.0, max_bytes=100_000, max_retries=2, backoff=0.05)


def client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(0.5), trust_env=False)


Delivered = tuple[str, str | None, str, str]   # url, charset, sha256 of the bytes, content-type header


def run_crawl(base: str, corpus: Path, **options: Any) -> tuple[Any, list[Delivered], list[bytes]]:
    delivered: list[Delivered] = []
    bodies: list[bytes] = []

    def on_document(raw: bytes, url: str, charset: str | None, headers: dict[str, str]) -> None:
        delivered.append((url, charset, hashlib.sha256(raw).hexdigest(), headers.get("content-type", "")))
        bodies.append(raw)

    with client() as http, FetchLog.for_corpus(corpus) as flog:
        report = crawl("mid.ru", fetcher=real_fetcher(http), snapshots=SnapshotStore.for_corpus(corpus), log=flog,
                       on_document=on_document, languages=("en", "ru"), base_url=base, **options)
    return report, delivered, bodies


@dataclass
class FullCrawl:
    base: str
    corpus: Path
    report: Any
    delivered: list[Delivered]
    bodies: list[bytes]
    hits: list[Hit]
    progress: list[CrawlProgress]


@pytest.fixture(scope="module")
def full_crawl(server: tuple[str, FixtureSite], tmp_path_factory: pytest.TempPathFactory) -> FullCrawl:
    base, site = server
    site.reset()
    corpus = tmp_path_factory.mktemp("full") / "stenogram.db"
    ticks: list[CrawlProgress] = []
    report, delivered, bodies = run_crawl(base, corpus, progress=ticks.append)
    return FullCrawl(base, corpus, report, delivered, bodies, list(site.hits), ticks)


# --- end to end ------------------------------------------------------------------------------------

FETCHED_EN = [1000010, 1000009, 1000008, 1000007, 1000005, 1000002, 1000001]
FETCHED_RU = [2000010, 2000002, 2000001]
LISTING = "/en/foreign_policy/news/"


def is_listing(path: str) -> bool:
    return path == LISTING or path.startswith(LISTING + "?")


def test_end_to_end_requests_in_order_politely_and_nothing_twice(full_crawl: FullCrawl) -> None:
    hits = full_crawl.hits
    assert [h.path for h in hits] == [
        "/robots.txt",
        LISTING,
        news("en", 1000010), news("en", 1000009), news("en", 1000009), news("en", 1000008), news("en", 1000008), news("ru", 2000010),
        f"{LISTING}?PAGEN_1=2",
        news("en", 1000007), news("en", 1000007), news("en", 1000006), "/en/content/id/1000005", news("en", 1000005),
        news("en", 1000004),
        f"{LISTING}?PAGEN_1=3",
        news("en", 1000003), news("en", 1000002), news("en", 1000001), news("ru", 2000002), news("ru", 2000001),
        f"{LISTING}?PAGEN_1=4",
    ]
    # every request went to 127.0.0.1 and said who we are; the disallowed and the unlisted item were never asked for
    port = full_crawl.base.rsplit(":", 1)[1]
    assert {h.host for h in hits} == {f"127.0.0.1:{port}"}
    assert {h.user_agent for h in hits} == {UA}
    assert news("en", 1000013) not in {h.path for h in hits} and news("en", 1000099) not in {h.path for h in hits}
    # no page that answered 200 was asked for twice
    ok = Counter(h.path for h in hits if h.status == 200 and not h.late and not is_listing(h.path))
    assert set(ok) == {"/robots.txt", news("en", 1000004)} | {news("en", n) for n in FETCHED_EN} | {news("ru", n) for n in FETCHED_RU}
    assert max(ok.values()) == 1
    # the statuses the server gave: one 500, one 429, one 404 (not retried), the slow page asked again after its timeout
    statuses = [(h.path, h.status) for h in hits]
    assert (news("en", 1000009), 500) in statuses and (news("en", 1000008), 429) in statuses
    assert [s for p, s in statuses if p == news("en", 1000006)] == [404]
    # Crawl-delay 0.05 s beats the rate of 50/s, and Retry-After: 1 was waited out
    gaps = [b.t - a.t for a, b in itertools.pairwise(hits)]
    assert min(gaps) >= 0.045, gaps
    i429 = statuses.index((news("en", 1000008), 429))
    assert hits[i429 + 1].t - hits[i429].t >= 0.95


def test_end_to_end_report_documents_and_fetch_log(full_crawl: FullCrawl) -> None:
    base, report = full_crawl.base, full_crawl.report
    assert report.complete and not report.resumed and report.queued == 0 and report.pages == 4
    assert report.stopped == "listing page 4 repeats page 3: end of the archive"
    expected = {base + news("en", n) for n in FETCHED_EN if n != 1000005} | {base + "/en/content/id/1000005"}
    expected |= {base + news("ru", n) for n in FETCHED_RU}
    assert set(report.fetched) == expected and len(report.fetched) == len(expected)
    assert report.disallowed == [base + news("en", 1000013)]
    failed = dict(report.failed)
    assert set(failed) == {base + news("en", n) for n in (1000006, 1000004, 1000003)}
    assert "answered 404" in failed[base + news("en", 1000006)]
    assert "maximum page size of 100000 bytes" in failed[base + news("en", 1000004)]
    assert "another site" in failed[base + news("en", 1000003)]
    # on_document got each page once, with the final URL, the HTTP charset and the headers
    urls = [d[0] for d in full_crawl.delivered]
    assert len(urls) == len(set(urls)) == len(expected) and base + news("en", 1000005) in urls
    by_url = {d[0]: (d, raw) for d, raw in zip(full_crawl.delivered, full_crawl.bodies, strict=True)}
    (_, charset, _, ctype), raw = by_url[base + news("ru", 2000010)]
    assert charset == "windows-1251" and "windows-1251" in ctype
    assert "С.В.Лавров: Результатов" in raw.decode("cp1251") and "С.В.Лавров" in decode_html(raw, charset)
    assert by_url[base + news("en", 1000010)][0][1] == "utf-8"
    # snapshots: exactly the pages delivered
    store = SnapshotStore.for_corpus(full_crawl.corpus)
    assert set(store.keys()) == {d[2] for d in full_crawl.delivered}
    # the fetch log: a row per fetch, with attempts, validators, final URL and error text
    with FetchLog.for_corpus(full_crawl.corpus) as flog:
        rows = {r.url: r for r in flog.requests(kind="item")}
        assert rows[base + news("en", 1000009)].attempts == 2 and rows[base + news("en", 1000009)].status == 200
        moved = rows[base + "/en/content/id/1000005"]
        assert moved.final_url == base + news("en", 1000005) and moved.sha256 in store
        assert rows[base + news("en", 1000010)].etag and rows[base + news("en", 1000010)].last_modified == LAST_MODIFIED
        refused = rows[base + news("en", 1000003)]
        assert refused.status == 302 and (refused.final_url or "").startswith("http://localhost:") and refused.error
        assert rows[base + news("en", 1000013)].status is None and "robots.txt" in (rows[base + news("en", 1000013)].error or "")
        assert len(flog.requests(kind="listing")) == 4
        assert len(flog.done_items("mid.ru")) == len(expected)
    # progress ticks count up to the end
    last = full_crawl.progress[-1]
    assert (last.pages, last.items, last.errors, last.queued) == (4, len(expected), 3, 0)


def test_reparse_replays_snapshots_without_the_network(full_crawl: FullCrawl, server: tuple[str, FixtureSite]) -> None:
    _, site = server
    before = len(site.hits)
    replayed: list[Delivered] = []
    with FetchLog.for_corpus(full_crawl.corpus) as flog:
        result = reparse(SnapshotStore.for_corpus(full_crawl.corpus), flog,
                         lambda raw, url, cs, h: replayed.append((url, cs, hashlib.sha256(raw).hexdigest(), h.get("content-type", ""))))
    assert result.delivered == len(full_crawl.delivered) and not result.missing and not result.failed
    assert sorted(replayed) == sorted(full_crawl.delivered)
    assert len(site.hits) == before


def test_a_second_crawl_fetches_nothing_it_has(full_crawl: FullCrawl, server: tuple[str, FixtureSite], tmp_path: Path) -> None:
    base, site = server
    site.reset()
    report, delivered, _ = run_crawl(base, full_crawl.corpus)
    assert delivered == [] and report.fetched == [] and report.complete
    fetched_before = {urlsplit(u).path for u in full_crawl.report.fetched} | {news("en", 1000005)}
    assert not fetched_before & {h.path for h in site.hits}
    # what was asked: robots.txt, the listings, and the pages that failed last time
    assert {h.path for h in site.hits if not is_listing(h.path)} - {"/robots.txt"} == {
        news("en", 1000006), news("en", 1000004), news("en", 1000003)}


def test_update_uses_conditional_requests_and_stops_at_a_known_page(full_crawl: FullCrawl, server: tuple[str, FixtureSite]) -> None:
    base, site = server
    site.reset()
    site.counts.update({news("en", 1000009): 1, news("en", 1000008): 1})     # no more 500/429 this time
    report, delivered, _ = run_crawl(base, full_crawl.corpus, update=True)
    assert delivered == [] and report.complete
    assert report.stopped == "listing page 1 holds only items seen before"
    assert [h.path for h in site.hits] == ["/robots.txt", LISTING, news("en", 1000010), news("en", 1000009), news("en", 1000008),
                                           news("ru", 2000010)]
    assert [h.status for h in site.hits[2:]] == [304] * 4 and all(h.if_none_match for h in site.hits[2:])
    assert sorted(report.unchanged) == sorted(base + news(lang, n) for lang, n in
                                              (("en", 1000010), ("en", 1000009), ("en", 1000008), ("ru", 2000010)))


CRAWL_SCRIPT = textwrap.dedent("""
    import json, sys
    import httpx
    from stenogram.collect import Fetcher, FetchLog, SnapshotStore, crawl

    base, corpus = sys.argv[1], sys.argv[2]
    with httpx.Client(timeout=httpx.Timeout(0.5), trust_env=False) as client, FetchLog.for_corpus(corpus) as log:
        fetcher = Fetcher(client, contact_url=CONTACT, rate=50.0, max_bytes=100_000, max_retries=2, backoff=0.05)
        report = crawl("mid.ru", fetcher=fetcher, snapshots=SnapshotStore.for_corpus(corpus), log=log,
                       on_document=lambda raw, url, charset, headers: None, languages=("en", "ru"), base_url=base)
    print(json.dumps({"complete": report.complete, "resumed": report.resumed, "fetched": report.fetched}))
""").replace("CONTACT", repr(CONTACT))


def items_logged(corpus: Path) -> int:
    path = fetchlog_path(corpus)
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM requests WHERE kind = 'item' AND status = 200").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_killed_crawl_resumes_to_the_same_result(full_crawl: FullCrawl, server: tuple[str, FixtureSite], tmp_path: Path) -> None:
    base, site = server
    site.reset()
    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT)
    corpus = tmp_path / "killed.db"
    env = {**os.environ, "NO_PROXY": "*"}
    proc = subprocess.Popen([sys.executable, str(script), base, str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 20
    while items_logged(corpus) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "the crawl ended before it could be killed: " + proc.communicate()[1].decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = items_logged(corpus)
    assert 5 <= done_before < len(FETCHED_EN) + len(FETCHED_RU)    # killed in listing page 2's items, its others still queued

    out = subprocess.run([sys.executable, str(script), base, str(corpus)], capture_output=True, env=env, timeout=30, check=True)
    result = json.loads(out.stdout)
    assert result["complete"] and result["resumed"]

    with FetchLog.for_corpus(corpus) as flog, FetchLog.for_corpus(full_crawl.corpus) as reference:
        assert flog.done_items("mid.ru") == reference.done_items("mid.ru")
    assert set(SnapshotStore.for_corpus(corpus).keys()) == set(SnapshotStore.for_corpus(full_crawl.corpus).keys())
    # across both runs, no page was downloaded twice, except perhaps the one in flight when the crawl was killed
    ok = Counter(h.path for h in site.hits if h.status == 200 and not h.late and not is_listing(h.path) and h.path != "/robots.txt")
    assert sum(c - 1 for c in ok.values()) <= 1, ok
    # the second run went on from the frontier and the listing page where the first stopped: no listing page read twice
    listings = Counter(h.path for h in site.hits if is_listing(h.path))
    assert listings[LISTING] == listings[f"{LISTING}?PAGEN_1=2"] == 1 and listings[f"{LISTING}?PAGEN_1=3"] <= 2
    assert news("en", 1000013) not in {h.path for h in site.hits}


# --- the crawler over MockTransport (fast) ----------------------------------------------------------


def mock_site_fetcher(site: FixtureSite) -> tuple[Fetcher, FakeClock]:
    def handler(request: httpx.Request) -> httpx.Response:
        answer = site.respond(request.url.raw_path.decode(), request.headers, request.url.netloc.decode())
        if answer.delay:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

    clock = FakeClock()
    fetcher = Fetcher(httpx.Client(transport=httpx.MockTransport(handler)), contact_url=CONTACT, max_bytes=100_000,
                      max_retries=2, clock=clock.clock, sleep=clock.sleep, rng=random.Random(1))
    return fetcher, clock


def test_since_and_until_bound_the_walk(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    site = FixtureSite(other_host_base="http://localhost:9")
    fetcher, clock = mock_site_fetcher(site)
    got: list[str] = []
    with FetchLog.for_corpus(tmp_path / "c.db") as flog:
        report = crawl("mid", fetcher=fetcher, snapshots=SnapshotStore.for_corpus(tmp_path / "c.db"), log=flog,
                       on_document=lambda raw, url, cs, h: got.append(url), since=dt.date(2024, 3, 6), until=dt.date(2024, 3, 9),
                       base_url=base)
    assert got == [base + news("en", n) for n in (1000008, 1000007, 1000005)]
    assert report.complete and report.stopped == "listing page 2 reaches items older than 2024-03-06"
    assert f"{LISTING}?PAGEN_1=3" not in {h.path for h in site.hits}
    assert news("ru", 2000010) not in {h.path for h in site.hits}    # English only by default
    assert clock.sleeps and max(clock.sleeps) >= 1.0                   # Retry-After: 1, on the fake clock


def test_crawl_options_are_checked() -> None:
    fetcher, _, _ = mock_fetcher(pages({}))
    with FetchLog(":memory:") as flog:
        common: dict[str, Any] = {"fetcher": fetcher, "snapshots": SnapshotStore("/nonexistent"), "log": flog,
                                  "on_document": lambda *a: None}
        with pytest.raises(CrawlConfigError, match="after --until"):
            crawl("mid.ru", since=dt.date(2024, 2, 1), until=dt.date(2024, 1, 1), **common)
        with pytest.raises(CrawlConfigError, match="language codes"):
            crawl("mid.ru", languages=["English!"], **common)
        with pytest.raises(UnknownSite):
            crawl("example.org", **common)


def test_a_page_fetched_but_not_handed_over_is_handed_over_from_its_snapshot(tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    site = FixtureSite(other_host_base="http://localhost:9")
    fetcher, _ = mock_site_fetcher(site)
    got: list[str] = []

    def on_document(raw: bytes, url: str, charset: str | None, headers: dict[str, str]) -> None:
        if url.endswith("/1000009/") and url not in got:
            got.append(url)
            raise RuntimeError("the process dies while ingesting")
        got.append(url)

    options: dict[str, Any] = {"fetcher": fetcher, "snapshots": SnapshotStore.for_corpus(tmp_path / "c.db"), "on_document": on_document,
                               "until": dt.date(2024, 3, 10), "since": dt.date(2024, 3, 8), "base_url": base}
    with FetchLog.for_corpus(tmp_path / "c.db") as flog:
        with pytest.raises(RuntimeError):
            crawl("mid.ru", log=flog, **options)
        assert [e.url for e in flog.entries("mid.ru", "fetched")] == [base + news("en", 1000009)]
        asked = len(site.hits)
        report = crawl("mid.ru", log=flog, **options)
    assert report.resumed and report.complete
    assert got == [base + news("en", n) for n in (1000009, 1000009, 1000008, 1000007)]
    assert news("en", 1000009) not in {h.path for h in site.hits[asked:]}     # handed over again without a request
