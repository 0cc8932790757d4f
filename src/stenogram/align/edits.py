"""What changed between two versions of one transcript: its metadata, its turns (added, removed, moved,
changed) and, inside a changed turn, the words inserted and deleted.

    diff = compare(old, new)
    diff.summary()            # {'turns_changed': 1, 'turns_removed': 1, 'title': True, ...}
    for change in diff.turns: print(change.kind, change.old_index, change.new_index, change.words)

Only what a reader of the transcript sees counts (:func:`substance`): the title, dates, place, kind and
the turns' speakers, labels and text. Boilerplate, menus, markup, the parser's notes about the page and
the entities found in the text are not part of a version, so a page whose menu changed is not edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from stenogram.model import Document, Turn

#: what became of a turn from one version to the next
ChangeKind = Literal["added", "removed", "changed", "moved"]
#: a piece of a changed turn's words: kept, deleted (only in the old version) or inserted (only in the new)
Op = Literal["equal", "delete", "insert"]

#: the metadata a version is compared on, with what a reader calls them
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"), ("published", "publication date"), ("event_date", "event date"),
    ("event_place", "place"), ("kind", "kind"),
)
#: two turns at the same place in a changed stretch are one turn edited when at least this share of
#: their words is common (else the old one was removed and the new one added)
SAME_TURN = 0.5

_PIECES = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class TurnChange:
    """One turn added, removed, moved or changed; its index in each version it is in."""

    kind: ChangeKind
    old_index: int | None
    new_index: int | None
    speaker: str | None
    old_text: str | None
    new_text: str | None
    #: for a changed turn: its words as (op, text) pieces, spaces included, in reading order
    words: tuple[tuple[Op, str], ...] = ()
    #: for a changed turn: the speaker or label before, when they changed
    old_speaker: str | None = None

    @property
    def deleted(self) -> str:
        """The words taken out of a changed turn, joined."""
        return " ".join(text.strip() for op, text in self.words if op == "delete" and text.strip())

    @property
    def inserted(self) -> str:
        """The words put into a changed turn, joined."""
        return " ".join(text.strip() for op, text in self.words if op == "insert" and text.strip())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "old_index": self.old_index, "new_index": self.new_index,
                               "speaker": self.speaker, "old_text": self.old_text, "new_text": self.new_text}
        if self.kind == "changed":
            out["words"] = [[op, text] for op, text in self.words]
            if self.old_speaker is not None:
                out["old_speaker"] = self.old_speaker
        return out


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    fields: tuple[FieldChange, ...] = ()
    turns: tuple[TurnChange, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.fields and not self.turns

    def summary(self) -> dict[str, Any]:
        """Counts of the changed turns by kind, and the metadata fields that changed."""
        out: dict[str, Any] = {f"turns_{kind}": sum(1 for t in self.turns if t.kind == kind)
                               for kind in ("added", "removed", "changed", "moved")}
        out["fields"] = [f.field for f in self.fields]
        return out

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary(), "fields": [f.to_json() for f in self.fields],
                "turns": [t.to_json() for t in self.turns]}


#: what the summary of a version calls each kind of turn change
_KINDS = (("turns_changed", "changed"), ("turns_added", "added"), ("turns_removed", "removed"),
          ("turns_moved", "moved"))
#: the metadata fields by what a reader calls them
FIELD_NAMES: dict[str, str] = dict(FIELDS)


def describe(changes: dict[str, Any] | None) -> str:
    """A version's changes (:meth:`DocumentDiff.summary`) in words: ``turns: 1 changed, 1 removed; title
    changed``; ``first seen`` for a first version."""
    if not changes:
        return "first seen"
    parts = [f"{int(changes.get(key, 0))} {word}" for key, word in _KINDS if int(changes.get(key, 0))]
    fields = [FIELD_NAMES.get(f, f) for f in changes.get("fields", [])]
    text = "turns: " + ", ".join(parts) if parts else ""
    if fields:
        text = f"{text}; {', '.join(fields)} changed" if text else f"{', '.join(fields)} changed"
    return text or "no change in the transcript"


def metadata(doc: Document) -> dict[str, str | None]:
    """The metadata a version is compared on (:data:`FIELDS`)."""
    return {"title": doc.title, "published": doc.published, "event_date": doc.event.date,
            "event_place": doc.event.place, "kind": doc.kind}


def _turn_key(turn: Turn) -> tuple[str | None, str | None, str]:
    return (turn.speaker, turn.label, " ".join(turn.text.split()))


def substance(doc: Document) -> tuple[Any, ...]:
    """What a reader of the transcript sees: two versions with equal substance are one version."""
    return (tuple(metadata(doc).items()), tuple(_turn_key(t) for t in doc.turns))


def compare(old: Document, new: Document) -> DocumentDiff:
    """The changes from ``old`` to ``new`` (two versions of one document)."""
    before, after = metadata(old), metadata(new)
    fields = tuple(FieldChange(name, before[name], after[name]) for name, _ in FIELDS if before[name] != after[name])
    return DocumentDiff(fields, tuple(_turn_changes(old.turns, new.turns)))


def _turn_changes(old: tuple[Turn, ...], new: tuple[Turn, ...]) -> list[TurnChange]:
    keys_old, keys_new = [_turn_key(t) for t in old], [_turn_key(t) for t in new]
    removed: list[Turn] = []
    added: list[Turn] = []
    changed: list[TurnChange] = []
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = list(old[i1:i2]), list(new[j1:j2])
        # turns at the same place in the stretch, alike enough, are one turn edited
        for a, b in zip(gone[:], came[:], strict=False):
            if _likeness(a.text, b.text) >= SAME_TURN or (a.speaker == b.speaker and a.speaker and len(gone) == len(came)):
                changed.append(_changed(a, b))
                gone.remove(a)
                came.remove(b)
        removed.extend(gone)
        added.extend(came)
    out = list(changed)
    # a turn taken out in one place and put in unchanged in another has moved
    by_key: dict[tuple[str | None, str | None, str], list[Turn]] = {}
    for turn in added:
        by_key.setdefault(_turn_key(turn), []).append(turn)
    for turn in removed:
        same = by_key.get(_turn_key(turn))
        if same:
            moved = same.pop(0)
            out.append(TurnChange("moved", turn.index, moved.index, turn.speaker, turn.text, moved.text))
        else:
            out.append(TurnChange("removed", turn.index, None, turn.speaker, turn.text, None))
    out.extend(TurnChange("added", None, t.index, t.speaker, None, t.text) for rest in by_key.values() for t in rest)
    return sorted(out, key=lambda c: (c.new_index if c.new_index is not None else c.old_index or 0,
                                      c.old_index if c.old_index is not None else -1))


def _likeness(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _changed(a: Turn, b: Turn) -> TurnChange:
    before = _PIECES.findall(a.text)
    after = _PIECES.findall(b.text)
    pieces: list[tuple[Op, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            _add(pieces, "equal", "".join(before[i1:i2]))
            continue
        if op in ("delete", "replace"):
            _add(pieces, "delete", "".join(before[i1:i2]))
        if op in ("insert", "replace"):
            _add(pieces, "insert", "".join(after[j1:j2]))
    old_speaker = a.speaker or a.label if (a.speaker, a.label) != (b.speaker, b.label) else None
    return TurnChange("changed", a.index, b.index, b.speaker, a.text, b.text, tuple(pieces), old_speaker)


def _add(pieces: list[tuple[Op, str]], op: Op, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1][0] == op:
        pieces[-1] = (op, pieces[-1][1] + text)
    else:
        pieces.append((op, text))
