"""The web interface is safe by default: stored URLs become links only when they are http(s), every
response carries a strict Content-Security-Policy and the other security headers, unknown ``Host:``
names are refused, an unhandled error is a 500 in the error envelope on a connection that stays open,
speakers whose names hold a ``/`` have working links, and no parameter of any route gives a 500.

The pages run in headless Chromium (Playwright driving Debian's /usr/bin/chromium); the servers are
real uvicorn servers on 127.0.0.1, in a thread or, where a request might bring the process down, in
a process of their own."""

from __future__ import annotations

import http.client
import logging
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
import uvicorn
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Route

import stenogram
from stenogram.model import Document, Participant, Turn
from stenogram.web import create_app
from stenogram.web.guard import SECURITY_HEADERS
from stenogram.web.pages import web_link
from stenogram.web.server import allowed_hosts_for
from tests.golden import FIXTURES, fixture_names

HERE = Path(__file__).parent
WEB = HERE.parent / "src" / "stenogram" / "web"
SLASHED = "Spokesperson/Director"

#: stored URLs that must never become a link, and one that must
HOSTILE_URLS = {
    "url-javascript": "javascript:alert(3)",
    "url-javascript-upper": "JaVaScRiPt:alert(4)",
    "url-javascript-spaced": " javascript:alert(5)",
    "url-javascript-tab": "java\tscript:alert(6)",
    "url-data": "data:text/html,<script>alert(7)</script>",
    "url-vbscript": "vbscript:msgbox(8)",
    "url-relative": "/api/stats",
    "url-protocol-relative": "//evil.example/x",
    "url-unparsable": "http://[::1",
    "url-no-host": "http:///nothing",
    "url-bad-port": "http://example.org:port/",
}
GOOD_URL = "https://www.example.org/press/2020/0101?x=1&y=2"


def _document(doc_id: str, *, url: str | None, speaker: str = "Jane Doe", published: str = "2020-03-04") -> Document:
    """A small press conference: a statement, a question and its answer."""
    return Document(
        id=doc_id, source="example.org", language="en", title=f"Briefing {doc_id}", published=published,
        kind="briefing", participants=(Participant(name=speaker, role="host"),), url=url,
        turns=(
            Turn(index=0, kind="statement", speaker=speaker, label=speaker,
                 paragraphs=("Good afternoon. Cooperation on water security is the topic today.",)),
            Turn(index=1, kind="question", speaker=None, label="Question", affiliation="Daily Planet",
                 paragraphs=("What about water security in the region?",)),
            Turn(index=2, kind="answer", speaker=speaker, label=speaker, reply_to=1,
                 paragraphs=("Water security needs cooperation between every country of the basin.",)),
        ),
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safety") / "safety.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([*(str(FIXTURES / f"{n}.txt") for n in fixture_names()[:4]),
                              str(HERE / "fixtures" / "web")]).ok
        for doc_id, url in HOSTILE_URLS.items():
            # written as a corpus stored before URLs were checked may hold them (Corpus.add refuses them now)
            corpus.store.write(_document(doc_id, url=url), content_hash=doc_id)
        corpus.add(_document("url-good", url=GOOD_URL))
        corpus.add(_document("slashed-speaker", url=None, speaker=SLASHED))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """A real uvicorn server for ``app`` on 127.0.0.1, in a thread, for the block's duration."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Links(HTMLParser):
    """Every <a> of a page: its href (None when it has none) and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str | None, str]] = []
        self._open: list[tuple[str | None, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs).get("href"), []))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, "".join(text)))


