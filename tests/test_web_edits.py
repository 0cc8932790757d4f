"""The record of edits on the web: the History tab with its side-by-side word-level diff, an earlier version
read whole, the "edited after publication" badge on documents and hits, the edited filter in the advanced
settings, the Atom feed of edits and the JSON API; on a real server over a corpus crawled twice from a site on
127.0.0.1 whose pages changed in between (tests/edit_site.py), and in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import httpx
import pytest

import stenogram
from tests.edit_site import (
    EDITED_ANSWER,
    ITEMS,
    MENU_ONLY,
    QUESTION_REMOVED,
    REMOVED_QUESTION,
    REMOVED_SENTENCE,
    TITLE_CORRECTED,
    WITHDRAWN,
    doc_id,
    serving,
)
from tests.test_web_archive import ARTIFACTS

EDITED = (EDITED_ANSWER, QUESTION_REMOVED, TITLE_CORRECTED)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus the module's server serves: the site crawled, then refreshed after its pages changed."""
    path = tmp_path_factory.mktemp("web-edits") / "c.db"
    with serving() as (base, site), stenogram.open(path) as corpus:
        corpus.crawl("mid.ru", base_url=base, rate=50.0)
        site.state = 2
        corpus.crawl("mid.ru", base_url=base, rate=50.0, update=True, recheck=30)
    return path


def page(id_: str) -> str:
    return quote(id_, safe=":")


def test_the_history_tab_shows_each_change_word_by_word(http: httpx.Client) -> None:
    html = http.get(f"/history/{page(doc_id(EDITED_ANSWER))}").text
    assert "Version 2" in html and "Version 1" in html and 'aria-current="page">History (2 versions)' in html
    assert f"<del>{REMOVED_SENTENCE} </del>" in html and "<ins>" not in html.split('class="beside diff"')[1].split("</ol>")[0]
    removed = http.get(f"/history/{page(doc_id(QUESTION_REMOVED))}").text
    assert f"<del>{REMOVED_QUESTION}</del>" in removed and "(taken out)" in removed
    title = http.get(f"/history/{page(doc_id(TITLE_CORRECTED))}").text
    assert "<del>Moscw</del> → <ins>Moscow</ins>" in title
    gone = http.get(f"/history/{page(doc_id(WITHDRAWN))}").text
    assert "withdrawn" in gone and "found gone" in gone
    one = http.get(f"/history/{page(doc_id(MENU_ONLY))}").text
    assert "One version: the transcript has not changed" in one
    assert http.get("/history/mid.ru:999:en").status_code == 404


def test_documents_carry_the_badge_and_earlier_versions_are_readable(http: httpx.Client) -> None:
    tail = REMOVED_SENTENCE.split("Iraq")[1]        # (the page marks Iraq as a country mention)
    now = http.get(f"/document/{page(doc_id(EDITED_ANSWER))}").text
    assert "edited after publication" in now and "History (2 versions)" in now and tail not in now
    old = http.get(f"/document/{page(doc_id(EDITED_ANSWER))}", params={"version": "1"}).text
    assert tail in old and "You are reading version 1 of 2" in old
    assert "edited after publication" not in http.get(f"/document/{page(doc_id(MENU_ONLY))}").text
    assert "withdrawn" in http.get(f"/document/{page(doc_id(WITHDRAWN))}").text
    missing = http.get(f"/document/{page(doc_id(EDITED_ANSWER))}", params={"version": "9"})
    assert missing.status_code == 404 and "has no version 9" in missing.text
    assert http.get(f"/document/{page(doc_id(EDITED_ANSWER))}", params={"version": "x"}).status_code == 400


def test_hits_carry_the_badge_and_the_settings_filter_edits(http: httpx.Client) -> None:
    html = http.get("/", params={"q": "Iraq OR Syria"}).text
    groups = html.split('<li class="group">')[1:]
    badged = {g.split('href="/document/')[1].split("?")[0].split("#")[0] for g in groups if "edited after publication" in g}
    assert badged == {page(doc_id(n)) for n in EDITED}
    settings = http.get("/", params={"q": "", "edited": "yes"}).text
    assert 'name="edited"' in settings
    found = {g.split('href="/document/')[1].split("?")[0].split("#")[0] for g in settings.split('<li class="group">')[1:]}
    assert found == {page(doc_id(n)) for n in EDITED}
    assert http.get("/", params={"q": "edited:sometimes"}).status_code == 400


def test_the_feed_of_edits(http: httpx.Client) -> None:
    answer = http.get("/feed/edits")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = sorted(e.title.split(":")[0] for e in parsed.entries)
    assert titles == ["Edited"] * len(EDITED) + ["Withdrawn"]
    edited = next(e for e in parsed.entries if doc_id(EDITED_ANSWER) in e.id)
    assert edited.id.endswith(f"/history/{page(doc_id(EDITED_ANSWER))}#v2")
    assert f"[-{REMOVED_SENTENCE} -]" in edited.content[0].value and edited.summary == "turns: 1 changed"
    again = feedparser.parse(http.get("/feed/edits").content)
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]          # stable ids
    assert not feedparser.parse(http.get("/feed/edits", params={"since": "2999-01-01"}).content).entries
    assert http.get("/feed/edits", params={"since": "soon"}).status_code == 400


def test_the_api_gives_the_record(http: httpx.Client) -> None:
    record = http.get(f"/api/documents/{page(doc_id(EDITED_ANSWER))}/history").json()
    assert record["ok"] and [v["version"] for v in record["versions"]] == [1, 2]
    assert record["versions"][1]["diff"]["turns"][0]["kind"] == "changed"
    first = http.get(f"/api/documents/{page(doc_id(EDITED_ANSWER))}", params={"version": 1}).json()
    assert REMOVED_SENTENCE in first["document"]["turns"][1]["text"]
    assert http.get(f"/api/documents/{page(doc_id(EDITED_ANSWER))}", params={"version": 3}).status_code == 404
    assert http.get(f"/api/documents/{page(doc_id(EDITED_ANSWER))}", params={"version": 0}).status_code in (400, 422)
    edits = http.get("/api/edits").json()["edits"]
    assert {(e["document"], e["kind"]) for e in edits} == {(doc_id(n), "edited") for n in EDITED} | {
        (doc_id(WITHDRAWN), "withdrawn")}
    assert len({e["document"] for e in edits}) == len(EDITED) + 1 < len(ITEMS)
    searched = http.get("/api/search", params={"q": "edited:yes", "limit": 100}).json()
    assert {h["document_id"] for h in searched["hits"]} == {doc_id(n) for n in EDITED}


def test_the_history_in_the_browser(server: str, browser: Any) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(f"{server}/document/{page(doc_id(EDITED_ANSWER))}")
    tab.get_by_role("link", name="History (2 versions)").click()
    tab.wait_for_url(f"**/history/{page(doc_id(EDITED_ANSWER))}")
    deleted = tab.locator(".diff del")
    assert deleted.count() == 1 and deleted.inner_text().strip() == REMOVED_SENTENCE
    # the two versions stand side by side
    left, right = tab.locator(".change-changed .side").all()
    assert left.bounding_box()["x"] < right.bounding_box()["x"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "edits-history.png"), full_page=True)
    tab.close()

