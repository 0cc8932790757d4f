"""Co-mentions: which entities are mentioned together in the same turn, as ranked pairs and a graph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from stenogram.analyze.text import base, from_where
from stenogram.errors import QueryError
from stenogram.store.sqlite import Store

TYPES = ("country", "organization", "person")


@dataclass(frozen=True, slots=True)
class Pair:
    a: str
    b: str
    turns: int


def comentions(store: Store, *, query: str = "", options: Mapping[str, str | None] | None = None,
               type: str = "country", limit: int = 50) -> list[Pair]:
    """Pairs of entities of one type mentioned in the same turn, with the number of such turns."""
    if type not in TYPES:
        raise QueryError(f"--type {type!r}: choose {', '.join(TYPES)}")
    sql, params = from_where(base(query, options))
    rows = store.query(
        "WITH hits AS (SELECT t.id AS turn_id " + sql + "), "
        "ents AS (SELECT DISTINCT m.turn_id, m.entity_id FROM mentions m JOIN hits h ON h.turn_id = m.turn_id "
        "         WHERE m.type = ? AND m.entity_id IS NOT NULL) "
        "SELECT a.entity_id AS a, b.entity_id AS b, count(*) AS n FROM ents a JOIN ents b "
        "ON a.turn_id = b.turn_id AND a.entity_id < b.entity_id GROUP BY a.entity_id, b.entity_id "
        "ORDER BY n DESC, a.entity_id, b.entity_id LIMIT ?",
        [*params, type, limit],
    )
    return [Pair(r["a"], r["b"], int(r["n"])) for r in rows]


def write_graph(pairs: list[Pair], path: Path) -> None:
    """GraphML for ``.graphml`` (Gephi, networkx, igraph read it), else a CSV edge list."""
    if path.suffix.lower() == ".graphml":
        nodes = sorted({p.a for p in pairs} | {p.b for p in pairs})
        ids = {n: f"n{i}" for i, n in enumerate(nodes)}
        with path.open("w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
                     '  <key id="label" for="node" attr.name="label" attr.type="string"/>\n'
                     '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n'
                     '  <graph id="comentions" edgedefault="undirected">\n')
            for n in nodes:
                fh.write(f'    <node id="{ids[n]}"><data key="label">{_text(n)}</data></node>\n')
            for i, p in enumerate(pairs):
                fh.write(f'    <edge id="e{i}" source="{ids[p.a]}" target="{ids[p.b]}"><data key="weight">{p.turns}</data></edge>\n')
            fh.write("  </graph>\n</graphml>\n")
    else:
        import csv

        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["source", "target", "weight"])
            for p in pairs:
                writer.writerow([p.a, p.b, p.turns])


def _text(value: str) -> str:
    return quoteattr(value)[1:-1]
