"""The body cut into raw turns: labels, section markers, stage directions, chrome.

Attribution (who speaks, which kind of turn, what it replies to) happens afterwards, in
:mod:`stenogram.parse.attribute`; this module only decides where turns begin and end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from stenogram.parse import labels
from stenogram.parse import patterns as P
from stenogram.parse.header import chrome_text, is_chrome
from stenogram.parse.labels import Label
from stenogram.parse.trace import record

_SUBHEADING = re.compile(
    r"^(?:Beginning of (?:the )?(?:meeting|talks|conversation)\b.*|Excerpts? from (?:the )?transcript\b.*|"
    r"Начало (?:встречи|переговоров|беседы)\b.*|Из стенограммы\b.*|Continuation of\b.*|End of\b.*|"
    r"Russian-\w+ talks\b.*|Продолжение\b.*)$"
)
_REPORTING = re.compile(
    r"\b(?:interview\w*|excerpts?|transcript|spoke to|told|answered|asked|full (?:Russian |English )?text|"
    r"is available|published|below|интервью|ответил\w*|рассказал\w*|стенограмм\w*|"
    r"recevons|reçoit|invitée?|entretien|a répondu|transcription|eröffnet|begrüßt|beantwortet\w*|Wortlaut|"
    r"entrevista|respondió|concedió|transcripción)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|me|my|я|меня|мой)\b")
_FINAL_PUNCT = re.compile(r"[.!?,;…\"»”)\]]$")


@dataclass(slots=True)
class RawTurn:
    label: Label | None
    paragraphs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: set by the segmenter for a paragraph it knows to be a question without a label
    question: bool = False
    #: set by the segmenter for a reply in a dash dialogue (the interviewee's "— ...")
    answer: bool = False


@dataclass(slots=True)
class Body:
    turns: list[RawTurn] = field(default_factory=list)
    sections: list[tuple[str, int | None]] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)


def strip_notes(paragraph: str) -> tuple[str, list[str]]:
    """Remove inline stage directions: ``Hello (Laughter.) there`` → (``Hello there``, [``(Laughter.)``])."""
    if "(" not in paragraph and "[" not in paragraph and "<" not in paragraph and ".." not in paragraph:
        return paragraph, []
    notes: list[str] = []
    text = ""
    cursor = 0
    for m in P.INLINE_NOTE.finditer(paragraph):
        notes.append(m.group(0))
        text = _join(text, paragraph[cursor:m.start()])
        cursor = m.end()
    if not notes:
        return paragraph, notes
    return _join(text, paragraph[cursor:]).strip(), notes


def _join(left: str, right: str) -> str:
    """Glue the text on both sides of a removed note with one space (none before punctuation)."""
    left, right = left.rstrip(" "), right.lstrip(" ")
    if not left or not right:
        return left + right
    return left + ("" if right[0] in ".,;:?!" else " ") + right


_NUMBERED_TOPIC = re.compile(r"^(?:\d{1,2}\s+[-–]|\(\d{1,2}\))\s+(?=\S)")


def _is_heading(line: str, toc: set[str], allow_generic: bool, next_line: str | None) -> bool:
    if line in toc or line.startswith("**") or P.QA_HEADINGS.match(line) or _SUBHEADING.match(line):
        return True
    if not allow_generic or next_line is None:
        return False
    # a briefing's numbered topic: "1 - Ukraine - Aide humanitaire"
    line = _NUMBERED_TOPIC.sub("", line, count=1)
    words = line.split()
    return (
        1 <= len(words) <= 12
        and line[0].isupper()
        and not _FINAL_PUNCT.search(line)
        and not line.endswith(":")
    )


def _tail_start(lines: Sequence[str], bare_q: bool = False) -> int:
    """Where the page's footer begins: the trailing run of chrome and short unpunctuated lines (tags, menus)."""
    i = len(lines)
    while i > 0:
        line = lines[i - 1]
        short = len(line.split()) <= 6 and not _FINAL_PUNCT.search(line) and not line.endswith(":")
        if not (is_chrome(line) or short) or P.SECTION_BREAK.match(line) \
                or labels.at_start(line, bare_q=bare_q) is not None \
                or (P.STANDALONE_DIRECTION.match(line) and not is_chrome(line)) or _closing_line(line):
            break
        i -= 1
    # Keep at least one body line: a page that is all short lines is text, not footer.
    return i if i > 0 else len(lines)


