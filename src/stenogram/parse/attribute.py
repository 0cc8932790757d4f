"""Who speaks each raw turn, what kind of turn it is, what it replies to, and what its label's notes say."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stenogram.model import Turn, TurnKind
from stenogram.parse import labels
from stenogram.parse import patterns as P
from stenogram.parse.names import Resolver, fold, looks_like_person, split_role_name
from stenogram.parse.segment import RawTurn

_FLOOR = re.compile(
    r"\b(?:the floor|next question|last question|go ahead|please|your question|give the floor|"
    r"пожалуйста|следующий вопрос|последний вопрос|слово|прошу|bitte|nächste Frage|das Wort|por favor|"
    r"siguiente pregunta|adelante|tiene la palabra|s'il vous plaît|s’il vous plaît|question suivante|la parole|"
    r"this concludes|that concludes|out of time|завершен\w*|на этом|beendet|concluye|termine)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cast:
    """What attribution knows about the document's people."""

    resolver: Resolver
    #: the speaker of unlabelled monologue and of bare answer labels ("A", "Spokesman")
    default_speaker: str | None
    #: people the title names as taking part, in title order
    title_people: tuple[str, ...]
    #: labels that are not people are outlets
    outlet_labels: bool
    home_country: str | None
    #: the most frequent named speaker: the interviewee when the title names nobody
    main_speaker: str | None = None
    #: the full name the document prints for a surname ("Jean-Pierre" → "Karine Jean-Pierre"), or None
    full_name: Callable[[str], str | None] | None = None


def _label_notes(label: labels.Label, cast: Cast) -> tuple[str | None, list[str], str | None, list[str], str | None]:
    """(translated_from, addressed_to, after, turn notes, affiliation) from the label's bracketed notes."""
    translated: str | None = None
    after: str | None = None
    affiliation: str | None = None
    addressed: list[str] = []
    notes: list[str] = []
    for note in label.notes:
        for part in (p.strip() for p in note.split(",")):
            if not part:
                continue
            if P.AFFILIATION_NOTE.match(part) or part.casefold() in labels.KNOWN_OUTLETS:
                affiliation = part
                continue
            if P.TIMESTAMP_NOTE.match(part):
                notes.append(f"({part})")
                continue
            lang = labels.translated_from(part)
            if lang:
                translated = lang
                continue
            m = P.AFTER.match(part)
            if m:
                after = cast.resolver.resolve(m.group("who")) or m.group("who")
                continue
            m = P.ADDRESSED_TO.match(part)
            if m and not P.PLAIN_LABEL_NOTES.match(part):
                who = (m.group("who") or m.group("both") or "").strip()
                if P.BOTH_WORDS.match(who) or P.BOTH_WORDS.match(part):
                    addressed.extend(cast.title_people)
                elif who:
                    addressed.append(cast.resolver.resolve(who) or who)
    return translated, addressed, after, notes, affiliation


def _capitalised(word: str) -> str:
    """``JEAN-PIERRE`` → ``Jean-Pierre``, ``O'BRIEN`` → ``O'Brien`` (an upper-case word of a label)."""
    if re.fullmatch(r"(?:\w\.)+\w*", word) and len(word) <= 4 and "." in word:
        return word
    return re.sub(r"(?<=[-’'.])(\w)", lambda m: m.group(1).upper(), word.capitalize())


def _without_honorific(printed: str) -> str:
    """``Ms. Jean-Pierre`` → ``Jean-Pierre``: an honorific is neither a role nor part of the name."""
    tokens = printed.split()
    while len(tokens) > 1 and tokens[0].casefold().rstrip(".") in P.HONORIFICS:
        tokens = tokens[1:]
    return " ".join(tokens)


def _comma_label(name: str) -> tuple[str, str | None, str | None]:
    """A label in two parts around a comma: ``Ms. KAMIKAWA Yoko, Minister for Foreign Affairs`` and
    ``Official Spokesperson, Shri Randhir Jaiswal`` → (name, role, None); ``NHK, Sato`` → (name, None, outlet)."""
    if name.count(",") != 1:
        return name, None, None
    left, right = (part.strip() for part in name.split(","))
    if not left or not right:
        return name, None, None
    if left.casefold() in labels.KNOWN_OUTLETS and len(right.split()) <= 3:
        return right, None, left

    def is_role(part: str) -> bool:
        # role words, their objects and small words only ("Minister for Foreign Affairs", "Official Spokesperson")
        words = [w.casefold().strip(".") for w in part.split()]
        return any(w in P.ROLE_WORDS for w in words) and all(
            w in P.ROLE_WORDS or w in P.ROLE_OBJECT_WORDS or w in P.NAME_PARTICLES or w in P.HONORIFICS for w in words)

    if is_role(right) and not is_role(left):
        return left, right, None
    if is_role(left) and not is_role(right):
        return right, left, None
    return name, None, None


