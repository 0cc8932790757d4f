"""`stenogram crawl` end to end: a real HTTP server on 127.0.0.1 serving a fixture site in mid.ru's layout
(tests/test_crawl.py), crawled into a corpus with linked language versions, then reparsed offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import stenogram
from tests import test_crawl
from tests.test_crawl import RU_OF, FixtureSite

server = test_crawl.server   # the fixture site's real HTTP server, shared with tests/test_crawl.py


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], capture_output=True, timeout=300)


def test_crawl_builds_a_corpus_with_linked_versions(server: tuple[str, FixtureSite], tmp_path: Path) -> None:
    base, site = server
    site.reset()
    db = tmp_path / "crawl.db"
    result = run("crawl", "mid.ru", "--base-url", base, "--lang", "en,ru", "--rate", "50", "--db", str(db), "-q")
    stderr = result.stderr.decode()
    # the fixture has a 404, a page too large to be a transcript and a redirect to another host: reported, exit 1
    assert result.returncode == 1, stderr
    assert "failed" in stderr and "Traceback" not in stderr
    assert not any(h.path.startswith("/en/foreign_policy/news/1000013/") for h in site.hits)   # robots.txt
    with stenogram.open(db) as corpus:
        ids = {r[0] for r in corpus.store.query("SELECT id FROM documents")}
        for n in (1000010, 1000009, 1000008, 1000007, 1000002, 1000001):
            assert f"mid.ru:{n}:en" in ids, n
        for en, ru in RU_OF.items():
            assert f"mid.ru:{ru}:ru" in ids
            assert corpus.versions(f"mid.ru:{en}:en") == [(f"mid.ru:{ru}:ru", "ru")]
        doc = corpus.document("mid.ru:2000010:ru")   # served in cp1251
        assert doc.turns[1].speaker == "Сергей Лавров" and doc.language == "ru"
        hits = corpus.search("Results", in_language="ru").hits
        assert any(h.version == "mid.ru:2000010:ru" for h in hits)
        documents = corpus.store.count("documents")
    shown = run("show", "mid.ru:1000010:en", "--db", str(db))
    assert b"other language versions: ru (mid.ru:2000010:ru)" in shown.stdout
    # a second run fetches nothing it already has
    site.reset()
    again = run("crawl", "mid.ru", "--base-url", base, "--lang", "en,ru", "--rate", "50", "--db", str(db), "-q")
    assert again.returncode == 1 and b"Traceback" not in again.stderr   # the fixture's broken items fail again
    items = [h.path for h in site.hits if "/news/1" in h.path or "/news/2" in h.path]
    assert "/en/foreign_policy/news/1000010/" not in items
    # reparse: the same corpus from the snapshots, without the network
    # (one document is deleted first: the reparse must bring it back from its snapshot, under its site's id)
    with stenogram.open(db) as corpus:
        corpus.store.delete("mid.ru:1000009:en")
        assert corpus.store.count("documents") == documents - 1
    site.reset()
    reparsed = run("reparse", "--db", str(db))
    assert reparsed.returncode == 0 and not site.hits
    assert f"1 added, 0 updated, {documents - 1} unchanged".encode() in reparsed.stderr, reparsed.stderr
    with stenogram.open(db) as corpus:
        assert corpus.store.count("documents") == documents
        assert corpus.document("mid.ru:1000009:en").turns
    exported = run("export", "--format", "jsonl", "--out", str(tmp_path / "c.jsonl"), "--db", str(db))
    assert exported.returncode == 0
    sources = [(json.loads(line)["id"], json.loads(line)["source"]) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert all(source == "mid.ru" for _, source in sources), sources
    assert len(sources) == documents


def test_crawl_bad_options(tmp_path: Path) -> None:
    bad = run("crawl", "nosuch.site", "--db", str(tmp_path / "x.db"))
    assert bad.returncode == 1 and b"Traceback" not in bad.stderr
    bad = run("crawl", "mid.ru", "--since", "yesterday", "--db", str(tmp_path / "x.db"))
    assert bad.returncode == 2 and b"YYYY-MM-DD" in bad.stderr
