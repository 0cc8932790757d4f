"""The Atom feed of a search (``/feed``), served by a real uvicorn server on 127.0.0.1 over a corpus of
the bundled examples and a few documents written for it (a hostile title, an original page, no date),
read back with feedparser and with the standard library's XML parser."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import httpx
import pytest

import stenogram
from stenogram.api import MARK_CLOSE, MARK_OPEN
from stenogram.model import Document, Participant, Turn

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE_TITLE = 'Tom & Jerry <script>alert("title")</script> </title><entry>'
HOSTILE_TEXT = "Water & power: <script>alert(1)</script> ]]> </content> &amp; x < y"
ORIGINAL = "https://www.example.org/press/2021/0909?a=1&b=2"


def _document(doc_id: str, *, title: str, text: str, published: str | None, url: str | None = None) -> Document:
    return Document(
        id=doc_id, source="example.org", language="en", title=title, published=published, kind="briefing",
        participants=(Participant(name="Jane Doe", role="host"),), url=url,
        turns=(
            Turn(index=0, kind="statement", speaker="Jane Doe", label="Jane Doe", paragraphs=(text,)),
            Turn(index=1, kind="question", speaker=None, label="Question", affiliation="Daily Planet",
                 paragraphs=("What does zanzibarite cost?",)),
            Turn(index=2, kind="answer", speaker="Jane Doe", label="Jane Doe", reply_to=1,
                 paragraphs=("Zanzibarite costs less than you think.",)),
        ),
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
        corpus.add(_document("hostile-title", title=HOSTILE_TITLE, text=f"Zanzibarite. {HOSTILE_TEXT}",
                             published="2021-09-09T10:00:00+02:00", url=ORIGINAL))
        corpus.add(_document("undated", title="A briefing without a date", text="Zanzibarite has no date here.",
                             published=None))
        corpus.add(_document("day-only", title="A briefing with a day", text="Zanzibarite on a day.",
                             published="2019-05-06"))
    return path


def _feed(http: httpx.Client, **params: str) -> tuple[httpx.Response, Any]:
    r = http.get("/feed", params=params)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return r, parsed


def _permalink(server: str, turn_id: str) -> str:
    return f"{server}/turn/{quote(turn_id, safe=':')}"


def _moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _expected_moment(published: str | None) -> dt.datetime | None:
    if published is None:
        return None
    if "T" not in published:
        return dt.datetime.combine(dt.date.fromisoformat(published), dt.time(), dt.UTC)
    return dt.datetime.fromisoformat(published)


def test_the_feed_is_the_searchs_newest_turns(server: str, http: httpx.Client, db: Path) -> None:
    _, parsed = _feed(http, q="Iraq", speaker="Lavrov")
    with stenogram.open(db, read_only=True) as corpus:
        result = corpus.search("Iraq", speaker="Lavrov", sort="-date", limit=50)
        turns = {h.turn_id: corpus.turn(h.turn_id) for h in result.hits}
    assert 0 < len(result.hits) == len(parsed.entries) == result.total
    # the same turns, in the same order, as the search API gives newest first
    api = http.get("/api/search", params={"q": "Iraq", "speaker": "Lavrov", "sort": "-date", "limit": 50}).json()
    assert [e.id for e in parsed.entries] == [_permalink(server, h["turn_id"]) for h in api["hits"]]
    for entry, hit in zip(parsed.entries, result.hits, strict=True):
        doc, turn = turns[hit.turn_id]
        assert entry.id == entry.link == _permalink(server, hit.turn_id)
        assert entry.title == f"{turn.speaker} — {doc.title}"
        assert entry.author == turn.speaker == "Sergey Lavrov"
        assert _moment(entry.updated) == _expected_moment(doc.published)
        assert entry.content[0].type == "text/plain" and entry.content[0].value == turn.text
        assert entry.summary == hit.snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
        assert "Iraq" in entry.summary
        assert entry.tags[0].term == turn.kind
    # newest first; the feed is as new as its newest entry
    moments = [_moment(e.updated) for e in parsed.entries]
    assert moments == sorted(moments, reverse=True)
    assert _moment(parsed.feed.updated) == max(moments)
    # the feed's id and links: itself, and the search page that lists the same turns
    assert parsed.feed.id == f"{server}/feed?q=Iraq&speaker=Lavrov"
    links = {link.rel: link for link in parsed.feed.links}
    assert links["self"].href == parsed.feed.id and links["self"].type == "application/atom+xml"
    assert links["alternate"].href == f"{server}/?q=Iraq&speaker=Lavrov&sort=-date"
    assert parsed.feed.title == "stenogram: Iraq speaker:Lavrov"
    page = http.get(links["alternate"].href)
    assert page.status_code == 200
    # (each hit's turn links to its place in the document, the search's query carried along)
    shown = ["".join(link) for link in re.findall(r'<a class="anchor" href="(/document/[^"?#]+)[^"#]*(#t\d+)"', page.text)]
    assert shown == [f"/document/{quote(h.document_id, safe=':')}#t{h.index}" for h in result.hits]
    # an entry's id is a permalink that leads to the turn
    first = http.get(parsed.entries[0].id, follow_redirects=False)
    assert first.status_code == 307
    assert first.headers["location"] == f"/document/{quote(result.hits[0].document_id, safe=':')}#t{result.hits[0].index}"


def test_filters_only_and_limit(server: str, http: httpx.Client, db: Path) -> None:
    """The advanced settings alone make a feed too; ``limit`` takes the newest few."""
    _, whole = _feed(http, source="mid.ru", kind="answer", date_from="2020-01-01", date_to="2021-12-31")
    with stenogram.open(db, read_only=True) as corpus:
        result = corpus.search("", source="mid.ru", kind="answer", date="2020-01-01..2021-12-31", sort="-date", limit=50)
    assert [e.id for e in whole.entries] == [_permalink(server, h.turn_id) for h in result.hits]
    assert len(whole.entries) == min(50, result.total) and result.total > 10
    assert {e.tags[0].term for e in whole.entries} == {"answer"}
    assert all("2020-01-01" <= e.updated[:10] <= "2021-12-31" for e in whole.entries)
    _, few = _feed(http, source="mid.ru", kind="answer", date_from="2020-01-01", date_to="2021-12-31", limit="3")
    assert [e.id for e in few.entries] == [e.id for e in whole.entries[:3]]
    assert few.feed.id.endswith("&limit=3")
    # the whole corpus, newest first, when nothing is asked
    _, newest = _feed(http)
    assert len(newest.entries) == 50 and newest.feed.title == "stenogram: the newest turns"


def test_a_hostile_title_and_text_are_escaped(server: str, http: httpx.Client) -> None:
    r, parsed = _feed(http, q="zanzibarite")
    assert b"<script>" not in r.content and b"</title><entry>" not in r.content
    entry = next(e for e in parsed.entries if e.id == _permalink(server, "hostile-title#0"))
    assert entry.title == f"Jane Doe — {HOSTILE_TITLE}"
    assert entry.content[0].value == f"Zanzibarite. {HOSTILE_TEXT}"
    # the standard library's parser reads back exactly what was stored
    root = ET.fromstring(r.content)
    entries = {e.findtext(f"{ATOM}id"): e for e in root.findall(f"{ATOM}entry")}
    raw = entries[_permalink(server, "hostile-title#0")]
    assert raw.findtext(f"{ATOM}title") == f"Jane Doe — {HOSTILE_TITLE}"
    assert raw.findtext(f"{ATOM}content") == f"Zanzibarite. {HOSTILE_TEXT}"
    assert raw.find(f"{ATOM}content").get("type") == "text"       # type: ignore[union-attr]
    assert raw.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    # its original page is a related link; the unnamed questioner has no author of the entry's own
    assert {(link.rel, link.href) for link in entry.links} == {("alternate", entry.id), ("related", ORIGINAL)}
    question = entries[_permalink(server, "hostile-title#1")]
    assert question.find(f"{ATOM}author") is None
    assert question.findtext(f"{ATOM}title") == f"Daily Planet (question) — {HOSTILE_TITLE}"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "stenogram"     # the feed's author covers it


def test_dates_a_day_or_none(server: str, http: httpx.Client) -> None:
    """A document dated by its day is dated at midnight UTC; one without a date takes the feed's date, and
    comes after every dated turn."""
    _, parsed = _feed(http, q="zanzibarite")
    by_id = {e.id: e for e in parsed.entries}
    assert by_id[_permalink(server, "day-only#0")].updated == "2019-05-06T00:00:00+00:00"
    assert by_id[_permalink(server, "hostile-title#0")].updated == "2021-09-09T10:00:00+02:00"
    undated = by_id[_permalink(server, "undated#0")]
    assert undated.updated == parsed.feed.updated == "2021-09-09T10:00:00+02:00"
    assert "published" not in undated
    assert parsed.entries[-1].id.startswith(_permalink(server, "undated"))


@pytest.mark.parametrize(("params", "says"), [
    ({"q": "Iraq", "limit": "0"}, "limit 0 is out of range: entries of a feed must be from 1 to 50"),
    ({"q": "Iraq", "limit": "51"}, "limit 51 is out of range"),
    ({"q": "Iraq", "limit": "1.5"}, "limit must be a whole number from 1 to 50"),
    ({"q": "Iraq", "limit": "x" * 500}, "limit must be a whole number"),
    ({"q": '"unclosed'}, "at column"),
    ({"q": "speeker:Lavrov"}, "unknown field"),
    ({"q": "Iraq", "date_from": "2020-13-01"}, "does not exist"),
])
def test_bad_parameters_are_a_400_like_the_pages(http: httpx.Client, params: dict[str, str], says: str) -> None:
    r = http.get("/feed", params=params)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert says in r.text.replace("&#39;", "'")
    assert len(r.text) < 5000


def test_no_match_is_an_empty_feed(http: httpx.Client) -> None:
    _, parsed = _feed(http, q="xanadoozle")
    assert parsed.entries == [] and parsed.feed.updated and parsed.feed.id


class _Head(HTMLParser):
    """The <link rel="alternate"> elements of a page, and its <a class="feed"> links."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[dict[str, str | None]] = []
        self.feed_links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        if tag == "a" and a.get("class") == "feed":
            self.feed_links.append(a.get("href"))