def _closing_line(line: str) -> bool:
    """A transcript's own closing line: its end time ("2:38 P.M. EDT") or an "END" mark."""
    return bool(P.START_TIME_LINE.match(line) or P.END_MARK.match(line))


def _dash_dialogue(lines: Sequence[str], known: frozenset[str]) -> bool:
    """Whether the body is an interview in dash dialogue: the interviewer's questions unlabelled, each
    reply opening with "— ". At least two replies must follow a paragraph that is no list's lead (not
    ending in ":" or ";"), most such replies are one paragraph long (lists of "— ..." items are not
    replies), and no paragraph from the first question on carries a label."""
    if not any(P.DASH_REPLY.match(line) for line in lines):
        return False
    replies = single = 0
    for n, line in enumerate(lines):
        if not P.DASH_REPLY.match(line) or n == 0 or P.DASH_REPLY.match(lines[n - 1]):
            continue
        if lines[n - 1].rstrip().endswith((":", ";")):
            continue
        replies += 1
        single += not (n + 1 < len(lines) and P.DASH_REPLY.match(lines[n + 1]))
    if replies < 2 or 2 * single < replies:
        return False
    # the page's head ("Текст: редакция") may look like a label; the dialogue may not
    first = next((n for n in range(len(lines)) if _asks(lines, n)), len(lines))
    return not any(labels.at_start(line, known) is not None for line in lines[first:] if not is_chrome(line))


def _asks(lines: Sequence[str], n: int) -> bool:
    """In a dash dialogue, whether line n is a question: a paragraph right before a reply that opens no list."""
    line = lines[n]
    if P.DASH_REPLY.match(line) or line.rstrip().endswith((":", ";")) or is_chrome(line):
        return False
    for following in lines[n + 1:]:
        if not is_chrome(following):
            return P.DASH_REPLY.match(following) is not None
    return False


def known_label_names(lines: Sequence[str], people: Sequence[str]) -> set[str]:
    """Names that may start a turn mid-paragraph: labels seen at paragraph starts, people, question words."""
    names = {"Question", "QUESTION", "Вопрос", "ВОПРОС", "Frage", "Pregunta", "Follow-up", "Реплика"}
    for line in lines:
        found = labels.at_start(line)
        if found is not None and len(found.name) > 1:
            names.add(found.name)
    names.update(p for p in people if p)
    return names


