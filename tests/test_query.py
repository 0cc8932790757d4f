"""The query language: parsing, positioned errors, compilation to parameterised SQL, hostile input."""

from __future__ import annotations

import pytest

from stenogram.errors import QueryError, QuerySyntaxError, UnknownField
from stenogram.search.compile import compile_query
from stenogram.search.query import And, Filter, Near, Not, Or, Phrase, Term, describe, parse_query


def test_words_phrases_prefix_near_and_operators() -> None:
    node = parse_query('Iraq "information centre" terror* NEAR(oil gas, 5) -Syria')
    assert node == And((Term("Iraq"), Phrase("information centre"), Term("terror", prefix=True),
                        Near((Term("oil"), Term("gas")), 5), Not(Term("Syria"))))
    assert parse_query("a OR b c") == Or((Term("a"), And((Term("b"), Term("c")))))
    assert parse_query("(a OR b) AND NOT c") == And((Or((Term("a"), Term("b"))), Not(Term("c"))))
    assert parse_query("a and or") == And((Term("a"), Term("and"), Term("or")))   # lower case: words
    assert parse_query("") is None


def test_fields_and_dates() -> None:
    node = parse_query('speaker:"Sergey Lavrov" kind:answer date:2020..2021-06 country:Iraq lang:EN')
    assert node == And((Filter("speaker", "Sergey Lavrov"), Filter("kind", "answer"),
                        Filter("date", "2020..2021-06", "2020-01-01", "2021-06-30"), Filter("country", "IQ"),
                        Filter("lang", "en")))
    assert parse_query("date:..2019") == Filter("date", "..2019", None, "2019-12-31")
    assert parse_query("date:2020-02") == Filter("date", "2020-02", "2020-02-01", "2020-02-29")


@pytest.mark.parametrize(("query", "column", "problem"), [
    ('Iraq speaker:"Sergey Lavrov', 14, "unclosed quote"),
    ('lavrov "unclosed quote here', 8, "unclosed quote"),
    ("(Iraq OR Syria", 15, "unclosed parenthesis"),
    ("Iraq)", 5, "unexpected ')'"),
    ("NEAR(a, 5)", 1, "at least two words"),
    ("kind:answers", 1, "kinds are: statement, question, answer"),
    ("date:2020-13", 1, "does not exist"),
    ("date:2021..2020", 1, "ends before it starts"),
    ("a OR", 5, "ends where a word was expected"),
])
def test_syntax_errors_say_where(query: str, column: int, problem: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    assert info.value.column == column and problem in str(info.value)
    assert f"column {column}" in str(info.value)


def test_unknown_field_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownField) as info:
        parse_query("Iraq speeker:Lavrov")
    assert info.value.column == 6
    assert "fields are: speaker, kind, doc_kind, source, lang, date, country, person, org" in str(info.value)


def test_limits() -> None:
    with pytest.raises(QueryError, match="limit is"):
        parse_query("a " * 2000)
    with pytest.raises(QueryError, match="more than 200 terms"):
        parse_query(" ".join(f"w{i}" for i in range(300)))


def test_user_text_only_reaches_sql_as_parameters() -> None:
    c = compile_query(parse_query("""speaker:"x' OR 1=1;--" "a"" b" Iraq"""))
    assert "1=1" not in " ".join(c.where) and "x' OR 1=1;--" in c.params
    assert c.match is not None and "1=1" not in c.match


def test_fts_operators_in_user_words_are_quoted() -> None:
    c = compile_query(parse_query('NEAR AND* 10:30 {text}'))
    assert c.match == '("NEAR" AND "AND"* AND "10:30" AND "{text}")'



def test_mixing_words_and_filters_in_a_group_is_explained() -> None:
    with pytest.raises(QueryError, match="filters combine with words only at the top level"):
        compile_query(parse_query("(Iraq OR speaker:Lavrov)"))


def test_describe() -> None:
    assert describe(parse_query('speaker:Lavrov "Baghdad Information Centre"')) == \
        '(speaker Lavrov and the phrase "Baghdad Information Centre")'


def test_nesting_is_bounded() -> None:
    with pytest.raises(QuerySyntaxError, match="nested more than 32 deep"):
        parse_query("(" * 40 + "Iraq" + ")" * 40)
    with pytest.raises(QuerySyntaxError, match="nested operators"):
        parse_query("NOT " * 40 + "Iraq")
    assert parse_query("((Iraq))") == Term("Iraq")
