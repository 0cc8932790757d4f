"""Date lines in the forms pages print them, stamps of reposts included."""

from __future__ import annotations

import datetime as dt

import pytest

from stenogram.parse.dates import date_line, find_dates


@pytest.mark.parametrize(("line", "day", "place"), [
    ("April 3, 2018, Ankara", dt.date(2018, 4, 3), "Ankara"),
    ("13 november / 2017", dt.date(2017, 11, 13), ""),            # month and year split by a slash
    ("• 24 May. 2017 -", dt.date(2017, 5, 24), ""),                # a list's bullet, an abbreviated month
    ("24 maggio 2017", dt.date(2017, 5, 24), ""),                  # an Italian repost's stamp
    ("martedì 24 maggio 2017, Roma", dt.date(2017, 5, 24), "Roma"),
    ("16 июня 2021 года, Женева", dt.date(2021, 6, 16), "Женева"),
])
def test_date_lines(line: str, day: dt.date, place: str) -> None:
    found = date_line(line)
    assert found is not None and found[0].date == day and found[1] == place


@pytest.mark.parametrize("line", [
    "— 5 марта мы встретились с коллегами",        # a reply in dash dialogue that begins with a date
    "On 24 May 2017 the ministers met in Rome and agreed on a plan.",
    "24 maggio",
])
def test_sentences_are_not_date_lines(line: str) -> None:
    assert date_line(line) is None


def test_dates_inside_text() -> None:
    assert [f.date for f in find_dates("il 3 dicembre 2019 e il 13 novembre / 2017")] == \
        [dt.date(2019, 12, 3), dt.date(2017, 11, 13)]
