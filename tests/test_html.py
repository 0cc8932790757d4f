"""HTML input: saved pages of every site profile parse to their expected JSON, to the same turns as their
text twins, with no chrome in any turn; legacy encodings decode; escaped markup stays literal text."""

from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

import stenogram
from stenogram.errors import BinaryInput, EmptyInput, InputError
from stenogram.model import Document
from stenogram.parse import parse_bytes, parse_bytes_auto, parse_html
from stenogram.parse.html import declared_charset, decode_html, looks_like_html, page_text
from tests.golden import FIXTURES, check, norm, strict_cases

HTML = Path(__file__).parent / "fixtures" / "html"
NAMES = sorted(p.name[: -len(".expected.json")] for p in HTML.glob("*.expected.json"))

# The text fixture each page was made from (same turns, same wording).
TWINS = {
    "mid.ru-ru-2020-lavrov-press-conference-cp1251": "mid.ru-ru-2020-lavrov-press-conference",
    "mid.ru-ru-2005-lavrov-caps-koi8r": "mid.ru-ru-2005-lavrov-caps",
    **{n: n for n in NAMES if (FIXTURES / f"{n}.txt").exists()},
}
# The page's transcript container: every word of every turn must come from it.
CONTAINERS = {
    "fmprc.gov.cn-en-2023-mao-ning": "div.news-main",
    "generic-en-2020-blog-lavrov-excerpts": "div.entry-content",
    "generic-en-2023-escaped-markup": "div.post__body",
    "gov.uk-en-2025-starmer-shipping-summit-statement": "div.govspeak",
    "kremlin.ru-en-2018-putin-erdogan-press-statements": "div.entry-content.e-content.read__internal_content",
    "mid.ru-en-2014-lavrov-paris": "div.text.article-content",
    "mid.ru-en-2021-lavrov-interview-current-site": "div.text.article-content",
    "mid.ru-ru-2005-lavrov-caps-koi8r": "div.article-text",
    "mid.ru-ru-2020-lavrov-press-conference-cp1251": "div.text.article-content",
    "nato.int-en-2025-rutte-doorstep": "div.content div.body",
    "state.gov-en-2022-press-briefing": "div.entry-content",
    "whitehouse.gov-en-2024-gaggle-air-force-one": "section.body-content",
    "un.org-en-2023-noon-briefing": "div.field--name-body",
}
# Words each page carries outside its transcript: menus, banners, share buttons, footers, scripts.
CHROME = {
    "fmprc.gov.cn-en-2023-mao-ning": [
        "Suggest To A Friend", "Sitemap", "Diplomatic Activities", "Chaoyangmen", "Spokesperson's Remarks", "中文", "_setAccount",
        "Press and Media Services",
    ],
    "generic-en-2020-blog-lavrov-excerpts": [
        "Skip to content", "About the editors", "Support the blog", "Share this", "Like this", "Loading", "Related", "Tags:",
        "Leave a Reply", "Post Comment", "Recent Posts", "Sidebar post", "uses cookies", "Proudly powered", "Eurasia Notebook",
        "by Editor", "_stq",
    ],
    "generic-en-2023-escaped-markup": [
        "cookies", "Accept all", "Subscribe", "Tweet this interview", "Email a friend", "More interviews", "Stoltenberg",
        "Newsletter", "Sign up", "Privacy", "Enable JavaScript", "alert(2)", "alert(3)", "alert('state')", "thanks",
        "__INITIAL_STATE__", "Georgia", "Clara Fenwick",
    ],
    "gov.uk-en-2025-starmer-shipping-summit-statement": [
        "Skip to main content", "Cookies on GOV.UK", "Accept additional cookies", "Search GOV.UK", "Share this page",
        "Share on Facebook", "Related content", "Fictional related story", "Open Government Licence", "Crown copyright",
        "Published 12 March", "GOVUK.analyticsGa4", "From:", "Location:", "Delivered on",
    ],
    "kremlin.ru-en-2018-putin-erdogan-press-statements": [
        "Version for the visually impaired", "Multimedia", "Topics", "Erdogan Recep Tayyip", "Publication date", "Direct link",
        "Share on", "Creative Commons", "Русский", "After the Russian-Turkish talks in Ankara", "counter.example",
    ],
    "mid.ru-en-2014-lavrov-paris": [
        "Asset Publisher", "Skip to Content", "Press Service", "Twitter", "Facebook", "Additional materials",
        "Advanced settings", "Use of the materials", "Русский", "Liferay", "en-GB",
    ],
    "mid.ru-en-2021-lavrov-interview-current-site": [
        "cookies", "By continuing to browse", "Consular services", "Latest news", "Sidebar headline", "VKontakte",
        "Print version", "Smolenskaya", "Additional materials", "Accessibility version", "Home page", "dataLayer",
        "402-02-03-2021",
    ],
    "mid.ru-ru-2005-lavrov-caps-koi8r": [
        "Главная", "Рубрики", "Культура", "Спорт", "Реклама", "Версия для печати", "Обсудить на форуме", "Все права защищены",
        "Top100", "counter.example",
    ],
    "mid.ru-ru-2020-lavrov-press-conference-cp1251": [
        "Публикатор", "О Министерстве", "Пресс-служба", "Дополнительные материалы", "Расширенные настройки", "ВКонтакте",
        "При использовании материалов", "Liferay",
    ],
    "nato.int-en-2025-rutte-doorstep": [
        "Skip to main content", "North Atlantic Treaty Organization", "Français", "Newsroom", "Speeches & transcripts",
        "Last updated", "Print", "Share on X", "fictional caption", "Related", "Fictional related news", "All rights reserved",
        "Contact", "_paq",
    ],
    "state.gov-en-2022-press-briefing": [
        "official website of the United States", "Here’s how you know", "Policy Issues", "Department Press Briefings",
        "Office of the Spokesperson", "Privacy Policy", "Inspector General", "Facebook", "Ned Price, Department Spokesperson",
        "wp-embed",
    ],
    "whitehouse.gov-en-2024-gaggle-air-force-one": [
        "Skip to content", "Open Menu", "Administration", "The Record", "Briefing Room", "Press Briefings", "Share on Twitter",
        "1600 Pennsylvania", "Copyright Policy", "Privacy Policy", "dataLayer",
    ],
    "un.org-en-2023-noon-briefing": [
        "Skip to main content", "Welcome to the United Nations", "We use cookies", "OK, I agree", "Fraud Alert", "Terms of Use",
        "General Assembly", "Русский", "For information media", "drupalSettings", "Noon Briefing",
        "The following is a near-verbatim transcript",
    ],
}
ESCAPED = "generic-en-2023-escaped-markup"


