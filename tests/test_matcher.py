"""The phrase matcher (one regex shaped like a trie, and its word-by-word start) against a plain
reference, and the people and amount patterns' skip-ahead shapes against the plain ones they stand for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stenogram
from stenogram.enrich.countries import country_matcher
from stenogram.enrich.matcher import PhraseMatcher
from stenogram.enrich.organizations import organization_matcher
from stenogram.enrich.people import _HONORIFICS, _MODIFIERS, _ROLES, _word_start

FIXTURES = Path(__file__).parent / "fixtures"
TRAILING = ".+»”\")"


def reference_find(table: dict[str, str], text: str) -> list[tuple[int, int, str, str]]:
    """Word tokens; at each token that begins a listed phrase, the phrase of the most words first (a
    form ending in one listed punctuation mark before the bare one); matches never overlap."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+", text)]
    lengths = {len(re.findall(r"\w+", key)) for key in table} or {0}
    firsts = {re.findall(r"\w+", key)[0] for key in table if re.findall(r"\w+", key)}
    out: list[tuple[int, int, str, str]] = []
    resume = 0
    for i, (_, _, word) in enumerate(tokens):
        if i < resume or word not in firsts:
            continue
        for length in range(min(max(lengths), len(tokens) - i), 0, -1):
            start, end = tokens[i][0], tokens[i + length - 1][1]
            key = re.sub(r"\s+", " ", text[start:end])
            tail = text[end:end + 1]
            if tail and tail in TRAILING and key + tail in table:
                out.append((start, end + 1, text[start:end + 1], table[key + tail]))
            elif key in table:
                out.append((start, end, text[start:end], table[key]))
            else:
                continue
            resume = i + length
            break
    return out


def found(matcher: PhraseMatcher, text: str) -> list[tuple[int, int, str, str]]:
    """What the compiled expression finds, checked against what the word-by-word path finds."""
    compiled = [(m.start, m.end, m.text, m.value) for m in matcher.find_by_pattern(text)]
    assert compiled == [(m.start, m.end, m.text, m.value) for m in matcher.find_by_words(text)]
    return compiled


@cache
def fixture_texts() -> list[str]:
    texts = []
    for path in sorted(FIXTURES.rglob("*.txt")):
        doc = stenogram.parse_text(path.read_text(encoding="utf-8"))
        texts.extend(t.text for t in doc.turns)
    assert len(texts) > 150
    return texts


@pytest.mark.parametrize("language", ["en", "ru", "de", "es", "fr"])
def test_gazetteers_match_as_the_reference_on_every_fixture_turn(language: str) -> None:
    hits = 0
    for matcher in (country_matcher(language), organization_matcher(language)):
        for text in fixture_texts():
            expected = reference_find(matcher.table, text)
            assert found(matcher, text) == expected, text[:200]
            hits += len(expected)
    assert hits > 50


def test_longest_first_whole_words_and_trailing_marks() -> None:
    m = PhraseMatcher({"Guinea": "GN", "Equatorial Guinea": "GQ", "Guinea-Bissau": "GW", "Niger": "NE",
                       "Nigeria": "NG", "U.S.": "US", "U.S": "X", "U.S. Congress": "Congress", "OPEC+": "OPEC+",
                       "OPEC": "OPEC", "United Nations": "UN"})
    text = ("Equatorial Guinea, Guinea-Bissau and Guinea; Nigeria, not Niger. U.S. Congress, the U.S., U.S-made; "
            "OPEC+ and OPEC. Guineas, SGuinea and Niger_ are not listed. United\n  Nations, United\u00a0Nations.")
    got = [(t, v) for _, _, t, v in found(m, text)]
    assert got == [("Equatorial Guinea", "GQ"), ("Guinea-Bissau", "GW"), ("Guinea", "GN"), ("Nigeria", "NG"),
                   ("Niger", "NE"), ("U.S. Congress", "Congress"), ("U.S.", "US"), ("U.S", "X"), ("OPEC+", "OPEC+"),
                   ("OPEC", "OPEC"), ("United\n  Nations", "UN"), ("United\u00a0Nations", "UN")]
    assert found(m, text) == reference_find(m.table, text)


def test_an_empty_list_finds_nothing_and_unmatchable_forms_are_left_out() -> None:
    assert found(PhraseMatcher({}), "anything at all") == []
    m = PhraseMatcher({"«Россия сегодня»": "RT", "...": "dots", "Россия": "RU"})
    assert found(m, "«Россия сегодня» и Россия") == [(1, 7, "Россия", "RU"), (19, 25, "Россия", "RU")]


