"""The reading room: the front page as the archive at a glance, browsing documents by date, hits grouped
by document, dates, languages and countries as a reader names them, the entity legend, round axis
ticks, the trend page's opening example and a speaker's turns a year. Served by a real uvicorn server
on 127.0.0.1 over a corpus of the bundled examples and two documents written for it; read with an HTML
parser and in headless Chromium (Debian's /usr/bin/chromium through Playwright), with screenshots."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

import stenogram
from stenogram.errors import NotFound, QueryError
from stenogram.model import Document, Participant, Turn
from stenogram.web import create_app
from stenogram.web.charts import nice_ticks, tick_label
from stenogram.web.readable import LANGUAGES, date_html, language_name, readable_date
from tests.test_web_safety import serving

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
ARTIFACTS = HERE / "artifacts" / "web"
WEB = HERE.parent / "src" / "stenogram" / "web"
#: the speaker of the two documents written for these tests, in two years with two empty years between
SPEAKER = "Jane Doe"


def _document(doc_id: str, published: str | None) -> Document:
    return Document(
        id=doc_id, source="example.org", language="en", title=f"Water briefing {(published or 'undated')[:4]}",
        published=published,
        kind="briefing", participants=(Participant(name=SPEAKER, role="host"),),
        turns=(
            Turn(index=0, kind="statement", speaker=SPEAKER, label=SPEAKER,
                 paragraphs=("Good afternoon. Water security is the topic today.",)),
            Turn(index=1, kind="question", speaker=None, label="Question", affiliation="Daily Planet",
                 paragraphs=("What about water security in the basin?",)),
            Turn(index=2, kind="answer", speaker=SPEAKER, label=SPEAKER, reply_to=1,
                 paragraphs=("Water security needs cooperation between every country of the basin.",)),
        ),
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
        corpus.add(_document("example.org:water-2015", "2015-03-04T11:00:00+01:00"))
        corpus.add(_document("example.org:water-2018", "2018-06-01"))
        corpus.add(_document("example.org:water-undated", None))
    return path


@pytest.fixture(scope="module")
def corpus(db: Path) -> Iterator[stenogram.Corpus]:
    with stenogram.open(db, read_only=True) as c:
        yield c


def get(http: httpx.Client, path: str, status: int = 200) -> LexborHTMLParser:
    r = http.get(path)
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    return LexborHTMLParser(r.text)


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def document_of(href: str) -> str:
    """The document id a /document/ link leads to."""
    return unquote(urlsplit(href).path.removeprefix("/document/"))


def total(page: LexborHTMLParser) -> int:
    count = page.css_first("p.count strong")
    assert count is not None
    return int(count.text().replace(",", ""))


def visible_text(page: LexborHTMLParser) -> str:
    """The text a reader sees in English: no script, no machine formats, nothing inside a closed
    <details> but its summary, and nothing the page marks as another language (document text)."""
    body = LexborHTMLParser(page.html or "").body          # a copy: the page itself is left as it is
    assert body is not None
    for node in body.css("script, pre, [lang]:not([lang=en])"):
        node.decompose()
    for details in body.css("details:not([open])"):
        for child in list(details.iter()):
            if child.tag != "summary":
                child.decompose()
    return body.text(separator=" ")


#: the corpus's languages (and the one a turn is translated from), as ISO 639-1 codes
CODES = ("en", "de", "fr", "ru", "es", "ar")
BARE_CODE = re.compile(r"(?<![\w:/.@-])(" + "|".join(CODES) + r")(?![\w:/.@-])")


# 1. the front page: the archive at a glance

def test_the_front_page_is_the_archive(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    stats = corpus.stats()
    page = get(http, "/")
    lead = page.css_first("p.lead")
    assert lead is not None and f"{stats.documents} documents" in lead.text()
    # documents a year: a bar for every year from the first to the last, the empty ones too, each with a count
    years = {int(y): n for y, n in stats.by_year if y.isdigit()}
    chart = page.css_first("svg.chart.bar")
    assert chart is not None
    labels = [t.text() for t in chart.css("text.tick") if re.fullmatch(r"\d{4}", t.text())]
    assert labels == [str(y) for y in range(min(years), max(years) + 1)] and "2016" in labels
    bars = {query(a.attributes["href"] or "")["date_from"][:4]: a for a in chart.css("a")}
    assert sorted(bars) == [str(y) for y in sorted(years)]          # the empty years are bars that lead nowhere
    for year, n in years.items():
        link = bars[str(year)]
        assert link.attributes["aria-label"] == f"{year}: {n} document{'s' if n != 1 else ''}"
        target = query(link.attributes["href"] or "")
        assert target == {"documents": "1", "sort": "-date", "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
        assert total(get(http, link.attributes["href"] or "")) == n
    assert len(chart.css("rect.zero")) == (max(years) - min(years) + 1) - len(years)
    caption = page.css_first("figure.bars figcaption")
    assert caption is not None and "1 undated document not shown" in caption.text()
    # sources, languages (by name) and kinds of document, each a link to its documents, newest first
    lists = {h2.text(): h2 for h2 in page.css(".card h2")}
    assert {"Sources", "Languages", "Kinds of document", "Speakers", "Countries mentioned", "Latest documents",
            "Documents a year"} <= set(lists)
    cards = {section.css_first("h2").text(): section for section in page.css("section.card")}  # type: ignore[union-attr]
    links = {a.text(): a.attributes["href"] or "" for a in page.css("ul.counts a")}
    for source, n in stats.by_source:
        assert query(links[source]) == {"documents": "1", "sort": "-date", "source": source}
        assert total(get(http, links[source])) == n
    for code, n in stats.by_language:
        name = language_name(code)
        assert name != code and query(links[name]) == {"documents": "1", "sort": "-date", "lang": code}
        listed = get(http, links[name])
        assert total(listed) == n
        assert {d.attributes["title"] for d in listed.css("p.docline .lang-name")} == {f"language code: {code}"}
    for kind, n in stats.by_kind:
        assert total(get(http, links[kind.replace("_", " ")])) == n
    # the latest items, newest first, each once with every language the corpus holds it in
    latest = cards["Latest documents"].css("ol.latest > li")
    newest = corpus.search("", documents=True, sort="-date", limit=1).hits[0]
    first = latest[0].css_first("a.title")
    assert first is not None and document_of(first.attributes["href"] or "") == newest.document_id
    assert first.text() == newest.title
    shown: list[str] = []
    for item in latest:
        held = {document_of(a.attributes["href"] or ""): a.text() for a in item.css("p.held a")}
        title = item.css_first("a.title")
        assert title is not None and document_of(title.attributes["href"] or "") in held
        doc = document_of(title.attributes["href"] or "")
        expected = {doc: corpus.document(doc).language, **dict(corpus.versions(doc))}
        assert held == {ident: language_name(lang) for ident, lang in expected.items()}
        assert not set(held) & set(shown), "an item is listed once, not once a language"
        shown.extend(held)
        for ident in held:
            assert http.get(f"/document/{quote(ident, safe=':')}").status_code == 200
    four = [item for item in latest if len(item.css("p.held a")) == 4]
    assert len(four) == 1 and [a.text() for a in four[0].css("p.held a")][1:] == ["English", "German", "Russian"]
    # the speakers who speak most, as people (once across languages), and the countries mentioned most
    speakers = corpus.speakers(limit=10)
    names = [a.text() for a in cards["Speakers"].css("a.speaker")]
    assert names == [s.name for s in speakers] and "Sergey Lavrov" in names
    for s in speakers[:3]:
        turns = get(http, links[s.name])
        assert query(links[s.name]) == {"speaker": s.name, "sort": "-date"} and total(turns) == s.turns
    profile = cards["Speakers"].css_first("a.profile")
    assert profile is not None and http.get(profile.attributes["href"] or "").status_code == 200
    countries = corpus.countries(limit=10)
    shown_countries = cards["Countries mentioned"].css("ul.counts a")
    assert [a.text() for a in shown_countries][:2] == ["Iraq", "Russia"]
    for a, (code, _) in zip(shown_countries, countries, strict=True):
        assert query(a.attributes["href"] or "") == {"country": code, "sort": "-date"}
        assert a.css_first("span").attributes["title"] == f"country code: {code}"  # type: ignore[union-attr]
    assert total(get(http, shown_countries[0].attributes["href"] or "")) == corpus.search("", country="IQ").total


def test_browsing_documents_without_a_query(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    """The search page with no query lists documents by date, with the Advanced settings' filters."""
    for params, filters in [({}, {}), ({"lang": "fr"}, {"lang": "fr"}), ({"source": "mid.ru", "date_from": "2021-01-01",
                                                                            "date_to": "2021-12-31"},
                                                                           {"source": "mid.ru", "date": "2021-01-01..2021-12-31"}),
                            ({"speaker": "Lavrov"}, {"speaker": "Lavrov"})]:
        path = "/?" + "&".join(f"{k}={quote(v)}" for k, v in {"documents": "1", "sort": "-date", **params}.items())
        page = get(http, path)
        expected = corpus.search("", documents=True, sort="-date", limit=20, **filters)
        assert total(page) == expected.total > 0
        titles = [document_of(a.attributes["href"] or "") for a in page.css("ol.hits > li.group > a.title")]
        assert titles == [h.document_id for h in expected.hits]
        count = page.css_first("p.count")
        assert count is not None and "newest first" in count.text()
        dates = [t.attributes["datetime"] or "" for t in page.css("ol.hits p.docline time")]
        assert dates == sorted(dates, reverse=True)
        settings = page.css_first("details#advanced")
        assert settings is not None and "open" in settings.attributes
    # oldest first, and a page further on
    page = get(http, "/?documents=1&sort=date&offset=5")
    expected = corpus.search("", documents=True, sort="date", limit=20, offset=5)
    assert [document_of(a.attributes["href"] or "") for a in page.css("li.group > a.title")] == \
        [h.document_id for h in expected.hits]


