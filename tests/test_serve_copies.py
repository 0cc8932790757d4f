"""Serving copies of a corpus (``stenogram serve --read-only``): several servers, each on its own copy of
the file and its index folder (as behind a load balancer), answer the same queries with the same JSON;
a copy on a file system it cannot write is served without writing anything; a copy whose turn index is
behind says so and answers from the file's own index. Real ``stenogram serve`` processes on 127.0.0.1."""

from __future__ import annotations

import ctypes
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import stenogram

EXAMPLES = Path(__file__).parent.parent / "examples"
#: the one example left out of the first ingest, so that an index folder saved then is behind the file
LATER = "un.org-en-2023-noon-briefing.txt"
#: queries both copies answer: searches with filters and facets, a document, a turn, trends, an analysis
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("/api/search", {"q": "Iraq", "facets": "true"}),
    ("/api/search", {"q": "cooperation", "speaker": "Lavrov", "date": "2020..", "facets": "true", "limit": "50"}),
    ("/api/search", {"q": "", "kind": "answer", "country": "IQ", "sort": "-date", "facets": "true"}),
    ("/api/search", {"q": "sanctions OR security", "lang": "en", "documents": "true", "with_question": "true"}),
    ("/api/search", {"q": "Iraq", "in_language": "ru", "limit": "5"}),
    ("/api/speakers", {"limit": "50"}),
    ("/api/trend", {"terms": ["Iraq", "Syria", "country:US"], "per": "turns"}),
    ("/api/kwic", {"term": "Iraq", "limit": "20"}),
    ("/api/comentions", {"type": "country"}),
    ("/api/speakers/Sergey Lavrov/profile", {}),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The examples corpus (file and index folder), and its index folder as it was one document earlier."""
    root = tmp_path_factory.mktemp("copies")
    db = root / "original" / "stenogram.db"
    db.parent.mkdir()
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(p) for p in sorted(EXAMPLES.glob("*.txt")) if p.name != LATER]).ok
    shutil.copytree(Path(f"{db}.index"), root / "earlier.index")
    with stenogram.open(db) as corpus:
        assert corpus.ingest([str(EXAMPLES / LATER)]).ok
    assert not Path(f"{db}-wal").exists(), "closing the writer folds the log into the file"
    return {"db": db, "earlier_index": root / "earlier.index", "root": root}


def copy_corpus(db: Path, to: Path, *, index: Path | None = None) -> Path:
    """A copy of the corpus file and its index folder (``index``: another index folder instead) in ``to``."""
    to.mkdir(parents=True)
    shutil.copy2(db, to / db.name)
    shutil.copytree(index or Path(f"{db}.index"), to / f"{db.name}.index")
    return to / db.name


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder``: its size and modification time (to see that nothing was written)."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(db: Path, *extra: str, preexec: Callable[[], None] | None = None) -> Iterator[tuple[str, list[str]]]:
    """``stenogram serve --read-only`` on ``db`` in a process of its own; yields its URL and its stderr lines
    so far (read once it listens)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(db), "--port", str(port), "--read-only",
         *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=preexec, cwd=db.parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"the server stopped: {proc.stderr.read() if proc.stderr else ''}"
            try:
                if httpx.get(url + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.1)
        lines: list[str] = []
        assert proc.stderr is not None
        while not any("is serving" in line for line in lines):
            lines.append(proc.stderr.readline())
        yield url, lines
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def answers(url: str) -> list[Any]:
    """The JSON answers to QUERIES, to a document and to one of its turns, and the search page's HTML."""
    with httpx.Client(base_url=url, timeout=30) as http:
        got: list[Any] = []
        for path, params in QUERIES:
            r = http.get(path, params=params)
            assert r.status_code == 200, (path, r.text)
            got.append(r.json())
        first = got[0]["hits"][0]
        for path in (f"/api/documents/{first['document_id']}", f"/api/turns/{quote(first['turn_id'], safe=':')}"):
            r = http.get(path)
            assert r.status_code == 200, r.text
            got.append(r.json())
        stats = http.get("/api/stats").json()
        got.append({k: v for k, v in stats.items() if k not in ("path", "bytes", "free_bytes")})
        page = http.get("/", params={"q": "Iraq", "kind": "answer"})
        assert page.status_code == 200
        got.append(page.text)
    return got


@pytest.fixture(scope="module")
def reference(built: dict[str, Path]) -> list[Any]:
    """The answers of a server on one copy of the corpus (which it leaves as it was)."""
    one = copy_corpus(built["db"], built["root"] / "one")
    before = listing(one.parent)
    with serve(one) as (url, err):
        assert not any("note:" in line for line in err), err      # its turn index is in step
        got = answers(url)
    assert listing(one.parent) == before
    return got


