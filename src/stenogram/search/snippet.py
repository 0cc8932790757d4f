"""Snippets for hits found in the turn index: the stretch of a turn with the most matched words,
those words marked, cut ends shown with an ellipsis (the shape the store's FTS5 snippets have)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
WINDOW = 24
ELLIPSIS = "…"


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents: what a word and a query term are compared as."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def snippet(text: str, terms: list[tuple[str, bool]], mark_open: str, mark_close: str, *, window: int = WINDOW) -> str:
    """Up to ``window`` words of ``text`` around the densest run of ``terms`` ((word, is a prefix))."""
    exact = {fold(w) for w, prefix in terms if not prefix}
    prefixes = tuple(fold(w) for w, prefix in terms if prefix)
    words = list(WORD.finditer(text))
    if not words:
        return text[:240]
    if text.isascii():
        # no accents to take off: lower-casing the whole text at once gives the same words, much faster
        lowered = WORD.findall(text.lower())
        hit = [w in exact for w in lowered]
        if prefixes:
            hit = [h or w.startswith(prefixes) for h, w in zip(hit, lowered, strict=True)]
    else:
        hit = [(f := fold(m.group(0))) in exact or (bool(prefixes) and f.startswith(prefixes)) for m in words]
    # windows that open three words before a match; the one holding the most matches wins
    n = len(words)
    sums = [0]
    for h in hit:
        sums.append(sums[-1] + h)
    best_start, best = 0, -1
    for i in (i for i in range(n) if hit[i]):
        start = max(0, min(i - 3, n - window))
        count = sums[min(n, start + window)] - sums[start]
        if count > best:
            best, best_start = count, start
    end = min(n, best_start + window)
    out: list[str] = []
    pos = words[best_start].start() if best_start else 0
    if best_start:
        out.append(ELLIPSIS)
    for i in range(best_start, end):
        m = words[i]
        out.append(text[pos:m.start()])
        out.append(f"{mark_open}{m.group(0)}{mark_close}" if hit[i] else m.group(0))
        pos = m.end()
    if end < len(words):
        out.append(text[pos:words[end].start()].rstrip())
        out.append(ELLIPSIS)
    else:
        out.append(text[pos:])
    return "".join(out)