def page(name: str) -> bytes:
    return (HTML / f"{name}.html").read_bytes()


def parse(name: str, **kwargs: Any) -> Document:
    return parse_html(page(name), **kwargs)


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HTML / f"{name}.expected.json").read_text("utf-8"))
    return data


def turn_texts(doc: Document) -> list[str]:
    return [piece for t in doc.turns for piece in (*t.paragraphs, *t.notes, t.label or "")]


def test_there_are_enough_pages() -> None:
    assert len(NAMES) >= 9
    assert set(NAMES) == set(CONTAINERS) == set(CHROME)
    sources = {expected(n)["source"] for n in NAMES}
    assert {"mid.ru", "kremlin.ru", "state.gov", "fmprc.gov.cn", "un.org", "generic"} <= sources
    charsets = {declared_charset(page(n)) for n in NAMES}
    assert {"koi8-r", "utf-8"} <= {c.lower() for c in charsets if c}


@functools.cache
def _parsed_json(name: str) -> dict[str, Any]:
    return parse(name).to_json()


# Every document field, the number of turns, and every field of every turn, each its own case (known misses:
# tests/golden.py's KNOWN_MISSES).
@pytest.mark.parametrize(("fixture", "turn", "field"), strict_cases("html", NAMES, expected))
def test_page_parses_to_its_expected_json(fixture: str, turn: int | None, field: str) -> None:
    name = fixture.split("/", 1)[1]
    check(fixture, _parsed_json(name), expected(name), turn, field)


