"""The parser traps of FORMATS.md, one small made-up document each."""

from __future__ import annotations

import stenogram
from stenogram.parse.dates import glued_date_time
from stenogram.parse.titles import event_of, kind_of, participants_of

TITLE = "Foreign Minister Sergey Lavrov’s remarks and answers to media questions, Moscow, May 15, 2019"


def doc(body: str, title: str = TITLE, head: str = "15 May 201912:00\n\n") -> stenogram.Document:
    return stenogram.parse_text(f"{head}{title}\n\n{body}\n\nAdvanced settings")


def test_glued_date_time_is_not_year_20210() -> None:
    found = glued_date_time("7 March 202109:05")
    assert found is not None and found.date.isoformat() == "2021-03-07" and str(found.time) == "09:05:00"


def test_moscow_offset_before_and_after_2014() -> None:
    before = doc("Colleagues,\n\nThank you.", head="14 October 201419:05\n\n")
    after = doc("Colleagues,\n\nThank you.", head="27 October 201419:05\n\n")
    assert before.published == "2014-10-14T19:05:00+04:00"
    assert after.published == "2014-10-27T19:05:00+03:00"


def test_title_place_and_date_from_the_right() -> None:
    assert event_of("... Foreign Minister of Ruritania, Crown Prince Rudolf, Vienna, June 3, 2019") == ("Vienna", "2019-06-03")
    assert event_of("Talks on the crisis in 2018 Sochi, March 2, 2019") == ("Sochi", "2019-03-02")
    assert event_of("Remarks at the conference, Geneva, 9 September 2016") == ("Geneva", "2016-09-09")
    assert event_of("Выступление С.В.Лаврова, Москва, 25 ноября 2020 года") == ("Москва", "2020-11-25")
    assert event_of("Pressekonferenz von Sergej Lawrow, Moskau, 12. April 2021") == ("Moskau", "2021-04-12")
    assert event_of("Entrevista, Moscú, 20 de mayo de 2021") == ("Moscú", "2021-05-20")


def test_names_before_the_kind_are_people_and_a_role_or_possessive_is_not() -> None:
    named = participants_of("Josep Borrell and Sergey Lavrov Joint Press Conference Transcript", "en", None)
    assert [p.name for p in named] == ["Josep Borrell", "Sergey Lavrov"]
    for title in ("Foreign Secretary's statement on the Middle East", "Foreign Secretary statement on the Middle East"):
        assert not [p for p in participants_of(title, "en", None) if "Secretary" in p.name], title


def test_a_date_only_in_the_address() -> None:
    from stenogram import parse_text
    from stenogram.parse.dates import date_in_address

    body = "Question: What do you expect from the talks?\n\nAnswer: Results."
    assert parse_text(body, url="https://mfa.example.org/eng/xw/db230912.htm").published == "2023-09-12"
    assert parse_text(body, url="https://blog.example.net/2021/05/14/interview-transcript/").published == "2021-05-14"
    for url in ("https://example.org/item/ab123456", "https://example.org/news/1398712/", "https://example.org/db991340.htm",
                "https://example.org/archive/2099/01/02/page"):
        assert date_in_address(url) is None, url
    # a date the page gives wins over its address
    dated = parse_text("Press conference, Moscow, 25 November 2020\n\n" + body, url="https://x.org/2021/05/14/a/")
    assert dated.published is None or dated.published.startswith("2020-11-25")
    assert dated.event.date == "2020-11-25"


def test_kinds() -> None:
    assert kind_of(TITLE) == "remarks"
    assert kind_of("Statement and answers to media questions at a joint news conference") == "press_conference"
    assert kind_of("Briefing by Foreign Ministry Spokesperson Maria Zakharova") == "briefing"
    assert kind_of("Meeting with Governor of Tula Region") == "meeting"
    assert kind_of("Интервью Министра иностранных дел") == "interview"


def test_colons_in_prose_are_not_labels() -> None:
    d = doc("Question: What now?\n\nSergey Lavrov: Our proposals were as follows: first, a ceasefire.\n\n"
            "The answer is simple: no.")
    assert [t.label for t in d.turns] == ["Question", "Sergey Lavrov"]
    assert d.turns[1].paragraphs[1] == "The answer is simple: no."


def test_label_in_the_middle_of_a_paragraph() -> None:
    d = doc("Question: Will you meet him? Sergey Lavrov: If he asks.")
    assert [(t.kind, t.text) for t in d.turns] == [("question", "Will you meet him?"), ("answer", "If he asks.")]


def test_quoted_dialogue_is_one_turn() -> None:
    d = doc('Sergey Lavrov: He told me: "Sergey, we cannot sign this." I replied: "Then we wait."')
    assert len(d.turns) == 1 and d.turns[0].text.startswith("He told me:")