def _person_label(name: str, cast: Cast) -> tuple[str | None, str | None, str | None]:
    """(speaker, role, country) for a label that names a person; speaker None if it does not."""
    name, comma_role, _ = _comma_label(name)
    if comma_role is not None:
        speaker, role, country = _person_label(name, cast)
        if speaker is None:
            return None, None, None
        from stenogram.parse.titles import _role_country

        own_role, own_country = _role_country(comma_role)
        return speaker, role or own_role or None, country or own_country
    printed = name
    if name.isupper() and len(name) > 2:
        printed = " ".join(_capitalised(w) for w in name.split())
    for known in cast.resolver.people:
        # a label that is a person's role: "Presidente del Gobierno.-" under a title naming "el presidente
        # del Gobierno, Pedro Sánchez"
        if known.role and fold(known.role) == fold(printed):
            return known.name, None, None
    bare = _without_honorific(printed)
    honorific = bare != printed
    role, person = split_role_name(bare)
    if not person:
        return None, None, None
    resolved = cast.resolver.resolve(person) or cast.resolver.resolve(printed)
    if resolved is None and honorific and cast.full_name is not None and len(person.split()) == 1:
        # "MS. DALTON": the full name the page prints elsewhere ("... Olivia Dalton and ...")
        resolved = cast.full_name(person)
    if resolved is None:
        if cast.outlet_labels or printed.casefold() in labels.KNOWN_OUTLETS:
            return None, None, None
        single_name = len(person.split()) == 1 and not person.isupper() and person[:1].isupper()
        if not looks_like_person(person) and not (role and person) and not single_name and not honorific:
            return None, None, None
        resolved = person
    country = None
    if role:
        from stenogram.parse.titles import _role_country

        role, country = _role_country(role)
        role = role or None
    return resolved, role, country


def attribute(raw: list[RawTurn], cast: Cast) -> list[Turn]:
    turns: list[Turn] = []
    last_question: int | None = None
    for n, raw_turn in enumerate(raw):
        index = len(turns)
        label = raw_turn.label
        kind: TurnKind
        speaker: str | None = None
        affiliation: str | None = None
        translated = after = None
        addressed: list[str] = []
        notes = list(raw_turn.notes)
        if label is None and raw_turn.answer:
            # a reply in a dash dialogue: the interviewee the title or the lead names
            speaker = cast.default_speaker or cast.main_speaker
            kind = "answer" if last_question is not None else "statement"
        elif label is None:
            speaker = cast.default_speaker
            kind = "question" if raw_turn.question else "statement"
            if speaker is None and not raw_turn.question:
                kind = "other"
            if raw_turn.question:
                speaker = None
        else:
            translated, addressed, after, label_notes, affiliation = _label_notes(label, cast)
            outlet = _comma_label(label.name)[2]
            affiliation = affiliation or outlet
            notes = label_notes + notes
            word = label.word
            if P.NUMBERED_SPEAKER.match(label.name):
                # someone the transcript does not name: a questioner when the turn asks, else unattributed
                kind = "question" if any("?" in p for p in raw_turn.paragraphs) else "other"
            elif word in P.QUESTION_WORDS:
                kind = "question"
            elif word in P.ANSWER_WORDS or word in P.SPOKESPERSON_WORDS:
                kind, speaker = ("answer" if last_question is not None else "statement"), cast.default_speaker
            elif word in P.MODERATOR_WORDS:
                kind = "moderator"
            else:
                speaker, role, country = _person_label(label.name, cast)
                if speaker is None:
                    kind, affiliation = "question", label.name
                else:
                    # "Oana Lungescu (NATO Spokesperson)": a note that is a role is the speaker's role
                    role = role or next((n for n in label.notes if any(w.casefold() in P.ROLE_WORDS for w in n.split())
                                         and n.casefold() not in labels.KNOWN_OUTLETS), None)
                    cast.resolver.add(speaker, role, country)
                    kind = _named_kind(raw_turn, speaker, cast, last_question)
                    # between someone's reply and the next question (a reply to a question, however short,
                    # is an answer): a turn that only gives the floor moderates
                    between = n > 0 and not _asks(raw[n - 1]) and n + 1 < len(raw) and _asks(raw[n + 1])
                    if (role and role.casefold() in P.MODERATOR_WORDS) or (between and _gives_floor(raw_turn)):
                        kind = "moderator"
        reply_to = last_question if kind == "answer" else None
        if kind == "question":
            last_question = index
        turns.append(Turn(
            index=index, kind=kind, speaker=speaker, label=label.printed if label else None,
            paragraphs=tuple(raw_turn.paragraphs), affiliation=affiliation, translated_from=translated,
            addressed_to=tuple(addressed), after=after, reply_to=reply_to, notes=tuple(notes),
        ))
    return turns


def _asks(raw: RawTurn) -> bool:
    """Whether a raw turn is a question by its label (or the segmenter's word)."""
    return raw.question or (raw.label is not None and raw.label.word in P.QUESTION_WORDS)


def _gives_floor(raw: RawTurn) -> bool:
    """A short turn, before a question, that only gives the floor: "Go ahead.", "Thanks, Brian.  Jim.",
    "We have time for one or two more." (whoever says it: the press secretary while a guest answers)."""
    text = " ".join(raw.paragraphs)
    if not text or len(text.split()) > 20:
        return False
    if _FLOOR.search(text) or _LAST_CALL.search(text):
        return True
    m = P.FLOOR_CALL.search(text)
    return m is not None and all(w.casefold() not in P.NOT_A_CALL for w in m.group("name").split())


_LAST_CALL = re.compile(r"\b(?:one or two more|a few more|time for (?:one|a couple|a few)|one more question|"
                        r"last (?:one|question)|pasamos a las preguntas|nous passons aux questions|"
                        r"kommen wir zu)\b", re.IGNORECASE)


def _named_kind(raw: RawTurn, speaker: str, cast: Cast, last_question: int | None) -> TurnKind:
    # the most frequent label is the principal only when the title names nobody (a moderator may speak most)
    main = cast.main_speaker if not cast.title_people else None
    principal = speaker in cast.title_people or speaker in (cast.default_speaker, main)
    if not principal:
        text = " ".join(raw.paragraphs)
        if text.rstrip().endswith("?") and (cast.title_people or cast.default_speaker or cast.main_speaker):
            return "question"
        if len(text) < 600 and len(text.split()) <= 60 and _FLOOR.search(text):
            return "moderator"
    return "answer" if last_question is not None else "statement"
