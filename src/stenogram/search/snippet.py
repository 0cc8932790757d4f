"""Snippets: the words of a turn around the first word a search matched, the same for the turn index
and the store (both make them here, from the same terms: ``terms_of``).

A snippet is a window of WINDOW words that opens LEAD words before the first match (or earlier, to
show WINDOW words when the match is near the end); without a match (a search by filters only) it is
the turn's opening words. Every word of the window that a term of the query matches is between the
marks. A cut end has an ellipsis; an end that reaches the turn's start or end has none. A cut never
splits words joined by punctuation without a space (l'Irak, U.S., 2020-21), and leaves out the
punctuation at the cut itself."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice

from stenogram.search.query import And, Near, Node, Or, Phrase, Term

WORD = re.compile(r"[^\W_]+")
#: words in a snippet
WINDOW = 24
#: words shown before the first match
LEAD = 3
ELLIPSIS = "…"
#: characters looked at beyond a cut for the rest of a run of words joined without a space; a longer
#: run (a web address) is cut at the word
_REACH = 100
#: what a text without any word shows, at most
_WORDLESS = 240

#: letters that have no decomposition but that searches fold to plain ones (as the turn index does)
_PLAIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                        "ı": "i", "ħ": "h"})


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: what a word and a query term are compared as."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_PLAIN))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


Terms = list[tuple[str, bool]]


def terms_of(node: Node | None) -> Terms:
    """The terms a query's words look for in a turn's text, which its hits' snippets mark: (a word,
    folded; whether it is a prefix). Each word of a phrase is a term; the last word of a prefix is a
    prefix; words a query only excludes (NOT, -word) and field filters give none."""
    found: Terms = []

    def walk(n: Node) -> None:
        if isinstance(n, Term | Phrase):
            words = [fold(w) for w in WORD.findall(n.text if isinstance(n, Term) else n.words)]
            prefix = isinstance(n, Term) and n.prefix
            found.extend((w, prefix and i == len(words) - 1) for i, w in enumerate(words) if w)
        elif isinstance(n, Near):
            for t in n.terms:
                walk(t)
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)

    if node is not None:
        walk(node)
    return list(dict.fromkeys(found))


#: an ASCII text's bytes with its words lower-cased and everything between them made a space
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256)).lower()
_ASCII_WORD = re.compile(rb"[a-z0-9]+")


def snippet(text: str, terms: Terms, mark_open: str, mark_close: str, *, window: int = WINDOW) -> str:
    """About ``window`` words of ``text`` from just before the first word a term ((word, is a prefix))
    matches, every matched word in the window between ``mark_open`` and ``mark_close``; without terms
    or a match, the text's opening words."""
    if not terms:
        return _opening(text, window)
    if text.isascii():
        return _ascii_snippet(text, terms, mark_open, mark_close, window)
    return _unicode_snippet(text, terms, mark_open, mark_close, window)


def _opening(text: str, window: int) -> str:
    """The text's first ``window`` words (only those are looked at)."""
    words = list(islice(WORD.finditer(text), window))
    if not words:
        return _wordless(text)
    lo, hi, cut_start, cut_end = _shown(text, 0, words[0].start(), words[-1].end())
    return _render(text, lo, hi, cut_start, cut_end, [], "", "")


def _unicode_snippet(text: str, terms: Terms, mark_open: str, mark_close: str, window: int) -> str:
    """Any text: each word folded (accents off, lower case) and compared."""
    exact = {fold(w) for w, prefix in terms if not prefix}
    prefixes = tuple(fold(w) for w, prefix in terms if prefix)

    def matches(word: str) -> bool:
        f = fold(word)
        return f in exact or (bool(prefixes) and f.startswith(prefixes))

    words = list(WORD.finditer(text))
    if not words:
        return _wordless(text)
    first = next((i for i, m in enumerate(words) if matches(m.group(0))), None)
    s, e = _window(len(words), first, window)
    lo, hi, cut_start, cut_end = _shown(text, s, words[s].start(), words[e - 1].end())
    marked = [m.span() for m in WORD.finditer(text, lo, hi) if matches(m.group(0))]
    return _render(text, lo, hi, cut_start, cut_end, marked, mark_open, mark_close)


