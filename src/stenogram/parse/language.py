"""Which of the five languages a text is in: Cyrillic share, then stopword counts."""

from __future__ import annotations

import re

from stenogram.parse import patterns as P

_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def detect_language(text: str) -> str:
    """ISO 639-1 code: ``ru`` for Cyrillic text, else the best of en/de/es/fr by stopwords (``en`` on a tie)."""
    sample = text[:1500]
    words = [w.casefold() for w in _WORD.findall(sample)]
    letters = len("".join(words))
    if not letters:
        return "en"
    if len(_CYRILLIC.findall(sample)) / letters > 0.3:
        return "ru"
    if len(_CJK.findall(sample)) / letters > 0.3:
        return "zh"
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in P.STOPWORDS.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > 0 else "en"
