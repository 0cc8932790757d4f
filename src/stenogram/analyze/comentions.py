"""Co-mentions: which entities are mentioned together in the same turn, as ranked pairs and a graph."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from xml.sax.saxutils import quoteattr

from stenogram.analyze.languages import Counted
from stenogram.analyze.text import base, from_where
from stenogram.errors import QueryError
from stenogram.search.people import person_names
from stenogram.store.sqlite import Store

TYPES = ("country", "organization", "person")


@dataclass(frozen=True, slots=True)
class Pair:
    """Two entities named in ``turns`` turns together: country codes, organisation ids, or for people
    their names (``a_id`` and ``b_id`` give their person ids, one for a person in every language)."""

    a: str
    b: str
    turns: int
    a_id: str | None = None
    b_id: str | None = None


class Pairs(Counted[Pair]):
    """The pairs, with ``languages``: language → turns counted (those that mention two entities or more)."""


def comentions(store: Store, *, query: str = "", options: Mapping[str, str | None] | None = None,
               type: str = "country", limit: int = 50) -> Pairs:
    """Pairs of entities of one type mentioned in the same turn, with the number of such turns.

    Ranked by that number, then by the pair's ids (each pair named in id order); a negative ``limit``
    keeps every pair. The work is linear in the matching turns (see ``_entities_by_turn``). The
    languages counted are those of every turn that gave a pair, whatever the limit keeps."""
    if type not in TYPES:
        raise QueryError(f"--type {type!r}: choose {', '.join(TYPES)}")
    counts: Counter[tuple[str, str]] = Counter()
    paired: list[str] = []
    for turn, entities in _entities_by_turn(store, query, options, type):
        if len(entities) > 1:
            counts.update(combinations(sorted(entities), 2))
            paired.append(turn)
    # the order of ``ORDER BY n DESC, a, b``: Python orders str by code point, as SQLite's BINARY
    # collation orders their UTF-8 bytes
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if limit >= 0:
        ranked = ranked[:limit]
    if type == "person":        # counted by person id, shown by name
        names = person_names(store, {e for pair, _ in ranked for e in pair})
        return Pairs((Pair(names[a], names[b], n, a, b) for (a, b), n in ranked), _languages_of(store, paired))
    return Pairs((Pair(a, b, n) for (a, b), n in ranked), _languages_of(store, paired))


def _languages_of(store: Store, turns: list[str]) -> dict[str, int]:
    """How many of these turns each language has (each turn looked up by its id)."""
    if not turns:
        return {}
    return {str(r[0]): int(r[1]) for r in store.query(
        "SELECT d.language, count(*) FROM turns t JOIN documents d ON d.id = t.document_id "
        "WHERE t.id IN (SELECT value FROM json_each(?)) GROUP BY d.language", (json.dumps(turns),))}


HITS = "temp.comention_hits"
# (a person is their person id: one for every language's form of the name)
# each matching turn's mentions through the mentions' turn index, the turns outside (CROSS JOIN pins
# the order), so a turn's mentions come out together, one turn after another (a turn matches once)
BY_TURN = ("SELECT m.turn_id, coalesce(m.person_id, m.entity_id) FROM " + HITS + " h CROSS JOIN mentions m INDEXED BY mentions_turn "
           "ON m.turn_id = h.turn_id WHERE m.type = ? AND m.entity_id IS NOT NULL")
# every mention of the type, once, each looked up among the matching turns
BY_TYPE = ("SELECT m.turn_id, coalesce(m.person_id, m.entity_id) FROM mentions m INDEXED BY mentions_entity "
           "WHERE m.type = ? AND m.entity_id IS NOT NULL AND m.turn_id IN (SELECT turn_id FROM " + HITS + ")")


def _entities_by_turn(store: Store, query: str, options: Mapping[str, str | None] | None,
                      type: str) -> Iterator[tuple[str, set[str]]]:
    """Each matching turn that mentions an entity of the type, with the distinct entities it mentions.

    The matching turns are gathered once, into a temporary table. Then the mentions are read the
    cheaper way round: each matching turn's, or, when the type has fewer mentions in the whole
    corpus than there are matching turns (counted no further than that), every mention of the type
    once. Never the (type, entity) index once per matching turn: that reads every mention of the
    type for each turn, and grows with the square of the corpus."""
    sql, params = from_where(base(store, query, options))
    conn = store.conn
    if _mentions_of(conn, type, at_most=2) < 2:
        return          # no pair anywhere (a corpus without this type): no need to gather the turns
    # No transaction around this: a temporary table takes no lock on the corpus, so ingest goes on.
    conn.execute("DROP TABLE IF EXISTS " + HITS)
    conn.execute("CREATE TEMP TABLE comention_hits (turn_id TEXT NOT NULL)")
    cursor = conn.cursor()
    try:
        hits = cursor.execute("INSERT INTO " + HITS + " SELECT t.id " + sql, params).rowcount
        if hits <= 0:
            return
        if _mentions_of(conn, type, at_most=hits) < hits:
            by_turn: dict[str, set[str]] = {}
            for turn, entity in cursor.execute(BY_TYPE, (type,)):
                by_turn.setdefault(turn, set()).add(entity)
            yield from by_turn.items()
            return
        current: str | None = None
        entities: set[str] = set()
        for turn, entity in cursor.execute(BY_TURN, (type,)):
            if turn != current:
                if current is not None and entities:
                    yield current, entities
                current, entities = turn, set()
            entities.add(entity)
        if current is not None and entities:
            yield current, entities
    finally:
        cursor.close()
        # the table is private to this connection and dropped again before the next use: a failure
        # here (the statement interrupted by a deadline) must not hide an error raised above
        with suppress(sqlite3.Error):
            conn.execute("DROP TABLE IF EXISTS " + HITS)


def _mentions_of(conn: sqlite3.Connection, type: str, *, at_most: int) -> int:
    """How many mentions of the type name an entity, counted no further than ``at_most``."""
    return int(conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM mentions INDEXED BY mentions_entity "
        "WHERE type = ? AND entity_id IS NOT NULL LIMIT ?)", (type, at_most)).fetchone()[0])


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