# 2. results grouped by document

def _groups(page: LexborHTMLParser) -> list[tuple[str, list[int], int, LexborNode]]:
    """(document id, numbers of the turns shown, the "more" count, the group) of each group on the page."""
    out = []
    for group in page.css("ol.hits > li.group"):
        titles = group.css("a.title")
        assert len(titles) == 1
        turns = [int(a.text().lstrip("#")) for a in group.css("ol.turns a.anchor")]
        more = group.css_first("p.more a")
        n = int(more.text().split()[0]) if more is not None else 0
        if more is not None:
            assert more.text() == f"{n} more turn{'s' if n != 1 else ''} in this document"
        out.append((document_of(titles[0].attributes["href"] or ""), turns, n, group))
    return out


@pytest.mark.parametrize(("q", "filters"), [("the", {}), ("Iraq", {}), ("", {"speaker": "Sergey Lavrov"}),
                                            ("cooperation OR security", {"kind": "answer"})])
def test_hits_are_grouped_by_document(http: httpx.Client, corpus: stenogram.Corpus, q: str,
                                      filters: dict[str, str]) -> None:
    params = {"q": q, **filters}
    page = get(http, "/?" + "&".join(f"{k}={quote(v)}" for k, v in params.items()))
    result = corpus.search(q, limit=20, **filters)
    groups = _groups(page)
    # each document once, in the order the page meets it, its hits below it in reading order
    order = list(dict.fromkeys(h.document_id for h in result.hits))
    assert [doc for doc, *_ in groups] == order
    everything: dict[str, list[int]] = {}
    for hit in corpus.stream(q, **filters):
        everything.setdefault(hit.document_id, []).append(hit.index)
    for doc, turns, more, group in groups:
        assert turns == sorted(h.index for h in result.hits if h.document_id == doc)
        # "N more turns in this document": every turn of it the search finds, less those shown
        assert more == len(everything[doc]) - len(turns)
        assert sorted(everything[doc]) == corpus.matching_turns(doc, q, **filters)
        titles = [a.text() for a in group.css("a.title")]
        assert titles == [corpus.document(doc).title or "(untitled)"]
        # the kind of each turn once: no "Question QUESTION"
        for meta in group.css(".hit .meta"):
            kind = meta.css_first(".badge")
            assert kind is not None
            assert meta.text(separator=" ").lower().split().count(kind.text().lower()) == 1
    assert sum(len(t) for _, t, _, _ in groups) == len(result.hits)
    if q == "the":
        assert any(more for _, _, more, _ in groups)
    # the "more" link opens the document with exactly the turns the search finds marked
    for doc, _, more, group in groups:
        if more:
            link = group.css_first("p.more a")
            assert link is not None
            shown = get(http, link.attributes["href"] or "")
            marked = [int((li.attributes["id"] or "")[1:]) for li in shown.css("li.turn.match")]
            assert marked == sorted(everything[doc])
            banner = shown.css_first("nav.matched")
            assert banner is not None and banner.text().split()[0] == str(len(marked))
            break


