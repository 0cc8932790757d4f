"""Snippets for hits found in the turn index: the stretch of a turn with the most matched words,
those words marked, cut ends shown with an ellipsis (the shape the store's FTS5 snippets have)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate, compress, islice

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


_ASCII_WORD = re.compile(rb"[a-z0-9]+")


def _ascii_snippet(text: str, terms: list[tuple[str, bool]], mark_open: str, mark_close: str, window: int) -> str:
    """The same for an ASCII text, with the words compared as bytes: one split numbers them, a split
    that stops at the window finds where it opens, and only the window's words are looked at."""
    folded = [(fold(w), prefix) for w, prefix in terms]
    if any(not w for w, _ in folded):
        return _unicode_snippet(text, terms, mark_open, mark_close, window)  # an empty prefix marks every word
    exact = frozenset(w.encode("ascii") for w, prefix in folded if not prefix and w.isascii())
    prefixes = tuple(w.encode("ascii") for w, prefix in folded if prefix and w.isascii())
    words = text.encode("ascii").translate(_ASCII_WORDS)
    split = words.split()
    n = len(split)
    if not n:
        return text[:240]
    if prefixes:
        numbers = [i for i, w in enumerate(split) if w in exact or w.startswith(prefixes)]
    else:
        numbers = [i for i, w in enumerate(split) if w in exact]
    # windows that open three words before a match; the first holding the most matches wins
    best_start = 0
    if numbers:
        starts = [max(0, min(i - 3, n - window)) for i in numbers]
        counts = [bisect_left(numbers, start + window) - bisect_left(numbers, start) for start in starts]
        best_start = starts[counts.index(max(counts))]
    # the window's first word: where the text after the words before it begins
    opening = len(words) - len(words.split(None, best_start)[-1] if best_start else words.lstrip())
    shown = list(islice(_ASCII_WORD.finditer(words, opening), min(n, best_start + window) - best_start + 1))
    spans = [(m.start(), m.end()) for m in shown]
    marked = set(numbers)
    hit = [best_start + j in marked for j in range(len(spans))]
    return _cut(text, spans, hit, mark_open, mark_close, window, first=best_start, words=n)


def _cut(text: str, spans: list[tuple[int, int]], hit: list[bool], mark_open: str, mark_close: str, window: int,
         *, first: int | None = None, words: int | None = None) -> str:
    """The window of words holding the most hits, the hits marked. ``spans`` are the words' places in
    ``text`` (with ``hit`` saying which match); or, given ``first`` and ``words`` (the text's word
    count), the spans and flags of the chosen window's words only, from word ``first`` on, plus the
    word after it if there is one."""
    if first is None:
        n = len(spans)
        sums = list(accumulate(hit, initial=0))
        # windows that open three words before a match; the one holding the most matches wins
        best_start, best = 0, -1
        for i in compress(range(n), hit):
            start = max(0, min(i - 3, n - window))
            count = sums[min(n, start + window)] - sums[start]
            if count > best:
                best, best_start = count, start
        spans, hit = spans[best_start:best_start + window + 1], hit[best_start:best_start + window + 1]
    else:
        n, best_start = words or 0, first
    end = min(n, best_start + window)
    shown = end - best_start
    out: list[str] = [ELLIPSIS] if best_start else []
    pos = spans[0][0] if best_start else 0
    for j in compress(range(shown), hit[:shown]):   # text between the marked words is copied whole
        start, stop = spans[j]
        out += (text[pos:start], mark_open, text[start:stop], mark_close)
        pos = stop
    last = spans[shown - 1][1]
    out.append(text[pos:last])
    if end < n:
        out.append(text[last:spans[shown][0]].rstrip())
        out.append(ELLIPSIS)
    else:
        out.append(text[last:])
    return "".join(out)
