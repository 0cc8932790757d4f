"""A parallel corpus: one row for each aligned pair of paragraphs of two language versions of one item,
as CSV (UTF-8, RFC 4180 quoting), or as one Parquet file when the output's name ends in ``.parquet``.

``paragraph_a`` and ``paragraph_b`` count within their turns (``turn_a``, ``turn_b``), from 0, as a
turn's ``paragraphs`` do; ``kind`` is the turn kind of side a; ``confidence`` is the pairing's of the
paragraphs and ``turn_confidence`` their turns' (both from 0 to 1); ``date`` is YYYY-MM-DD. A paragraph
that a translator merged with the next appears in two rows, once with each of the two it stands for.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from stenogram.export.pairs import Row, Rows

COLUMNS = (
    "item", "date", "source", "language_a", "language_b", "document_a", "document_b", "turn_a", "turn_b",
    "paragraph_a", "paragraph_b", "speaker_a", "speaker_b", "kind", "text_a", "text_b", "confidence",
    "turn_confidence",
)
#: rows a Parquet row group holds (the rows are buffered until then)
ROW_GROUP = 5000


def _values(row: Row) -> tuple[Any, ...]:
    a, b = row.a, row.b
    return (row.item, row.date, row.source, a.language, b.language, a.document, b.document, a.turn, b.turn,
            a.paragraph, b.paragraph, a.speaker, b.speaker, a.kind, a.text, b.text, row.confidence,
            row.turn_confidence)


def write_csv(rows: Rows, path: Path) -> None:
    """A header and one row for each aligned pair of paragraphs (an empty field for no speaker or date)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for row in rows:
            out.writerow(["" if v is None else v for v in _values(row)])
    rows.units = rows.rows


def write_parquet(rows: Rows, path: Path) -> None:
    """The same rows as one Parquet file, written a row group at a time (memory stays bounded)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.string()
    schema = pa.schema([(name, pa.int32() if name.startswith("paragraph_") else
                         pa.float64() if name.endswith("confidence") else text) for name in COLUMNS])
    buffered: list[tuple[Any, ...]] = []

    def flush(writer: Any) -> None:
        columns = list(zip(*buffered, strict=True))
        writer.write_table(pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)],
                                                schema=schema), row_group_size=len(buffered))
        buffered.clear()

    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for row in rows:
            buffered.append(_values(row))
            if len(buffered) >= ROW_GROUP:
                flush(writer)
        if buffered:
            flush(writer)
    rows.units = rows.rows
