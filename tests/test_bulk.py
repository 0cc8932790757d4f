"""`stenogram bulk` on a real Dask LocalCluster (two worker processes on 127.0.0.1, one cluster for the module):
the dataset equals the Parquet export of an ingest of the same inputs; a worker killed with SIGKILL and a client
killed midway lose nothing and write nothing twice; bad inputs are reported in the manifest and the summary."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow.dataset as ds
import pytest

pytest.importorskip("distributed")

import stenogram
from stenogram.api import BulkReport, InputResult
from tests.test_importers import KREMLIN, STATE, URLS, dataset_records, html_page, response, write_csv

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "bench"))
from generate import documents  # noqa: E402

NOT_A_TRANSCRIPT = b"""<!DOCTYPE html><html><head><title>Contacts</title></head><body>
<nav><a href="/">Home</a> <a href="/news/">News</a></nav><footer>(c) 2024</footer></body></html>"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    import logging

    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                           silence_logs=logging.ERROR)
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages:
            response(writer, url, body)


def rows(root: Path, name: str) -> list[dict[str, Any]]:
    table = ds.dataset(root / name, format="parquet", partitioning="hive").to_table().to_pylist()
    for row in table:
        row["year"] = str(row["year"])
    return sorted(table, key=lambda r: orjson.dumps(r, option=orjson.OPT_SORT_KEYS))


def document_ids(root: Path) -> list[str]:
    return [str(r["id"]) for r in ds.dataset(root / "documents", format="parquet", partitioning="hive").to_table(["id"]).to_pylist()]