def test_two_servers_on_two_copies_answer_alike(built: dict[str, Path], reference: list[Any], tmp_path: Path) -> None:
    two = copy_corpus(built["db"], tmp_path / "two")
    before = listing(two.parent)
    with serve(two, "--workers", "2") as (url, err):
        assert not any("note:" in line for line in err), err
        second = answers(url)
    assert reference[0]["total"] > 0 and reference[1]["total"] > 0 and reference[2]["total"] > 0
    assert reference[0]["facets"] and reference[6]["points"]
    for query, a, b in zip([*QUERIES, "document", "turn", "stats", "page"], reference, second, strict=True):
        assert a == b, query
    # nothing written into the copy: no -wal or -shm file beside the corpus, nothing new in its index folder
    assert listing(two.parent) == before
    assert not Path(f"{two}-wal").exists() and not Path(f"{two}-shm").exists()


def _without_privileges() -> tuple[Callable[[], None], str]:
    """How to start a process that file permissions really apply to: as the user nobody when its Python can
    run as nobody, else (the interpreter in a folder only root reads, as under pyenv in /root) as root
    without any capability, so that a file's mode bits bind it as they bind its owner."""
    def as_nobody() -> None:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

    if os.geteuid() != 0:
        return (lambda: None), "not root"
    try:
        probe = subprocess.run([sys.executable, "-c", "import stenogram.cli.main"], preexec_fn=as_nobody,
                               capture_output=True, cwd="/", timeout=60)
        if probe.returncode == 0:
            return as_nobody, "nobody"
    except OSError:
        pass                # nobody cannot even start the interpreter
    libc = ctypes.CDLL(None, use_errno=True)
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())

    def no_capabilities() -> None:
        # emptying the bounding set: a program root then runs gets no capability (PR_CAPBSET_DROP = 24)
        for cap in range(last + 1):
            if libc.prctl(24, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return no_capabilities, "root without capabilities"


def test_a_copy_on_a_read_only_file_system(built: dict[str, Path], reference: list[Any], tmp_path: Path) -> None:
    frozen = copy_corpus(built["db"], tmp_path / "frozen")
    preexec, who = _without_privileges()
    if who == "nobody":
        for p in [tmp_path, *tmp_path.parents]:   # the way in must be open to nobody
            if p != Path("/"):
                p.chmod(p.stat().st_mode | 0o005)
    for p in [frozen.parent, *frozen.parent.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    before = listing(frozen.parent)
    try:
        with serve(frozen, preexec=preexec) as (url, err):
            # the server really cannot write here: it is nobody, or root without the capability to override modes
            pid = _server_pid(url)
            status = Path(f"/proc/{pid}/status").read_text()
            assert "CapEff:\t0000000000000000" in status or who == "not root", status
            assert not any("note:" in line for line in err), err   # its turn index opened, read-only
            served = answers(url)
        assert served == reference
        # no file written, changed or made: no -wal or -shm beside the corpus file, nothing new in its index folder
        assert listing(frozen.parent) == before
        assert not Path(f"{frozen}-wal").exists() and not Path(f"{frozen}-shm").exists()
    finally:
        for p in [frozen.parent, *frozen.parent.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def _server_pid(url: str) -> int:
    """The process listening on ``url``'s port (from /proc/net/tcp and the processes' sockets)."""
    port = int(url.rsplit(":", 1)[1])
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":   # LISTEN
            inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    raise AssertionError(f"no process listens on port {port}")


def test_a_copy_whose_index_is_behind_says_so_and_searches_the_file(built: dict[str, Path], tmp_path: Path) -> None:
    behind = copy_corpus(built["db"], tmp_path / "behind", index=built["earlier_index"])
    before = listing(behind.parent)
    queries = [{"q": "", "source": "un.org", "limit": "100"}, {"q": "Iraq", "limit": "100"}]
    with serve(behind) as (url, err), httpx.Client(base_url=url, timeout=30) as http:
        said = " ".join(" ".join(err).split())
        assert "turn index is missing, behind" in said and "copy the corpus file and its index folder again" in said, said
        got = [http.get("/api/search", params=params).json() for params in queries]
    # the document the index has not got is found all the same, from the file's own index
    with stenogram.open(built["db"], read_only=True) as corpus:
        for params, answer in zip(queries, got, strict=True):
            filters = {k: v for k, v in params.items() if k not in ("q", "limit")}
            expected = corpus.search(params["q"], limit=100, **filters)
            assert answer["total"] == expected.total > 0
            assert {h["turn_id"] for h in answer["hits"]} == {h.turn_id for h in expected.hits}
    assert listing(behind.parent) == before


def test_a_copy_with_changes_left_in_its_log_is_refused(built: dict[str, Path], tmp_path: Path) -> None:
    copy = copy_corpus(built["db"], tmp_path / "midway")
    Path(f"{copy}-wal").write_bytes(b"\0" * 4096)     # as if copied while a writer had it open
    run = subprocess.run([sys.executable, "-m", "stenogram.cli.main", "serve", "--db", str(copy), "--read-only",
                          "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    said = " ".join(run.stderr.split())
    assert "write-ahead log" in said and "copy the corpus after its writers have finished" in said, said
