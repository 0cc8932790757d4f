"""Command-line entry point. Each command parses its options, calls the library, and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from stenogram import api
from stenogram.cli.outline import render
from stenogram.errors import StenogramError

app = typer.Typer(
    name="stenogram",
    help="Turn diplomatic transcripts (press conferences, briefings, interviews) into structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


@app.command()
def parse(
    file: Annotated[str, typer.Argument(help="Transcript file (text copied from a web page), or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON instead of an outline.")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, when known (site and item id).")] = None,
) -> None:
    """Parse one transcript and print its structure."""
    doc = api.parse_file(file, url=url)
    for warning in doc.warnings:
        err.print(f"[yellow]warning:[/yellow] {file}: {warning}")
    if as_json:
        sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        render(doc, out)


@app.command()
def outline(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders of .txt files.")],
) -> None:
    """Parse several transcripts and print the outline of each (the README's first command)."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    if not files:
        raise typer.BadParameter("no .txt files found in the given paths")
    failed = 0
    for f in files:
        out.rule(str(f))
        try:
            render(api.parse_file(str(f)), out)
        except StenogramError as exc:
            failed += 1
            err.print(f"[red]error:[/red] {exc}")
    if failed:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except StenogramError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