def links(html: str) -> list[tuple[str | None, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


# 1. only http and https URLs become links

@pytest.mark.parametrize("url", [*HOSTILE_URLS.values(), "", None, "mailto:press@example.org", "ftp://example.org/x",
                                 "https://exa mple.org/", "http://example.org\\@evil.example/"])
def test_web_link_refuses_what_is_not_an_http_url(url: str | None) -> None:
    assert web_link(url) is None


@pytest.mark.parametrize("url", [GOOD_URL, "http://127.0.0.1:8000/a", "HTTPS://EXAMPLE.ORG", "https://[2001:db8::1]/",
                                 "https://ru.wikipedia.org/wiki/Россия"])
def test_web_link_keeps_http_urls(url: str) -> None:
    assert web_link(url) == url


@pytest.mark.parametrize("doc_id", sorted(HOSTILE_URLS))
def test_a_stored_url_that_is_not_http_is_shown_as_text(client: TestClient, doc_id: str) -> None:
    url = HOSTILE_URLS[doc_id]
    page = client.get(f"/document/{doc_id}")
    assert page.status_code == 200
    hrefs = [href for href, _ in links(page.text)]
    assert not any(href and (href.strip() == url.strip() or "script:" in href.lower() or href.startswith("data:")
                             or "evil.example" in href) for href in hrefs), hrefs
    assert not [text for _, text in links(page.text) if text == "original"]
    assert "original: " in page.text                          # the address is still there, as text
    # the API gives the document as data, its URL as it was stored
    assert client.get(f"/api/documents/{doc_id}").json()["document"]["url"] == url


def test_an_http_url_is_the_original_link(client: TestClient) -> None:
    page = client.get("/document/url-good")
    assert (GOOD_URL, "original") in links(page.text)


# 2. security headers on every response; no inline script or style for the policy to block

EXPECTED_HEADERS = {k.decode(): v.decode() for k, v in SECURITY_HEADERS}


def _assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get_list(name) == [value], (str(response.url), name, response.headers.get_list(name))
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_every_response_carries_the_security_headers(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = ["/", "/?q=water", "/?q=water", "/document/url-good", "/speaker/Jane%20Doe", "/trend?terms=water",
             "/docs", "/openapi.json", "/turn/url-good%231", "/static/app.js", "/static/style.css",
             "/api/search?q=water", "/api/search?q=water", "/api/stats", "/api/documents/url-good",
             "/api/speakers", "/api/trend?terms=water", "/api/speakers/Jane%20Doe/profile",
             "/feed?q=water", "/turn/url-good%231/cite", "/api/turns/url-good%231/cite", "/api/documents/url-good/cite",
             # errors: 400, 404, 405 on pages and in the API
             "/?q=%22unclosed", "/document/nothing-here", "/no-such-page", "/static/nothing.css",
             "/api/search?q=%22unclosed", "/api/search?limit=0", "/api/documents/nothing-here", "/api/nothing"]
    for path in paths:
        r = client.get(path, follow_redirects=False)
        assert r.status_code < 500, (path, r.status_code)
        _assert_secured(r)
    _assert_secured(client.post("/api/search"))
    _assert_secured(client.get("/api/stats", headers={"host": "evil.example"}))       # a refused host
    monkeypatch.setattr("stenogram.api.Corpus.stats", _explode)
    _assert_secured(client.get("/api/stats"))                                          # a 500


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("secret-internal-detail: /srv/private/path")


class Panic(BaseException):
    """What native code's panics are raised as (pyo3's PanicException is a BaseException)."""


def _panic(*args: Any, **kwargs: Any) -> Any:
    raise Panic("secret-internal-detail: index out of bounds")


def test_templates_and_script_need_no_inline_script_or_style() -> None:
    """The policy allows no inline script, event handler or style: none of the templates uses one."""
    for template in sorted((WEB / "templates").glob("*.html")):
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), template.name
        assert not re.search(r"\sstyle\s*=|<style", text, re.I), template.name
        assert "javascript:" not in text.lower(), template.name
    script = (WEB / "static" / "app.js").read_text("utf-8")
    assert not re.search(r"\beval\(|new Function|innerHTML|\.on[a-z]+\s*=|setAttribute\(\s*['\"]style", script)
    assert "style=" not in (WEB / "pages.py").read_text("utf-8")                      # the SVG charts


# 3. unknown Host names are refused

def test_unknown_hosts_are_refused_in_the_error_envelope(client: TestClient) -> None:
    for host in ("127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]", "[::1]:8000"):
        assert client.get("/api/stats", headers={"host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.nip.io", "localhost.evil.example", "10.0.0.1",
                 "[::2]:80", "127.0.0.1:80:80", "[::1", "", "exa mple"):
        r = client.get("/api/stats", headers={"host": host})
        assert r.status_code == 400, host
        error = r.json()["error"]
        assert r.json()["ok"] is False and error["type"] == "bad_host" and error["status"] == 400
        assert "--allowed-host" in error["message"]
    r = client.get("/api/stats", headers={"host": "evil.example:8000"})
    assert "'evil.example'" in r.json()["error"]["message"] and "127.0.0.1" in r.json()["error"]["message"]
    page = client.get("/", headers={"host": "evil.example"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "evil.example" in page.text and "--allowed-host" in page.text
    # remembered answers are not given to a refused host either
    for path in ("/?q=water", "/api/search?q=water"):
        assert client.get(path).status_code == 200 and client.get(path).status_code == 200
        assert client.get(path, headers={"host": "evil.example"}).status_code == 400


def test_allowed_hosts_follow_the_listening_address() -> None:
    def allows(listen: str, host: str, *extra: str) -> bool:
        return TestClient(_tiny_app(allowed_hosts_for(listen, extra))).get("/ping", headers={"host": host}).is_success

    assert allows("127.0.0.1", "localhost:8000") and allows("127.0.0.1", "[::1]") and allows("::1", "127.0.0.1")
    assert not allows("127.0.0.1", "evil.example") and not allows("127.0.0.1", "192.168.1.5")
    assert allows("127.0.0.1", "corpus.example.org:8000", "corpus.example.org")
    assert allows("192.0.2.7", "192.0.2.7:8000") and not allows("192.0.2.7", "localhost")
    # on every address: any IP address (which no rebinding name can be), names only when allowed
    for listen in ("0.0.0.0", "::", ""):
        assert allows(listen, "192.0.2.7:8000") and allows(listen, "[2001:db8::1]:80") and allows(listen, "localhost")
        assert not allows(listen, "corpus.example.org") and allows(listen, "corpus.example.org", "corpus.example.org")
    assert allows("127.0.0.1", "anything.example", "*")
    with pytest.raises(stenogram.StenogramError, match="--allowed-host"):
        allowed_hosts_for("127.0.0.1", ["not a host"])


def _tiny_app(hosts: list[str]) -> Any:
    """The Host check alone, in front of one route (so that the rules are tested without a corpus)."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse

    from stenogram.web.guard import AllowedHosts, Guard

    app = Starlette(routes=[Route("/ping", lambda request: PlainTextResponse("pong"))])
    app.add_middleware(Guard, hosts=AllowedHosts(hosts),
                       render=lambda request, status, kind, message: PlainTextResponse(message, status_code=status))
    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve_command(db: Path, *args: str) -> Iterator[str]:
    """``stenogram serve`` in a process of its own; the URL once it listens."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(db), "--port", str(port),
                             *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        said: list[str] = []
        while not said or "stenogram is serving" not in said[-1]:
            said.append(proc.stderr.readline())
            assert said[-1] and len(said) < 50, said
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _get(url: str, path: str, host: str) -> int:
    """One request on a new connection (so that, with several server processes, each gets some)."""
    parts = httpx.URL(url)
    conn = http.client.HTTPConnection(parts.host, parts.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_refuses_unknown_hosts_and_answers_allowed_ones(db: Path, workers: str) -> None:
    with serve_command(db, "--workers", workers, "--allowed-host", "corpus.example.org") as url:
        port = httpx.URL(url).port
        for _ in range(8):                      # whichever process answers, the same rules
            assert _get(url, "/api/stats", f"127.0.0.1:{port}") == 200
            assert _get(url, "/api/stats", f"localhost:{port}") == 200
            assert _get(url, "/", f"corpus.example.org:{port}") == 200
            assert _get(url, "/api/stats", f"rebound.example:{port}") == 400
            assert _get(url, "/", "rebound.example") == 400


@pytest.mark.parametrize("name", ["http://x/", "[/x]", "[bold]", "a b"])
def test_serve_refuses_an_allowed_host_that_is_not_a_host(db: Path, name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(db), "--port",
                           str(_free_port()), "--allowed-host", name], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "--allowed-host" in done.stderr and "Traceback" not in done.stderr
    assert repr(name) in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# 4. an unhandled error is a 500 in the error envelope, and the connection stays open

def test_an_unhandled_error_is_a_500_on_a_connection_that_stays_open(
        db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(db)
    monkeypatch.setattr("stenogram.api.Corpus.speakers", _explode)
    monkeypatch.setattr("stenogram.api.Corpus.kwic", _panic)
    monkeypatch.setattr("stenogram.api.Corpus.trend", _explode)
    caplog.set_level(logging.ERROR, logger="stenogram.web")
    with serving(app) as url:
        parts = httpx.URL(url)
        conn = http.client.HTTPConnection(parts.host, parts.port, timeout=10)
        try:
            def get(path: str) -> tuple[int, http.client.HTTPResponse, bytes]:
                conn.request("GET", path)
                response = conn.getresponse()
                return response.status, response, response.read()

            status, _, _ = get("/api/search?q=water")
            assert status == 200
            local = conn.sock.getsockname()
            for path, kind in (("/api/speakers", "json"), ("/api/kwic?term=water", "json"), ("/trend?terms=water", "html")):
                status, response, body = get(path)
                assert status == 500, (path, body[:300])
                assert b"secret-internal-detail" not in body and b"Traceback" not in body
                if kind == "json":
                    error = httpx.Response(500, content=body).json()
                    assert error["ok"] is False and error["error"]["type"] == "internal_error"
                    assert error["error"]["status"] == 500 and "log" in error["error"]["message"]
                else:
                    assert response.getheader("content-type", "").startswith("text/html")
                    assert b"could not answer" in body
                assert response.getheader("content-security-policy")
                # the next request goes on the same connection, and is answered
                status, _, body = get("/api/search?q=water")
                assert status == 200 and b'"ok":true' in body
                status, _, body = get("/?q=water")
                assert status == 200 and b"water" in body.lower()
                assert conn.sock is not None and conn.sock.getsockname() == local, "the connection was closed"
        finally:
            conn.close()
    logged = "\n".join(r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "") for r in caplog.records)
    assert "/api/speakers" in logged and "/trend" in logged and "secret-internal-detail" in logged


def test_a_500_is_answered_even_when_the_error_page_fails(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("stenogram.api.Corpus.trend", _explode)
    monkeypatch.setattr("stenogram.web.pages.error_page", _explode)
    r = client.get("/trend", params={"terms": "water"})
    assert r.status_code == 500 and r.json()["error"]["type"] == "internal_error"
    assert "secret-internal-detail" not in r.text
    _assert_secured(r)


# 5. speakers whose names hold a "/"

def test_a_speaker_with_a_slash_in_the_name_has_working_links(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http_client:
        page = http_client.get("/document/slashed-speaker").text
        targets = {href for href, text in links(page) if text == SLASHED}
        assert targets, "no link to the speaker"
        for href in targets:
            assert href is not None
            speaker = http_client.get(href)
            assert speaker.status_code == 200, href
            assert f"<h1>{SLASHED}</h1>" in speaker.text and "3 turns" not in speaker.text and "2 turns" in speaker.text
        for path in (f"/api/speakers/{quote(SLASHED, safe='')}/profile", f"/api/speakers/{SLASHED}/profile",
                     f"/speaker/{SLASHED}"):
            r = http_client.get(path)
            assert r.status_code == 200, path
        profile = http_client.get(f"/api/speakers/{quote(SLASHED, safe='')}/profile").json()
        assert profile["ok"] and profile["speaker"] == SLASHED and profile["turns"] == 2
        assert http_client.get("/speaker/Spokesperson%2FNobody").status_code == 404


# 6. in the browser: no javascript: link, and the policy blocks an injected inline script

def _watch(page: Any) -> tuple[list[str], list[str]]:
    """Dialogs opened and policy violations reported on the page, as they happen."""
    dialogs: list[str] = []
    violations: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "(window.__violations = window.__violations || []).push(e.violatedDirective))")
    return dialogs, violations


def test_browser_shows_a_javascript_url_as_text(server: str, browser: Any) -> None:
    page = browser.new_page()
    dialogs, violations = _watch(page)
    page.goto(server + "/document/url-javascript")
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert page.evaluate("[...document.links].filter(a => a.protocol !== 'http:' && a.protocol !== 'https:').length") == 0
    shown = page.locator("span.url")
    assert "javascript:alert(3)" in shown.inner_text()
    shown.click()
    page.wait_for_timeout(300)
    assert not dialogs and page.url == server + "/document/url-javascript"
    assert not violations and not page.evaluate("window.__violations || []")
    page.close()


def test_browser_policy_blocks_an_injected_inline_script(server: str, browser: Any) -> None:
    page = browser.new_page()
    dialogs, violations = _watch(page)
    page.goto(server + "/document/url-good")
    with pytest.raises(Exception, match=r"(?i)content security policy|refused|script"):
        page.add_script_tag(content="window.__injected = 1; alert('injected')")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = "window.__injected = 2; alert('injected')";
                             document.body.appendChild(s); }""")
    page.evaluate("""() => { const b = document.createElement('button'); b.id = 'evil';
                             b.setAttribute('onclick', "window.__injected = 3; alert('injected')");
                             b.textContent = 'x'; document.body.appendChild(b); }""")
    page.click("#evil")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__injected === undefined")
    assert not dialogs
    reported = page.evaluate("window.__violations || []")
    assert any(d.startswith("script-src") for d in reported), reported
    assert any("Content Security Policy" in v for v in violations), violations
    page.close()


def test_browser_pages_work_under_the_policy(server: str, browser: Any) -> None:
    """Every page, the charts and the speaker suggestions (script from /static) run with no violation."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs, violations = _watch(page)
    page.goto(server + "/trend?terms=water,security&per=10k-words")
    assert page.locator("svg.chart polyline").count() == 2
    assert page.locator("svg.chart").bounding_box()["height"] > 100
    page.goto(server + "/speaker/Jane%20Doe")
    bars = page.locator("svg.bar rect")
    assert bars.count() >= 1 and page.locator("svg.bar").first.bounding_box()["width"] > 20
    page.goto(server + "/document/url-good")
    page.goto(server + "/docs")
    page.goto(server + "/")
    page.click("details#advanced summary")
    page.fill("input[name=speaker]", "Jane")
    deadline = time.monotonic() + 10      # (wait_for_function would evaluate a string, which the policy forbids)
    while not page.evaluate("document.querySelectorAll('#speaker-list option').length"):
        assert time.monotonic() < deadline, "no speaker suggestions"
        page.wait_for_timeout(50)
    assert "Jane Doe" in page.evaluate("[...document.querySelectorAll('#speaker-list option')].map(o => o.value)")
    assert not dialogs and not violations, violations
    assert not page.evaluate("window.__violations || []")
    page.close()


# 7. no parameter of any route gives a 500

HOSTILE_VALUES = [
    "-1", "0", "99999999999", str(2**31), str(2**63 - 1), str(2**63), str(2**64), str(-(2**63) - 1), "1e309", "-0",
    "NaN", "inf", "-inf", "0x10", "1.5", "", " ", "x" * 5000, "\x00", "a\x00b", "\x01\x1f\x7f", "\u202e\ufeff",
    "'", '"', "\\", "<script>alert(1)</script>", "..%2f..%2fetc%2fpasswd", "../../etc/passwd", "%", "%00",
    "2020-13-45", "2020-02-30", "0000-00-00", "9999-12-31", "-2020-01-01", "2020", "2020-1", "20200101", "..",
    "2020-01-01..", "..2020-01-01", "2021-01-01..2020-01-01", "2020-01-01..2020-13-01", "x..y", "true", "null",
    "*", "(", ")", "NEAR(", "speaker:", 'speaker:"', "date:2020-13-01", "🙂" * 50, "Россия", "a,b,c,d,e,f,g,h,i,j,k",
]
#: the query parameters pages read (the API's come from its routes)
PAGE_PARAMETERS = {
    "/": ["q", "speaker", "kind", "doc_kind", "source", "lang", "date_from", "date_to", "country", "person", "org",
          "edited", "documents", "sort", "offset"],
    "/trend": ["terms", "by", "per", "q"],
    "/feed": ["q", "speaker", "kind", "doc_kind", "source", "lang", "date_from", "date_to", "country", "person", "org",
              "edited", "limit"],
    "/feed/edits": ["since", "limit"],
    "/document/{document_id:path}": ["beside", "version", "q", "speaker", "kind", "doc_kind", "source", "lang",
                                     "date_from", "date_to", "country", "person", "org", "edited"],
    "/history/{document_id:path}": [],
    "/turn/{turn_id:path}": ["beside"], "/docs": [],
    "/turn/{turn_id:path}/cite": [], "/speaker/{name:path}": [],
}
#: query values that give a route's other parameters something to act on, and path values that exist
SANE_QUERY = {"q": "water", "term": "water", "terms": "water", "target": "water", "reference": "security"}
SANE_PATH = {"document_id": "url-good", "turn_id": "url-good#1", "speaker": "Jane Doe", "name": "Jane Doe"}


def _routes(app: Any) -> list[tuple[str, list[str], list[str], set[str]]]:
    """Every GET route of the API and the pages: its path, path parameters, query parameters and the
    required ones (the pages read theirs from the request: PAGE_PARAMETERS names them)."""
    from stenogram.web.api import router as api_router
    from stenogram.web.pages import router as pages_router

    found = []
    for route in [*api_router.routes, *pages_router.routes]:
        assert isinstance(route, APIRoute) and route.methods == {"GET"}, route
        path_params = list(route.param_convertors)
        if route.path.startswith("/api"):
            query = [p.alias for p in route.dependant.query_params]
            required = {p.alias for p in route.dependant.query_params if p.field_info.is_required()}
        else:
            assert route.path in PAGE_PARAMETERS, f"add the page {route.path} to PAGE_PARAMETERS"
            query, required = PAGE_PARAMETERS[route.path], set()
        found.append((route.path, path_params, query, required))
    documented = {path for path in app.openapi()["paths"]}
    assert documented <= {re.sub(r":\w+\}", "}", path) for path, *_ in found}, "a route the test does not know"
    return [*found, ("/openapi.json", [], [], set())]


def _target(path: str, values: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        return quote(values[match.group(1)], safe="")
    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, path)


def test_no_parameter_of_any_route_gives_a_500(db: Path) -> None:
    """Each parameter of each route on its own with every hostile value, then random mixtures, against
    ``stenogram serve`` in a process of its own (a request that brought it down fails the test, not the run)."""
    routes = _routes(create_app(db))
    assert {p for p, *_ in routes} >= {"/", "/trend", "/api/search", "/api/trend", "/api/kwic", "/api/keyness",
                                      "/api/comentions", "/api/speakers", "/api/speakers/{speaker:path}/profile",
                                      "/feed", "/api/turns/{turn_id:path}/cite", "/api/documents/{document_id:path}/cite"}
    rng = random.Random(17)
    failures: list[str] = []
    started = time.monotonic()
    sent = 0
    statuses: Counter[int] = Counter()
    with serve_command(db) as url, httpx.Client(base_url=url, timeout=30) as http_client:
        def check(path: str, params: list[tuple[str, str]]) -> None:
            nonlocal sent
            target = path + ("?" + urlencode(params) if params else "")
            try:
                r = http_client.get(target)
            except httpx.HTTPError as exc:
                failures.append(f"{target[:300]}: {exc!r} (did the server stop?)")
                return
            sent += 1
            statuses[r.status_code] += 1
            if r.status_code >= 500 and r.status_code != 503:
                failures.append(f"{target[:300]}: {r.status_code} {r.text[:300]}")
            elif path.startswith("/api") and r.status_code >= 400:
                body = r.json()
                if body.get("ok") is not False or body["error"]["status"] != r.status_code:
                    failures.append(f"{target[:300]}: not the error envelope: {r.text[:200]}")

        for path, path_params, query, required in routes:
            base = {name: SANE_PATH[name] for name in path_params}
            sane = [(name, SANE_QUERY[name]) for name in query if name in SANE_QUERY]
            for name in path_params:
                for value in HOSTILE_VALUES:
                    check(_target(path, {**base, name: value}), sane)
            for name in query:
                for value in HOSTILE_VALUES:
                    check(_target(path, base), [p for p in sane if p[0] != name] + [(name, value)])
            for _ in range(15):   # everything hostile at once
                mixed = [(name, rng.choice(HOSTILE_VALUES)) for name in query if rng.random() < 0.6 or name in required]
                check(_target(path, {n: rng.choice(HOSTILE_VALUES) for n in path_params}), mixed)
            assert time.monotonic() - started < 120, "the fuzzing takes too long"
    assert sent > 1000 and statuses[200] > 300 and statuses[400] > 100, statuses
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
