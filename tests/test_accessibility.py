"""Accessibility of the web pages in headless Chromium: axe-core's checks (through axe-playwright-python,
which carries axe-core's script) on every kind of page, on a desktop and a phone, with no serious or
critical violation allowed; the keyboard path through a search (the query box, the results, the pages,
the facets, in reading order); and a focus that can always be seen. Screenshots go to a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import stenogram

EXAMPLES = Path(__file__).parent.parent / "examples"
#: the impacts a page may not have any violation of
BLOCKING = ("serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples: five sources, five languages, one event in four of them (for the beside view)."""
    path = tmp_path_factory.mktemp("a11y") / "examples.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(EXAMPLES)]).ok
    return path


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("a11y-screenshots")


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def document_id(http: httpx.Client) -> str:
    """The English version of the Lavrov–Hussein news conference (the corpus holds it in four languages)."""
    found = http.get("/api/search", params={"q": "Hussein", "lang": "en", "documents": "true"}).json()
    ident: str = found["hits"][0]["document_id"]
    versions = http.get(f"/api/documents/{ident}/versions").json()
    assert "ru" in {v["language"] for v in versions["in_corpus"]}
    return ident


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def blocking(axe: Any, page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each with where."""
    results = axe.run(page).response
    return [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in results["violations"] if v["impact"] in BLOCKING]


def pages(server: str, document_id: str) -> list[tuple[str, str, dict[str, int]]]:
    """(name, URL, viewport) of every kind of page there is (axe takes a second or more on each)."""
    doc = "/document/" + quote(document_id, safe=":")
    return [
        ("front", "/", DESKTOP),
        ("search", "/?q=the&kind=answer", DESKTOP),
        ("document", doc + "?q=Iraq", DESKTOP),
        ("beside", doc + "?beside=ru", DESKTOP),
        ("cite", "/turn/" + quote(document_id + "#2", safe=":") + "/cite", DESKTOP),
        ("speaker", "/speaker/Sergey%20Lavrov", DESKTOP),
        ("trend", "/trend", DESKTOP),
        ("api", "/docs", DESKTOP),
        ("not-found", "/document/sha256:0000", DESKTOP),
        ("front-phone", "/", PHONE),
    ]


def test_no_page_has_a_serious_or_critical_violation(browser: Any, server: str, document_id: str, axe: Any,
                                                     shots: Path) -> None:
    found: dict[str, list[str]] = {}
    for name, path, viewport in pages(server, document_id):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        response = page.goto(server + path)
        assert response is not None and response.status == (404 if name == "not-found" else 200), (name, path)
        if name.startswith("search"):
            page.click("details#advanced summary")     # the advanced settings open, with every form control
            assert page.locator("aside.facets a.facet").count() > 0 and page.locator("li.group").count() > 0
        if name == "beside":
            assert page.locator("ol.beside li.pair").count() > 5
        page.screenshot(path=str(shots / f"{name}.png"))
        print(shots / f"{name}.png")
        problems = blocking(axe, page)
        if problems:
            found[name] = problems
        context.close()
    assert not found, found
    # the checker itself is live: a form control without a name is a critical violation
    context = browser.new_context(viewport=DESKTOP)
    bare = context.new_page()
    bare.set_content('<!doctype html><html lang="en"><title>t</title><main><input type="text"></main></html>')
    assert any(line.startswith("critical label") for line in blocking(axe, bare))
    context.close()


def test_the_keyboard_reaches_the_query_the_results_the_pages_and_the_facets_in_order(page: Any, server: str) -> None:
    page.goto(server + "/?q=the")
    assert page.locator("nav.pager a[rel=next]").count() == 1, "the search should have a second page"
    assert page.evaluate("document.activeElement.id") == "q", "a results page opens with the query box focused"
    what = """() => {
        const e = document.activeElement;
        if (e.id === "q") return "query";
        if (e.matches("a.skip")) return "skip";
        if (e.matches("li.group > a.title")) return "result";
        if (e.matches("nav.pager a")) return "pager";
        if (e.matches("aside.facets a.facet")) return "facet";
        return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "");
    }"""
    order = ["query"]
    for _ in range(250):
        page.keyboard.press("Tab")
        order.append(page.evaluate(what))
        if order[-1] == "facet":
            break
    first = {kind: order.index(kind) for kind in ("query", "result", "pager", "facet") if kind in order}
    assert list(first) == ["query", "result", "pager", "facet"], order
    assert order[1:3] == ["button", "summary"], order      # the search button, then the advanced settings
    # backwards from the query box: the site's links, then the skip link first of all
    page.focus("#q")
    back = []
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        back.append(page.evaluate(what))
        if back[-1] == "skip":
            break
    assert back[-1] == "skip" and len(back) <= 5, back
    page.keyboard.press("Enter")                            # it leads past the header and the form
    assert page.evaluate("document.activeElement.id") == "main"
    # Enter on the pager's link opens the next page
    page.focus("nav.pager a[rel=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**offset=20**")
    assert page.locator("li.group").count() > 0


def test_keyboard_focus_is_always_visible(page: Any, server: str, shots: Path) -> None:
    page.goto(server + "/?q=the")
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, visible: e.matches(":focus-visible"), outline: s.outlineStyle,
                    width: parseFloat(s.outlineWidth), color: s.outlineColor};
        }""")
        if style["tag"] == "BODY":
            continue
        seen += 1
        assert style["visible"] and style["outline"] == "solid" and style["width"] >= 2, style
        assert style["color"] == "rgb(161, 74, 0)", style        # --focus: 5.6:1 against white
    assert seen >= 30
    page.focus("aside.facets a.facet")
    page.screenshot(path=str(shots / "focus-on-a-facet.png"))
    # a click does not leave a ring behind (the ring is for the keyboard)
    page.click("details#advanced summary")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"