PIECES = ["Equatorial", "Guinea", "Guinea-Bissau", "U.S.", "U.S", "United", "States", "Kingdom", "Nations", "Niger",
          "Nigeria", "OPEC+", "Korea", "South", "North", "Republic", "of", "the", "Iraq", "Iraqi", "Россия", "России",
          "Saudi", "Arabia", "Arab", "Emirates", "Gazprom", "Neft", "European", "Union", "Council", "EU"]
SEPARATORS = [" ", "  ", "\n", "-", ".", ",", "", "s", "\u00a0", " (", ") ", "»", "_"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(SEPARATORS), st.text(max_size=5)),
                max_size=30).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_matcher_agrees_with_the_reference_on_generated_text(text: str) -> None:
    for matcher in (country_matcher("en"), organization_matcher("en"), country_matcher("ru")):
        assert found(matcher, text) == reference_find(matcher.table, text)


WORDS = st.lists(st.one_of(st.sampled_from(["Mr", "Mrs", "Ms.", "Deputy", "Prime", "Minister", "ministro", "Ministre",
                                            "President", "Présidente", "г-н", "госпожа", "Sergey", "Lavrov", "aMr",
                                            "Defence", "Defense", "of", "the", "Foreign", "Affairs", "Außenminister"]),
                           st.sampled_from([" ", "  ", ", ", "\n", "-", ".", "_", "", "1"])), max_size=24).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_word_start_finds_what_a_word_boundary_finds(text: str) -> None:
    any_role = "(?:" + "|".join(_MODIFIERS) + ")*(?:" + "|".join(_ROLES) + ")"
    for plain, shaped in [
        (r"\b(?:" + "|".join(_HONORIFICS) + r")\.?\s+\w+", _word_start(_HONORIFICS) + r"\.?\s+\w+"),
        (r"\b" + any_role + r",?\s+[A-Z]\w+",
         _word_start([m + "(?:" + "|".join(_MODIFIERS) + ")*(?:" + "|".join(_ROLES) + ")" for m in _MODIFIERS]
                     + list(_ROLES)) + r",?\s+[A-Z]\w+"),
    ]:
        expected = [m.span() for m in re.finditer(plain, text)]
        assert [m.span() for m in re.finditer(shaped, text)] == expected


AMOUNTS = st.lists(st.one_of(st.sampled_from(["1", "12", "123", "4,000", "1.5", "1,5", "30 000", "2\u00a0500", "$", "€", "US$",
                                              "million", "bn", "млрд", "dollars", "euros", "долларов", "of", "students",
                                              "Iraqi", "years", "a", "x", "."]),
                             st.sampled_from([" ", "", ",", ".", "-", "\n"])), max_size=20).map("".join)


@settings(max_examples=400, deadline=None)
@given(AMOUNTS)
def test_amount_patterns_that_begin_with_the_digit_find_what_the_plain_ones_find(text: str) -> None:
    from stenogram.enrich import money

    for compiled, number, before in [(money._MONEY_NUMBER_FIRST, money._NUMBER_IN_MONEY, r"\w.,"),
                                     (money._QUANTITY, money._NUMBER_IN_QUANTITY, r"\w.,$€£")]:
        plain = re.compile(compiled.pattern.replace(number, rf"(?<![{before}])(?P<num>{money._NUMBER})"))
        assert plain.pattern != compiled.pattern
        assert [(m.span(), m.groupdict()) for m in compiled.finditer(text)] == \
               [(m.span(), m.groupdict()) for m in plain.finditer(text)]


def test_a_matcher_compiles_its_expression_once_it_has_been_used_enough() -> None:
    phrases = {f"Place{i} Island": f"P{i}" for i in range(40)}
    m = PhraseMatcher(phrases)
    assert m.uncompiled_finds == 10
    text = "From Place3 Island to Place39 Island, not Place3 Islands."
    expected = [(5, 18, "Place3 Island", "P3"), (22, 36, "Place39 Island", "P39")]
    for _ in range(10):
        assert [(x.start, x.end, x.text, x.value) for x in m.find(text)] == expected
        assert m._pattern is None
    assert [(x.start, x.end, x.text, x.value) for x in m.find(text)] == expected
    assert m._pattern is not None
    small = PhraseMatcher({"Sergey Lavrov": "Sergey Lavrov"})      # a document's own people: compiled at once
    assert [x.text for x in small.find("Sergey Lavrov said")] == ["Sergey Lavrov"] and small._pattern is not None


