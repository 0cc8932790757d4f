"""The `stenogram` command as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.golden import FIXTURES

SEED = FIXTURES / "mid.ru-en-2020-11-25-lavrov-hussein.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], input=stdin, capture_output=True,
                          timeout=60)


def test_parse_json_of_the_seed() -> None:
    result = run("parse", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["published"] == "2020-11-25T16:19:00+03:00"
    assert [t["kind"] for t in doc["turns"]] == ["statement", "question", "answer", "question", "answer", "question", "answer"]


def test_parse_outline_names_speakers_and_kinds() -> None:
    result = run("parse", str(SEED))
    assert result.returncode == 0
    text = result.stdout.decode()
    assert "Sergey Lavrov" in text and "question" in text and "replies to #1" in text


def test_parse_from_stdin() -> None:
    result = run("parse", "-", "--json", stdin=SEED.read_bytes())
    assert result.returncode == 0
    assert json.loads(result.stdout)["source"] == "mid.ru"


def test_missing_file(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert b"no such file" in result.stderr and b"Traceback" not in result.stderr


def test_empty_binary_and_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\n")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    for path, message in ((empty, b"empty"), (binary, b"binary"), (tmp_path, b"folder")):
        result = run("parse", str(path))
        assert result.returncode == 1, path
        assert message in result.stderr and b"Traceback" not in result.stderr


def test_cp1251_page_is_decoded(tmp_path: Path) -> None:
    text = (FIXTURES / "mid.ru-ru-2020-lavrov-press-conference.txt").read_text("utf-8")
    legacy = tmp_path / "ru-cp1251.txt"
    legacy.write_bytes(text.encode("cp1251", errors="replace"))
    result = run("parse", str(legacy), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["language"] == "ru"
    assert doc["turns"][0]["speaker"] == "Сергей Лавров"


def test_unstructured_text_is_one_other_turn_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("the committee met on tuesday and discussed the budget at length without a decision\n")
    result = run("parse", str(path), "--json")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert [t["kind"] for t in doc["turns"]] == ["other"]
    assert b"warning" in result.stderr


def test_outline_of_a_folder() -> None:
    result = run("outline", str(FIXTURES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().count("Turns (") >= 21
