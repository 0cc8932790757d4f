"""The international sources' profiles (nato.int, eeas.europa.eu, mofa.go.jp, mea.gov.in): each crawl profile walks
a real HTTP server on 127.0.0.1 serving one listing page and two item pages in the site's layout, and the pages
fetched parse, through the site's selectors, to the site's documents; detection, item ids and listing URLs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

import stenogram
from stenogram.collect import FetchLog, SnapshotStore, crawl, get_profile
from stenogram.collect.fetch import Fetcher
from stenogram.parse import parse_html
from tests.golden import FIXTURES

CONTACT = "https://example.org/stenogram-tests"


@dataclass(frozen=True)
class FixtureSite:
    """One site's listing page and two items: (path, html) each, and what the items must parse to."""

    name: str
    listing_path: str
    listing: str
    items: dict[str, str]
    #: per item path: (title, published, [(kind, speaker, label)])
    expected: dict[str, tuple[str, str | None, list[tuple[str, str | None, str | None]]]]


def _page(head: str, body: str) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{head}</title></head>
<body><header><nav><a href="/">Home</a> <a href="/contact">Contact</a></nav></header>{body}
<footer><p>Privacy policy</p><p>Cookies</p></footer></body></html>"""


def _nato_item(n: int, day: str) -> str:
    return _page("NATO - Opinion: Press conference", f"""<div class="content">
<h1>Press conference by NATO Secretary General Jens Stoltenberg after meeting {n}</h1>
<ul class="list-inline meta"><li>{day} -</li><li>|</li><li>Last updated: {day} 18:02</li></ul>
<div class="share"><a href="#">Share on X</a></div>
<div class="body"><p>(As delivered)</p><p>Good afternoon. We have finished meeting {n}.</p>
<p>Oana Lungescu (NATO Spokesperson): Reuters, please go ahead.</p>
<p>Pieter Vos (Reuters): Will Allies agree on the new plans?</p>
<p>Jens Stoltenberg (NATO Secretary General): I expect them to agree in Vilnius.</p></div></div>""")


def _eeas_item(n: int, day: str) -> str:
    return _page("EEAS", f"""<div class="c-page-header"><h1>Press remarks by High Representative Josep Borrell after meeting {n}</h1></div>
<div class="node__meta"><span class="date">{day}</span> <span class="author">EEAS Press Team</span></div>
<div class="node__content"><div class="field--name-field-text"><p>Check against delivery!</p>
<p>Good afternoon. Ministers met for meeting {n}.</p><p>Q&amp;A</p>
<p>Q. Is there a new package of support for Ukraine?</p><p>Ministers discussed it and will decide next month.</p>
<p>Q. What about the Sahel?</p><p>We are reviewing our presence.</p></div>
<div class="social-share"><a href="#">Share this page</a></div></div>""")


def _mofa_item(n: int, day: str) -> str:
    return _page("MOFA", f"""<div id="maincontents"><h1>Press Conference by Foreign Minister KAMIKAWA Yoko</h1>
<p class="rightalign">{day}, 10:45 a.m. Ministry of Foreign Affairs</p>
<div class="main-contents"><p>This is a provisional translation by an external company for reference purpose only.</p>
<p>Opening Remarks</p>
<p>Ms. KAMIKAWA Yoko, Minister for Foreign Affairs: I will visit the Pacific Islands (item {n}).</p>
<p>Japan-China Relations</p><p>NHK, Sato: Are there plans for a meeting with China?</p>
<p>Minister Kamikawa: Nothing has been decided.</p></div></div>""")


def _mea_item(n: int, day: str) -> str:
    return _page("MEA", f"""<div class="innerHead"><h1>Transcript of Weekly Media Briefing by the Official Spokesperson ({day})</h1>
