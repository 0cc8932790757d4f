"""Property tests: the parser never raises on text, and never loses or invents characters."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stenogram
from tests.accounting import invented, unaccounted

# Lines built from the pieces real pages are made of, so the parser's rules actually fire.
PIECES = st.sampled_from([
    "Question:", "Sergey Lavrov:", "Question (translated from Arabic):", "MR PRICE:", "QUESTION:", "Q:", "A:",
    "С.В.Лавров:", "Вопрос:", "Frage :", "* * *", "(Laughter.)", "<…>", "Advanced settings", "• en-GB1 ru-RU1",
    "25 November 202016:19", "April 3, 2018, Ankara", "Moscow, November 25, 2020", "Table of contents", "1. Syria",
    "Answers to media questions:", "He said: \"no.\"", "Lin Jian:", "CCTV:", "**Sudan", "2:16 p.m. EST", "?", ".",
    "Foreign Minister Sergey Lavrov’s remarks, Moscow, May 1, 2020", "Q -", "R -", "(speaking after Fuad Hussein)",
])
LINE = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=6).map(" ".join)
DOC = st.lists(LINE, max_size=25).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_parser_never_raises_and_accounts_for_every_character(text: str) -> None:
    doc = stenogram.parse_text(text)
    assert not unaccounted(text, doc)
    assert not invented(text, doc)
    for turn in doc.turns:
        assert turn.reply_to is None or turn.reply_to < turn.index


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode(text: str) -> None:
    doc = stenogram.parse_text(text)
    assert not unaccounted(text, doc)


def test_accounting_catches_a_lost_paragraph() -> None:
    import dataclasses

    text = "Title of a talk with Foreign Minister Sergey Lavrov, Moscow, May 1, 2020\n\nQuestion: Why?\n\nSergey Lavrov: Because."
    doc = stenogram.parse_text(text)
    assert not unaccounted(text, doc)
    damaged = dataclasses.replace(doc, turns=doc.turns[:1])
    assert unaccounted(text, damaged)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.sampled_from(["Привет, мир", "Ñandú café", "Ångström ǅ ﬁ", "x\u0301\u0327y", "\U0001e94a"]))
def test_word_folding_takes_off_every_combining_mark(text: str) -> None:
    import unicodedata

    from stenogram.store.terms import fold

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()
    assert fold(text) == plain


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_words_are_the_expressions_words(text: str) -> None:
    """ASCII text is split into words without the regular expression: the same words it finds."""
    import re

    from stenogram.store.terms import count_terms, fold, words

    expected = re.findall(r"[^\W_]+", fold(text))
    assert list(words(text)) == expected
    assert count_terms([text, text]) == Counter(expected * 2)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(max_size=40) | st.sampled_from(["Привет, мир", "Ñandú café", "Ångström ǅ ﬁ", "x\u0301\u0327y",
                                                          "e\u0301 \u0301x", "\u00a0\u2003²㎏_", "ПРИВЕТ\u00a0Ёлка"]),
                max_size=4))
def test_counted_words_are_the_folded_texts_words(texts: list[str]) -> None:
    """Other text is counted a white-space-separated piece at a time: the same words as the expression finds in the
    folded texts."""
    import re

    from stenogram.store.terms import count_terms, fold

    assert count_terms(texts) == Counter(re.findall(r"[^\W_]+", fold("\n".join(texts))))


_SHAPE_PIECES = st.sampled_from(["Baghdad", "Information", "Centre", "Council", "of", "the", "and", "Bank", "-", "x",
                                 "Group", "Initiative", "Union", "UN", "’s", "Al-Rafidain", "_", "1", "Ä", "Ñandú"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_SHAPE_PIECES, st.sampled_from([" ", "  ", "", "\n", ", ", "-"])), max_size=14))
def test_shaped_organisations_are_the_plain_patterns(pieces: list[tuple[str, str]]) -> None:
    """The shape of a named body, written for speed, finds what its plain form finds."""
    import re

    from stenogram.enrich.organizations import _HEADS, _SHAPE

    text = "".join(word + gap for word, gap in pieces)
    plain = re.compile(r"(?<![\w-])((?:[A-Z][\w’'-]*\s+(?:(?:of|for|and|on|the)\s+)?){1,5}(?:" + _HEADS + r"))(?![\w-])")
    assert [m.span(1) for m in _SHAPE.finditer(text)] == [m.span(1) for m in plain.finditer(text)]
