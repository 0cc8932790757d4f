"""A small site in mid.ru's layout whose pages change between two crawls, served on 127.0.0.1: the record of
edits is tested against it (tests/test_edits.py, tests/test_web_edits.py).

Between the first state and the second:
- item 1 (the edited answer): a sentence is taken out of the minister's answer;
- item 2: the second question is taken out (its answer stays);
- item 3: the title is corrected (a misspelt city);
- item 4: the page is withdrawn (404);
- item 5: only the page's menu changes (not a new version);
- item 6: nothing changes (a conditional request is answered 304).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

ITEMS = (1000001, 1000002, 1000003, 1000004, 1000005, 1000006)
EDITED_ANSWER = 1000001
QUESTION_REMOVED = 1000002
TITLE_CORRECTED = 1000003
WITHDRAWN = 1000004
MENU_ONLY = 1000005
UNCHANGED = 1000006
#: the sentence taken out of item 1's answer
REMOVED_SENTENCE = "The sanctions against Iraq must be lifted without conditions."
#: the question taken out of item 2
REMOVED_QUESTION = "Will Russia supply weapons to the region?"


def listed(n: int) -> dt.date:
    """The day an item is listed (the newest first, all within the last week)."""
    return dt.date.today() - dt.timedelta(days=ITEMS.index(n))


def item_path(n: int) -> str:
    return f"/en/foreign_policy/news/{n}/"


def doc_id(n: int) -> str:
    return f"mid.ru:{n}:en"


def _turns(n: int, state: int) -> list[str]:
    if n == EDITED_ANSWER:
        answer = ("Sergey Lavrov: We expect results from the talks with Fuad Hussein. We will discuss oil, trade "
                  "and security in the region. " + (REMOVED_SENTENCE + " " if state == 1 else "")
                  + "Our cooperation with Baghdad will continue.")
        return ["Question: What do you expect from the talks with Iraq?", answer]
    if n == QUESTION_REMOVED:
        turns = ["Question: How do you assess the situation in Syria?",
                 "Sergey Lavrov: The situation in Syria is stabilising, and the Astana format is working."]
        if state == 1:
            turns.append(f"Question: {REMOVED_QUESTION}")
        turns.append("Sergey Lavrov: We act within international law and our agreements with Damascus.")
        return turns
    return [f"Question: What is on the agenda of meeting number {n}?",
            f"Sergey Lavrov: The agenda of meeting {n} covers trade with Iraq, energy and the situation in Syria."]


def title(n: int, state: int) -> str:
    city = "Moscw" if n == TITLE_CORRECTED and state == 1 else "Moscow"
    day = listed(n)
    return (f"Foreign Minister Sergey Lavrov’s remarks and answers to media questions, item {n}, {city}, "
            f"{day.strftime('%B')} {day.day}, {day.year}")


def item_html(n: int, state: int) -> str:
    menu = "About the Ministry" if not (n == MENU_ONLY and state == 2) else "The Ministry · Contacts · Press service"
    body = "".join(f"<p>{t}</p>" for t in _turns(n, state))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Item {n}</title></head><body>
<header><nav><a href="/en/">Home</a> <a href="/en/about/">{menu}</a></nav></header>
<h1>{title(n, state)}</h1>
<div class="text">{body}</div></body></html>"""


def listing_html(state: int) -> str:
    entries = []
    for n in ITEMS:
        if n == WITHDRAWN and state == 2:
            pass                                # a withdrawn page is still listed on some sites; here it is
        day = listed(n)
        entries.append(f"""<div class="announce__item">
  <div class="announce__meta"><span class="announce__date">{day.strftime('%d.%m.%Y')}</span>
  <span class="announce__time">16:19</span></div>
  <a class="announce__link" href="{item_path(n)}">Remarks, item {n}</a></div>""")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body>
<div class="announce announce_articles">{"".join(entries)}</div></body></html>"""


@dataclass
class EditSite:
    """The site's state (1, then 2 after the edits) and what it was asked."""

    state: int = 1
    hits: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: seconds to wait before answering an item page (to kill a crawl in the middle)
    delay: float = 0.0

    def answer(self, target: str, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        path = urlsplit(target).path
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow:\n"
        if path == "/en/foreign_policy/news/":
            if "PAGEN_1=" in target and not target.endswith("PAGEN_1=1"):
                return 404, {"Content-Type": "text/plain"}, b"Not Found"
            return self._page(listing_html(self.state), if_none_match)
        for n in ITEMS:
            if path == item_path(n):
                if n == WITHDRAWN and self.state == 2:
                    return 404, {"Content-Type": "text/plain"}, b"Not Found"
                if self.delay:
                    import time
                    time.sleep(self.delay)
                return self._page(item_html(n, self.state), if_none_match)
        return 404, {"Content-Type": "text/plain"}, b"Not Found"

    @staticmethod
    def _page(html: str, if_none_match: str | None) -> tuple[int, dict[str, str], bytes]:
        raw = html.encode()
        etag = '"' + hashlib.sha1(raw).hexdigest()[:16] + '"'
        if if_none_match == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag}, raw

    def item_statuses(self) -> dict[int, list[int]]:
        """The statuses each item page was answered with, in order."""
        out: dict[int, list[int]] = {n: [] for n in ITEMS}
        for path, status in self.hits:
            for n in ITEMS:
                if path == item_path(n):
                    out[n].append(status)
        return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        status, headers, body = site.answer(self.path, self.headers.get("If-None-Match"))
        with site.lock:
            site.hits.append((urlsplit(self.path).path, status))
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: EditSite


@contextmanager
def serving() -> Iterator[tuple[str, EditSite]]:
    """The site on a free port of 127.0.0.1: its base URL and its state."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.site = EditSite()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.site
    finally:
        httpd.shutdown()
        httpd.server_close()