@pytest.mark.parametrize("name", sorted(TWINS))
def test_the_same_document_as_text_and_as_html_gives_the_same_turns(name: str) -> None:
    text = stenogram.parse_text((FIXTURES / f"{TWINS[name]}.txt").read_text("utf-8"))
    html = parse(name)
    assert [(t.kind, t.speaker, norm(t.text)) for t in html.turns] == [(t.kind, t.speaker, norm(t.text)) for t in text.turns]
    assert (html.title, html.kind, html.event, html.language, html.participants) == (
        text.title, text.kind, text.event, text.language, text.participants)


def test_the_escaped_markup_page_is_its_twin_plus_one_exchange() -> None:
    text = stenogram.parse_text((FIXTURES / "generic-en-2023-colons-and-quotes.txt").read_text("utf-8"))
    html = parse(ESCAPED)
    got = [(t.kind, t.speaker, norm(t.text)) for t in html.turns if "alert(1)" not in t.text]
    assert got == [(t.kind, t.speaker, norm(t.text)) for t in text.turns]
    assert len(html.turns) == len(text.turns) + 2


@pytest.mark.parametrize("name", NAMES)
def test_no_chrome_in_any_turn(name: str) -> None:
    doc = parse(name)
    pieces = turn_texts(doc)
    for phrase in CHROME[name]:
        assert not any(phrase in piece for piece in pieces), phrase


@pytest.mark.parametrize("name", NAMES)
def test_every_word_of_every_turn_comes_from_the_transcript_container(name: str) -> None:
    tree = LexborHTMLParser(decode_html(page(name)))
    container = tree.css_first(CONTAINERS[name])
    assert container is not None
    allowed = set(re.findall(r"\w+", container.text(deep=True)))
    for turn in parse(name).turns:
        words = set(re.findall(r"\w+", " ".join((*turn.paragraphs, *turn.notes, turn.label or ""))))
        # An ordered list's numbers are rendered by the browser, not written in the markup.
        assert words - allowed <= {"1", "2", "3"}, (turn.index, words - allowed)


@pytest.mark.parametrize("name", NAMES)
def test_output_follows_the_contract(name: str, schema: dict[str, Any]) -> None:
    doc = parse(name)
    jsonschema.validate(doc.to_json(), schema)
    assert Document.from_json(doc.to_json()) == doc


# --- encodings ----------------------------------------------------------------------------------------
CP1251 = "mid.ru-ru-2020-lavrov-press-conference-cp1251"
KOI8 = "mid.ru-ru-2005-lavrov-caps-koi8r"


def _speakers(doc: Document) -> list[tuple[str | None, str | None]]:
    return [(t.speaker, t.label) for t in doc.turns if t.speaker]


def test_cp1251_page_with_a_wrong_declaration_decodes() -> None:
    data = page(CP1251)
    assert declared_charset(data) == "utf-8"          # the page lies
    data.decode("cp1251")                             # ... and is cp1251
    doc = parse_html(data)
    assert doc.title.startswith("Выступление и ответы на вопросы СМИ Министра")
    assert _speakers(doc)[:2] == [("Сергей Лавров", None), ("Сергей Лавров", "С.В.Лавров")]
    assert doc.event.place == "Москва"
    assert "\ufffd" not in json.dumps(doc.to_json(), ensure_ascii=False)


def test_koi8r_page_decodes() -> None:
    data = page(KOI8)
    assert declared_charset(data) == "koi8-r"
    doc = parse_html(data)
    assert set(_speakers(doc)) == {("Сергей Лавров", "С.В. ЛАВРОВ")}
    assert doc.turns[0].label == "ВОПРОС (как переведено)"
    assert "«Иомиури симбун»" in doc.title       # entities for what KOI8-R cannot encode