NAMES = st.lists(st.one_of(st.sampled_from(["S.", "V.", "С.В.", "Лавров", "Lavrov", "Laura", "Whitcomb", "Reuters",
                                            "with", "from", "Al", "Arabiya", "aS.", ".", "!", "?", "Mr", "General",
                                            "[António]", "Guterres", "al-Burhan", "x"]),
                           st.sampled_from([" ", "", ", ", ". ", "\n", "  "])), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_name_patterns_find_what_their_plain_forms_find(text: str) -> None:
    from stenogram.enrich import people

    def spans(matches: Iterable[re.Match[str]]) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
        return [(m.span("name") if "name" in m.groupdict() else m.span(), m.groupdict()) for m in matches]

    initials = re.compile(r"(?<![\w.])(?P<name>(?:[A-ZА-ЯЁ]\.\s?){1,2}[A-ZА-ЯЁ][\w’-]+)")
    assert spans(people._INITIALS.finditer(text)) == spans(initials.finditer(text))
    introduced = re.compile(rf"(?:^|[.!?]\s+){people._INTRODUCTION}")
    assert spans(people._self_introduced(text)) == spans(introduced.finditer(text))
    bracketed = re.compile(people._BRACKETED.pattern.replace(
        people._word_start(("Mr", "Ms", "Mrs", "Dr", "General", "President", "Minister", "Secretary-General")),
        r"\b(?:Mr|Ms|Mrs|Dr|General|President|Minister|Secretary-General)"))
    assert spans(people._BRACKETED.finditer(text)) == spans(bracketed.finditer(text))


LABEL_NAMES = ["Sergey Lavrov", "Lavrov", "Question", "QUESTION", "Вопрос", "Fuad Hussein", "MR PRICE", "Frage", "Follow-up"]
PARAGRAPHS = st.lists(st.one_of(st.sampled_from([*LABEL_NAMES, "sergey lavrov", "LAVROV", "Well", "said", "вопрос",
                                                 "(translated from Arabic)", "(to both)", "(a) (b)", "(x: y)"]),
                                st.sampled_from([". ", "? ", "! ", "» ", ": ", " : ", "  ", " ", ".  ", "：", ".\n", "(", "”  "]),
                                st.text(alphabet="ab .:?()", max_size=4)), max_size=24).map("".join)


@settings(max_examples=500, deadline=None)
@given(PARAGRAPHS, st.sets(st.sampled_from(LABEL_NAMES), min_size=1))
def test_inline_labels_found_at_sentence_ends_as_by_an_expression_of_the_names(paragraph: str, names: set[str]) -> None:
    from stenogram.parse.labels import InlineFinder, inline_pattern

    expected = [(m.start(), m.end(), m.group("label")) for m in inline_pattern(frozenset(names)).finditer(paragraph)]
    assert [(x.start, x.end, x.printed) for x in InlineFinder(frozenset(names)).find(paragraph)] == expected


def test_inline_labels_after_a_sentence_end() -> None:
    from stenogram.parse.labels import InlineFinder, inline_finder, split_inline

    finder = inline_finder(["Sergey Lavrov", "Question", ""])
    assert isinstance(finder, InlineFinder)
    text = "We agreed. Well. Sergey Lavrov (speaking after Fuad Hussein): Thank you. QUESTION: Why? Lavrov: no."
    pieces = split_inline(text, finder)
    assert [(lab.printed if lab else None, body) for lab, body in pieces] == [
        (None, "We agreed. Well."), ("Sergey Lavrov (speaking after Fuad Hussein)", "Thank you."),
        ("QUESTION", "Why? Lavrov: no.")]
    assert pieces[1][0] is not None and pieces[1][0].notes == ["speaking after Fuad Hussein"]
    # a name that lower case makes longer goes by the expression, with the same result
    turkish = inline_finder(["İlham Aliyev"])
    assert not isinstance(turkish, InlineFinder)
    assert [lab.printed if lab else None for lab, _ in split_inline("Thanks. İlham Aliyev: yes.", turkish)] == \
        [None, "İlham Aliyev"]
    assert inline_finder(["", ""]) is None
