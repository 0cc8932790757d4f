"""The earlier benchmark generator: the same layouts written from about eighty words (every word in
about half the turns), kept so that figures taken with it (docs/benchmarks.md before its section "On
the realistic generator") can be reproduced. `generate.documents(..., simple=True)` and the
`--simple` options of bench/generate.py and bench/ingest.py use it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

WORDS = (
    "cooperation security dialogue sanctions region partners agreement settlement negotiations energy trade "
    "investment sovereignty stability terrorism humanitarian ceasefire initiative council treaty economic "
    "military nuclear infrastructure relations international community interests development crisis conflict "
    "elections government parliament ministry delegation visit talks statement position approach principles "
    "law resolution framework consultations mechanism summit format process integration transport logistics "
    "grain fertiliser pipeline railway currency payments banks students culture tourism vaccines healthcare"
).split()
COUNTRIES = ["Iraq", "Syria", "Iran", "Turkey", "China", "India", "Egypt", "France", "Germany", "the United States",
             "Japan", "Brazil", "Kazakhstan", "Serbia", "Venezuela", "Israel", "Saudi Arabia", "Libya", "Yemen"]
ADJECTIVES = ["Iraqi", "Syrian", "Iranian", "Turkish", "Chinese", "Indian", "Egyptian", "French", "German",
              "American", "Japanese"]
GUESTS = [("Foreign Minister of Iraq", "Fuad Hussein"), ("Foreign Minister of Egypt", "Sameh Shoukry"),
          ("Foreign Minister of Turkey", "Mevlut Cavusoglu"), ("Foreign Minister of India", "Subrahmanyam Jaishankar"),
          ("Foreign Minister of Serbia", "Nikola Selakovic"), ("Foreign Minister of Brazil", "Mauro Vieira")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
RU_WORDS = ("сотрудничество безопасность диалог санкции регион партнёры соглашение урегулирование переговоры "
            "энергетика торговля инвестиции суверенитет стабильность терроризм гуманитарный").split()


def _sentence(rng: random.Random, words: list[str] | tuple[str, ...] = WORDS, question: bool = False) -> str:
    n = rng.randint(8, 24)
    body = [rng.choice(words) for _ in range(n)]
    if rng.random() < 0.5:
        body.insert(rng.randint(0, n), rng.choice(COUNTRIES))
    if rng.random() < 0.3:
        body.insert(rng.randint(0, n), rng.choice(ADJECTIVES))
    text = " ".join(body)
    return text[0].upper() + text[1:] + ("?" if question else ".")


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 6), **kw: object) -> str:
    return " ".join(_sentence(rng, **kw) for _ in range(rng.randint(*sentences)))  # type: ignore[arg-type]


def _mid_en(rng: random.Random, day: dt.date, size: int) -> str:
    role, guest = rng.choice(GUESTS)
    place = rng.choice(["Moscow", "Moscow", "Sochi", "Geneva", "New Delhi"])
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    lines = [f"{day.day} {MONTHS[day.month - 1]} {day.year}{rng.randint(9, 20):02d}:{rng.randint(0, 59):02d}", "",
             f"Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a joint news conference "
             f"following talks with {role} {guest}, {place}, {date}", "", "  • de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", "",
             "Ladies and gentlemen,", ""]
    lines += [_paragraph(rng), ""] * rng.randint(2, 4)
    while sum(len(x) for x in lines) < size:
        note = rng.choice(["", "", " (translated from Arabic)", " (for both ministers)", " (to Sergey Lavrov)"])
        lines += [f"Question{note}: {_paragraph(rng, (1, 3), question=True)}", ""]
        after = f" (speaking after {guest})" if "both" in note else ""
        lines += [f"Sergey Lavrov{after}: {_paragraph(rng)}", ""]
        lines += [_paragraph(rng), ""] * rng.randint(0, 3)
    return "\n".join([*lines, "Advanced settings"])


def _mid_ru(rng: random.Random, day: dt.date, size: int) -> str:
    date = f"{day.day} {RU_MONTHS[day.month - 1]} {day.year}"
    lines = [f"{date}{rng.randint(9, 20):02d}:{rng.randint(0, 59):02d}", "",
             f"Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова "
             f"в ходе пресс-конференции, Москва, {date} года", "", "  • en-GB1 ru-RU1", ""]
    lines += [_paragraph(rng, words=RU_WORDS), ""] * 2
    while sum(len(x) for x in lines) < size // 2:   # Cyrillic takes two bytes a letter
        lines += [f"Вопрос: {_paragraph(rng, (1, 2), words=RU_WORDS, question=True)}", "",
                  f"С.В.Лавров: {_paragraph(rng, words=RU_WORDS)}", ""]
    return "\n".join([*lines, "Расширенные настройки"])


def _briefing(rng: random.Random, day: dt.date, size: int) -> str:
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    topics = [f"{rng.choice(COUNTRIES).title()} {rng.choice(WORDS)}" for _ in range(rng.randint(3, 6))]
    lines = ["Asset Publisher", f"{day.day} {MONTHS[day.month - 1]} {day.year}18:{rng.randint(10, 59)}", "",
             f"Briefing by Foreign Ministry Spokesperson Maria Zakharova, Moscow, {date}", "",
             "  • de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", "", "Table of contents", ""]
    lines += [f"{i}. {t}" for i, t in enumerate(topics, 1)] + [""]
    for topic in topics:
        lines += [topic, "", _paragraph(rng), "", _paragraph(rng), ""]
    lines += ["Answers to media questions:", ""]
    while sum(len(x) for x in lines) < size:
        lines += [f"Question: {_paragraph(rng, (1, 2), question=True)}", "", f"Maria Zakharova: {_paragraph(rng)}", ""]
    return "\n".join([*lines, "Additional materials", "Advanced settings"])


def _state(rng: random.Random, day: dt.date, size: int) -> str:
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    lines = ["An official website of the United States government", f"Department Press Briefing – {date}",
             "Ned Price, Department Spokesperson", "Washington, D.C.", f"{rng.randint(1, 3)}:{rng.randint(10, 59)} p.m. EST",
             "", f"MR PRICE: {_paragraph(rng)}", ""]
    while sum(len(x) for x in lines) < size:
        lines += [f"QUESTION: {_paragraph(rng, (1, 2), question=True)}", "", f"MR PRICE: {_paragraph(rng)}", ""]
        if rng.random() < 0.2:
            lines += ["(Laughter.)", ""]
    return "\n".join([*lines, f"(The briefing was concluded at 3:{rng.randint(10, 59)} p.m.)"])


def _fmprc(rng: random.Random, day: dt.date, size: int) -> str:
    name = rng.choice(["Wang Wenbin", "Mao Ning", "Lin Jian"])
    lines = [f"Foreign Ministry Spokesperson {name}’s Regular Press Conference on {MONTHS[day.month - 1]} {day.day}, {day.year}",
             f"{day.isoformat()} 19:{rng.randint(10, 59)}", "", f"{_paragraph(rng)}", ""]
    while sum(len(x) for x in lines) < size:
        outlet = rng.choice(["CCTV", "AFP", "Reuters", "Bloomberg", "Global Times", "China Daily", "TASS"])
        lines += [f"{outlet}: {_paragraph(rng, (1, 2), question=True)}", "", f"{name}: {_paragraph(rng)}", ""]
    return "\n".join(lines)


LAYOUTS = (_mid_en, _mid_en, _mid_en, _briefing, _mid_ru, _state, _fmprc)


def documents(count: int, *, seed: int = 7, size: int = 8000, days: int = 365 * 13) -> Iterator[tuple[str, str]]:
    """(name, text) for ``count`` documents dated over ``days`` days from 2012-01-01; the same seed gives
    the same documents."""
    rng = random.Random(seed)
    start = dt.date(2012, 1, 1)
    for i in range(count):
        day = start + dt.timedelta(days=rng.randint(0, days))
        layout = LAYOUTS[i % len(LAYOUTS)]
        yield f"{i:07d}-{layout.__name__.strip('_')}.txt", layout(rng, day, size)