def _without_declaration(data: bytes) -> bytes:
    return re.sub(rb"<meta[^>]*charset[^>]*>", b"", data, flags=re.IGNORECASE)


@pytest.mark.parametrize(("name", "variant", "charset"), [
    (CP1251, "no declaration", None),
    (CP1251, "as declared", None),
    (CP1251, "HTTP says cp1251", "windows-1251"),
    (CP1251, "HTTP says koi8-r", "koi8-r"),
    (CP1251, "HTTP header value", "text/html; charset=utf-8"),
    (KOI8, "no declaration", None),
    (KOI8, "HTTP says windows-1251", "windows-1251"),
    (KOI8, "HTTP says utf-8", "utf-8"),
    (KOI8, "unknown charset", "x-no-such-charset"),
])
def test_legacy_pages_decode_whatever_the_declarations_say(name: str, variant: str, charset: str | None) -> None:
    data = page(name)
    if variant == "no declaration":
        data = _without_declaration(data)
        assert declared_charset(data) is None
    reference = parse_html(page(name))
    doc = parse_html(data, charset=charset)
    assert [(t.speaker, t.label, t.text) for t in doc.turns] == [(t.speaker, t.label, t.text) for t in reference.turns]
    assert doc.title == reference.title


def test_utf8_page_declared_latin1_is_read_as_utf8() -> None:
    data = page("mid.ru-en-2021-lavrov-interview-current-site").replace(b'charset="UTF-8"', b'charset="iso-8859-1"')
    assert declared_charset(data) == "iso-8859-1"
    doc = parse_html(data, charset="ISO-8859-1")
    assert doc.title == "Foreign Minister Sergey Lavrov’s interview with Rossiya Segodnya, Moscow, March 2, 2021"


def test_gb18030_page_decodes() -> None:
    body = "".join(f"<p>{line}</p>" for line in (
        "外交部发言人毛宁主持例行记者会", "问：中方对此有何评论？", "毛宁：中方一贯主张通过对话协商解决分歧。"))
    markup = ("<!DOCTYPE html><html><head><meta charset='gb2312'><title>记者会</title></head>"
              f"<body><h1>外交部发言人毛宁主持例行记者会</h1>{body}</body></html>")
    for data in (markup.encode("gb18030"), _without_declaration(markup.encode("gb18030"))):
        assert "毛宁：中方一贯主张" in decode_html(data)


# --- escaped markup -------------------------------------------------------------------------------------
def test_escaped_markup_in_the_transcript_stays_literal_text() -> None:
    doc = parse(ESCAPED)
    question = next(t for t in doc.turns if "<script>" in t.text)
    assert question.kind == "question" and question.label == "Question"
    assert "<script>alert(1)</script>" in question.text
    assert '"><img onerror=alert(1)>' in question.text
    answer = doc.turns[question.index + 1]
    assert answer.speaker == "Josep Borrell" and answer.reply_to == question.index
    assert '"><img onerror=alert(1)>' in answer.text
    dumped = json.dumps(doc.to_json(), ensure_ascii=False)
    assert "&lt;" not in dumped and "&gt;" not in dumped and "&quot;" not in dumped
    for live in ("alert(2)", "alert(3)", "alert('state')", "onerror=\\\"alert"):
        assert live not in dumped


# --- markup → layout ---------------------------------------------------------------------------------------
def _mid(body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        "<nav><a href='/'>Menu item</a></nav>"
        "<h1 class='photo-content__title'>Foreign Minister Sergey Lavrov’s interview with Kommersant, Moscow, May 5, 2022</h1>"
        f"<div class='text article-content'>{body}</div>"
        "<footer>Footer words</footer></body></html>"
    )


def _body_lines(body: str) -> list[str]:
    text = page_text(_mid(body)).text
    return [line for line in text.splitlines() if line][1:]   # without the title


