"""Two language versions side by side in the web conversation view (``/document/<id>?beside=ru``) and on
a turn's permalink (``/turn/<id>?beside=ru``): the switch, rows that follow the hand alignment of the
fixture, turns one version lacks, bad languages, and the layout in headless Chromium under the policy."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import stenogram
from stenogram.align import side_by_side as layout
from stenogram.api import process
from stenogram.errors import NotFound
from stenogram.model import Document
from stenogram.web import create_app
from tests.test_web import serving, shot
from tests.test_web_safety import HOSTILE_VALUES, _watch

EVENT = Path(__file__).parent / "fixtures" / "multilingual" / "2019-03-19-lavrov-safadi-press-conference"
ITEM = "mid.ru:990002"
LONE = "mid.ru:990003:en"
LANGUAGES = ("en", "ru", "es")


@cache
def version(lang: str) -> Document:
    return process((EVENT / f"{lang}.txt").read_bytes(), name=f"{lang}.txt")


@cache
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENT / "alignment.json").read_text("utf-8"))
    return data


def turn_url(turn_id: str, beside: str | None = None) -> str:
    return "/turn/" + quote(turn_id, safe=":") + (f"?beside={beside}" if beside else "")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The event in English, Russian and Spanish as one item's versions, and an English document alone."""
    folder = tmp_path_factory.mktemp("versions-web")
    lines = [json.dumps({**version(lang).to_json(), "id": f"{ITEM}:{lang}", "url": f"https://mid.ru/{lang}/990002/"},
                        ensure_ascii=False) for lang in LANGUAGES]
    lines.append(json.dumps({**version("en").to_json(), "id": LONE, "url": "https://mid.ru/en/990003/",
                             "versions": []}, ensure_ascii=False))
    (folder / "event.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "versions.db"
    with stenogram.open(path) as corpus:
        report = corpus.ingest([str(folder / "event.jsonl")])
        assert report.ok and len(report.added) == 4
        assert sorted(lang for _, lang in corpus.versions(f"{ITEM}:en")) == ["es", "ru"]
        assert corpus.versions(LONE) == []
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=60) as client:
        yield client


class Page(HTMLParser):
    """What a side-by-side page shows: the switch's links, and each turn row (li.pair) with its id, class,
    head cells and paragraph rows, each cell as (lang, paragraphs' texts, links)."""

    def __init__(self) -> None:
        super().__init__()
        self.switch: list[tuple[str, str, bool]] = []
        self.pairs: list[dict[str, Any]] = []
        self._stack: list[tuple[str, str]] = []
        self._cell: dict[str, Any] | None = None
        self._text: list[str] | None = None
        self._link: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        self._stack.append((tag, " ".join(classes)))
        if tag == "li" and "pair" in classes:
            self.pairs.append({"id": a.get("id"), "class": classes, "head": [], "rows": []})
        elif tag == "div" and "side-row" in classes and "side-head" not in classes and self._in("li", "pair"):
            self.pairs[-1]["rows"].append([])
        elif tag == "div" and "side" in classes and self.pairs and self._in("li", "pair"):
            self._cell = {"lang": a.get("lang"), "paragraphs": [], "links": [], "text": []}
            bucket = self.pairs[-1]["head"] if self._in("div", "side-head") else self.pairs[-1]["rows"][-1]
            bucket.append(self._cell)
        elif tag == "p" and self._cell is not None:
            self._text = []
        elif tag == "a":
            self._link = {"href": a.get("href"), "text": "", "current": a.get("aria-current")}
        elif tag == "span" and "confidence" in classes and self._cell is not None:
            self._cell["confidence"] = a.get("title")

    def _in(self, tag: str, cls: str) -> bool:
        return any(t == tag and cls in c.split() for t, c in self._stack)

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)
        if self._cell is not None:
            self._cell["text"].append(data)
        if self._link is not None:
            self._link["text"] = (self._link["text"] or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None and self._cell is not None:
            self._cell["paragraphs"].append("".join(self._text))
            self._text = None
        elif tag == "a" and self._link is not None:
            if self._in("nav", "switch"):
                self.switch.append((self._link["text"] or "", self._link["href"] or "", bool(self._link["current"])))
            if self._cell is not None:
                self._cell["links"].append((self._link["href"], self._link["text"]))
            self._link = None
        elif tag == "div" and self._stack and "side" in self._stack[-1][1].split():
            self._cell = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break


def page(http: httpx.Client, path: str) -> Page:
    response = http.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[-500:])
    parsed = Page()
    parsed.feed(response.text)
    return parsed


