"""Finding listed phrases in text: whole words, the longest listed phrase first, exact surface forms.

Phrases are looked up by their exact text between the first and last word (so ``Guinea-Bissau``,
``Gazprom Neft`` and ``U.S.`` match as written; a space in a phrase matches any run of white space),
longest first, so ``Equatorial Guinea`` wins over ``Guinea`` and ``Nigeria`` is never ``Niger``.

The phrases are compiled into one regular expression shaped like a tree of their characters (a
trie), so the scan of a text runs inside the regex engine: it skips straight to the characters a
phrase can begin with, and at each of those walks one branch. A phrase matches only from the start
of a word to the end of a word (a listed form may end in one punctuation mark after its last word,
``U.S.``, ``OPEC+``); where several listed phrases start at one place, the one that reaches furthest
wins; matches do not overlap and are found left to right.

Compiling a large list takes a while (about half a second for the Russian country forms), so a
matcher first finds phrases word by word, with the same results, and compiles its expression only
once it has been used enough for the compilation to pay (a quarter as many texts as it has phrases):
a short job never waits for it, a long one runs on the fast path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"\w+")
_IS_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s+")
#: punctuation a listed form may end with, after its last word
_TRAILING = frozenset(".+»”\")")
_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    text: str
    value: str


# Tree keys: a character, _END (the end of a word: no word character follows) or _LEAF (a phrase ends).
_END = 1
_LEAF = 2
_Node = dict[str | int, "_Node"]


class PhraseMatcher:
    """Exact, case-sensitive phrase lookup; values are ids (``IQ``, ``United Nations``)."""

    def __init__(self, phrases: Mapping[str, str], *, max_words: int = 14) -> None:
        self.table: dict[str, str] = {}
        self.first_words: set[str] = set()
        self.max_words = 1
        for phrase, value in phrases.items():
            key = _SPACE.sub(" ", phrase.strip())
            words = _WORD.findall(key)
            if not words or len(words) > max_words:
                continue
            self.table[key] = value
            self.first_words.add(words[0])
            self.max_words = max(self.max_words, len(words))
        #: texts still to search word by word before the expression is compiled
        self.uncompiled_finds = len(self.table) // 4
        self._pattern: re.Pattern[str] | None = None

    def find(self, text: str) -> Iterator[Match]:
        if self._pattern is None:
            if not self.table:
                return iter(())
            if self.uncompiled_finds > 0:
                self.uncompiled_finds -= 1
                return self.find_by_words(text)
            self._pattern = _compile(tuple(self.table))
        return self.find_by_pattern(text)

    def find_by_pattern(self, text: str) -> Iterator[Match]:
        """The phrases found by the compiled expression (compiled now if it was not yet)."""
        pattern = self._pattern = self._pattern or _compile(tuple(self.table))
        table = self.table
        for m in pattern.finditer(text):
            raw = m.group()
            value = table.get(_key(raw))
            if value is not None:
                yield Match(m.start(), m.end(), raw, value)

    def find_by_words(self, text: str) -> Iterator[Match]:
        """The same phrases found word by word: at each word that begins a listed phrase, the phrase of
        the most words first, and for each number of words the form with a trailing mark first."""
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        first, table = self.first_words, self.table
        n = len(tokens)
        resume = 0   # no match may start before the end of the previous one
        for i in [k for k, tok in enumerate(tokens) if tok[2] in first]:
            if i < resume:
                continue
            for length in range(min(self.max_words, n - i), 0, -1):
                start, end = tokens[i][0], tokens[i + length - 1][1]
                raw = text[start:end]
                key = _key(raw)
                tail = text[end] if end < len(text) else ""
                if tail in _TRAILING and key + tail in table:
                    yield Match(start, end + 1, text[start:end + 1], table[key + tail])
                elif key in table:
                    yield Match(start, end, raw, table[key])
                else:
                    continue
                resume = i + length
                break


def _key(raw: str) -> str:
    """A matched text as it is listed: each run of white space one space."""
    return _SPACE.sub(" ", raw) if ("  " in raw or not raw.isprintable()) else raw


def _units(key: str) -> list[str | int] | None:
    """A phrase as a path in the tree, or None for one that can never match (it must begin with a word
    character and end with one, or with one listed punctuation mark right after a word character)."""
    if not key or not _IS_WORD.match(key[0]):
        return None
    if _IS_WORD.match(key[-1]):
        return [*key, _END, _LEAF]
    if key[-1] in _TRAILING and len(key) > 1 and _IS_WORD.match(key[-2]):
        return [*key[:-1], _END, key[-1], _LEAF]
    return None


@lru_cache(maxsize=256)
def _compile(keys: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for these phrases (one that never matches when none can). Cached: a
    document's own people come back in document after document."""
    root: _Node = {}
    for key in keys:
        path = _units(key)
        if path is None:
            continue
        node = root
        for unit in path:
            node = node.setdefault(unit, {})
    if not root:
        return _NEVER
    return re.compile(_emit(root, top=True))


def _emit(node: _Node, *, top: bool = False) -> str:
    """The pattern of a subtree. Alternatives go in the order that finds the longest match first: a
    further character before the end of a word, a trailing mark before the bare end, and a phrase's
    end last. At the top, each first character is followed by a check that no word character comes
    before it (so the engine can still skip ahead to the characters phrases begin with)."""
    alternatives: list[str] = []
    for unit, child in node.items():
        if isinstance(unit, str):
            piece = r"\s+" if unit == " " else re.escape(unit)
            if top:
                piece += r"(?<!\w.)"
            alternatives.append(piece + _emit(child))
    if _END in node:
        alternatives.append(r"(?!\w)" + _emit(node[_END]))
    if _LEAF in node:
        alternatives.append("")
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"
