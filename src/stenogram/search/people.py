"""A speaker or person filter finds a person in every language. A name the registry of officials knows, in any
printed form of any language (``Lavrov``, ``Лавров``, ``Lawrow``, ``"Sergey Lavrov"``) or as its id
(``sergey-lavrov``), stands for every form of that person's name; and with the corpus at hand, so does
any name whose person id (``turns.speaker_id``, see align/people.py) the corpus knows: every name printed
on that person's turns, in every language, is a form. Both indexes read the forms (compile.py and
turn_index/query.py, through ``Filter.forms`` that ``with_every_name`` fills, or ``every_name``).

A name that matches no speaker at all gets the nearest speakers' names as suggestions
(``nearest_speakers``)."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from stenogram.align.people import official, person_id
from stenogram.align.turns import name_key
from stenogram.parse.names import registry
from stenogram.search.query import And, Filter, Node, Not, Or
from stenogram.store.sqlite import Store

#: a speaker is suggested for a name that matches nobody when their names are this alike (difflib's
#: ratio, 0..1), and no further than this below the nearest one
NEAREST_LIKENESS = 0.6
NEAREST_MARGIN = 0.1
#: at most this many printed forms stand for one speaker filter (a person has a handful per language)
MAX_FORMS = 40


def every_name(name: str) -> tuple[str, ...]:
    """The forms of the person's name in every language the registry has, the given one first; just the
    name when the registry does not know it."""
    person = official(name)
    if person is None:
        return (name,)
    forms = [name]
    for printed in person.names.values():
        forms.extend(f for f in printed if f not in forms)
    return tuple(forms)


def person_ids(store: Store, name: str) -> set[str]:
    """The ids of the people a speaker filter's value names: the registry's official, the corpus person
    whose key the name has, or the value itself when it is a stored id."""
    value = name.strip()
    ids: set[str] = set()
    pid, key = person_id(value)
    if pid is not None and not key:
        ids.add(pid)
    if key:         # the name's key, or for a surname alone the keys of the full names with that surname
        ids.update(r[0] for r in store.query(
            "SELECT person_id FROM person_keys WHERE key = ? OR (? AND key BETWEEN ? AND ?)",
            (key, "-" not in key, key + "-", key + "-\uffff")))
    if store.query("SELECT 1 FROM turns WHERE speaker_id = ? LIMIT 1", (value,)) or \
            store.query("SELECT 1 FROM mentions WHERE person_id = ? LIMIT 1", (value,)):
        ids.add(value)
    return ids


def stored_forms(store: Store, ids: set[str]) -> list[str]:
    """Every name printed on the turns of these people (``speaker_names``: a look-up, not a count of
    their turns, so a search by a speaker with 100,000 turns costs no more than one with ten)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.query(f"SELECT DISTINCT name FROM speaker_names WHERE person_id IN ({marks}) ORDER BY name LIMIT ?",
                       (*sorted(ids), MAX_FORMS))
    return [str(r[0]) for r in rows]


def display_names(store: Store, ids: set[str]) -> dict[str, str]:
    """Each person's English display name, cheaply: the registry's, else the first (in order) of the
    names printed for them in English documents, else in Latin script, else in any."""
    out: dict[str, str] = {}
    for pid in ids:
        person = registry().officials.get(pid)
        if person is not None:
            out[pid] = person.canonical("en")
            continue
        names = [(str(r[0]), str(r[1])) for r in store.query(
            "SELECT name, language FROM speaker_names WHERE person_id = ? ORDER BY name", (pid,))]
        english = [n for n, lang in names if lang == "en"]
        latin = [n for n, _ in names if re.search(r"[A-Za-z]", n)]
        out[pid] = (english or latin or [n for n, _ in names] or [pid])[0]
    return out


def forms_of(store: Store, name: str) -> tuple[str, ...]:
    """The registry's forms of the name and every printed name of the people it stands for in the corpus."""
    forms = list(every_name(name))
    forms.extend(f for f in stored_forms(store, person_ids(store, name)) if f not in forms)
    return tuple(forms[:MAX_FORMS])


def mentioned_forms(store: Store, name: str) -> tuple[str, ...]:
    """The name, and every name the person mentions of the people it stands for were resolved to (in
    every language: ``Сергей Лавров`` for ``person:"Sergey Lavrov"``)."""
    forms = [name]
    ids = person_ids(store, name)
    if ids:
        marks = ",".join("?" * len(ids))
        forms.extend(str(r[0]) for r in store.query(
            f"SELECT DISTINCT entity_id FROM mentions WHERE type = 'person' AND person_id IN ({marks})"
            " AND entity_id IS NOT NULL ORDER BY 1 LIMIT ?", (*sorted(ids), MAX_FORMS)) if r[0] not in forms)
    return tuple(forms[:MAX_FORMS])


