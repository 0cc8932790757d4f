"""What the store records between documents as it writes one: which stored documents are its language
versions (a group), how its turns and paragraphs align with each of them (``alignments``), and who
its speakers and the people it mentions are (``turns.speaker_id``, ``mentions.person_id``), one id
for one person across languages.

Person ids come from ``align.people``: the registry's id, else a corpus id from a transliteration key.
``speaker_names`` keeps the names printed for each speaker (a name may outlive the last turn that
printed it: it then only widens a speaker filter by a form that finds nothing more).
The table ``person_keys`` says which key became which person; when aligned versions of one event put
two different ids on the turns of one speaker, the newer id is folded into the older (a registry id
always wins), in every table, so the next document with that key gets the merged id too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from stenogram.align.people import is_corpus_id, person_id
from stenogram.align.turns import Alignment, ParagraphPair, TurnPair, Unit, align, name_key, turn_units
from stenogram.align.versions import VERSION_THRESHOLD, fingerprint, may_be_versions, version_score
from stenogram.model import Document

#: at most this many stored documents of the same source and days, whose fingerprints do not set them
#: aside, are read and aligned with a new one
MAX_CANDIDATES = 60
#: aligned turns say their speakers are one person only when this share of the shorter version aligns
MERGE_COVERAGE = 0.8
#: and the pair itself is at least this sure
MERGE_CONFIDENCE = 0.6
#: and their surnames, folded across transliterations, are at least this alike (a guard against a
#: misaligned pair joining two different people; ``Shoukry``/``Choukri`` pass, ``Lavrov``/``Safadi`` not)
MERGE_NAME_LIKENESS = 0.5

Load = Callable[[str], Document]


def day_of(doc: Document) -> str | None:
    return doc.published[:10] if doc.published else doc.event.date


# --- groups --------------------------------------------------------------------------------------------
def version_group(conn: sqlite3.Connection, doc: Document, load: Load, among: set[str] | None = None,
                  print_: str | None = None) -> str | None:
    """The group of the stored document (of those in ``among`` when given) that ``doc`` is a language
    version of, by content; None when no stored document of its source, within a day of it, in a group
    without its language, is one. ``print_``: the document's fingerprint, when computed already."""
    day = day_of(doc)
    if not day or not doc.turns:
        return None
    try:
        when = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    low, high = (when - dt.timedelta(days=1)).isoformat(), (when + dt.timedelta(days=1)).isoformat()
    rows = conn.execute(
        "SELECT id, group_id, fingerprint FROM documents d WHERE source = ? AND language != ? AND day BETWEEN ? AND ?"
        " AND id != ? AND NOT EXISTS (SELECT 1 FROM documents o WHERE o.group_id = d.group_id AND o.language = ?)"
        " ORDER BY day, id",
        (doc.source, doc.language, low, high, doc.id, doc.language)).fetchall()
    ours = print_ or fingerprint(doc)
    # the fingerprints set most aside unread; the rest are read and aligned, at most MAX_CANDIDATES
    candidates = [r for r in rows if (among is None or r[0] in among) and r[2] and may_be_versions(ours, r[2])]
    best, best_score = None, VERSION_THRESHOLD
    units = turn_units(doc)
    for row in candidates[:MAX_CANDIDATES]:
        other, their_units = _read(row[0], row[2], load)
        score = version_score(doc, other, (units, their_units), (ours, row[2]))
        if score >= best_score:
            best, best_score = str(row[1]), score
    return best


#: stored documents recently compared with new ones, and what is compared of their turns: a day's
#: documents are each a candidate for the versions written after them (key: id and fingerprint)
_READ: OrderedDict[tuple[str, str], tuple[Document, list[Unit]]] = OrderedDict()
_READ_SIZE = 512