def test_matching_turns_are_the_searchs_hits(corpus: stenogram.Corpus) -> None:
    """Corpus.matching_turns gives a document's turns as the search finds them, whatever the query."""
    doc = next(h.document_id for h in corpus.search("Kurdistan").hits)
    for q, filters in [("Iraq", {}), ('"international law"', {}), ("Iraq -troops", {}), ("NEAR(Iraq troops, 5)", {}),
                       ("", {"kind": "question"}), ("Iraq", {"speaker": "Lavrov"}), ("-Iraq", {}), ("Ira*", {}),
                       ("", {"country": "SY"}), ("xanadoo", {})]:
        found = sorted(h.index for h in corpus.stream(q, **filters) if h.document_id == doc)
        assert corpus.matching_turns(doc, q, **filters) == found, (q, filters)
    # a document without a date, and filters of every kind, on both ways of finding them
    for q, filters in [("water", {}), ("", {"kind": "answer"}), ("water", {"speaker": SPEAKER}), ("basin -security", {}),
                       ("water", {"date": "2015..2016"}), ("water", {"source": "EXAMPLE.org"}), ("water", {"lang": "fr"})]:
        for ident in ("example.org:water-undated", "example.org:water-2015"):
            found = sorted(h.index for h in corpus.stream(q, **filters) if h.document_id == ident)
            assert corpus.matching_turns(ident, q, **filters) == found, (ident, q, filters)
    assert corpus.matching_turns("example.org:water-2015", "water", date="2015..2016") == [0, 1, 2]
    assert corpus.matching_turns("example.org:water-2018", "water", date="2015..2016") == []
    with pytest.raises(NotFound):
        corpus.matching_turns("no-such-document", "Iraq")
    with pytest.raises(QueryError):
        corpus.matching_turns(doc, '"unclosed')


