"""The document model: Document, Turn, Participant, Mention, Section, and their contract JSON.

The JSON form is ``stenogram/document@1`` (see the README, "The document contract"). Everything is a
frozen dataclass, so a stage takes a Document and returns a new one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from stenogram.errors import ContractError

SCHEMA = "stenogram/document@1"

DocumentKind = Literal[
    "press_conference", "briefing", "interview", "remarks", "speech",
    "statement", "comment", "article", "meeting", "other",
]
TurnKind = Literal["statement", "question", "answer", "moderator", "other"]
MentionType = Literal["country", "region", "organization", "person", "place", "money", "quantity", "date"]

DOCUMENT_KINDS: tuple[str, ...] = DocumentKind.__args__  # type: ignore[attr-defined]
TURN_KINDS: tuple[str, ...] = TurnKind.__args__  # type: ignore[attr-defined]
MENTION_TYPES: tuple[str, ...] = MentionType.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Participant:
    name: str
    role: str | None = None
    country: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "country": self.country}


@dataclass(frozen=True, slots=True)
class Turn:
    index: int
    kind: TurnKind
    speaker: str | None
    label: str | None
    paragraphs: tuple[str, ...]
    affiliation: str | None = None
    translated_from: str | None = None
    addressed_to: tuple[str, ...] = ()
    after: str | None = None
    reply_to: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "speaker": self.speaker,
            "label": self.label,
            "affiliation": self.affiliation,
            "translated_from": self.translated_from,
            "addressed_to": list(self.addressed_to),
            "after": self.after,
            "reply_to": self.reply_to,
            "paragraphs": list(self.paragraphs),
            "text": self.text,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Mention:
    type: MentionType
    text: str
    turn: int
    start: int
    end: int
    id: str | None = None
    value: float | None = None
    unit: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type, "text": self.text, "id": self.id, "turn": self.turn,
            "start": self.start, "end": self.end, "value": self.value, "unit": self.unit,
        }


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    turn: int | None

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "turn": self.turn}


@dataclass(frozen=True, slots=True)
class Event:
    place: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"place": self.place, "date": self.date}


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    language: str
    title: str
    published: str | None
    kind: DocumentKind
    event: Event = Event()
    versions: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    turns: tuple[Turn, ...] = ()
    mentions: tuple[Mention, ...] = ()
    sections: tuple[Section, ...] = ()
    preamble: tuple[str, ...] = ()
    boilerplate: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    url: str | None = None
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """The contract JSON (``stenogram/document@1``); ``warnings`` are not part of it."""
        return {
            "schema": SCHEMA,
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "language": self.language,
            "title": self.title,
            "published": self.published,
            "kind": self.kind,
            "event": self.event.to_json(),
            "versions": list(self.versions),
            "participants": [p.to_json() for p in self.participants],
            "turns": [t.to_json() for t in self.turns],
            "mentions": [m.to_json() for m in self.mentions],
            "sections": [s.to_json() for s in self.sections],
            "preamble": list(self.preamble),
            "boilerplate": list(self.boilerplate),
            "header": list(self.header),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        """Build a Document from contract JSON; raises ContractError naming the bad field.

        Types are checked only as far as building needs; ``stenogram.collect.validate.check_document`` checks
        a document from outside against the whole contract first."""
        if not isinstance(data, Mapping):
            raise ContractError("not a stenogram document: the JSON value is not an object")
        try:
            if data.get("schema") != SCHEMA:
                raise ContractError(
                    f"not a stenogram document: 'schema' is {data.get('schema')!r}, expected {SCHEMA!r}"
                )
            kind = data["kind"]
            if kind not in DOCUMENT_KINDS:
                raise ContractError(f"document kind {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
            turns = []
            for t in data["turns"]:
                if t["kind"] not in TURN_KINDS:
                    raise ContractError(f"turn kind {t['kind']!r} is not one of {', '.join(TURN_KINDS)}")
                turns.append(Turn(
                    index=int(t["index"]), kind=cast(TurnKind, t["kind"]), speaker=t.get("speaker"),
                    label=t.get("label"), paragraphs=tuple(t["paragraphs"]),
                    affiliation=t.get("affiliation"), translated_from=t.get("translated_from"),
                    addressed_to=tuple(t.get("addressed_to") or ()), after=t.get("after"),
                    reply_to=t.get("reply_to"), notes=tuple(t.get("notes") or ()),
                ))
            mentions = []
            for m in data.get("mentions") or ():
                if m["type"] not in MENTION_TYPES:
                    raise ContractError(f"mention type {m['type']!r} is not one of {', '.join(MENTION_TYPES)}")
                mentions.append(Mention(
                    type=cast(MentionType, m["type"]), text=m["text"], turn=int(m["turn"]),
                    start=int(m["start"]), end=int(m["end"]), id=m.get("id"),
                    value=m.get("value"), unit=m.get("unit"),
                ))
            event = data.get("event") or {}
            return cls(
                id=data["id"], url=data.get("url"), source=data["source"], language=data["language"],
                title=data["title"], published=data.get("published"), kind=cast(DocumentKind, kind),
                event=Event(place=event.get("place"), date=event.get("date")),
                versions=tuple(data.get("versions") or ()),
                participants=tuple(
                    Participant(name=p["name"], role=p.get("role"), country=p.get("country"))
                    for p in data.get("participants") or ()
                ),
                turns=tuple(turns), mentions=tuple(mentions),
                sections=tuple(Section(title=s["title"], turn=s.get("turn")) for s in data.get("sections") or ()),
                preamble=tuple(data.get("preamble") or ()),
                boilerplate=tuple(data.get("boilerplate") or ()),
                header=tuple(data.get("header") or ()),
            )
        except KeyError as exc:
            raise ContractError(f"the document has no {exc.args[0]!r} field, which the contract requires") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise ContractError(f"a field of the document has the wrong type: {exc}") from exc