def _text(lang: str, turn: int, paragraph: int) -> str:
    return next(t for t in version(lang).turns if t.index == turn).paragraphs[paragraph]


# 1. the switch

def test_the_switch_lists_the_other_versions_as_links(http: httpx.Client) -> None:
    plain = page(http, f"/document/{ITEM}:en")
    assert plain.switch == [("English only", f"/document/{ITEM}:en", True),
                            ("Spanish", f"/document/{ITEM}:en?beside=es", False),
                            ("Russian", f"/document/{ITEM}:en?beside=ru", False)]
    assert not plain.pairs                                      # the conversation as it was
    beside = page(http, f"/document/{ITEM}:en?beside=ru")
    assert [(text, current) for text, _, current in beside.switch] == [("English only", False), ("Spanish", False),
                                                                       ("Russian", True)]
    # each link of the switch is a page that works
    for _, href, _ in beside.switch:
        assert http.get(href).status_code == 200, href
    # a document with no other version has no switch
    assert 'class="switch"' not in http.get(f"/document/{LONE}").text


# 2. rows that follow the alignment

def test_beside_ru_every_paragraph_sits_level_with_its_translation(http: httpx.Client) -> None:
    shown = page(http, f"/document/{ITEM}:en?beside=ru")
    assert [p["id"] for p in shown.pairs] == [f"t{t.index}" for t in version("en").turns]
    level: set[tuple[str, str]] = set()
    for pair in shown.pairs:
        assert [c["lang"] for c in pair["head"]] == ["en", "ru"]
        for left, right in pair["rows"]:
            assert (left["lang"], right["lang"]) == ("en", "ru")
            level |= {(a, b) for a in left["paragraphs"] for b in right["paragraphs"]}
    wanted = {(_text("en", *a), _text("ru", *b)) for a, b in gold()["paragraphs"]["ru"]}
    assert level == wanted
    # one English paragraph named: the second of the first answer, beside the Russian one the hand alignment gives
    (en_para, ru_para), = [(a, b) for a, b in gold()["paragraphs"]["ru"] if a == [2, 1]]
    row = next(r for p in shown.pairs if p["id"] == "t2" for r in p["rows"] if _text("en", *en_para) in r[0]["paragraphs"])
    assert row[1]["paragraphs"] == [_text("ru", *ru_para)]


def test_each_side_shows_its_own_labels_confidence_and_permalinks(http: httpx.Client) -> None:
    shown = page(http, f"/document/{ITEM}:en?beside=ru")
    by_id = {p["id"]: p for p in shown.pairs}
    left, right = by_id["t1"]["head"]
    assert "Question (translated from Arabic)" in "".join(left["text"])
    assert "Вопрос (перевод с арабского)" in "".join(right["text"])
    assert "С.В.Лавров" in "".join(by_id["t2"]["head"][1]["text"])
    for pair in shown.pairs:
        index = int(pair["id"][1:])
        left, right = pair["head"]
        confidence = re.search(r"\d\.\d{3}", right["confidence"])
        assert confidence and 0.5 < float(confidence.group()) <= 1.0, right["confidence"]
        assert (turn_url(f"{ITEM}:ru#{index}"), f"#{index}") in right["links"]
        assert (turn_url(f"{ITEM}:en#{index}", "ru"), f"#{index}") in left["links"]
    # the right column's permalink opens the Russian document at that turn
    opened = http.get(turn_url(f"{ITEM}:ru#4"), follow_redirects=False)
    assert opened.status_code == 307 and opened.headers["location"] == f"/document/{ITEM}:ru#t4"
    assert "Лавров" in http.get(opened.headers["location"]).text