def test_layout_keeps_labels_inline_breaks_as_lines_and_blocks_as_paragraphs() -> None:
    assert _body_lines("<p><strong>Question:</strong> What next?</p><p><b>Sergey Lavrov:</b>We <em>will</em> see.</p>") == [
        "Question: What next?", "Sergey Lavrov: We will see."]
    assert _body_lines("<p>One line<br>and another<br/><br></p><div>Block <span>with\n   spaces</span></div>") == [
        "One line", "and another", "Block with spaces"]
    lists = "<p>Steps:</p><ol><li>First.</li><li>Second.</li></ol><ol start='7'><li>Seventh.</li></ol><ul><li>Dot.</li></ul>"
    assert _body_lines(lists) == [
        "Steps:", "1. First.", "2. Second.", "7. Seventh.", "Dot."]
    assert _body_lines("<p>Price&nbsp;: 30&#160;000 &lt;b&gt; &amp; co</p><script>var x = '<p>no</p>';</script><style>p{}</style>") == [
        "Price : 30 000 <b> & co"]
    assert _body_lines("<p>Kept</p><div class='share-block'><a>Share on VK</a></div><figure><figcaption>Photo</figcaption></figure>") == [
        "Kept"]


def test_label_alone_on_its_line_attaches_to_the_next_paragraph() -> None:
    doc = parse_html(_mid("<p><strong>Question:</strong></p><p>Will you go?</p><p>Sergey Lavrov:<br>Yes.</p>").encode())
    assert [(t.kind, t.label, t.text) for t in doc.turns] == [("question", "Question", "Will you go?"),
                                                              ("answer", "Sergey Lavrov", "Yes.")]
    assert doc.source == "mid.ru"


# --- which profile -------------------------------------------------------------------------------------------
def test_url_host_then_canonical_then_markers() -> None:
    liferay = page("mid.ru-en-2014-lavrov-paris")
    url = "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/751281"
    doc = parse_html(liferay, url=url)
    assert (doc.source, doc.url, doc.id) == ("mid.ru", url, "mid.ru:751281:en")
    assert parse_html(liferay).source == "mid.ru"                      # markers alone
    repost = parse_html(liferay, url="https://mirror.example.net/lavrov-paris.html")
    assert repost.source == "generic"                                  # someone else's copy of the page
    assert [t.text for t in repost.turns] == [t.text for t in doc.turns]

    current = page("mid.ru-en-2021-lavrov-interview-current-site")
    assert parse_html(current, url="https://mid.ru/en/foreign_policy/news/1415446/?lang=en").url == (
        "https://mid.ru/en/foreign_policy/news/1415446/")             # the canonical URL on the same site
    mirrored = parse_html(current, url="https://mirror.example.net/a/")
    assert (mirrored.source, mirrored.url) == ("generic", "https://mirror.example.net/a/")


def test_exact_time_elements_replace_the_displayed_date() -> None:
    kremlin = parse("kremlin.ru-en-2018-putin-erdogan-press-statements")
    assert kremlin.published == "2018-04-03T17:20:00+03:00"            # <time datetime=2018-04-03> + div.read__time
    mid = parse("mid.ru-en-2021-lavrov-interview-current-site")
    assert mid.published == "2021-03-02T10:21:00+03:00"                 # 07:21Z in Moscow time
    un = parse("un.org-en-2023-noon-briefing")
    assert un.published == "2023-06-07"                                 # a date-only <time> holding noon UTC


# --- routing and bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"\n\n  \t", b"\xef\xbb\xbf\r\n"])
def test_parse_bytes_auto_routes_html(prefix: bytes) -> None:
    data = page("state.gov-en-2022-press-briefing")
    assert looks_like_html(prefix + data)
    doc = parse_bytes_auto(prefix + data, name="briefing.html")
    assert doc == parse_html(data)