<span class="date">{day}</span></div><div id="innerContent">
<p>Shri Randhir Jaiswal, Official Spokesperson: Good afternoon and welcome to briefing {n}.</p>
<p>Question: Sir, is there any update on the visit to Bhutan?</p>
<p>Official Spokesperson, Shri Randhir Jaiswal: We will announce the dates at the appropriate time.</p></div>""")


def _listing(links: list[tuple[str, str]], wrap: str = "li") -> str:
    entries = "".join(f'<{wrap} class="card"><a href="{href.replace("&", "&amp;")}">Press remarks</a> <time>{day}</time></{wrap}>'
                      for href, day in links)
    return _page("Listing", f'<div class="listing"><ul>{entries}</ul></div><a href="/contact">Contact</a>')


def _site(name: str, listing_path: str, paths: list[str], days: list[str], make: Any,
          expected: list[tuple[str, str | None, list[tuple[str, str | None, str | None]]]]) -> FixtureSite:
    items = {path: make(n, day) for n, (path, day) in enumerate(zip(paths, days, strict=True), start=1)}
    return FixtureSite(name, listing_path, _listing(list(zip(paths, days, strict=True))), items,
                       dict(zip(paths, expected, strict=True)))


JS, OL, JB, KY, RJ = "Jens Stoltenberg", "Oana Lungescu", "Josep Borrell", "KAMIKAWA Yoko", "Randhir Jaiswal"
NATO_TURNS = [("statement", JS, None), ("moderator", OL, "Oana Lungescu (NATO Spokesperson)"),
              ("question", "Pieter Vos", "Pieter Vos (Reuters)"), ("answer", JS, "Jens Stoltenberg (NATO Secretary General)")]
EEAS_TURNS = [("statement", JB, None), ("question", None, "Q."), ("answer", JB, None), ("question", None, "Q."), ("answer", JB, None)]
MOFA_TURNS = [("statement", KY, "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs"), ("question", "Sato", "NHK, Sato"),
              ("answer", KY, "Minister Kamikawa")]
MEA_TURNS = [("statement", RJ, "Shri Randhir Jaiswal, Official Spokesperson"), ("question", None, "Question"),
             ("answer", RJ, "Official Spokesperson, Shri Randhir Jaiswal")]

SITES = [
    _site("nato.int", "/cps/en/natohq/opinions.htm", ["/cps/en/natohq/opinions_215002.htm", "/cps/en/natohq/opinions_215001.htm"],
          ["15 Jun. 2023", "14 Jun. 2023"], _nato_item,
          [(f"Press conference by NATO Secretary General Jens Stoltenberg after meeting {n}", day, NATO_TURNS)
           for n, day in ((1, "2023-06-15"), (2, "2023-06-14"))]),
    _site("eeas.europa.eu", "/eeas/press-material_en",
          ["/eeas/press-remarks-high-representative-after-meeting-2_en", "/eeas/press-remarks-high-representative-after-meeting-1_en"],
          ["20.11.2023", "13.11.2023"], _eeas_item,
          [(f"Press remarks by High Representative Josep Borrell after meeting {n}", day, EEAS_TURNS)
           for n, day in ((1, "2023-11-20"), (2, "2023-11-13"))]),
    _site("mofa.go.jp", "/press/kaiken/index.html", ["/press/kaiken/kaiken24e_000402.html", "/press/kaiken/kaiken24e_000401.html"],
          ["Tuesday, January 16, 2024", "Friday, January 12, 2024"], _mofa_item,
          [("Press Conference by Foreign Minister KAMIKAWA Yoko", stamp, MOFA_TURNS)
           for stamp in ("2024-01-16T10:45:00+09:00", "2024-01-12T10:45:00+09:00")]),
    _site("mea.gov.in", "/media-briefings.htm?49/Media_Briefings",
          ["/media-briefings.htm?dtl/37502/Transcript_of_Weekly_Media_Briefing_January_12_2024",
           "/media-briefings.htm?dtl/37456/Transcript_of_Weekly_Media_Briefing_January_05_2024"],
          ["January 12, 2024", "January 05, 2024"], _mea_item,
          [(f"Transcript of Weekly Media Briefing by the Official Spokesperson ({day})", iso, MEA_TURNS)
           for day, iso in (("January 12, 2024", "2024-01-12"), ("January 05, 2024", "2024-01-05"))]),
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        self.server.seen.append(self.path)
        if self.path == "/robots.txt":
            status, body, ctype = 200, "User-agent: *\nAllow: /\n", "text/plain"
        elif self.path.split("?page=")[0].split("&pageno=")[0] == site.listing_path:
            status, body, ctype = 200, site.listing, "text/html; charset=utf-8"   # past the end: the same page again
        elif self.path in site.items:
            status, body, ctype = 200, site.items[self.path], "text/html; charset=utf-8"
        else:
            status, body, ctype = 404, "not found", "text/plain"
        raw = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: FixtureSite
    seen: list[str]


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_crawl_profile_walks_a_local_site_and_its_pages_parse(site: FixtureSite, server: _Server, tmp_path: Path) -> None:
    server.site, server.seen = site, []
    base = f"http://127.0.0.1:{server.server_address[1]}"
    delivered: list[tuple[bytes, str]] = []
    with httpx.Client(timeout=httpx.Timeout(2.0), trust_env=False) as http, FetchLog.for_corpus(tmp_path / "c.db") as flog:
        report = crawl(site.name, fetcher=Fetcher(http, contact_url=CONTACT, rate=50.0, max_retries=1, backoff=0.05),
                       snapshots=SnapshotStore.for_corpus(tmp_path / "c.db"), log=flog,
                       on_document=lambda raw, url, charset, headers: delivered.append((raw, url)), base_url=base)
    assert report.ok and report.complete, (report.failed, report.stopped)
    assert sorted(url.removeprefix(base) for _, url in delivered) == sorted(site.items)
    assert "repeats page 1" in report.stopped
    profile = get_profile(site.name)
    for raw, url in delivered:
        path = url.removeprefix(base)
        assert profile.item_id(url) is not None
        doc = parse_html(raw, url=url, source=site.name)
        title, published, turns = site.expected[path]
        assert (doc.source, doc.title, doc.published) == (site.name, title, published)
        assert [(t.kind, t.speaker, t.label) for t in doc.turns] == turns
        for phrase in ("Privacy policy", "Cookies", "Contact", "Share"):
            assert not any(phrase in t.text for t in doc.turns), phrase


def test_profiles_build_listing_urls_and_read_item_ids() -> None:
    nato, eeas, mofa, mea = (get_profile(n) for n in ("nato", "eeas", "mofa", "mea"))
    assert nato.listing_url(2) == "https://www.nato.int/cps/en/natohq/opinions.htm?page=2"
    assert nato.item_id("https://www.nato.int/cps/en/natohq/opinions_215673.htm?selectedLocale=en") == "215673"
    assert nato.language("https://www.nato.int/cps/fr/natohq/opinions_215673.htm") == "fr"
    assert eeas.listing_url(1) == "https://www.eeas.europa.eu/eeas/press-material_en"
    assert eeas.listing_url(3) == "https://www.eeas.europa.eu/eeas/press-material_en?page=2"
    assert eeas.item_id("https://www.eeas.europa.eu/eeas/foreign-affairs-council-press-remarks-high-representative-josep-borrell-1_en") \
        == "foreign-affairs-council-press-remarks-high-representative-josep-borrell-1"
    assert eeas.item_id("https://www.eeas.europa.eu/eeas/press-material_en") is None
    assert eeas.language("https://www.eeas.europa.eu/eeas/some-press-remarks-of-the-day_fr") == "fr"
    assert mofa.item_id("https://www.mofa.go.jp/press/kaiken/kaiken4e_000585.html") == "kaiken4e_000585"
    assert mofa.item_id("https://www.mofa.go.jp/press/kaiken/index.html") is None
    assert mea.item_id("https://www.mea.gov.in/media-briefings.htm?dtl/33208/Transcript_of_Virtual_Weekly_Media_Briefing") == "33208"
    assert mea.item_id("https://www.mea.gov.in/media-briefings.htm?49/Media_Briefings") is None
    assert mea.language("https://www.mea.gov.in/media-briefings-hi.htm?dtl/33993/x") == "hi"


@pytest.mark.parametrize(("url", "source", "item"), [
    ("https://www.nato.int/cps/en/natohq/opinions_215673.htm", "nato.int", "215673"),
    ("https://www.eeas.europa.eu/eeas/foreign-affairs-council-press-remarks-high-representative-josep-borrell-1_en", "eeas.europa.eu",
     "foreign-affairs-council-press-remarks-high-representative-josep-borrell-1"),
    ("https://www.mofa.go.jp/press/kaiken/kaiken24e_000072.html", "mofa.go.jp", "kaiken24e_000072"),
    ("https://www.mea.gov.in/media-briefings.htm?dtl/35482/Transcript_of_Weekly_Media_Briefing", "mea.gov.in", "35482"),
])
def test_documents_take_the_site_and_item_id_from_the_url(url: str, source: str, item: str) -> None:
    doc = stenogram.parse_text("Press remarks\n\nQuestion: Is it so?\n\nAnswer: It is.\n", url=url)
    assert (doc.source, doc.id) == (source, f"{source}:{item}:en")


@pytest.mark.parametrize("name", sorted(p.name[: -len(".txt")] for site in ("nato.int", "eeas.europa.eu", "mofa.go.jp", "mea.gov.in")
                                        for p in FIXTURES.glob(f"{site}-*.txt")))
def test_each_fixture_is_detected_as_its_site_without_a_url(name: str) -> None:
    assert stenogram.parse_text((FIXTURES / f"{name}.txt").read_text("utf-8")).source == name.split("-", 1)[0]