def segment(
    lines: Sequence[str],
    *,
    toc: Sequence[str] = (),
    allow_generic_headings: bool = False,
    lead_is_preamble: bool = False,
    reported_lead_is_preamble: bool = False,
    known: frozenset[str] = frozenset(),
    inline_names: set[str] | None = None,
) -> Body:
    body = Body()
    toc_set = set(toc)
    finder = labels.inline_finder(inline_names or ())
    current: RawTurn | None = None
    seen_marker = False   # a label, a "* * *" or a heading has been met (ends a Kremlin lead)
    seen_label = False    # a turn has begun with a label (the head's field lines come before)
    bare_q = labels.uses_bare_q(lines)
    # Questions marked "Q." and answers with no label at all (eeas.europa.eu): the paragraphs after a question
    # are the principal's answer.
    unlabelled_answers = bare_q and not any(
        (found := labels.at_start(line, known, bare_q=True)) is not None and found.name != "Q" for line in lines)
    tail = _tail_start(lines, bare_q)
    page = lines[:tail]
    dash = _dash_dialogue(page, known)
    asked = False         # dash dialogue: a question has been met (what comes before is the outlet's lead)

    def close() -> None:
        nonlocal current
        if current is not None and (current.paragraphs or current.label is not None):
            body.turns.append(current)
        elif current is not None and current.notes:
            body.preamble.extend(current.notes)
        current = None

    def add_paragraph(text: str) -> bool:
        """Add a paragraph to the current turn (begun if need be); False when it went to the preamble."""
        nonlocal current
        text, notes = strip_notes(text)
        if current is None:
            third_person_lead = (
                reported_lead_is_preamble and not body.turns and _REPORTING.search(text) is not None
                and _FIRST_PERSON_SINGULAR.search(text) is None
            )
            if (lead_is_preamble and not seen_marker) or third_person_lead:
                body.preamble.append(text)
                body.preamble.extend(notes)
                return False
            current = RawTurn(label=None)
        if text:
            current.paragraphs.append(text)
        current.notes.extend(notes)
        return True

    def in_turn(n: int, rule: str, made: Sequence[RawTurn], part: str) -> None:
        """Record line n as part of the turns it began (``made``), else of the current turn."""
        if current is not None:
            record(n, "turn", rule, turns=tuple(made) or (current,), part=part)

    for n, line in enumerate(page):
        next_line = lines[n + 1] if n + 1 < tail else None
        if is_chrome(line):
            body.boilerplate.append(chrome_text(line))
            record(n, "boilerplate", "site chrome (menu, share, print or subscription line)")
            continue
        if P.SECTION_BREAK.match(line):
            close()
            seen_marker = True
            body.sections.append((line.strip(), len(body.turns)))
            record(n, "section", "a section break")
            continue
        if dash:
            if _asks(page, n):
                close()
                asked = seen_marker = True
                current = question = RawTurn(label=None, question=True)
                add_paragraph(line)
                close()
                record(n, "turn", "dash dialogue: the paragraph before a reply is a question", turns=(question,),
                       part="text")
                continue
            if P.DASH_REPLY.match(line) and current is None and asked:
                current = RawTurn(label=None, answer=True)
                add_paragraph(P.DASH_REPLY.sub("", line, count=1))
                in_turn(n, "dash dialogue: a reply opening with a dash", (), "dash+text")
                continue
            if not asked:
                body.preamble.append(line)
                record(n, "preamble", "dash dialogue: the outlet's lead before the first question")
                continue
        label = labels.at_start(line, known, bare_q=bare_q)
        if label is not None and not seen_label and label.word in P.FIELD_HEADERS:
            # "Themen: ...", "Sprecher: ..." in the head of a press conference: a field, not a speaker
            close()
            body.preamble.append(line)
            record(n, "preamble", f"a field line of the head ({label.name}:), not a speaker")
            continue
        if label is None and P.STOCK_SENTENCES.match(line):
            body.preamble.append(line)
            record(n, "preamble", "a stock editorial sentence ('This transcript has been edited ...'), wherever it stands")
            continue
        if label is None and (_closing_line(line) or P.VENUE_LINE.match(line) or P.STANDALONE_DIRECTION.match(line)):
            rule = "an end time, an END mark, a venue or a stage direction on its own line"
            if current is not None:
                current.notes.append(line)
                in_turn(n, rule, (), "note")
            elif body.turns:
                body.turns[-1].notes.append(line)
                record(n, "turn", rule + " (after the last turn)", turns=(body.turns[-1],), part="note")
            else:
                body.preamble.append(line)
                record(n, "preamble", rule + " (before any turn)")
            continue
        if label is None and _is_heading(line, toc_set, allow_generic_headings, next_line):
            close()
            seen_marker = True
            body.sections.append((line, len(body.turns)))
            record(n, "section", "a heading (a table of contents' entry, a Q&A heading or a short topic line)")
            continue
        rest = line
        made: list[RawTurn] = []
        part = "text"
        rule = "a paragraph continues the current turn"
        if label is not None:
            close()
            seen_marker = seen_label = True
            current = RawTurn(label=label)
            made.append(current)
            rest = line[label.end:].strip()
            part, rule = "label", f"a speaker label ({label.name!r}) starts a turn"
            if not rest:
                in_turn(n, rule, made, part)
                continue
            part = "label+text"
        elif unlabelled_answers and current is not None and current.label is not None and current.label.name == "Q":
            close()
            current = RawTurn(label=None, answer=True)
            made.append(current)
            rule = "a paragraph after a 'Q.' question, where answers carry no label, starts the answer"
        elif current is None:
            rule = "a paragraph without a label starts a turn"
        went_to_turn = True
        for inline_label, text in labels.split_inline(rest, finder):
            if inline_label is not None:
                close()
                seen_marker = True
                current = RawTurn(label=inline_label)
                made.append(current)
                part, rule = "label+text", f"a known name ({inline_label.name!r}) starts a turn inside the line"
            if text:
                went_to_turn = add_paragraph(text)
                if went_to_turn and not any(t is current for t in made):
                    made.append(current)    # type: ignore[arg-type]  # add_paragraph began one if need be
        if went_to_turn:
            in_turn(n, rule, made, part)
        else:
            record(n, "preamble", "a third-person lead before the first turn")
    close()
    body.boilerplate.extend(chrome_text(line) for line in lines[tail:])
    for n in range(tail, len(lines)):
        record(n, "boilerplate", "the page's footer (the trailing run of chrome and short unpunctuated lines)")
    # A section points at the first turn after it: the number of turns closed when it was met.
    body.sections = [(title, idx if idx is not None and idx < len(body.turns) else None) for title, idx in body.sections]
    return body