def _ascii_snippet(text: str, terms: Terms, mark_open: str, mark_close: str, window: int) -> str:
    """The same for an ASCII text, its words compared as bytes: one split gives them (folded), and
    only the shown words are found in the text one by one."""
    folded = [(fold(w), prefix) for w, prefix in terms]
    if any(not w for w, _ in folded):
        return _unicode_snippet(text, terms, mark_open, mark_close, window)  # an empty prefix marks every word
    exact = frozenset(w.encode("ascii") for w, prefix in folded if not prefix and w.isascii())
    prefixes = tuple(sorted(w.encode("ascii") for w, prefix in folded if prefix and w.isascii()))
    words = text.encode("ascii").translate(_ASCII_WORDS)
    split = words.split()
    n = len(split)
    if not n:
        return _wordless(text)
    if prefixes:
        first = next((i for i, w in enumerate(split) if w in exact or w.startswith(prefixes)), None)
    else:
        found = list(map(exact.__contains__, split))
        first = found.index(True) if True in found else None
    s, e = _window(n, first, window)
    # the window's first word: where the text after the words before it begins
    start = len(words) - len(words.split(None, s)[-1] if s else words.lstrip())
    spans = [m.span() for m in islice(_ASCII_WORD.finditer(words, start), e - s)]
    lo, hi, cut_start, cut_end = _shown(text, s, start, spans[-1][1])

    def matches(word: bytes) -> bool:
        return word in exact or (bool(prefixes) and word.startswith(prefixes))

    # the window's words, and those joined to its ends (when there are any)
    marked = [m.span() for m in _ASCII_WORD.finditer(words, lo, start) if matches(m.group(0))]
    marked += [span for span, word in zip(spans, split[s:e], strict=True) if matches(word)]
    marked += [m.span() for m in _ASCII_WORD.finditer(words, spans[-1][1], hi) if matches(m.group(0))]
    return _render(text, lo, hi, cut_start, cut_end, marked, mark_open, mark_close)


def _window(n: int, first: int | None, window: int) -> tuple[int, int]:
    """The words shown (from, to) of ``n``: ``window`` of them, opening LEAD words before the first match
    (fewer in a small window, so the match is in it), the text's first ones without a match."""
    if first is None:
        return 0, min(n, window)
    start = max(0, min(first - min(LEAD, (window - 1) // 2), n - window))
    return start, min(n, start + window)


def _shown(text: str, s: int, start: int, end: int) -> tuple[int, int, bool, bool]:
    """Where a window of words from word ``s`` (starting at ``start`` in ``text``) to a word ending at
    ``end`` shows the text: (from, to, cut at the start, cut at the end). Its edges move out over the
    words joined to its end words without a space; an edge that reaches the text's first or last word
    goes on to the text's start or end (blank space left out)."""
    lo, before = start, 0
    if s:
        floor = max(0, start - _REACH)
        ahead = text[floor:start]
        if ahead and not ahead[-1].isspace():
            run = ahead.rsplit(None, 1)[-1]
            if not (len(run) == len(ahead) and floor and not text[floor - 1].isspace()):
                joined = list(WORD.finditer(text, start - len(run), start))
                if joined:
                    lo, before = joined[0].start(), len(joined)
    cut_start = s - before > 0
    if not cut_start:
        lo = len(text) - len(text.lstrip())
    hi = end
    ceiling = min(len(text), end + _REACH)
    behind = text[end:ceiling]
    if behind and not behind[0].isspace():
        run = behind.split(None, 1)[0]
        if not (len(run) == len(behind) and ceiling < len(text) and not text[ceiling].isspace()):
            joined = list(WORD.finditer(text, end, end + len(run)))
            if joined:
                hi = joined[-1].end()
    cut_end = WORD.search(text, hi) is not None
    if not cut_end:
        hi = len(text.rstrip())
    return lo, hi, cut_start, cut_end


def _render(text: str, lo: int, hi: int, cut_start: bool, cut_end: bool, marked: list[tuple[int, int]],
            mark_open: str, mark_close: str) -> str:
    """``text[lo:hi]`` with the ``marked`` spans (in order) between marks, an ellipsis at a cut end."""
    out: list[str] = [ELLIPSIS] if cut_start else []
    pos = lo
    for start, stop in marked:          # the text between the marked words is copied whole
        out += (text[pos:start], mark_open, text[start:stop], mark_close)
        pos = stop
    out.append(text[pos:hi])
    if cut_end:
        out.append(ELLIPSIS)
    return "".join(out)


def _wordless(text: str) -> str:
    """What a text without a word shows: itself, at most _WORDLESS characters."""
    return text.strip()[:_WORDLESS]
