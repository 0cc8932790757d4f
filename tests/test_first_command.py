"""The README's first command as a new user runs it: in the folder of a fresh clone, with the default
corpus (``./stenogram.db``, a relative path), `stenogram ingest examples/`, searches, then `stenogram
serve` answering over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_the_first_command_in_a_fresh_folder(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if k != "STENOGRAM_DB"}

    def stenogram(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    ingested = stenogram("ingest", "examples/")
    examples = len(list((tmp_path / "examples").glob("*.txt")))
    assert ingested.returncode == 0 and "Traceback" not in ingested.stderr, ingested.stderr
    assert f"{examples} added, 0 updated, 0 unchanged, 0 failed" in ingested.stderr
    assert (tmp_path / "stenogram.db").is_file() and (tmp_path / "stenogram.db.index").is_dir()
    for args in (["Iraq"], ["Iraq", "--facets"], ["Iraq", "--documents", "--facets"], ["Iraq OR Syria", "--documents"],
                 ["speaker:Lavrov", "--sort", "-date"]):
        found = stenogram("search", *args, "--format", "jsonl")
        assert found.returncode == 0 and "Traceback" not in found.stderr, (args, found.stderr)
        assert found.stdout.strip(), args
    assert stenogram("stats").returncode == 0
    # the seed event is bundled in four languages: one item, Lavrov one speaker with turns in each
    assert "language versions: 1 item in 4 languages" in ingested.stderr
    people = json.loads(stenogram("speakers", "--format", "json").stdout)
    lavrov = next(p for p in people if p["id"] == "sergey-lavrov")
    assert {"en", "ru", "de", "fr"} <= set(lavrov["languages"]) and lavrov["names"]["ru"] == "Сергей Лавров"
    assert not [p for p in people if p["id"] != "sergey-lavrov" and "Lav" in p["name"]]
    by_name = {form: stenogram("search", f"speaker:{form}", "--format", "jsonl").stdout
               for form in ("Lavrov", "Лавров", "Lawrow")}
    assert len({*by_name.values()}) == 1 and by_name["Lavrov"].count("\n") == sum(lavrov["languages"].values())
    seed_en = json.loads(stenogram("search", "Baghdad Information Centre", "--lang", "en", "--format", "jsonl")
                         .stdout.splitlines()[0])["document_id"]

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "serve", "--port", str(port)], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(url + "/", params={"q": "Iraq"}, timeout=10)
                break
            except httpx.HTTPError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert page.status_code == 200 and "Iraq" in page.text
        body = httpx.get(url + "/api/search", params={"q": "Iraq", "facets": "true"}, timeout=10).json()
        assert body["ok"] and body["total"] > 0 and body["facets"]["country"]
        beside = httpx.get(url + f"/document/{seed_en}", params={"beside": "ru"}, timeout=10)   # side by side
        assert beside.status_code == 200 and "Baghdad Information Centre" in beside.text
        assert "Багдадского информационного центра" in beside.text
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert b"Traceback" not in stderr, stderr.decode()