def generated(folder: Path, count: int, size: int = 2000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in documents(count, seed=11, size=size):
        (folder / name).write_text(text, "utf-8")
    return folder


def test_the_dataset_is_the_export_of_an_ingest(tmp_path: Path, scheduler: str) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(EXAMPLES, inputs / "examples")
    write_warc(inputs / "crawl.warc.gz", [(URLS[STATE], html_page(STATE)), (URLS[KREMLIN], html_page(KREMLIN))])
    write_csv(inputs / "table.csv", [r for r in dataset_records() if r["url"] != URLS[KREMLIN]])
    paths = [str(inputs / "examples"), str(inputs / "crawl.warc.gz"), str(inputs / "table.csv")]
    report = stenogram.bulk(paths, tmp_path / "bulk", scheduler=scheduler)
    assert report.ok and not report.skipped, (report.failed, report.skipped)
    with stenogram.open(tmp_path / "c.db") as corpus:
        assert corpus.ingest(paths).ok
        corpus.export("parquet", tmp_path / "export")
        counts = {name: corpus.store.count(name) for name in ("documents", "turns", "mentions")}
    assert (report.documents, report.turns, report.mentions) == tuple(counts.values())
    for name in ("documents", "turns", "mentions"):
        assert rows(tmp_path / "bulk", name) == rows(tmp_path / "export", name), name
    # what other tools read
    import duckdb
    import pandas as pd

    for name, count in counts.items():
        assert len(pd.read_parquet(tmp_path / "bulk" / name)) == count
        sql = f"SELECT count(*) FROM read_parquet('{tmp_path / 'bulk' / name}/*/*/*.parquet', hive_partitioning = true)"
        assert duckdb.sql(sql).fetchall() == [(count,)]
    # the manifest, and a second run that reads nothing again
    manifest = [orjson.loads(p.read_bytes()) for p in (tmp_path / "bulk" / "_manifest" / "inputs").glob("*.json")]
    assert len(manifest) == report.inputs and all(e["status"] == "done" and len(e["hash"]) == 64 for e in manifest)
    assert sum(e["documents"] for e in manifest) == counts["documents"]
    again = stenogram.bulk(paths, tmp_path / "bulk", scheduler=scheduler)
    assert again.ok and len(again.unchanged) == again.inputs and again.documents == 0
    assert rows(tmp_path / "bulk", "turns") == rows(tmp_path / "export", "turns")


def test_a_changed_input_replaces_its_documents(tmp_path: Path, scheduler: str) -> None:
    folder = generated(tmp_path / "in", 3)
    stenogram.bulk([str(folder)], tmp_path / "ds", scheduler=scheduler)
    first = sorted(folder.iterdir())[0]
    first.write_text(next(iter(documents(4, seed=99, size=3000)))[1], "utf-8")
    report = stenogram.bulk([str(folder)], tmp_path / "ds", scheduler=scheduler)
    assert report.done == [str(first)] and len(report.unchanged) == 2
    ids = document_ids(tmp_path / "ds")
    assert len(ids) == len(set(ids)) == 3


def test_a_worker_killed_midway_loses_nothing(tmp_path: Path, scheduler: str) -> None:
    from distributed import Client

    folder = generated(tmp_path / "in", 40)
    killed: list[int] = []
    with Client(scheduler) as client:
        pids = list(client.run(os.getpid).values())

        def on_input(result: InputResult) -> None:
            if not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        report = stenogram.bulk([str(folder)], tmp_path / "ds", scheduler=scheduler, on_input=on_input)
        assert killed and report.ok, report.failed
        assert len(report.done) == 40 and report.documents == 40
        ids = document_ids(tmp_path / "ds")
        assert len(ids) == len(set(ids)) == 40
        client.wait_for_workers(2, timeout=60)    # the nanny starts the worker again, for the tests after this one


def run_cli(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "stenogram.cli.main", "bulk", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def test_a_client_killed_midway_then_run_again_finishes_with_nothing_twice(tmp_path: Path, scheduler: str) -> None:
    folder = generated(tmp_path / "in", 50)
    out = tmp_path / "ds"
    args = [str(folder), "--out", str(out), "--scheduler", scheduler, "--quiet"]
    first = run_cli(args)
    done = out / "_manifest" / "inputs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None and len(list(done.glob("*.json"))) < 5:
        time.sleep(0.05)
    assert first.poll() is None, first.communicate()
    first.kill()
    first.wait()
    assert 5 <= len(list(done.glob("*.json"))) < 50
    second = run_cli(args)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    ids = document_ids(out)
    assert len(ids) == len(set(ids)) == 50
    assert not [p for p in out.rglob("*.tmp")]
    assert b"done before" in err


def test_bad_inputs_are_reported_and_the_rest_processed(tmp_path: Path, scheduler: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(EXAMPLES / "mid.ru-en-2019-zakharova-briefing.txt", inputs / "good.txt")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inputs / "corrupt.warc.gz").write_bytes(b"\x1f\x8b\x08 this is not a web archive")
    write_warc(inputs / "crawl.warc.gz", [(URLS[STATE], html_page(STATE)), ("https://www.mid.ru/en/contacts/", NOT_A_TRANSCRIPT)])
    os.symlink(tmp_path / "nowhere.txt", inputs / "gone.txt")
    report: BulkReport = stenogram.bulk([str(inputs), str(inputs / "gone.txt")], tmp_path / "ds", scheduler=scheduler)
    assert report.documents == 2
    assert report.skipped == [("https://www.mid.ru/en/contacts/", "not a transcript: no turns found")]
    failed = dict(report.failed)
    assert set(failed) == {str(inputs / "binary.txt"), str(inputs / "corrupt.warc.gz"), str(inputs / "gone.txt")}
    assert "binary" in failed[str(inputs / "binary.txt")] and "damaged" in failed[str(inputs / "corrupt.warc.gz")]
    entries = {e["input"]: e for e in (orjson.loads(p.read_bytes()) for p in (tmp_path / "ds" / "_manifest" / "inputs").glob("*"))}
    assert entries[str(inputs / "crawl.warc.gz")]["skipped"] == [["https://www.mid.ru/en/contacts/", "not a transcript: no turns found"]]
    assert entries[str(inputs / "binary.txt")]["status"] == "failed" and entries[str(inputs / "binary.txt")]["failed"]
    run = orjson.loads((tmp_path / "ds" / "_manifest" / "run.json").read_bytes())
    assert {w for w, _ in run["failed"]} == set(failed) and run["documents"] == 2
    # the CLI: non-zero only when something failed, not for pages that are not transcripts
    bad = run_cli([str(inputs), "--out", str(tmp_path / "cli"), "--scheduler", scheduler])
    _, err = bad.communicate(timeout=120)
    assert bad.returncode == 1 and b"failed:" in err and b"not a transcript: no turns found" in err
    for p in (inputs / "binary.txt", inputs / "corrupt.warc.gz", inputs / "gone.txt"):
        p.unlink()
    good = run_cli([str(inputs), "--out", str(tmp_path / "cli"), "--scheduler", scheduler])
    _, err = good.communicate(timeout=120)
    assert good.returncode == 0, err
    assert b"1 skipped, 0 failed" in err


def test_the_output_folder_must_be_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(stenogram.api.BulkError, match="other things"):
        stenogram.bulk([str(EXAMPLES)], tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_local_cluster_of_its_own(tmp_path: Path) -> None:
    """Without --scheduler: a LocalCluster of worker processes made for the run, reading a file:// URL."""
    folder = generated(tmp_path / "in", 2)
    report = stenogram.bulk([f"file://{folder}"], tmp_path / "ds", workers=1)
    assert report.ok and report.documents == 2 and len(report.workers) == 1
    assert all(name.startswith("file://") for name in report.done)


def test_a_models_entities_are_added_by_the_workers_and_a_change_of_model_does_the_inputs_again(
        tmp_path: Path, scheduler: str) -> None:
    """`bulk --ner spacy:MODEL`: each worker loads the model (here a saved pipeline with an entity ruler, no trained
    model) and adds its entities; the manifest says which model an input was done with, so a
    run with the same model does nothing again and a run without it does the inputs again."""
    pytest.importorskip("spacy")
    from stenogram.enrich.ner import BadNerSpec
    from tests.test_ner import TEXT, ruler

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talk.txt").write_text(TEXT, "utf-8")
    pipeline = tmp_path / "pipeline"
    ruler().to_disk(pipeline)
    out = tmp_path / "ds"

    def organisations() -> set[str]:
        return {str(r["text"]) for r in rows(out, "mentions") if r["type"] == "organization"}

    with pytest.raises(BadNerSpec):
        stenogram.bulk([str(folder)], out, scheduler=scheduler, ner="spacy:")
    assert not out.exists()                                  # refused before anything was written
    report = stenogram.bulk([str(folder)], out, scheduler=scheduler, ner=f"spacy:{pipeline}")
    assert report.ok and report.documents == 1
    assert "Ruritanian Grain Board" in organisations()       # the model's, which the rules do not know
    again = stenogram.bulk([str(folder)], out, scheduler=scheduler, ner=f"spacy:{pipeline}")
    assert again.unchanged == [str(folder / "talk.txt")] and not again.done
    without = stenogram.bulk([str(folder)], out, scheduler=scheduler)
    assert without.done == [str(folder / "talk.txt")]
    assert "Ruritanian Grain Board" not in organisations() and len(document_ids(out)) == 1
