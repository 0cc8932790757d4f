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


_NUMBERED_TOPIC = re.compile(r"^\d{1,2}\s+[-–]\s+(?=\S)")


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

    def add_paragraph(text: str) -> None:
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
                return
            current = RawTurn(label=None)
        if text:
            current.paragraphs.append(text)
        current.notes.extend(notes)

    for n, line in enumerate(page):
        next_line = lines[n + 1] if n + 1 < tail else None
        if is_chrome(line):
            body.boilerplate.append(chrome_text(line))
            continue
        if P.SECTION_BREAK.match(line):
            close()
            seen_marker = True
            body.sections.append((line.strip(), len(body.turns)))
            continue
        if dash:
            if _asks(page, n):
                close()
                asked = seen_marker = True
                current = RawTurn(label=None, question=True)
                add_paragraph(line)
                close()
                continue
            if P.DASH_REPLY.match(line) and current is None and asked:
                current = RawTurn(label=None, answer=True)
                add_paragraph(P.DASH_REPLY.sub("", line, count=1))
                continue
            if not asked:
                body.preamble.append(line)
                continue
        label = labels.at_start(line, known, bare_q=bare_q)
        if label is not None and not seen_label and label.word in P.FIELD_HEADERS:
            # "Themen: ...", "Sprecher: ..." in the head of a press conference: a field, not a speaker
            close()
            body.preamble.append(line)
            continue
        if label is None and (_closing_line(line) or P.VENUE_LINE.match(line) or P.STANDALONE_DIRECTION.match(line)):
            if current is not None:
                current.notes.append(line)
            elif body.turns:
                body.turns[-1].notes.append(line)
            else:
                body.preamble.append(line)
            continue
        if label is None and _is_heading(line, toc_set, allow_generic_headings, next_line):
            close()
            seen_marker = True
            body.sections.append((line, len(body.turns)))
            continue
        rest = line
        if label is not None:
            close()
            seen_marker = seen_label = True
            current = RawTurn(label=label)
            rest = line[label.end:].strip()
            if not rest:
                continue
        for inline_label, text in labels.split_inline(rest, finder):
            if inline_label is not None:
                close()
                seen_marker = True
                current = RawTurn(label=inline_label)
            if text:
                add_paragraph(text)
    close()
    body.boilerplate.extend(chrome_text(line) for line in lines[tail:])
    # A section points at the first turn after it: the number of turns closed when it was met.
    body.sections = [(title, idx if idx is not None and idx < len(body.turns) else None) for title, idx in body.sections]
    return body
