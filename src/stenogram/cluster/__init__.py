"""Bulk processing on a Dask cluster: files, folders, WARC files and datasets (local or behind fsspec URLs)
collected, parsed and enriched by the workers into a Parquet dataset, which ``stenogram ingest DATASET/``
loads into a corpus without parsing again.

    report = bulk(["crawl/*.warc.gz", "s3://bucket/transcripts/"], Path("dataset"), workers=8)
    print(report.documents, "documents;", *(f"{where}: {reason}" for where, reason in report.failed))

The dataset has the tables and schema of ``export --format parquet`` (documents/, turns/, mentions/,
partitioned by year and source), one part file a partition for each input (or chunk of a large container),
named by the input's content hash, and ``_manifest/`` (:mod:`stenogram.cluster.manifest`). A run is resumable
and idempotent: an input done before with the same content is not read again, and a part written twice
replaces itself. Pages without turns (most of a web archive) are skipped and counted, never written.

Person ids: a turn's ``speaker_id`` is the id a fresh corpus gives the printed name (the registry's id,
else the corpus id of its transliteration key); the merges a corpus makes when aligned language versions
show two ids to be one person are made when the dataset is loaded.
"""

from stenogram.cluster.inputs import Input, find_inputs
from stenogram.cluster.run import BulkError, BulkReport, WorkerFigures, bulk
from stenogram.cluster.work import NOT_A_TRANSCRIPT, InputResult

__all__ = ["NOT_A_TRANSCRIPT", "BulkError", "BulkReport", "Input", "InputResult", "WorkerFigures", "bulk", "find_inputs"]