def test_the_results_page_links_its_feed(server: str, http: httpx.Client) -> None:
    page = http.get("/", params={"q": "Iraq", "speaker": "Lavrov", "sort": "date", "offset": "1"})
    assert page.status_code == 200
    head = _Head()
    head.feed(page.text)
    assert [a["type"] for a in head.alternates] == ["application/atom+xml"]
    href = head.alternates[0]["href"]
    assert href == "/feed?q=Iraq&speaker=Lavrov" and head.feed_links == [href]    # no sort or page of the page's
    _, parsed = _feed(http, q="Iraq", speaker="Lavrov")
    linked = feedparser.parse(http.get(href).content)
    assert [e.id for e in linked.entries] == [e.id for e in parsed.entries]
    # the start page, with nothing searched, has no feed to offer
    start = _Head()
    start.feed(http.get("/").text)
    assert start.alternates == [] and start.feed_links == []


def test_the_feed_under_the_security_rules(http: httpx.Client) -> None:
    r = http.get("/feed", params={"q": "Iraq"})
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert http.get("/feed", params={"q": "Iraq"}, headers={"host": "evil.example"}).status_code == 400
    # characters XML cannot hold, in the query, leave a feed that parses
    for q in ("Iraq\x01", "\x00", "\ufffe"):
        r = http.get("/feed", params={"q": q})
        if r.status_code == 200:
            ET.fromstring(r.content)
        else:
            assert r.status_code == 400