def test_notes_in_labels() -> None:
    d = doc("Question (translated from Arabic, to both ministers): Yes?\n\n"
            "Sergey Lavrov (speaking after Fuad Hussein): No.",
            title="Remarks at a news conference following talks with Foreign Minister of Iraq Fuad Hussein and "
                  "Foreign Minister Sergey Lavrov, Moscow, May 15, 2019")
    q, a = d.turns
    assert q.translated_from == "ar" and set(q.addressed_to) == {"Sergey Lavrov", "Fuad Hussein"}
    assert a.after == "Fuad Hussein" and a.reply_to == 0 and a.speaker == "Sergey Lavrov"


def test_label_alone_on_its_line_and_one_person_under_several_labels() -> None:
    d = stenogram.parse_text(
        "Official website of the President of Russia\nNews /\nMeeting with the Governor of the Region\n"
        "April 3, 2018, The Kremlin, Moscow\n\n* * *\n\nPresident of Russia Vladimir Putin:\n\nFriends,\n\n"
        "Good afternoon.\n\nVladimir Putin: Let us begin.\n")
    assert d.source == "kremlin.ru" and d.event.place == "The Kremlin, Moscow"
    assert [t.speaker for t in d.turns] == ["Vladimir Putin", "Vladimir Putin"]
    assert d.turns[0].paragraphs == ("Friends,", "Good afternoon.")
    assert d.participants[0].role == "President" and d.participants[0].country == "RU"


def test_initials_resolve_to_the_full_name() -> None:
    d = stenogram.parse_text(
        "16 марта 202115:40\n\nВыступление Министра иностранных дел С.В.Лаврова, Москва, 16 марта 2021 года\n\n"
        "Вопрос: Как дела?\n\nС.В.Лавров: Хорошо.\n")
    assert d.language == "ru" and d.turns[1].speaker == "Сергей Лавров"


def test_stage_directions_go_to_notes() -> None:
    d = doc("Sergey Lavrov: Thanks. (Laughter.) We go on.\n\n(Applause)\n\nQuestion: And?")
    first = d.turns[0]
    assert first.text == "Thanks. We go on." and first.notes == ("(Laughter.)", "(Applause)")


def test_state_department_labels_and_interruptions() -> None:
    d = stenogram.parse_text(
        "Department Press Briefing – March 1, 2022\nNed Price, Department Spokesperson\nWashington, D.C.\n"
        "2:16 p.m. EST\n\nMR PRICE: Good afternoon.\n\nQUESTION: But what about the --\n\n"
        "MR PRICE: I'll get to that.\n\nQUESTION: -- the second visa case?\n\nMR PRICE: Yes.\n\n"
        "(The briefing was concluded at 3:05 p.m.)\n")
    assert d.source == "state.gov" and d.published == "2022-03-01T14:16:00-05:00"
    assert [t.kind for t in d.turns] == ["statement", "question", "answer", "question", "answer"]
    assert {t.speaker for t in d.turns if t.label == "MR PRICE"} == {"Ned Price"}
    assert d.turns[4].reply_to == 3 and d.turns[4].notes == ("(The briefing was concluded at 3:05 p.m.)",)


def test_outlet_labels_on_china_mfa() -> None:
    d = stenogram.parse_text(
        "Foreign Ministry Spokesperson Lin Jian’s Regular Press Conference on May 6, 2024\n2024-05-06 19:30\n\n"
        "Islamic Republic of Iran Broadcasting: What is your comment? Lin Jian: We noted the reports.\n")
    assert d.published == "2024-05-06T19:30:00+08:00"
    q, a = d.turns
    assert (q.kind, q.speaker, q.affiliation) == ("question", None, "Islamic Republic of Iran Broadcasting")
    assert (a.kind, a.speaker, a.reply_to) == ("answer", "Lin Jian", 0)


def test_french_spacing_before_the_colon() -> None:
    d = doc("Question\u202f: Pourquoi\u00a0?\n\nSergueï Lavrov\u00a0: Parce que.",
            title="Conférence de presse du Ministre des Affaires étrangères de la Fédération de Russie, Sergueï Lavrov, "
                  "Moscou, 18 janvier 2022")
    assert [t.label for t in d.turns] == ["Question", "Sergueï Lavrov"]
    assert d.participants[0].role == "Ministre des Affaires étrangères" and d.participants[0].country == "RU"


def test_reported_speech_has_no_turn_labels() -> None:
    d = stenogram.parse_text("Asked about the visit, the spokesman said that it was being planned.\n\n"
                             "He added that no date had been set.\n")
    assert [t.kind for t in d.turns] == ["other"] and d.warnings
