"""Which of the five languages a text is in: Cyrillic share, then stopword counts."""

from __future__ import annotations

import re

from stenogram.parse import patterns as P

_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ISO 639-1 code: ``ru`` for Cyrillic text, else the best of en/de/es/fr by stopwords (``en`` on a tie)."""
    sample = text[:6000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "en"
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if cyrillic / len(letters) > 0.3:
        return "ru"
    cjk = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff")
    if cjk / len(letters) > 0.3:
        return "zh"
    words = [w.casefold() for w in _WORD.findall(sample)]
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in P.STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"