def test_parse_bytes_auto_routes_text_and_other_html_shapes() -> None:
    text = (FIXTURES / "state.gov-en-2022-press-briefing.txt").read_bytes()
    assert not looks_like_html(text)
    assert parse_bytes_auto(text, name="briefing.txt") == parse_bytes(text, name="briefing.txt")
    excerpt = b"<...>\nQuestion: Is <html> a tag?\n\nSergey Lavrov: It is.\n"
    assert not looks_like_html(excerpt)
    assert parse_bytes_auto(excerpt, name="x.txt") == parse_bytes(excerpt, name="x.txt")
    for html_start in (b"<HTML><BODY><p>Hi</p></BODY></HTML>", b"<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><p>x</p>",
                       b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body><p>x</p></body></html>",
                       b"<meta charset='utf-8'><title>t</title><body><p>x</p></body>",
                       "<!doctype html><p>x</p>".encode("utf-16")):
        assert looks_like_html(html_start), html_start


@pytest.mark.parametrize("data", [
    b"", b"   \n\t ", b"\xef\xbb\xbf  ",
    b"<!DOCTYPE html><html><head><title></title><script>track()</script></head><body><nav>Menu</nav><footer></footer></body></html>",
    b"<html><head><title>Briefing by the Spokesperson</title></head><body><div class='cookie-banner'>We use cookies</div></body></html>",
])
def test_empty_pages_raise_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        parse_html(data)
    if data.strip(b"\xef\xbb\xbf \n\t"):
        with pytest.raises(EmptyInput):
            parse_bytes_auto(data, name="empty.html")


def test_garbage_bytes_raise_binary_input() -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(BinaryInput):
        parse_html(noise)
    with pytest.raises(BinaryInput):
        parse_html(b"<!DOCTYPE html><html><body>" + noise)
    no_nul = bytes(b for b in noise if b)
    with pytest.raises(InputError):
        parse_html(no_nul)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise
    with pytest.raises(BinaryInput):
        parse_bytes_auto(png, name="photo.png")


def test_alternate_urls_name_the_language_versions() -> None:
    from stenogram.parse.html import alternate_urls

    current = page("mid.ru-en-2021-lavrov-interview-current-site")
    assert alternate_urls(current) == {"en": "https://mid.ru/en/foreign_policy/news/1415446/",
                                       "ru": "https://mid.ru/ru/foreign_policy/news/1415445/"}
    liferay = alternate_urls(page("mid.ru-en-2014-lavrov-paris"), "https://www.mid.ru/en/foreign_policy/news/")
    assert sorted(liferay) == ["en", "es", "fr", "ru"]
    assert liferay["ru"] == "https://www.mid.ru/ru/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/751281"
    assert alternate_urls(page("kremlin.ru-en-2018-putin-erdogan-press-statements")) == {}   # a site-wide menu is no version
    assert alternate_urls(b"\x00\x01garbage") == {}


# Markup built from the pieces real pages are made of, with arbitrary text in between.
MARKUP = st.lists(st.one_of(st.sampled_from([
    "<p>", "</p>", "<div class='text article-content'>", "</div>", "<br>", "<strong>Question:</strong>", "<b>", "</b>",
    "<ol start='x'>", "<li value='-1'>", "</ol>", "<script>", "</script>", "<!--", "-->", "&lt;", "&amp;", "&#0;", "&#xD800;",
    "<table><tr><td>", "<pre>", "</pre>", "<hr>", "<h3>", "Sergey Lavrov:", "\u00a0", "<html>", "<body>", "<nav>",
    "<h1 class='entry-title p-name'>", "</h1>", "<time datetime='2021-99-99T25:00'>", "<link rel='canonical' href='::'>",
    "<link rel='alternate' hreflang='x-default' href='/'>", "<meta charset='koi8-r'>", "<title>", "</title>",
]), st.text(max_size=30)), max_size=80).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUP, st.sampled_from([None, "https://mid.ru/en/foreign_policy/news/1/", "https://example.org/x", "not a url"]))
def test_parse_html_never_raises_on_markup(markup: str, url: str | None) -> None:
    try:
        doc = parse_html(("<!DOCTYPE html>" + markup).encode("utf-8", errors="surrogatepass"), url=url)
    except InputError:
        return
    Document.from_json(doc.to_json())