def test_a_document_with_a_search_that_cannot_be_read_says_why(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    doc = next(h.document_id for h in corpus.search("Kurdistan").hits)
    page = get(http, f"/document/{quote(doc, safe=':')}?q=%22unclosed", status=400)
    error = page.css_first("p.error")
    assert error is not None and "unclosed quote" in error.text()
    assert page.css("li.turn") and not page.css("li.turn.match")


# 3. dates, languages and countries as a reader names them

@pytest.mark.parametrize(("stamp", "text"), [
    ("2020-11-25T16:19:00+03:00", "25 November 2020, 16:19"), ("2023-06-07", "7 June 2023"),
    ("2023-03-14T19:45:00+08:00", "14 March 2023, 19:45"), ("2022-03-01T14:16:00-05:00", "1 March 2022, 14:16"),
    ("2020-11", "November 2020"), ("2020", "2020"), ("2021-01-05T09:00Z", "5 January 2021, 09:00"),
    ("not a date", "not a date"), ("2020-13-01", "2020-13-01"), ("", ""),
])
def test_dates_read_as_words(stamp: str, text: str) -> None:
    assert readable_date(stamp) == text


def test_a_date_keeps_its_stamp_and_zone_in_the_tooltip() -> None:
    html = str(date_html("2020-11-25T16:19:00+03:00"))
    assert html == ('<time datetime="2020-11-25T16:19:00+03:00" title="2020-11-25T16:19:00+03:00 (UTC+03:00)">'
                    "25 November 2020, 16:19</time>")
    assert 'title="2021-01-05T09:00Z (UTC)"' in str(date_html("2021-01-05T09:00Z"))
    assert 'title="2018-06-01"' in str(date_html("2018-06-01"))
    assert "no time zone given" in str(date_html("2018-06-01T10:00"))
    assert str(date_html('<b>"x"</b>')) == "<time>&lt;b&gt;&#34;x&#34;&lt;/b&gt;</time>"


def test_language_names_come_from_the_table() -> None:
    assert language_name("ar") == "Arabic" and language_name("zh") == "Chinese" and language_name("EN") == "English"
    assert language_name("xx") == "xx" and language_name(None) == ""
    assert all(re.fullmatch(r"[a-z]{2}", code) and name[0].isupper() for code, name in LANGUAGES.items())


def test_pages_show_dates_and_names_not_stamps_and_codes(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    hussein = next(h.document_id for h in corpus.search("Kurdistan").hits)
    pages = {"/": get(http, "/"), "/?q=Iraq": get(http, "/?q=Iraq"), "/?q=the": get(http, "/?q=the"),
             "/?documents=1&sort=-date": get(http, "/?documents=1&sort=-date"),
             "document": get(http, f"/document/{quote(hussein, safe=':')}"),
             "document?q": get(http, f"/document/{quote(hussein, safe=':')}?q=Iraq"),
             "speaker": get(http, "/speaker/Sergey%20Lavrov"), "trend": get(http, "/trend"),
             "trend words": get(http, "/trend?terms=Iraq,Syria&per=10k-words")}
    stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    for name, page in pages.items():
        times = page.css("time")
        for t in times:
            assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}(, \d{2}:\d{2})?", t.text()), (name, t.text())
            assert t.attributes["title"] and t.attributes["title"].startswith(t.attributes["datetime"] or "-")
        text = visible_text(page)
        assert not stamp.search(text), (name, stamp.search(text))
        bare = BARE_CODE.search(text)
        assert bare is None, (name, text[max(0, bare.start() - 80):bare.end() + 80] if bare else "")
    # the document: published, its language and its versions by name, translated from Arabic
    document = pages["document"]
    meta = document.css_first("dl.docmeta")
    assert meta is not None and "25 November 2020, 16:19" in meta.text() and "English" in meta.text()
    published = meta.css_first("time")
    assert published is not None and published.attributes["title"] == "2020-11-25T16:19:00+03:00 (UTC+03:00)"
    assert "in this corpus also in German, French, Russian" in re.sub(r"\s+", " ", meta.text())
    notes = [n.text() for n in document.css(".turn .note")]
    assert "translated from Arabic" in notes and "translated from ar" not in notes
    assert "(Iraq)" in meta.text() and "(IQ)" not in meta.text()
    # the search page's hits: each document's date in words, its zone in the tooltip
    first = pages["/?q=Iraq"].css_first("p.docline time")
    assert first is not None and first.text() == "25 November 2020, 16:19"
    assert [o.text() for o in pages["/?q=Iraq"].css("select[name=lang] option")][1:] == \
        [language_name(code) for code, _ in corpus.stats().by_language]
    # the speaker's countries by name, their codes in tooltips
    speaker = pages["speaker"]
    countries = [a.text() for a in speaker.css("section a .country-name")]
    assert "Iraq" in countries and not any(re.fullmatch(r"[A-Z]{2}", c) for c in countries)


def test_the_document_has_a_legend_of_its_entity_colours(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    hussein = next(h.document_id for h in corpus.search("Kurdistan").hits)
    page = get(http, f"/document/{quote(hussein, safe=':')}")
    legend = page.css_first("p.legend")
    assert legend is not None
    kinds = {m.type for m in corpus.document(hussein).mentions}
    shown = {c.removeprefix("ent-") for span in legend.css("span.ent") for c in (span.attributes["class"] or "").split()
             if c.startswith("ent-")}
    used = {c.removeprefix("ent-") for span in page.css("li.turn span.ent")
            for c in (span.attributes["class"] or "").split() if c.startswith("ent-")}
    assert shown == kinds == used and {"country", "person", "organization"} <= shown
    assert "countries" in legend.text() and "people" in legend.text()
    # every kind of mention has a colour of its own in the style sheet
    css = (WEB / "static" / "style.css").read_text("utf-8")
    colours = {kind: re.search(rf"\.ent-{kind}\b[^{{]*\{{[^}}]*border-color: (#[0-9a-f]+)", css) for kind in
               ("country", "organization", "person", "place", "money", "quantity", "date")}
    assert all(colours.values()), colours
    assert len({m.group(1) for m in colours.values() if m}) == len(colours)


# 4. charts: round ticks, the speaker's years, the trend's example

@pytest.mark.parametrize(("low", "high", "kwargs", "ticks"), [
    (0, 167, {}, [0, 50, 100, 150, 200]),
    (0, 41.8, {}, [0, 10, 20, 30, 40, 50]),
    (0, 1, {}, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    (0, 0.0372, {}, [0, 0.01, 0.02, 0.03, 0.04]),
    (0, 3, {"whole": True}, [0, 1, 2, 3]),
    (0, 0.4, {"whole": True}, [0, 1]),
    (0, 0, {}, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    (12, 47, {}, [10, 20, 30, 40, 50]),
    (-5, 5, {}, [-5, 0, 5]),
    (0, 1_234_567, {}, [0, 500_000, 1_000_000, 1_500_000]),
    (0, 9, {"most": 4}, [0, 5, 10]),
])
def test_nice_ticks(low: float, high: float, kwargs: dict[str, Any], ticks: list[float]) -> None:
    assert nice_ticks(low, high, **kwargs) == ticks


def _is_nice(step: float) -> bool:
    """1, 2 or 5 times a power of ten (within float error)."""
    exponent = math.floor(math.log10(step))
    return any(math.isclose(step, f * 10.0 ** exponent, rel_tol=1e-6) for f in (1, 2, 5, 10))


@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9), st.integers(2, 12), st.booleans())
def test_nice_ticks_always_span_the_range_in_round_steps(a: float, b: float, most: int, whole: bool) -> None:
    low, high = min(a, b), max(a, b)
    assume(high == low or high - low > 1e-9 * max(abs(low), abs(high)))     # a range floats can tell apart
    ticks = nice_ticks(low, high, most=most, whole=whole)
    assert 2 <= len(ticks) <= max(3, most)
    assert ticks[0] <= low and ticks[-1] >= high
    step = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
    noise = 1e-12 * max(abs(ticks[0]), abs(ticks[-1]))                       # what floats of that size can hold
    assert all(math.isclose(y - x, step, rel_tol=1e-6, abs_tol=noise) for x, y in pairwise(ticks))
    assert _is_nice(step) and (not whole or step >= 1)


def test_tick_labels_read_plainly() -> None:
    assert [tick_label(v) for v in (0.0, 50.0, 1500000.0, 0.2, 0.01, 2.5, -5.0)] == \
        ["0", "50", "1,500,000", "0.2", "0.01", "2.5", "-5"]


def _axis(chart: LexborNode) -> list[float]:
    """The values of a chart's y axis, as its labels read."""
    return [float(t.text().replace(",", "")) for t in chart.css("text.tick[text-anchor=end]")]


def test_every_chart_has_round_ticks(http: httpx.Client) -> None:
    for path in ("/", "/speaker/Sergey%20Lavrov", "/trend", "/trend?terms=Iraq,Syria&per=10k-words",
                 "/trend?terms=the&per=turns&by=month"):
        charts = get(http, path).css("svg.chart")
        assert charts, path
        for chart in charts:
            axis = _axis(chart)
            assert len(axis) >= 2 and axis[0] == 0, (path, axis)
            steps = {round(b - a, 9) for a, b in pairwise(axis)}
            assert len(steps) == 1 and _is_nice(steps.pop()), (path, axis)


def test_the_speaker_page_has_a_bar_a_year(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    page = get(http, "/speaker/" + quote(SPEAKER))
    chart = page.css_first("svg.chart.bar")
    assert chart is not None
    labels = [t.text() for t in chart.css("text.tick[text-anchor=middle]")]
    assert labels == ["2015", "2016", "2017", "2018"]                 # every year from the first to the last
    links = chart.css("a")
    words = {year: w for year, _, w in corpus.profile(SPEAKER).by_year}
    assert [a.attributes["aria-label"] for a in links] == [f"{y}: 2 turns, {words[y]} words" for y in ("2015", "2018")]
    assert len(chart.css("rect.zero")) == 2 and len(chart.css("rect.fill")) == 2
    caption = page.css_first("figure.bars figcaption")
    assert caption is not None and "2 undated turns not shown" in caption.text()
    assert _axis(chart)[-1] >= 2
    listed = get(http, links[0].attributes["href"] or "")
    assert total(listed) == 2 and {w.text() for w in listed.css("ol.hits .who")} == {SPEAKER}
    lavrov = corpus.profile("Sergey Lavrov")
    chart = get(http, "/speaker/Sergey%20Lavrov").css_first("svg.chart.bar")
    assert chart is not None
    values = [int(v.text()) for v in chart.css("text.value")]          # every year: none between them
    assert values == [turns for _, turns, _ in lavrov.by_year]


def test_the_trend_page_opens_with_an_example(http: httpx.Client, corpus: stenogram.Corpus) -> None:
    page = get(http, "/trend")
    top = [code for code, _ in corpus.countries(limit=2)]
    terms = page.css_first("input[name=terms]")
    assert terms is not None and terms.attributes["value"] == ", ".join(f"country:{c}" for c in top)
    chart = page.css_first("svg.chart.line")
    assert chart is not None and len(chart.css("polyline")) == 2
    assert [t.text() for t in chart.css("text.legend")] == ["Iraq (mentions)", "Russia (mentions)"]
    example = page.css_first("p.suggestion")
    assert example is not None and "example" in example.text()
    # the example is the chart of those terms, as the form would draw it
    drawn = get(http, "/trend?terms=" + quote(terms.attributes["value"] or ""))
    assert [p.attributes["points"] for p in drawn.css("polyline")] == [p.attributes["points"] for p in chart.css("polyline")]
    assert drawn.css_first("p.suggestion") is None
    # terms given but empty: the form alone, no example
    empty = get(http, "/trend?terms=")
    assert empty.css_first("svg.chart") is None and empty.css_first("p.suggestion") is None


def test_charts_need_no_style_attribute() -> None:
    """The policy forbids inline style: the charts draw with attributes and classes only."""
    for module in ("charts.py", "readable.py"):
        assert "style=" not in (WEB / module).read_text("utf-8"), module


# 5. in the browser: screenshots, the keyboard, a phone, and no policy violation

def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _watch(page: Any) -> list[str]:
    """Policy violations and failed requests reported on the page, as they happen."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "(window.__violations = window.__violations || []).push(e.violatedDirective))")
    return problems


def test_browser_archive_search_document_speaker_trend_and_phone(server: str, browser: Any,
                                                                 corpus: stenogram.Corpus) -> None:
    wide = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = _watch(wide)
    external: list[str] = []
    wide.on("request", lambda req: external.append(req.url) if not req.url.startswith(server) else None)
    wide.goto(server + "/")
    assert wide.locator("svg.chart.bar a").count() == len([y for y, _ in corpus.stats().by_year if y.isdigit()])
    assert wide.locator("svg.chart.bar").bounding_box()["height"] > 120
    shot(wide, "archive-1-front")
    # a bar of the chart is reached with Tab and followed with Enter
    for _ in range(20):
        wide.keyboard.press("Tab")
        if wide.evaluate("document.activeElement.closest('svg.chart') !== null"):
            break
    assert wide.evaluate("document.activeElement.closest('svg.chart') !== null"), "no bar is reached by Tab"
    label = wide.evaluate("document.activeElement.getAttribute('aria-label')")
    wide.keyboard.press("Enter")
    wide.wait_for_selector("ol.hits li.group")
    year = label.split(":")[0]
    assert f"date_from={year}-01-01" in wide.url and "documents=1" in wide.url
    assert int(wide.locator("p.count strong").inner_text()) == int(label.split(": ")[1].split()[0])
    # a grouped search; its "more" link opens the document with the turns found marked
    wide.goto(server + "/?q=the")
    groups = wide.locator("ol.hits > li.group")
    assert groups.count() >= 2
    shot(wide, "archive-2-grouped-search")
    more = wide.locator("p.more a").first
    n = int(more.inner_text().split()[0])
    group_turns = more.locator("xpath=ancestor::li[contains(@class, 'group')]").locator("a.anchor").count()
    more.click()
    wide.wait_for_selector("li.turn.match")
    assert wide.locator("li.turn.match").count() == n + group_turns
    shot(wide, "archive-3-document")
    # the document's legend, and a question's turn numbered once with its kind
    assert wide.locator("p.legend span.ent").count() >= 1
    wide.goto(server + "/speaker/" + quote(SPEAKER))
    assert wide.locator("svg.chart.bar rect.fill").count() == 2
    shot(wide, "archive-4-speaker")
    wide.goto(server + "/speaker/Sergey%20Lavrov")
    shot(wide, "archive-5-speaker-lavrov")
    wide.goto(server + "/trend")
    assert wide.locator("svg.chart polyline").count() == 2
    assert wide.locator("svg.chart").bounding_box()["height"] > 200
    shot(wide, "archive-6-trend")
    # on a phone: one column, nothing wider than the screen
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    problems += _watch(phone)
    for path, name in (("/", "archive-7-phone-front"), ("/?q=Iraq", "archive-8-phone-search"),
                       ("/trend", "archive-9-phone-trend")):
        phone.goto(server + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        shot(phone, name)
    for page in (wide, phone):
        assert not page.evaluate("window.__violations || []")
    assert not problems, problems
    assert not external, external
    wide.close()
    phone.close()


def test_the_front_page_of_an_empty_corpus_says_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    stenogram.open(db).close()
    with serving(create_app(db)) as url, httpx.Client(base_url=url, timeout=30) as client:
        page = get(client, "/")
        lead = page.css_first("p.lead")
        assert lead is not None and "stenogram ingest" in lead.text()
        assert page.css_first("svg.chart") is None
        trend = get(client, "/trend")
        assert trend.css_first("svg.chart") is None and trend.css_first("p.suggestion") is None
        started = time.monotonic()
        assert total(get(client, "/?documents=1&sort=-date")) == 0
        assert time.monotonic() - started < 10
