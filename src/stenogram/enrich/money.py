"""Money and quantities: ``$13 billion`` → 13000000000 USD; ``1,5 млрд долларов``; ``4,000 Iraqi students``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_NUMBER = r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE_WORDS = {
    1e3: "thousand|thousands|тыс|тыс.|тысяч|тысячи|тысяча|Tausend|mil|mille",
    1e6: "million|millions|mn|mln|млн|млн.|миллион|миллиона|миллионов|Million|Millionen|millón|millones",
    1e9: "billion|billions|bn|bln|млрд|млрд.|миллиард|миллиарда|миллиардов|Milliarde|Milliarden|milliard|milliards|"
         "mil millones",
    1e12: "trillion|trillions|трлн|трлн.|триллион|триллиона|триллионов|Billion|Billionen|billón|billones",
}
_SCALES = {word: value for value, words in _SCALE_WORDS.items() for word in words.split("|")}
_CURRENCY_WORDS = {
    "USD": "dollars|dollar|US dollars|U.S. dollars|долларов|доллара|доллар|долл.|US-Dollar|Dollar|dólares|dólar",
    "EUR": "euros|euro|евро|Euro",
    "RUB": "roubles|rubles|rouble|ruble|рублей|рубля|рубль|руб.|Rubel|rublos",
    "CNY": "yuan|юаней|юаня|юань|Yuan|yuanes",
    "GBP": "pounds|pound|фунтов|Pfund|libras|livres",
}
_WORD_TO_CODE = {word: code for code, words in _CURRENCY_WORDS.items() for word in words.split("|")}
_SYMBOL = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "₽": "RUB", "USD": "USD", "EUR": "EUR",
           "RUB": "RUB", "CNY": "CNY", "GBP": "GBP"}

_SCALE_ALT = "|".join(re.escape(w) for w in sorted(_SCALES, key=len, reverse=True))
_CUR_ALT = "|".join(re.escape(w) for w in sorted(_WORD_TO_CODE, key=len, reverse=True))
_SYM_ALT = "|".join(re.escape(w) for w in sorted(_SYMBOL, key=len, reverse=True))
#: _NUMBER after its first digit (\d{1,3} = a digit and \d{0,2}; \d+ = a digit and \d*, tried in the same order)
_NUMBER_REST = r"(?:\d{0,2}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?)"


def _number_not_after(chars: str) -> str:
    """``(?<![chars])(?P<num>_NUMBER)``, written to begin with the digit, so the regex engine skips
    ahead to digits instead of trying every position: the look-behind comes after the first digit."""
    return rf"(?P<num>\d(?<![{chars}].){_NUMBER_REST})"


_NUMBER_IN_MONEY = _number_not_after(r"\w.,")
_NUMBER_IN_QUANTITY = _number_not_after(r"\w.,$€£")
_MONEY_SYMBOL_FIRST = re.compile(
    rf"(?<![\w$€£¥])(?P<sym>{_SYM_ALT})\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE_ALT})(?![\w]))?"
)
_MONEY_NUMBER_FIRST = re.compile(
    rf"{_NUMBER_IN_MONEY}\s?(?:(?P<scale>{_SCALE_ALT})\s+)?(?:(?:of|de)\s+)?(?P<cur>{_CUR_ALT})(?![\w])"
)
_QUANTITY = re.compile(
    rf"{_NUMBER_IN_QUANTITY}(?:\s(?P<scale>thousand|million|billion))?\s(?P<unit>(?:[A-Z][a-z]+\s)?[a-z]{{3,}})"
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
#: every amount has a digit: a text without one is not scanned further
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Amount:
    start: int
    end: int
    text: str
    value: float
    unit: str | None


def parse_number(text: str, language: str) -> float | None:
    """``4,000`` (en) = 4000; ``1,5`` (ru/de/es/fr) = 1.5; ``30 000`` = 30000; ``1.234,5`` (de) = 1234.5."""
    t = re.sub(r"[\u00a0\u202f ]", "", text)
    if language == "en":
        t = t.replace(",", "")
    elif "," in t:
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
        t = t.replace(".", "")
    try:
        return float(t)
    except ValueError:
        return None


def _value(num: str, scale: str | None, language: str) -> float | None:
    base = parse_number(num, language)
    if base is None:
        return None
    value = base * (_SCALES.get(scale, 1.0) if scale else 1.0)
    return int(value) if value == int(value) else value


def find_money(text: str, language: str) -> Iterator[Amount]:
    if not _DIGIT.search(text):
        return
    spans: list[Amount] = []
    for m in _MONEY_SYMBOL_FIRST.finditer(text):
        value = _value(m.group("num"), m.group("scale"), language)
        if value is not None:
            spans.append(Amount(m.start(), m.end(), m.group(0), value, _SYMBOL[m.group("sym")]))
    for m in _MONEY_NUMBER_FIRST.finditer(text):
        if any(a.start <= m.start() < a.end for a in spans):
            continue
        value = _value(m.group("num"), m.group("scale"), language)
        if value is not None:
            spans.append(Amount(m.start(), m.end(), m.group(0), value, _WORD_TO_CODE[m.group("cur")]))
    yield from sorted(spans, key=lambda a: a.start)


def find_quantities(text: str, language: str, taken: list[tuple[int, int]]) -> Iterator[Amount]:
    """Counted things (``4,000 Iraqi students``, ``76 years``), English only for now; years are not quantities."""
    if language != "en" or not _DIGIT.search(text):
        return
    for m in _QUANTITY.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or _YEAR.match(m.group("num")):
            continue
        value = _value(m.group("num"), m.group("scale"), language)
        if value is not None:
            unit = m.group("unit").split()[-1]
            yield Amount(m.start(), m.end(), m.group(0), value, unit)