def test_a_turn_the_spanish_version_lacks_stands_alone_in_reading_order(http: httpx.Client) -> None:
    missing = {a for a, b in gold()["turns"]["es"] if b is None}
    assert missing == {5, 6}
    shown = page(http, f"/document/{ITEM}:en?beside=es")
    assert [p["id"] for p in shown.pairs] == [f"t{t.index}" for t in version("en").turns]
    for pair in shown.pairs:
        index = int(pair["id"][1:])
        left, right = pair["head"]
        if index in missing:
            assert "only-ours" in pair["class"] and "only in the English version" in "".join(left["text"])
            assert right["text"] == [] and "confidence" not in right
            assert all(r[0]["paragraphs"] and r[1]["paragraphs"] == [] for r in pair["rows"])
        else:
            assert "only-ours" not in pair["class"] and "confidence" in right
    # after the gap the alignment goes on: English 7 beside Spanish 5
    seventh = next(p for p in shown.pairs if p["id"] == "t7")
    assert seventh["rows"][0][1]["paragraphs"] == [_text("es", 5, 0)]
    # from the Spanish side, the English turns it lacks come in their place, marked as the other version's own
    reverse = page(http, f"/document/{ITEM}:es?beside=en")
    assert [p["id"] for p in reverse.pairs] == ["t0", "t1", "t2", "t3", "t4", "en-t5", "en-t6", "t5", "t6"]
    for pair in reverse.pairs[5:7]:
        left, right = pair["head"]
        assert "only-theirs" in pair["class"] and left["text"] == []
        assert "only in the English version" in "".join(right["text"]) and right["lang"] == "en"
        assert all(r[0]["paragraphs"] == [] and r[1]["paragraphs"] for r in pair["rows"])


def test_one_page_aligns_the_two_versions_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    calls: list[tuple[str, str]] = []
    real = layout.align

    def counted(first: Document, second: Document) -> Any:
        calls.append((first.id, second.id))
        return real(first, second)

    monkeypatch.setattr(layout, "align", counted)
    with TestClient(create_app(db)) as client:
        # the alignment stored at ingest is read: nothing is aligned
        page = client.get(f"/document/{ITEM}:en?beside=ru")
        assert page.status_code == 200 and calls == []
    # without a stored alignment (a corpus whose alignments were taken away), one page aligns once
    copy = db.parent / "without-alignments.db"
    shutil.copy(db, copy)
    con = sqlite3.connect(copy)
    con.execute("DELETE FROM alignments")
    con.commit()
    con.close()
    with TestClient(create_app(copy)) as client:
        again = client.get(f"/document/{ITEM}:en?beside=ru")
        assert again.status_code == 200 and calls == [(f"{ITEM}:en", f"{ITEM}:ru")]
        assert again.text == page.text           # the stored alignment is the one ingest computed
        assert client.get(f"/document/{ITEM}:en").status_code == 200 and len(calls) == 1   # no switch, no work


def test_the_facade_lays_out_every_turn_of_both_once(db: Path) -> None:
    with stenogram.open(db, read_only=True) as corpus:
        pair = corpus.document_beside(f"{ITEM}:es", "en")
        assert (pair.document.language, pair.other.language) == ("es", "en")
        assert [r.ours.index for r in pair.rows if r.ours] == [t.index for t in version("es").turns]
        assert [r.theirs.index for r in pair.rows if r.theirs] == [t.index for t in version("en").turns]
        assert all((r.confidence is None) == (r.ours is None or r.theirs is None) for r in pair.rows)
        with pytest.raises(NotFound, match=r"'de' language version .*en, ru"):
            corpus.document_beside(f"{ITEM}:es", "de")


def test_paragraphs_merged_by_a_translator_share_one_row() -> None:
    """Two paragraphs standing for one make one row of three; a paragraph without a counterpart is alone."""
    rows = layout.paragraph_rows([(0, 0), (1, 1), (2, 1), (4, 2)], 5, 4)
    assert [(r.ours, r.theirs) for r in rows] == [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,)), ((), (3,))]


# 3. one turn beside its versions

def test_a_turn_permalink_beside_another_version(http: httpx.Client) -> None:
    shown = page(http, turn_url(f"{ITEM}:en#8", "ru"))
    assert [p["id"] for p in shown.pairs] == ["t8"]
    rows = shown.pairs[0]["rows"]
    assert [r[0]["paragraphs"] for r in rows] == [[p] for p in version("en").turns[8].paragraphs]
    assert [r[1]["paragraphs"] for r in rows] == [[p] for p in version("ru").turns[8].paragraphs]
    assert shown.switch == [("English only", turn_url(f"{ITEM}:en#8"), False),
                            ("Spanish", turn_url(f"{ITEM}:en#8", "es"), False),
                            ("Russian", turn_url(f"{ITEM}:en#8", "ru"), True)]
    lacking = page(http, turn_url(f"{ITEM}:en#6", "es"))
    assert [p["id"] for p in lacking.pairs] == ["t6"] and "only-ours" in lacking.pairs[0]["class"]
    # without beside it is the permalink it always was
    plain = http.get(turn_url(f"{ITEM}:en#8"), follow_redirects=False)
    assert plain.status_code == 307 and plain.headers["location"] == f"/document/{ITEM}:en#t8"


