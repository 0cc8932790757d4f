"""The parser's decision for each line, recorded as it parses when asked (``stenogram parse --explain``).

The header reader and the segmenter call :func:`record` where they decide what a line is; outside
:func:`tracing` that is a no-op, so a normal parse pays one context-variable lookup a line. The turns
a line went into are the segmenter's raw turns until :meth:`Trace.resolve` maps them to the document's
final turn numbers (a question split off an opening statement, a text made one ``other`` turn).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Decision:
    """Where one line went and by which rule; ``turns`` are the raw turns it went into, first and last."""

    where: str
    rule: str
    turns: tuple[object, ...] = ()
    part: str = ""
    #: the final turn numbers, once resolved
    final: tuple[int, ...] = ()


@dataclass(slots=True)
class Trace:
    """The decisions of one parse, by index into the parser's lines (its non-blank, normalised lines)."""

    lines: list[str] = field(default_factory=list)
    decisions: dict[int, Decision] = field(default_factory=dict)
    #: added to the indices the segmenter records (it sees the body's lines only)
    offset: int = 0
    started: bool = False

    def resolve(self, raw_turns: Sequence[object], starts: Sequence[int], split: Sequence[bool], last_paragraphs:
                Sequence[str], collapsed: bool) -> None:
        """Give each turn decision its final turn numbers: raw turn r became turn ``starts[r]`` (and, when
        ``split[r]``, its last paragraph ``last_paragraphs[r]`` became the next turn); a text made one
        ``other`` turn has turn 0 only. A raw turn that was dropped (notes only) left its lines in the preamble."""
        where = {id(t): r for r, t in enumerate(raw_turns)}
        for index, d in self.decisions.items():
            if not d.turns:
                continue
            finals: list[int] = []
            for t in d.turns:
                r = where.get(id(t))
                if r is None:
                    continue
                n = starts[r]
                if split[r] and d.part != "note" and last_paragraphs[r] and self.lines[index].endswith(
                        last_paragraphs[r]):
                    n += 1
                finals.append(0 if collapsed else n)
            if not finals:
                d.where, d.rule, d.turns = "preamble", d.rule + "; its turn held notes only", ()
            d.final = tuple(dict.fromkeys(finals))


_CURRENT: ContextVar[Trace | None] = ContextVar("stenogram_parse_trace", default=None)


def active() -> Trace | None:
    """The trace being recorded, if any."""
    return _CURRENT.get()


def record(index: int, where: str, rule: str, *, turns: tuple[object, ...] = (), part: str = "") -> None:
    """Record the decision for line ``index`` (of the lines the caller reads); a later record replaces it."""
    trace = _CURRENT.get()
    if trace is not None:
        trace.decisions[trace.offset + index] = Decision(where, rule, turns, part)


@contextmanager
def tracing() -> Iterator[Trace]:
    """Record the decisions of the parse run inside the block (the first ``parse_text`` it makes)."""
    trace = Trace()
    token = _CURRENT.set(trace)
    try:
        yield trace
    finally:
        _CURRENT.reset(token)
