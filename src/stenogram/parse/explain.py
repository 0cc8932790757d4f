"""Where each line of a transcript went and why: the parser's own decisions, recorded as it parsed.

``stenogram parse FILE --explain`` prints them. Every line of the input is accounted for once: a blank
line, the title, a header field (``published``, ``event``, ``header``), the preamble, a section heading,
boilerplate (site chrome), or a turn (its label, its text, or a note of it).
"""

from __future__ import annotations

from dataclasses import dataclass

from stenogram.model import Document
from stenogram.parse import parse_bytes_auto
from stenogram.parse.html import looks_like_html
from stenogram.parse.text import decode, normalise_line
from stenogram.parse.trace import Trace, tracing

#: a line the parser never reached (it should not happen; shown rather than hidden)
UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True)
class LineDecision:
    """One input line: its number (1-based; in the text a saved web page yields, for HTML), what the parser
    made of it and by which rule. ``turns`` are the document's turn numbers the line went into (two or
    more when a name inside the line starts another turn); ``part`` is label, text, label+text or note."""

    line: int
    text: str
    where: str
    rule: str
    turns: tuple[int, ...] = ()
    part: str = ""

    @property
    def place(self) -> str:
        """The destination as one phrase: ``turn 3 label+text``, ``turns 4–5 label+text``, ``preamble``."""
        if self.where != "turn":
            return self.where
        numbers = "–".join(str(n) for n in (self.turns[0], self.turns[-1])) if len(self.turns) > 1 else (
            str(self.turns[0]) if self.turns else "?")
        return f"{'turns' if len(self.turns) > 1 else 'turn'} {numbers} {self.part}".strip()

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "text": self.text, "where": self.where, "turns": list(self.turns),
                "part": self.part or None, "rule": self.rule}


def explain_bytes(data: bytes, *, name: str = "<input>", url: str | None = None) -> tuple[Document, list[LineDecision]]:
    """Parse a transcript (text or a saved web page) and say, for each of its lines, where it went and why."""
    with tracing() as trace:
        doc = parse_bytes_auto(data, name=name, url=url)
    # for a saved web page, the text its markup yielded
    source = "\n".join(trace.lines) if looks_like_html(data) else decode(data, name=name)
    return doc, decisions(source, trace)


def decisions(text: str, trace: Trace) -> list[LineDecision]:
    """The trace's decisions laid over the text's lines: blank lines as such, each other line in order."""
    out: list[LineDecision] = []
    parsed = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise_line(raw)
        if not line:
            out.append(LineDecision(number, "", "blank", "an empty line separates paragraphs"))
            continue
        d = trace.decisions.get(parsed)
        parsed += 1
        if d is None:
            out.append(LineDecision(number, line, UNDECIDED, "no rule recorded a decision for this line"))
        else:
            out.append(LineDecision(number, line, d.where, d.rule, d.final, d.part))
    return out
