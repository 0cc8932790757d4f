"""Snippets for hits found in the turn index: the stretch of a turn with the most matched words,
those words marked, cut ends shown with an ellipsis (the shape the store's FTS5 snippets have)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress

WORD = re.compile(r"[^\W_]+")
WINDOW = 24
ELLIPSIS = "…"


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: what a word and a query term are compared as."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: an ASCII text's bytes with its words lower-cased and everything between them made a space
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256)).lower()


def snippet(text: str, terms: list[tuple[str, bool]], mark_open: str, mark_close: str, *, window: int = WINDOW) -> str:
    """Up to ``window`` words of ``text`` around the densest run of ``terms`` ((word, is a prefix))."""
    if text.isascii():
        return _ascii_snippet(text, terms, mark_open, mark_close, window)
    return _unicode_snippet(text, terms, mark_open, mark_close, window)


def _unicode_snippet(text: str, terms: list[tuple[str, bool]], mark_open: str, mark_close: str, window: int) -> str:
    """Any text: each word folded (accents off, lower case) and compared."""
    exact = {fold(w) for w, prefix in terms if not prefix}
    prefixes = tuple(fold(w) for w, prefix in terms if prefix)
    words = list(WORD.finditer(text))
    if not words:
        return text[:240]
    hit = [(f := fold(m.group(0))) in exact or (bool(prefixes) and f.startswith(prefixes)) for m in words]
    return _cut(text, [(m.start(), m.end()) for m in words], hit, mark_open, mark_close, window)


def _ascii_snippet(text: str, terms: list[tuple[str, bool]], mark_open: str, mark_close: str, window: int) -> str:
    """The same for an ASCII text, whose words are found without a Python step per word: split at single
    spaces, the runs of other characters turned into spaces become empty parts, so the parts' lengths
    give every word's place; map, compress and accumulate loop in C."""
    parts = text.encode("ascii").translate(_ASCII_WORDS).split(b" ")
    lengths = list(map(len, parts))
    ends = list(accumulate(lengths))
    present = list(map(bool, lengths))
    words = list(compress(parts, present))
    if not words:
        return text[:240]
    starts = [ends[j] - lengths[j] + j for j in compress(range(len(parts)), present)]
    spans = [(start, start + len(w)) for start, w in zip(starts, words, strict=True)]
    exact = {fold(w).encode("ascii", "replace") for w, prefix in terms if not prefix}
    hit = list(map(exact.__contains__, words))
    prefixes = tuple(fold(w).encode("ascii", "replace") for w, prefix in terms if prefix)
    if prefixes:
        hit = [h or w.startswith(prefixes) for h, w in zip(hit, words, strict=True)]
    return _cut(text, spans, hit, mark_open, mark_close, window)


def _cut(text: str, spans: list[tuple[int, int]], hit: list[bool], mark_open: str, mark_close: str, window: int) -> str:
    """The window of words (their spans in ``text``) holding the most hits, the hits marked."""
    n = len(spans)
    sums = list(accumulate(hit, initial=0))
    # windows that open three words before a match; the one holding the most matches wins
    best_start, best = 0, -1
    for i in compress(range(n), hit):
        start = max(0, min(i - 3, n - window))
        count = sums[min(n, start + window)] - sums[start]
        if count > best:
            best, best_start = count, start
    end = min(n, best_start + window)
    out: list[str] = []
    pos = spans[best_start][0] if best_start else 0
    if best_start:
        out.append(ELLIPSIS)
    for i in range(best_start, end):
        start, stop = spans[i]
        out.append(text[pos:start])
        out.append(f"{mark_open}{text[start:stop]}{mark_close}" if hit[i] else text[start:stop])
        pos = stop
    if end < n:
        out.append(text[pos:spans[end][0]].rstrip())
        out.append(ELLIPSIS)
    else:
        out.append(text[pos:])
    return "".join(out)