# 4. bad languages

@pytest.mark.parametrize("path", [f"/document/{ITEM}:en", turn_url(f"{ITEM}:en#2")])
def test_a_language_without_a_version_is_a_404_that_names_those_there_are(http: httpx.Client, path: str) -> None:
    sep = "&" if "?" in path else "?"
    for lang in ("de", "zz"):
        r = http.get(f"{path}{sep}beside={lang}")
        assert r.status_code == 404, lang
        assert r.headers["content-type"].startswith("text/html")
        assert f"no {lang} version" in r.text and "also in es, ru" in r.text
    own = http.get(f"{path}{sep}beside=en")
    assert own.status_code == 404 and "is the en version" in own.text and "also in es, ru" in own.text
    for bad in ("RU", "rus", "r", "ru ", "<b>ru</b>"):
        r = http.get(path + sep, params={"beside": bad})
        assert r.status_code == 400, bad
        assert "not a language code" in r.text and "also in es, ru" in r.text and "<b>ru</b>" not in r.text
    r = http.get(f"/document/{LONE}?beside=ru")
    assert r.status_code == 404 and "no other language version" in r.text
    assert http.get(f"/document/{ITEM}:en?beside=").status_code == 200          # empty: the plain view


def test_no_beside_value_gives_a_500(http: httpx.Client) -> None:
    for path in (f"/document/{ITEM}:en", turn_url(f"{ITEM}:en#2"), "/document/nothing-here", turn_url("nothing#1")):
        for value in HOSTILE_VALUES:
            r = http.get(path, params={"beside": value})
            assert r.status_code < 500 and (r.status_code in (200, 307, 400, 404)), (path, value[:40], r.status_code)


# 5. in the browser

def test_browser_columns_side_by_side_then_stacked_under_the_policy(server: str, browser: Any) -> None:
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs, violations = _watch(wide)
    external: list[str] = []
    wide.on("request", lambda req: external.append(req.url) if not req.url.startswith(server) else None)
    wide.goto(server + f"/document/{ITEM}:en?beside=ru")
    row = wide.locator("li#t2 .side-row:not(.side-head)").nth(1)
    left, right = (row.locator(".side").nth(k).bounding_box() for k in (0, 1))
    assert left and right and left["width"] > 300 and right["width"] > 300
    assert abs(left["y"] - right["y"]) < 2 and right["x"] >= left["x"] + left["width"]      # level, side by side
    assert row.locator(".side[lang=ru]").inner_text() == _text("ru", 2, 1)
    shot(wide, "9-beside")
    # the switch is reached from the keyboard, and Enter follows it
    for _ in range(12):
        wide.keyboard.press("Tab")
        if wide.evaluate("document.activeElement.closest('nav.switch') !== null"):
            break
    assert wide.evaluate("document.activeElement.closest('nav.switch') !== null")
    for _ in range(3):
        if wide.evaluate("document.activeElement.textContent") == "Spanish":
            break
        wide.keyboard.press("Tab")
    wide.keyboard.press("Enter")
    wide.wait_for_url(re.compile(r"beside=es"))
    assert wide.locator("li.pair.only-ours").count() == 2
    shot(wide, "11-beside-missing-turns")
    assert not dialogs and not violations and not wide.evaluate("window.__violations || []"), violations

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    dialogs, violations = _watch(phone)
    phone.goto(server + turn_url(f"{ITEM}:en#2", "ru"))
    phone.goto(server + f"/document/{ITEM}:en?beside=ru")
    row = phone.locator("li#t2 .side-row:not(.side-head)").nth(1)
    left, right = (row.locator(".side").nth(k).bounding_box() for k in (0, 1))
    assert left and right
    assert right["y"] >= left["y"] + left["height"] - 1 and abs(left["x"] - right["x"]) < 20    # stacked
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400, "no sideways scrolling on a phone"
    shot(phone, "10-beside-phone")
    assert not dialogs and not violations and not phone.evaluate("window.__violations || []"), violations
    assert not external, external
    wide.close()
    phone.close()