def _read(ident: str, fingerprint: str, load: Load) -> tuple[Document, list[Unit]]:
    key = (ident, fingerprint)
    found = _READ.get(key)
    if found is None:
        doc = load(ident)
        found = _READ[key] = (doc, turn_units(doc))
        if len(_READ) > _READ_SIZE:
            _READ.popitem(last=False)
    else:
        _READ.move_to_end(key)
    return found


# --- alignments ----------------------------------------------------------------------------------------
def record_alignments(conn: sqlite3.Connection, doc: Document, load: Load,
                      among: set[str] | None = None) -> list[Alignment]:
    """Align a just-written document with each other language version in its group (those in ``among``
    when given) and store the pairs (the version whose language comes first is ``first``)."""
    siblings = conn.execute(
        "SELECT id, language FROM documents WHERE group_id = (SELECT group_id FROM documents WHERE id = ?)"
        " AND id != ? AND language != ?", (doc.id, doc.id, doc.language)).fetchall()
    found = []
    for ident, language in siblings:
        if among is not None and ident not in among:
            continue
        other = load(ident)
        first, second = (doc, other) if doc.language < language else (other, doc)
        alignment = align(first, second)
        rows: list[tuple[str, str, int, int, int | None, int | None, float]] = [
            (first.id, second.id, p.a, p.b, None, None, p.confidence) for p in alignment.turns]
        rows += [(first.id, second.id, p.a[0], p.b[0], p.a[1], p.b[1], p.confidence) for p in alignment.paragraphs]
        conn.executemany("INSERT INTO alignments VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        found.append(alignment)
    return found


def stored_alignment(conn: sqlite3.Connection, a: str, b: str) -> Alignment | None:
    """The stored alignment of documents ``a`` and ``b`` (as a→b), or None when none is stored."""
    rows = conn.execute(
        "SELECT first, turn_a, turn_b, paragraph_a, paragraph_b, confidence FROM alignments"
        " WHERE (first = ? AND second = ?) OR (first = ? AND second = ?)", (a, b, b, a)).fetchall()
    if not rows:
        return None
    swap = rows[0][0] != a
    turns: list[TurnPair] = []
    paragraphs: list[ParagraphPair] = []
    for _, ta, tb, pa, pb, confidence in rows:
        if swap:
            ta, tb, pa, pb = tb, ta, pb, pa
        if pa is None:
            turns.append(TurnPair(ta, tb, confidence))
        else:
            paragraphs.append(ParagraphPair((ta, pa), (tb, pb), confidence))
    turns.sort(key=lambda p: p.a)
    paragraphs.sort(key=lambda p: p.a)
    return Alignment(a, b, tuple(turns), tuple(paragraphs))


# --- people --------------------------------------------------------------------------------------------
def resolve_person(conn: sqlite3.Connection, printed: str | None) -> str | None:
    """The person id of a printed name: the registry's, or the corpus id its key has (made now if new).
    A key of a surname alone takes the id of the one person whose full key has that surname."""
    pid, key = person_id(printed)
    if not key:
        return pid
    row = conn.execute("SELECT person_id FROM person_keys WHERE key = ?", (key,)).fetchone()
    if row is not None:
        return str(row[0])
    if "-" not in key:
        ids = {r[0] for r in conn.execute(
            "SELECT DISTINCT person_id FROM person_keys WHERE key BETWEEN ? AND ?", (key + "-", key + "-\uffff"))}
        if len(ids) == 1:
            pid = ids.pop()
    conn.execute("INSERT INTO person_keys VALUES (?, ?)", (key, pid))
    return pid


def merge_people(conn: sqlite3.Connection, doc: Document, alignments: Iterable[Alignment]) -> int:
    """Fold the person ids of speakers that aligned versions say are one person; how many were folded."""
    merged = 0
    for alignment in alignments:
        ours_first = alignment.first == doc.id
        other = alignment.second if ours_first else alignment.first
        speakers = {}
        for ident, idx, name, pid in conn.execute(
                "SELECT document_id, idx, speaker, speaker_id FROM turns WHERE document_id IN (?, ?)", (doc.id, other)):
            speakers[ident, idx] = (name, pid)
        shorter = min(sum(1 for k in speakers if k[0] == doc.id), sum(1 for k in speakers if k[0] == other))
        if not shorter or len(alignment.turns) / shorter < MERGE_COVERAGE:
            continue
        for pair in alignment.turns:
            mine = speakers.get((doc.id, pair.a if ours_first else pair.b))
            theirs = speakers.get((other, pair.b if ours_first else pair.a))
            if pair.confidence < MERGE_CONFIDENCE or not mine or not theirs or not mine[1] or not theirs[1]:
                continue
            if mine[1] == theirs[1] or not _alike(mine[0], theirs[0]):
                continue
            if is_corpus_id(mine[1]):
                old, new = mine[1], theirs[1]
            elif is_corpus_id(theirs[1]):
                old, new = theirs[1], mine[1]
            else:               # two officials of the registry: the alignment is wrong, not the registry
                continue
            fold_person(conn, old, new)
            merged += 1
            speakers = {k: (n, new if p == old else p) for k, (n, p) in speakers.items()}
    return merged


def _alike(a: str | None, b: str | None) -> bool:
    ka, kb = name_key(a), name_key(b)
    return bool(ka and kb) and SequenceMatcher(None, ka, kb).ratio() >= MERGE_NAME_LIKENESS


def fold_person(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Person ``old`` is person ``new``: every key, turn and mention of ``old`` becomes ``new``'s."""
    conn.execute("UPDATE person_keys SET person_id = ? WHERE person_id = ?", (new, old))
    conn.execute("UPDATE OR IGNORE speaker_names SET person_id = ? WHERE person_id = ?", (new, old))
    conn.execute("DELETE FROM speaker_names WHERE person_id = ?", (old,))
    conn.execute("UPDATE turns SET speaker_id = ? WHERE speaker_id = ?", (new, old))
    conn.execute("UPDATE mentions SET person_id = ? WHERE person_id = ?", (new, old))


# --- an existing corpus --------------------------------------------------------------------------------
def link_all(conn: sqlite3.Connection, load: Load) -> None:
    """Give a corpus written before person ids and alignments both (the schema step that adds them): the
    person ids of every speaker and person mention, groups for versions no address linked, the
    alignments of every group, and the merges they imply; a document at a time, in (day, id) order."""
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY day, id")]
    for ident in ids:
        doc = load(ident)
        conn.execute("UPDATE documents SET fingerprint = ? WHERE id = ?", (fingerprint(doc), ident))
        for rowid, speaker in conn.execute(
                "SELECT rowid, speaker FROM turns WHERE document_id = ? AND speaker IS NOT NULL", (ident,)).fetchall():
            pid = resolve_person(conn, speaker)
            conn.execute("UPDATE turns SET speaker_id = ? WHERE rowid = ?", (pid, rowid))
            if pid:
                conn.execute("INSERT OR IGNORE INTO speaker_names VALUES (?, ?, ?)", (pid, speaker, doc.language))
        for rowid, entity, text in conn.execute(
                "SELECT m.rowid, m.entity_id, m.text FROM mentions m JOIN turns t ON t.id = m.turn_id"
                " WHERE t.document_id = ? AND m.type = 'person'", (ident,)).fetchall():
            conn.execute("UPDATE mentions SET person_id = ? WHERE rowid = ?", (resolve_person(conn, entity or text), rowid))
    done: set[str] = set()
    for ident in ids:
        doc = load(ident)
        group = conn.execute("SELECT group_id FROM documents WHERE id = ?", (ident,)).fetchone()[0]
        if group == ident:
            found = version_group(conn, doc, load, among=done)
            if found is not None:
                conn.execute("UPDATE documents SET group_id = ? WHERE id = ?", (found, ident))
        # aligned with the versions already visited, as an ingest in this order would have
        alignments = record_alignments(conn, doc, load, among=done)
        merge_people(conn, doc, alignments)
        done.add(ident)
