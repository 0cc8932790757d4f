"""A speaker filter finds a person in every language: a name the registry of officials knows, in any
printed form of any language (``Lavrov``, ``Лавров``, ``Lawrow``, ``"Sergey Lavrov"``) or as its id
(``sergey-lavrov``), stands for every form of that person's name, so the filter finds their turns in
every language version, in both indexes (compile.py and turn_index/query.py read every_name). Names
outside the registry are matched as printed."""

from __future__ import annotations

from stenogram.parse.names import Official, registry


def official(name: str) -> Official | None:
    """The official of the registry a speaker filter's value names, by id or by any printed form."""
    found = registry().officials.get(name.strip().lower())
    return found if found is not None else registry().find(name)


def every_name(name: str) -> tuple[str, ...]:
    """The forms of the person's name in every language, the given one first; just the name when the
    registry does not know it."""
    person = official(name)
    if person is None:
        return (name,)
    forms = [name]
    for printed in person.names.values():
        forms.extend(f for f in printed if f not in forms)
    return tuple(forms)