def with_every_name(node: Node | None, store: Store) -> Node | None:
    """The query tree with each speaker and person filter's forms filled from the registry and the corpus."""
    if node is None:
        return None
    if isinstance(node, Filter):
        if node.field == "speaker":
            return replace(node, forms=forms_of(store, node.value))
        if node.field == "person":
            return replace(node, forms=mentioned_forms(store, node.value))
        return node
    if isinstance(node, Not):
        return Not(with_every_name(node.child, store) or node.child)
    if isinstance(node, (And, Or)):
        return type(node)(tuple(with_every_name(c, store) or c for c in node.children))
    return node


def speaker_filters(node: Node | None) -> list[Filter]:
    """The speaker filters a query tree requires or offers (not those it excludes)."""
    if isinstance(node, Filter):
        return [node] if node.field == "speaker" else []
    if isinstance(node, (And, Or)):
        return [f for c in node.children for f in speaker_filters(c)]
    return []


def nearest_speakers(store: Store, name: str, *, limit: int = 5) -> list[tuple[str, str | None, int]]:
    """(name, person id, turns) of the stored speakers whose names are nearest to ``name``, compared
    surname to surname across transliterations and as written; the most alike first."""
    wanted_key, wanted = name_key(name), name.casefold()
    scored = []
    for speaker, pid, turns in store.query(
            "SELECT speaker, min(speaker_id), count(*) FROM turns WHERE speaker IS NOT NULL GROUP BY speaker"):
        by_key = SequenceMatcher(None, wanted_key, name_key(speaker)).ratio() if wanted_key else 0.0
        as_written = SequenceMatcher(None, wanted, str(speaker).casefold()).ratio()
        score = max(by_key, as_written)
        if score >= NEAREST_LIKENESS:
            scored.append((score, int(turns), str(speaker), pid))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    out: list[tuple[str, str | None, int]] = []
    seen: set[str] = set()
    for score, turns, speaker, pid in scored:
        if score < scored[0][0] - NEAREST_MARGIN:
            break
        if (pid or speaker) not in seen:
            seen.add(pid or speaker)
            out.append((speaker, pid, turns))
        if len(out) == limit:
            break
    return out



def names_of(store: Store, ids: set[str]) -> dict[str, dict[str, str]]:
    """Each person's display name per language they speak in: the registry's name in that language, else
    the name most printed on their turns in it; ``en`` always (the registry's, else ``display_names``)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    printed: dict[str, dict[str, tuple[int, str]]] = {}
    for pid, language, speaker, n in store.query(
            f"SELECT t.speaker_id, d.language, t.speaker, count(*) FROM turns t JOIN documents d ON d.id = t.document_id"
            f" WHERE t.speaker_id IN ({marks}) GROUP BY 1, 2, 3", tuple(sorted(ids))):
        best = printed.setdefault(pid, {}).get(language)
        if best is None or (n, speaker) > best:
            printed[pid][language] = (n, speaker)
    out: dict[str, dict[str, str]] = {}
    for pid in ids:
        person = registry().officials.get(pid)
        names = {lang: person.canonical(lang) if person else name for lang, (_, name) in printed.get(pid, {}).items()}
        names.setdefault("en", person.canonical("en") if person else display_names(store, {pid})[pid])
        out[pid] = dict(sorted(names.items()))
    return out


def by_person(store: Store, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Counts by printed speaker name merged by person: one entry a person, under their English name."""
    if not counts:
        return counts
    names = [name for name, _ in counts]
    marks = ",".join("?" * len(names))
    ids = {str(r[0]): str(r[1]) for r in store.query(
        f"SELECT name, min(person_id) FROM speaker_names WHERE name IN ({marks}) GROUP BY name", tuple(names))}
    display = display_names(store, set(ids.values()))
    merged: dict[str, int] = {}
    for name, n in counts:
        label = display[ids[name]] if name in ids else name
        merged[label] = merged.get(label, 0) + n
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))


def person_names(store: Store, ids: set[str]) -> dict[str, str]:
    """Each person id's English display name: the registry's, else the name their mentions were most
    often resolved to, else the one most printed on their turns; an id the corpus does not know is its
    own name."""
    out = {}
    for pid in ids:
        person = registry().officials.get(pid)
        if person is not None:
            out[pid] = person.canonical("en")
            continue
        row = store.query("SELECT entity_id, count(*) AS n FROM mentions WHERE person_id = ? AND entity_id IS NOT NULL"
                          " GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT 1", (pid,))
        out[pid] = str(row[0][0]) if row else names_of(store, {pid}).get(pid, {}).get("en", pid)
    return out
