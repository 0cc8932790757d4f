"""The web interface: the JSON API in-process and on a real uvicorn server on 127.0.0.1, and the pages
in headless Chromium (Playwright driving Debian's /usr/bin/chromium), with screenshots."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

import stenogram
from stenogram.store import Store
from stenogram.web import create_app
from tests.golden import FIXTURES, fixture_names

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts" / "web"


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    with stenogram.open(path) as corpus:
        assert corpus.ingest([str(FIXTURES), str(HERE / "fixtures" / "web")]).ok
    return path


@pytest.fixture(scope="module")
def client(corpus_path: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(create_app(corpus_path)) as c:
        yield c


@pytest.fixture(scope="module")
def server(corpus_path: Path) -> Iterator[str]:
    with serving(corpus_path) as url:
        yield url


@contextmanager
def serving(corpus_path: Path) -> Iterator[str]:
    """A real uvicorn server on 127.0.0.1 over the corpus, in a thread, for the block's duration."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(create_app(corpus_path), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def envelope(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and set(body["error"]) >= {"status", "type", "message"}
    assert body["error"]["status"] == status and body["error"]["type"] == kind
    return body["error"]  # type: ignore[no-any-return]


def test_search_api(client: Any) -> None:
    r = client.get("/api/search", params={"q": "Iraq", "speaker": "Lavrov", "facets": "true", "with_question": "true"})
    body = r.json()
    assert r.status_code == 200 and body["ok"] and body["total"] >= 5
    assert all(h["speaker"] == "Sergey Lavrov" for h in body["hits"])
    assert "[Iraq]" in body["hits"][0]["snippet"] or "[Iraq" in " ".join(h["snippet"] for h in body["hits"])
    assert dict(map(tuple, body["facets"]["speaker"]))["Sergey Lavrov"] == body["total"]
    answer = next(h for h in body["hits"] if h["kind"] == "answer")
    assert answer["question"]["kind"] == "question"


