"""The README's shell examples run as written: every `stenogram ...` line of its terminal, languages, analyses
and exports blocks, run as a real subprocess in a fresh folder holding a copy of the bundled examples and a
corpus built from them (as the README's first command builds it). Placeholders get real values; the lines
that cannot run here are listed below with the reason."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: the headings whose first ``sh`` block the test runs
SECTIONS = ("### In a terminal", "### One archive in five languages", "## Analyses", "## Exports")
#: folders of the repository the examples name, copied into the test's folder
INPUTS = ("examples", "tests/fixtures/html")
#: commands that cannot run in a test, by how they begin, with the reason
SKIPPED = {
    "stenogram serve": "serves until Ctrl-C (tests/test_first_command.py runs it against a port)",
    "stenogram crawl": "needs the network (tests/test_crawl_cli.py crawls a local fixture site)",
}


def readme_commands() -> list[str]:
    """The ``stenogram`` lines of the first ``sh`` block after each heading of SECTIONS, comments left in."""
    text = README.read_text("utf-8")
    commands: list[str] = []
    for heading in SECTIONS:
        at = text.index(f"\n{heading}\n")
        block = re.search(r"```sh\n(.*?)```", text[at:], re.S)
        assert block is not None, f"no sh block after {heading!r}"
        commands += [line.strip() for line in block.group(1).splitlines() if line.startswith("stenogram ")]
    return commands


COMMANDS = readme_commands()


def skip_reason(command: str) -> str | None:
    return next((why for start, why in SKIPPED.items() if command.startswith(start)), None)


def stenogram(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STENOGRAM_DB"}
    return subprocess.run([sys.executable, "-m", "stenogram.cli.main", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the repository's for the examples, with ``./stenogram.db`` built from examples/."""
    root = tmp_path_factory.mktemp("readme")
    for name in INPUTS:
        shutil.copytree(ROOT / name, root / name)
    built = stenogram(root, "ingest", "examples/")
    assert built.returncode == 0, built.stderr
    return root


@pytest.fixture(scope="module")
def placeholders(folder: Path) -> dict[str, str]:
    """A real value for each placeholder the README writes in capitals: a turn with a Russian version."""
    found = stenogram(folder, "search", "speaker:Lavrov lang:en", "--in-language", "ru", "--format", "json",
                      "--limit", "50")
    assert found.returncode == 0, found.stderr
    turn = next(h["turn_id"] for h in json.loads(found.stdout)["hits"] if h["aligned"] and h["aligned"].get("turn_id"))
    return {"TURN ID": turn}


def test_the_blocks_hold_the_commands_a_reader_meets() -> None:
    assert len(COMMANDS) >= 20
    assert any(c.startswith("stenogram outline ") for c in COMMANDS)
    assert any(c.startswith("stenogram show ") and "TURN ID" in c for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_example_runs(command: str, folder: Path, placeholders: dict[str, str]) -> None:
    reason = skip_reason(command)
    if reason is not None:
        pytest.skip(reason)
    words = shlex.split(command, comments=True)
    assert words[0] == "stenogram"
    words = [placeholders.get(w, w) for w in words[1:]]
    assert not [w for w in words if re.fullmatch(r"[A-Z][A-Z ]+[A-Z]", w)], f"a placeholder without a value: {words}"
    redirect = None
    if ">" in words:
        at = words.index(">")
        words, redirect = words[:at], words[at + 1]
    ran = stenogram(folder, *words)
    assert ran.returncode == 0, f"{command}\n{ran.stderr}"
    assert "Traceback" not in ran.stderr and "Traceback" not in ran.stdout, ran.stderr
    if redirect is not None:
        (folder / redirect).write_text(ran.stdout, encoding="utf-8")
        assert ran.stdout.strip(), command
