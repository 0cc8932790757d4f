"""What a bulk run reads: files named, folders searched, globs matched, local or behind an fsspec URL
(``s3://bucket/crawl/``, ``https://host/corpus.warc.gz``, ``file:///data/``), found by the client and read by
the workers where they are.

A local path is found as ``stenogram ingest`` finds it (the same names in reports); a URL is expanded with its
file system (a folder is searched recursively, a glob matched), so the client lists names and never reads
contents.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from pathlib import Path

from stenogram.collect.importers import DATASET_SUFFIXES, WARC_SUFFIXES

__all__ = ["INPUT_SUFFIXES", "Input", "find_inputs", "is_url"]

#: files a folder is searched for: transcripts, contract JSONL, web archives, datasets (as ingest reads them)
INPUT_SUFFIXES = (".txt", ".text", ".jsonl", ".html", ".htm", *WARC_SUFFIXES, *DATASET_SUFFIXES)
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class Input:
    """One input of a bulk run: ``name`` says it in reports and the manifest (the path as found, or the URL);
    ``url`` is what a worker opens (a local path, or an fsspec URL); ``remote`` says which."""

    name: str
    url: str
    remote: bool = False


def is_url(raw: str) -> bool:
    """Whether an input is an fsspec URL (``s3://…``, ``https://…``, ``file://…``) rather than a local path."""
    return bool(_URL.match(raw))


def find_inputs(paths: list[str]) -> tuple[list[Input], list[tuple[str, str]]]:
    """The inputs named (each once, in order), and (name, reason) for names that match nothing."""
    found: list[Input] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(item: Input, key: str) -> None:
        if key not in seen:
            seen.add(key)
            found.append(item)

    for raw in paths:
        if is_url(raw):
            for item in _remote(raw, missing):
                add(item, item.url)
            continue
        p = Path(raw)
        if p.is_dir():
            files = [f for f in sorted(p.rglob("*")) if f.is_file()]
            wanted = [f for f in files if f.name.lower().endswith(INPUT_SUFFIXES)]
            if not files:
                missing.append((raw, "the folder holds no files"))
            elif not wanted:
                missing.append((raw, f"no transcripts here (files ending in {', '.join(INPUT_SUFFIXES)})"))
            for f in wanted:
                add(Input(str(f), str(f)), str(f.resolve()))
        elif p.is_file():
            add(Input(raw, raw), str(p.resolve()))
        elif any(ch in raw for ch in "*?["):
            files = [Path(m) for m in sorted(glob.glob(raw, recursive=True)) if Path(m).is_file()]
            if not files:
                missing.append((raw, "the pattern matches no file"))
            for f in files:
                add(Input(str(f), str(f)), str(f.resolve()))
        else:
            missing.append((raw, "no such file or folder"))
    return found, missing


def _remote(raw: str, missing: list[tuple[str, str]]) -> list[Input]:
    """The files behind a URL: itself, a folder's files (recursively, by suffix) or a glob's matches."""
    import fsspec  # type: ignore[import-untyped]

    try:
        fs, path = fsspec.core.url_to_fs(raw)
        if any(ch in path for ch in "*?["):
            names = sorted(p for p in fs.glob(path) if fs.isfile(p))
            if not names:
                missing.append((raw, "the pattern matches no file"))
        elif fs.isdir(path):
            names = sorted(p for p in fs.find(path) if p.lower().endswith(INPUT_SUFFIXES))
            if not names:
                missing.append((raw, f"no transcripts here (files ending in {', '.join(INPUT_SUFFIXES)})"))
        elif fs.isfile(path):
            return [Input(raw, raw, remote=True)]
        else:
            missing.append((raw, "no such file or folder"))
            return []
    except ImportError as exc:
        missing.append((raw, f"cannot be read: its file system needs a package that is not installed ({exc}); "
                             "install it (for s3:// the s3fs package, for gs:// gcsfs) and run again"))
        return []
    except Exception as exc:  # the file system's own errors: no access, no such bucket, a network failure
        missing.append((raw, f"cannot be listed ({type(exc).__name__}: {exc})"))
        return []
    return [Input(url, url, remote=True) for url in (fs.unstrip_protocol(n) for n in names)]