@pytest.mark.parametrize("params", [
    {"q": "Iraq", "speaker": "Lavrov", "facets": "true", "with_question": "true"},
    {"q": "", "sort": "-date", "limit": "3", "offset": "2"},
    {"q": "Россия", "documents": "true"},
    {"q": "xanadoo"},
])
def test_search_answers_are_what_the_model_declares(client: Any, params: dict[str, str]) -> None:
    """The search endpoint writes its JSON directly: it must be exactly what its declared model gives."""
    from stenogram.web.api import SearchResponse

    r = client.get("/api/search", params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    model = SearchResponse.model_validate_json(r.content)
    assert json.loads(model.model_dump_json()) == r.json()


def test_pagination_is_stable(client: Any) -> None:
    full = client.get("/api/search", params={"q": "the", "limit": 100}).json()
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/api/search", params={"q": "the", "limit": 7, "offset": offset}).json()
        seen.extend(h["turn_id"] for h in page["hits"])
        offset = page["next_offset"]
    assert seen[:100] == [h["turn_id"] for h in full["hits"]]
    assert len(set(seen)) == len(seen) == full["total"] > 100


def test_documents_turns_versions_stats_speakers(client: Any) -> None:
    hit = client.get("/api/search", params={"q": "Kurdistan"}).json()["hits"][0]
    doc = client.get(f"/api/documents/{hit['document_id']}").json()["document"]
    assert doc["schema"] == "stenogram/document@1" and len(doc["turns"]) == 7
    turn = client.get("/api/turns/" + hit["turn_id"].replace("#", "%23")).json()
    assert turn["turn"]["kind"] == "question" and turn["answers"][0]["reply_to"] == turn["turn"]["index"]
    answer = client.get("/api/turns/" + hit["document_id"] + "%23" + str(turn["answers"][0]["index"])).json()
    assert answer["question"]["text"].startswith("Apart from strengthening")
    versions = client.get(f"/api/documents/{hit['document_id']}/versions").json()
    assert versions["versions_offered"] == ["de", "en", "es", "fr", "ru"]
    stats = client.get("/api/stats").json()
    assert stats["documents"] == len(list(FIXTURES.glob("*.txt"))) + 1
    speakers = client.get("/api/speakers", params={"prefix": "Lav"}).json()["speakers"]
    assert speakers[0]["name"] == "Sergey Lavrov"


def test_analysis_endpoints(client: Any, corpus_path: Path) -> None:
    """Each endpoint answers what its analysis computes (the analyses' own values are checked in test_analyze.py)."""
    from dataclasses import asdict

    from stenogram.analyze.comentions import comentions
    from stenogram.analyze.keyness import keyness
    from stenogram.analyze.kwic import kwic
    from stenogram.analyze.profile import speaker_profile
    from stenogram.analyze.trend import trend

    def plain(value: Any) -> Any:
        return json.loads(json.dumps(value))

    store = Store(str(corpus_path), read_only=True)
    try:
        got = client.get("/api/trend", params={"terms": ["Iraq", "Syria"], "per": "10k-words"}).json()
        want = trend(store, ["Iraq", "Syria"], per="10k-words")
        assert got["periods"] == want.periods and got["points"] == plain([asdict(p) for p in want.points])
        assert sum(p["count"] for p in got["points"]) > 0
        lines = client.get("/api/kwic", params={"term": "Iraq", "limit": 5}).json()["lines"]
        assert len(lines) == 5 and lines == plain([asdict(ln) for ln in kwic(store, "Iraq", limit=5)])
        pairs = client.get("/api/comentions").json()["pairs"]
        assert pairs and pairs == plain([asdict(p) for p in comentions(store)])
        terms = client.get("/api/keyness", params={"target": "speaker:Lavrov", "reference": "speaker:Zakharova"}).json()["terms"]
        assert terms and terms == plain([asdict(t) for t in keyness(store, "speaker:Lavrov", "speaker:Zakharova")])
        profile = client.get("/api/speakers/Sergey Lavrov/profile").json()
        assert profile["turns"] >= 20 and {k: v for k, v in profile.items() if k != "ok"} == plain(
            asdict(speaker_profile(store, "Sergey Lavrov")))
    finally:
        store.close()


def test_one_error_envelope(client: Any) -> None:
    err = envelope(client.get("/api/search", params={"q": 'Iraq speaker:"Sergey'}), 400, "query_syntax")
    assert err["column"] == 14 and "unclosed quote at column 14" in err["message"]
    err = envelope(client.get("/api/search", params={"q": "speeker:x"}), 400, "unknown_field")
    assert "speaker" in err["fields"]
    envelope(client.get("/api/documents/no-such-id"), 404, "not_found")
    envelope(client.get("/api/turns/no-such-id%230"), 404, "not_found")
    envelope(client.get("/api/search", params={"limit": 1000}), 400, "bad_request")
    envelope(client.get("/api/search", params={"q": "x" * 1500}), 400, "bad_request")
    envelope(client.get("/api/nothing-here"), 404, "not_found")
    envelope(client.get("/api/kwic"), 400, "bad_request")


@pytest.mark.parametrize("query", [
    " OR ".join(f"word{i}" for i in range(500)),
    "*",
    " ".join(f"w{i}" for i in range(300)),
    "(" * 300 + "Iraq" + ")" * 300,
    "NEAR(" + " ".join(["a"] * 150) + ", 100)",
])
def test_pathological_queries_are_refused_or_bounded(client: Any, query: str) -> None:
    start = time.monotonic()
    r = client.get("/api/search", params={"q": query[:1000]})
    assert r.status_code in (200, 400, 503)
    assert time.monotonic() - start < 10


def test_a_runaway_statement_is_stopped(corpus_path: Path) -> None:
    store = Store(corpus_path, read_only=True)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"), store.deadline(0.2):
        store.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")


def test_openapi_matches_reality(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    samples = {"q": "Iraq", "term": "Iraq", "terms": "Iraq", "target": "speaker:Lavrov", "reference": "speaker:Zakharova"}
    hit = client.get("/api/search", params={"q": "Kurdistan"}).json()["hits"][0]
    path_values = {"document_id": hit["document_id"], "turn_id": hit["turn_id"].replace("#", "%23"),
                   "speaker": "Sergey Lavrov"}
    for path, methods in spec["paths"].items():
        op = methods["get"]
        url = path
        for name, value in path_values.items():
            url = url.replace("{" + name + "}", value)
        params = {p["name"]: samples[p["name"]] for p in op.get("parameters", []) if p.get("required") and p["in"] == "query"}
        r = client.get(url, params=params)
        assert str(r.status_code) in op["responses"], (path, r.status_code)
        assert r.json()["ok"] is True, path
        missing = {p["name"] for p in op.get("parameters", []) if p.get("required") and p["in"] == "query"}
        if missing:
            envelope(client.get(url), 400, "bad_request")


def test_pages_escape_document_text(client: Any) -> None:
    hit = client.get("/api/search", params={"q": "alert"}).json()["hits"][0]
    html = client.get(f"/document/{hit['document_id']}").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    page = client.get("/", params={"q": "alert"}).text
    assert "<script>alert" not in page
    assert client.get("/document/missing").status_code == 404
    assert "unclosed quote" in client.get("/", params={"q": '"open'}).text


def test_real_server_answers_while_an_ingest_writes(tmp_path: Path) -> None:
    """On a corpus of its own: the documents it adds would change what the other tests of this module count."""
    corpus_path = tmp_path / "growing.db"
    with stenogram.open(corpus_path) as corpus:
        assert corpus.ingest([str(FIXTURES)]).ok
    with serving(corpus_path) as server:
        _answer_while_ingesting(server, corpus_path, tmp_path)


def _answer_while_ingesting(server: str, corpus_path: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(HERE.parent / "bench"))
    from generate import documents

    folder = tmp_path / "more"
    folder.mkdir()
    for name, text in documents(300, seed=5, size=5000):
        (folder / name).write_text(text, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "ingest", str(folder), "--db", str(corpus_path), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    statuses = []
    with httpx.Client(base_url=server, timeout=30) as http:
        while proc.poll() is None:
            statuses.append(http.get("/api/search", params={"q": "cooperation", "facets": "true"}).status_code)
            statuses.append(http.get("/").status_code)
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        assert statuses and all(s == 200 for s in statuses), statuses
        assert http.get("/api/stats").json()["documents"] >= 300


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_browser_search_filter_facet_document_permalink(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    external: list[str] = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(server) else None)
    page.goto(server + "/")
    page.fill("#q", "Iraq")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.hits li")
    shot(page, "1-search")
    # Advanced settings: speaker and date
    page.click("details#advanced summary")
    page.fill("input[name=speaker]", "Sergey Lavrov")
    page.fill("input[name=date_from]", "2020-01-01")
    page.fill("input[name=date_to]", "2020-12-31")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.hits li")
    assert "speaker=Sergey+Lavrov" in page.url and "date_from=2020-01-01" in page.url
    speakers = page.locator("ol.hits .who").all_inner_texts()
    assert speakers and set(speakers) == {"Sergey Lavrov"}
    dates = page.locator("ol.hits time").evaluate_all("times => times.map(t => t.dateTime)")
    assert dates and all(d.startswith("2020") for d in dates)
    shot(page, "2-advanced-settings")
    # a facet narrows the search
    total_before = int(page.locator("p.count strong").inner_text())
    page.locator("a.facet[data-facet=kind]", has_text="answer").first.click()
    page.wait_for_selector("p.count")
    assert "kind=answer" in page.url
    assert int(page.locator("p.count strong").inner_text()) < total_before
    assert set(page.locator("ol.hits .meta .badge").all_text_contents()) == {"answer"}
    shot(page, "3-facet")
    # open a document from a hit; follow a question to its answer
    page.locator("ol.hits a.title").first.click()
    page.wait_for_selector("ol.conversation")
    question = page.locator("li.turn.kind-question").first
    question.locator("a.answer-link").first.click()
    target = page.evaluate("location.hash")
    assert page.locator(f"li{target}.kind-answer").count() == 1
    shot(page, "4-document")
    # a turn permalink opens the document at that turn, focused
    turn_id = page.evaluate("location.pathname").split("/document/")[1] + "#2"
    page.goto(server + "/turn/" + turn_id.replace("#", "%23"))
    page.wait_for_selector("li#t2")
    assert page.evaluate("location.hash") == "#t2"
    assert page.evaluate("document.activeElement.id") == "t2"
    shot(page, "5-permalink")
    assert not external, external


def test_browser_speaker_trend_phone_and_keyboard(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/speaker/Sergey%20Lavrov")
    assert "turns" in page.locator("main").inner_text()
    shot(page, "6-speaker-phone")
    page.goto(server + "/trend?terms=Iraq,Syria&per=10k-words")
    assert page.locator("svg.chart polyline").count() == 2
    shot(page, "7-trend-phone")
    page.goto(server + "/?q=cooperation")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "the page should not scroll sideways on a phone"
    # keyboard: Tab reaches the query box and the search button, Enter submits
    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(server + "/")
    focused = [desktop.evaluate("document.activeElement.tagName + '#' + document.activeElement.id")]
    for _ in range(8):
        desktop.keyboard.press("Tab")
        focused.append(desktop.evaluate("document.activeElement.tagName + '#' + document.activeElement.id"))
    assert focused[0] == "INPUT#q" and "BUTTON#" in focused and "SUMMARY#" in focused
    desktop.focus("#q")
    desktop.keyboard.type("Syria")
    desktop.keyboard.press("Enter")
    desktop.wait_for_selector("ol.hits li")
    shot(desktop, "8-keyboard-search")
    # the XSS fixture renders as text in the browser too
    desktop.goto(server + "/?q=alert")
    desktop.locator("ol.hits a.title").first.click()
    desktop.wait_for_selector("ol.conversation")
    assert "<script>alert(\"xss\")</script>" in desktop.locator("li#t0").inner_text()
    assert desktop.evaluate("document.querySelectorAll('main img').length") == 0


def test_remembered_answers_are_never_stale(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from stenogram.api import parse_file

    db = tmp_path / "c.db"
    names = fixture_names()
    with stenogram.open(db) as corpus:
        corpus.ingest([str(FIXTURES / f"{names[0]}.txt")])
    with TestClient(create_app(db)) as c:
        first = c.get("/api/search", params={"q": ""}).json()
        assert c.get("/api/search", params={"q": ""}).json() == first          # the same answer, remembered
        assert c.app.state.results.hits >= 1                                    # type: ignore[attr-defined]
        page, again = c.get("/", params={"q": "Iraq"}), c.get("/", params={"q": "Iraq"})
        assert again.content == page.content and again.headers["content-type"] == page.headers["content-type"]
        assert again.headers["content-type"].startswith("text/html")
        hits = c.app.state.results.hits                                         # type: ignore[attr-defined]
        for _ in range(2):                                                      # failures are not remembered
            assert c.get("/api/search", params={"q": '"unclosed'}).status_code == 400
        assert c.app.state.results.hits == hits                                 # type: ignore[attr-defined]
        with stenogram.open(db) as corpus:                                     # another writer adds a document
            added = parse_file(str(FIXTURES / f"{names[1]}.txt"))
            corpus.add(added)
        after = c.get("/api/search", params={"q": ""}).json()
        assert after["total"] == first["total"] + len(added.turns)


def test_serve_command_with_two_worker_processes(corpus_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(corpus_path),
                             "--port", str(port), "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(url + "/api/stats", timeout=5).json()
                break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        with stenogram.open(corpus_path, read_only=True) as corpus:
            assert stats["documents"] == corpus.store.count("documents")
            expected = corpus.search("Iraq").total
        for _ in range(6):                      # whichever process answers, the same answer
            body = httpx.get(url + "/api/search", params={"q": "Iraq"}, timeout=10).json()
            assert body["ok"] and body["total"] == expected
        assert httpx.get(url + "/api/search", params={"q": '"unclosed'}, timeout=10).status_code == 400
        # a second server on the same port is refused, not let into the first one's group of processes
        second = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(corpus_path),
                                 "--port", str(port), "--workers", "2"], capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and "already in use" in second.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # stopping the supervisor stopped every server process: nothing listens on the port any more
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5)


def _server_processes(parent: int) -> list[int]:
    """The server processes `serve --workers` started (its children, less multiprocessing's helper)."""
    found = []
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        with suppress(OSError):
            line = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in line and b"resource_tracker" not in line:
                found.append(int(child))
    return found


def test_serve_starts_again_a_process_that_dies(corpus_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(corpus_path),
                             "--port", str(port), "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stderr is not None
        said = [proc.stderr.readline() for _ in range(1)]
        while "stenogram is serving" not in said[-1]:                # said once both processes listen
            said.append(proc.stderr.readline())
            assert said[-1] and len(said) < 50, said
        first = _server_processes(proc.pid)
        assert len(first) == 2
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not (len(now := _server_processes(proc.pid)) == 2 and first[0] not in now):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        for _ in range(6):
            assert httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=10).json()["ok"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0


def test_serve_says_when_the_turn_index_is_not_in_step(corpus_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"           # the file alone: no turn index beside it
    with sqlite3.connect(corpus_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(copy),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert "stenogram reindex" in done.stderr and "slower index" in done.stderr
    assert done.returncode == 1 and "already in use" in done.stderr
    assert not (tmp_path / "copy.db.index").exists()          # the server, a reader, made none


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_port_in_use_says_so(corpus_path: Path, workers: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(corpus_path),
                               "--port", str(port), "--workers", workers], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in done.stderr and "--port" in done.stderr
    assert "serving" not in done.stderr
