"""A generator of realistic synthetic transcripts for benchmarks (any number, fixed seed).

Documents follow the real layouts of FORMATS.md: mid.ru press conferences and briefings (English and
Russian), state.gov briefings and China MFA press conferences, about --size bytes each on average.

Their words follow Zipf's law, as a language's do. Each language (English, Russian) has a vocabulary
of some 40,000 word forms: its real function words at their real high ranks, a few hundred real
words of diplomacy near the top, and below them forms built from syllables (English stems with
their -s, -ed, -ing, -ly; Russian stems with case and verb endings, in Cyrillic). The form of rank r
is drawn with weight 1/r^1.05. On top of that, each document has a topic (a few dozen mid-frequency
words it repeats), multiword phrases ("strategic partnership"-like, a few thousand a language, drawn
by their own Zipf law and reused from document to document), the registry's officials in office
that year (a few a document, by name), and the gazetteer's countries and organisations, drawn by a
Zipf law over their order in the gazetteer. A document has 5 to 60 turns; sentences have 10 to 35
words; questions end with "?". The same seed gives the same vocabulary and documents, and `bands`
gives query words of each frequency band of that vocabulary.

    python bench/generate.py --count 1000 --out bench/out/corpus   # writes .txt files
    python bench/generate.py --bands 10                             # prints query words by band
    python bench/generate.py --simple --count 1000 --out DIR        # the earlier, eighty-word generator
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import functools
import itertools
import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

ZIPF = 1.05          # exponent of the words' law
PHRASE_ZIPF = 1.0    # of the phrases'
ENTITY_ZIPF = 1.0    # of countries, organisations and people over their order in the gazetteer
SENTENCE = (10, 35, 17)   # words a sentence: fewest, most, most often (triangular)

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
GUESTS = [("Foreign Minister of Iraq", "Fuad Hussein"), ("Foreign Minister of Egypt", "Sameh Shoukry"),
          ("Foreign Minister of Turkey", "Mevlut Cavusoglu"), ("Foreign Minister of India", "Subrahmanyam Jaishankar"),
          ("Foreign Minister of Serbia", "Nikola Selakovic"), ("Foreign Minister of Brazil", "Mauro Vieira")]

# --- English -------------------------------------------------------------------------------------

# function words, most frequent first (the order of spoken, official English)
EN_FUNCTION = (
    "the of and to a in that is we it this for on with are as be have not our by will at which i they you from "
    "has there all but was an or these their would what can been about also more its very so do those other who "
    "should one us such if were any no them he his must into between only over now well because when here how "
    "than some then up out may could both after where just why within each without through while under against "
    "during since before further however whether already still many most much same own every together again "
    "even never always whose whom toward among upon across until although though yet nor her she him my me "
    "your itself themselves being had did does done let shall might"
).split()
# words of diplomacy, placed among the first thousand ranks in this order
EN_DOMAIN = (
    "countries country cooperation security question situation president minister government people work "
    "relations international issue issues years year today world side sides colleagues meeting important "
    "necessary course fact position region partners agreement settlement negotiations energy trade investment "
    "sovereignty stability terrorism humanitarian ceasefire initiative council treaty economic military nuclear "
    "infrastructure community interests development crisis conflict elections parliament ministry delegation "
    "visit talks statement approach principles law resolution framework consultations mechanism summit format "
    "process integration transport logistics grain fertiliser pipeline railway currency payments banks students "
    "culture tourism vaccines healthcare sanctions dialogue foreign affairs policy support efforts decision "
    "peace war weapons border forces states nations leaders leadership agenda bilateral multilateral regional "
    "global strategic partnership friends counterparts press conference media journalists reporters spokesperson "
    "embassy ambassador diplomats diplomatic programme projects project plans plan steps measures proposals "
    "proposal discussion discussed agreed reached signed implementation obligations commitments"
).split()
EN_ONSETS = ("b b c d d f g h j k l l m m n n p p r r s s t t v w w z bl br ch cl cr dr fl fr gl gr pl pr "
             "sh sl sp st th tr").split()
EN_NUCLEI = "a e i o u a e i o u ai ea ee oa ou".split()
EN_CODAS = ["", "", "", "", "n", "n", "r", "r", "l", "s", "t", "t", "nd", "nt", "st", "rt", "ck", "m", "x", "ng"]
EN_DERIVATIONS = ["", "", "", "", "", "", "tion", "ment", "ity", "ance", "ism", "ure", "age", "ness", "al", "ive",
                  "ous", "ic", "ate", "ise"]
# a lemma's forms by its part of speech: (suffix, share of the lemma's uses)
EN_FORMS = {
    "noun": (("", 0.65), ("s", 0.35)),
    "verb": (("", 0.4), ("s", 0.15), ("ed", 0.25), ("ing", 0.2)),
    "adjective": (("", 0.8), ("ly", 0.2)),
}
EN_KIND = {"": "noun", "tion": "noun", "ment": "noun", "ity": "noun", "ance": "noun", "ism": "noun", "ure": "noun",
           "age": "noun", "ness": "noun", "al": "adjective", "ive": "adjective", "ous": "adjective",
           "ic": "adjective", "ate": "verb", "ise": "verb"}
VOWELS = "aeiouy"


def _english_form(lemma: str, suffix: str) -> str:
    """``lemma`` with an inflection, spelt as English spells it (nations, policies, stated, stating)."""
    if suffix == "s":
        if lemma.endswith(("s", "x", "sh", "ch")):
            return lemma + "es"
        if lemma.endswith("y") and lemma[-2:-1] not in VOWELS:
            return lemma[:-1] + "ies"
    if suffix in ("ed", "ing") and lemma.endswith("e"):
        return lemma[:-1] + suffix
    if suffix == "ly" and lemma.endswith("ic"):
        return lemma + "ally"
    return lemma + suffix


# --- Russian -------------------------------------------------------------------------------------

RU_FUNCTION = (
    "и в не на что с мы это по как к а о из за у для от то так же все бы был этого но его уже есть только "
    "также их при этом наши наших нас они он она до или если чтобы когда может будет были была очень тем том "
    "этой эти этих там здесь вот ещё который которые которых которая которое которую котором свои своих своей "
    "свою чем где можно нужно должны сейчас более между после через без под над перед лишь даже ни ли вы вас "
    "вам я мне меня нам им них всех всё этим этому тех тот та те такой такие всегда никогда со во об"
).split()
RU_DOMAIN = (
    "страны стран страна вопрос вопросы вопросов сотрудничество сотрудничества безопасности безопасность "
    "президент президента министр министра отношения отношений отношениях ситуации ситуация работы работа "
    "правительство правительства стороны сторон сторона коллеги коллегами году года лет время времени мира мир "
    "регионе региона регион позиция позиции переговоры переговоров переговорах соглашение соглашения "
    "соглашений урегулирование урегулирования диалог диалога диалоге партнёры партнёров партнёрами санкции "
    "санкций санкциями министерство министерства визит визита встреча встречи договор договора договоров "
    "процесс процесса кризис кризиса конфликт конфликта интересы интересов развитие развития экономического "
    "экономических международного международных международной российской российских российского военных "
    "ядерного ядерных энергетики торговли инвестиций суверенитета стабильности терроризма гуманитарной "
    "гуманитарных совета резолюции подход подходы принципов решение решения решений политики поддержки "
    "усилий мирного войны оружия границы государств лидеров повестки двусторонних многосторонних "
    "стратегического партнёрства друзей журналистов посольства посла дипломатов программы проектов планов "
    "шагов мер предложений обсуждения договорились подписали выполнения обязательств"
).split()
RU_ONSETS = ("б в в г д д ж з к к л л м н н п п р р с с т т ф х ц ч ш щ бр вл гр др кр пл пр ст тр сл зв сп ск св "
             "дв").split()
RU_NUCLEI = "а о е и у ы я ю а о е и а о".split()
RU_VOWELS = "аоеиуыяюё"
RU_CODAS = ["", "", "", "", "", "н", "р", "л", "с", "т", "в", "к", "м", "ст", "нт"]
# a stem's forms by declension or conjugation: (ending, share of the lemma's uses)
RU_FORMS = {
    "masculine": (("", 0.3), ("а", 0.2), ("у", 0.08), ("ом", 0.08), ("е", 0.1), ("ы", 0.1), ("ов", 0.08),
                  ("ам", 0.02), ("ами", 0.02), ("ах", 0.02)),
    "feminine": (("а", 0.3), ("ы", 0.22), ("е", 0.14), ("у", 0.12), ("ой", 0.1), ("ам", 0.04), ("ами", 0.04),
                 ("ах", 0.04)),
    "neuter": (("ение", 0.35), ("ения", 0.3), ("ению", 0.08), ("ением", 0.07), ("ении", 0.1), ("ений", 0.1)),
    "abstract": (("ость", 0.45), ("ости", 0.45), ("остью", 0.1)),
    "adjective": (("ный", 0.1), ("ного", 0.16), ("ному", 0.05), ("ным", 0.08), ("ном", 0.06), ("ная", 0.08),
                  ("ной", 0.14), ("ную", 0.06), ("ное", 0.07), ("ные", 0.08), ("ных", 0.12)),
    "verb": (("ать", 0.25), ("ает", 0.2), ("ают", 0.12), ("ал", 0.12), ("ала", 0.06), ("али", 0.12),
             ("аем", 0.13)),
}
RU_KINDS = ("masculine", "masculine", "feminine", "feminine", "neuter", "abstract", "adjective", "adjective", "verb")


def _zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / r ** exponent for r in range(1, count + 1)))


@dataclass(frozen=True)
class Vocabulary:
    """One language's word forms by rank (most frequent first), their cumulative Zipf weights, and what
    the documents draw besides single words."""

    language: str
    words: tuple[str, ...]
    cumulative: tuple[float, ...]
    function: frozenset[str]
    tail: tuple[str, ...]                   # ranks 101 and on: the words a document's topic is drawn from
    tail_cumulative: tuple[float, ...]
    phrases: tuple[str, ...]                # by rank
    phrase_cumulative: tuple[float, ...]
    countries: tuple[tuple[str, ...], ...]  # name forms (the first the usual one), by the gazetteer's order
    organisations: tuple[tuple[str, ...], ...]
    bytes_per_word: float                   # expected UTF-8 bytes of a drawn word and its space


def _merge_ranks(function: Sequence[str], domain: Sequence[str], generated: Sequence[str]) -> list[str]:
    """The function words at the top (the first 40 in a row, the rest one rank in four up to about
    rank 360), the domain words one rank in five from rank 45, and the generated forms in between."""
    placed = [(k + 1 if k < 40 else 40 + (k - 40) * 4, 0, w) for k, w in enumerate(function)]
    placed += [(45 + j * 5, 1, w) for j, w in enumerate(domain)]
    placed.sort()
    words: list[str] = []
    seen: set[str] = set()
    rest = iter(generated)
    i = 0
    while i < len(placed):
        if placed[i][0] <= len(words) + 1:
            word = placed[i][2]
            i += 1
        else:
            word = next(rest)
        if word not in seen:
            seen.add(word)
            words.append(word)
    for word in rest:
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _forms(lemmas: list[tuple[str, Sequence[tuple[str, float]]]], reserved: set[str], count: int) -> list[str]:
    """The lemmas' forms (lemma i used as often as rank i, shared among its forms), ordered by how often
    each is used, the first ``count`` distinct ones."""
    weighted: list[tuple[float, int, str]] = []
    seen = set(reserved)
    order = 0
    for i, (_, forms) in enumerate(lemmas, 1):
        for word, share in forms:
            if word in seen or len(word) < 3:
                continue
            seen.add(word)
            weighted.append((-share / i, order, word))
            order += 1
    weighted.sort()
    return [w for _, _, w in weighted[:count]]


def _english_lemmas(rng: random.Random, count: int) -> list[tuple[str, Sequence[tuple[str, float]]]]:
    """Lemmas with their forms and each form's share of the lemma's uses, shorter lemmas mostly first
    (frequent words are short)."""
    lemmas: list[tuple[float, str, str]] = []
    stems: set[str] = set()
    while len(lemmas) < count:
        syllables = rng.choices((1, 2, 3), weights=(4, 5, 1))[0]
        stem = "".join(rng.choice(EN_ONSETS) + rng.choice(EN_NUCLEI) + rng.choice(EN_CODAS) for _ in range(syllables))
        derivation = rng.choice(EN_DERIVATIONS)
        if derivation and derivation[0] in VOWELS and stem[-1] in VOWELS:
            stem = stem.rstrip(VOWELS) or stem
        lemma = stem + derivation
        if lemma in stems or len(lemma) < 3:
            continue
        stems.add(lemma)
        kind = EN_KIND[derivation]
        if derivation == "" and rng.random() < 0.35:
            kind = "verb"
        lemmas.append((len(lemma) + rng.gauss(0, 2.5), lemma, kind))
    lemmas.sort()
    return [(lemma, tuple((_english_form(lemma, suffix), share) for suffix, share in EN_FORMS[kind]))
            for _, lemma, kind in lemmas]


def _russian_lemmas(rng: random.Random, count: int) -> list[tuple[str, Sequence[tuple[str, float]]]]:
    """Stems with their forms (case or verb endings) and each form's share, shorter stems mostly first."""
    lemmas: list[tuple[float, str, str]] = []
    stems: set[tuple[str, str]] = set()
    while len(lemmas) < count:
        syllables = rng.choices((1, 2, 3), weights=(3, 6, 2))[0]
        stem = "".join(rng.choice(RU_ONSETS) + rng.choice(RU_NUCLEI) + rng.choice(RU_CODAS) for _ in range(syllables))
        kind = rng.choice(RU_KINDS)
        if kind != "feminine":
            stem = stem.rstrip(RU_VOWELS) or stem    # these endings follow a consonant
        elif stem[-1] in RU_VOWELS:
            stem += rng.choice("кнтл")
        if len(stem) < 3 or not any(c in RU_VOWELS for c in stem) or (stem, kind) in stems:
            continue
        stems.add((stem, kind))
        lemmas.append((len(stem) + rng.gauss(0, 2.0), stem, kind))
    lemmas.sort()
    return [(stem, tuple((stem + ending, share) for ending, share in RU_FORMS[kind])) for _, stem, kind in lemmas]


def _phrases(rng: random.Random, language: str, words: Sequence[str], function: frozenset[str],
             count: int) -> list[str]:
    """Generated multiword names of things (two or three words of ranks 60 to 8,000), most reused first."""
    pool = [w for w in words[60:8000] if w not in function]
    if language == "ru":
        adjectives = [w for w in pool if w.endswith(("ный", "ного", "ной", "ных", "ое", "ая"))] or pool
        genitives = [w for w in pool if w.endswith(("а", "ы", "ения", "ости", "ов"))] or pool
        heads = [w for w in pool if w.endswith(("ение", "ость", "о")) or w[-1] not in "аеиоуыюя"] or pool
    else:
        adjectives = [w for w in pool if w.endswith(("al", "ive", "ous", "ic", "ic"))] or pool
        heads = [w for w in pool if w.endswith(("tion", "ment", "ity", "ance", "ism", "ure", "age", "ness"))] or pool
        genitives = [w for w in pool if not w.endswith(("ly", "ed", "ing"))] or pool
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        shape = rng.random()
        if language == "ru":
            if shape < 0.5:
                parts = [rng.choice(heads), rng.choice(adjectives), rng.choice(genitives)]   # нераспространение ядерного оружия
            elif shape < 0.85:
                parts = [rng.choice(adjectives), rng.choice(heads)]                          # стратегическое партнёрство
            else:
                parts = [rng.choice(heads), rng.choice(genitives)]
        elif shape < 0.55:
            parts = [rng.choice(adjectives), rng.choice(heads)]                               # strategic partnership
        elif shape < 0.8:
            parts = [rng.choice(heads), "of", rng.choice(genitives)]                          # settlement of disputes
        else:
            parts = [rng.choice(adjectives), rng.choice(genitives), rng.choice(heads)]
        phrase = " ".join(parts)
        if phrase not in seen and len(set(parts)) == len(parts):
            seen.add(phrase)
            found.append(phrase)
    return found


def _data(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((files("stenogram") / "data" / name).read_text(encoding="utf-8"))
    return loaded


@functools.lru_cache(maxsize=8)
def vocabulary(language: str, seed: int = 7) -> Vocabulary:
    """The vocabulary of ``language`` ("en" or "ru") for a seed: the same seed, the same words."""
    rng = random.Random(f"stenogram-bench:{language}:{seed}")
    if language == "en":
        function, domain = EN_FUNCTION, EN_DOMAIN
        lemmas, size = _english_lemmas(rng, 22_000), 40_000
    elif language == "ru":
        function, domain = RU_FUNCTION, RU_DOMAIN
        lemmas, size = _russian_lemmas(rng, 7_000), 45_000
    else:
        raise ValueError(f"no vocabulary for {language!r}: the generator writes en and ru")
    reserved = {w.lower() for w in (*function, *domain)}
    words = _merge_ranks(function, domain, _forms(lemmas, reserved, size))
    cumulative = _zipf_cumulative(len(words), ZIPF)
    weights = [b - a for a, b in itertools.pairwise([0.0, *cumulative])]
    per_word = sum(w * (len(word.encode("utf-8")) + 1) for w, word in zip(weights, words, strict=True)) / cumulative[-1]
    functional = frozenset(function)
    phrases = _phrases(rng, language, words, functional, 6_000)
    countries = _data("countries.json")["names"]
    organisations = _data("organizations.json")["organizations"]
    assert isinstance(countries, dict) and isinstance(organisations, list)
    country_names = tuple(tuple(forms[language]) for forms in countries.values() if forms.get(language))
    organisation_names = tuple(tuple(org["aliases"][language]) for org in organisations
                               if org["aliases"].get(language))
    return Vocabulary(language=language, words=tuple(words), cumulative=tuple(cumulative), function=functional,
                      tail=tuple(words[100:]), tail_cumulative=tuple(c - cumulative[99] for c in cumulative[100:]),
                      phrases=tuple(phrases), phrase_cumulative=tuple(_zipf_cumulative(len(phrases), PHRASE_ZIPF)),
                      countries=country_names, organisations=organisation_names, bytes_per_word=per_word)


@functools.lru_cache(maxsize=1)
def _officials() -> tuple[tuple[dict[str, list[str]], list[tuple[str, str]]], ...]:
    """The registry's people in its order: their names by language and their offices' (start, end)."""
    people = _data("officials.json")["people"]
    assert isinstance(people, list)
    return tuple((p["names"], [(o.get("start") or "0000", o.get("end") or "9999") for o in p["offices"]])
                 for p in people)


@functools.lru_cache(maxsize=64)
def _people_in_office(year: int, language: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """The names (in ``language``) of the registry's people in office in ``year``, in the registry's
    order, with cumulative Zipf weights."""
    names = tuple(forms[language][0] for forms, offices in _officials()
                  if forms.get(language) and any(s[:4] <= str(year) <= e[:4] for s, e in offices))
    return names, tuple(_zipf_cumulative(len(names), ENTITY_ZIPF))


def _zipf_pick(rng: random.Random, items: Sequence[tuple[str, ...]], exponent: float = ENTITY_ZIPF) -> tuple[str, ...]:
    cumulative = _entity_cumulative(len(items), exponent)
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


@functools.lru_cache(maxsize=16)
def _entity_cumulative(count: int, exponent: float) -> list[float]:
    return _zipf_cumulative(count, exponent)


class Writer:
    """Writes one document's sentences: its language's Zipf words, its topic, phrases and entities."""

    def __init__(self, rng: random.Random, vocab: Vocabulary, day: dt.date) -> None:
        self.rng, self.vocab = rng, vocab
        self.topic = rng.choices(vocab.tail, cum_weights=vocab.tail_cumulative, k=rng.randint(15, 40))
        self.phrases = rng.choices(vocab.phrases, cum_weights=vocab.phrase_cumulative, k=rng.randint(2, 6))
        self.countries = [_zipf_pick(rng, vocab.countries) for _ in range(rng.randint(2, 5))]
        self.organisations = [_zipf_pick(rng, vocab.organisations) for _ in range(rng.randint(1, 3))]
        names, cumulative = _people_in_office(day.year, vocab.language)
        self.people = rng.choices(names, cum_weights=cumulative, k=rng.randint(1, 4)) if names else []

    def country(self) -> str:
        rng = self.rng
        forms = rng.choice(self.countries) if rng.random() < 0.4 else _zipf_pick(rng, self.vocab.countries)
        # Russian forms are the cases a sentence needs; English ones mostly the usual name
        return rng.choice(forms) if self.vocab.language == "ru" or rng.random() < 0.2 else forms[0]

    def _organisation(self) -> str:
        rng = self.rng
        forms = rng.choice(self.organisations) if rng.random() < 0.7 else _zipf_pick(rng, self.vocab.organisations)
        return rng.choice(forms) if self.vocab.language == "ru" or rng.random() < 0.3 else forms[0]

    def sentence(self, question: bool = False) -> str:
        rng, vocab = self.rng, self.vocab
        n = int(rng.triangular(*SENTENCE))
        words = rng.choices(vocab.words, cum_weights=vocab.cumulative, k=n)
        for _ in range(int(n * 0.08 + rng.random())):           # the document's topic, about one word in twelve
            words[rng.randrange(n)] = rng.choice(self.topic)
        inserts: list[str] = []
        if rng.random() < 0.4:
            inserts.append(rng.choice(self.phrases) if rng.random() < 0.5 else
                           rng.choices(vocab.phrases, cum_weights=vocab.phrase_cumulative)[0])
        if rng.random() < 0.3:
            inserts.append(self.country())
        if rng.random() < 0.1:
            inserts.append(self._organisation())
        if self.people and rng.random() < 0.07:
            inserts.append(rng.choice(self.people))
        for item in inserts:                                    # each replaces a word, keeping the length
            words[rng.randrange(n)] = item
        for i in rng.sample(range(1, n - 1), rng.randint(0, n // 9)):
            words[i] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + ("?" if question else ".")

    def paragraphs(self, sentences: int, question: bool = False) -> list[str]:
        """``sentences`` sentences in paragraphs of one to five; in a question the last sentence asks."""
        out: list[str] = []
        left = sentences
        while left > 0:
            take = min(left, self.rng.randint(1, 5))
            left -= take
            out.append(" ".join(self.sentence(question and left == 0 and i == take - 1) for i in range(take)))
        return out


@dataclass
class Plan:
    """How long a document is: its turns (5 to 60) and the sentences of its questions and other turns,
    so that documents average ``size`` bytes."""

    turns: int
    per_turn: float
    rng: random.Random

    @classmethod
    def draw(cls, rng: random.Random, vocab: Vocabulary, size: int) -> Plan:
        turns = 5 + round(55 * rng.betavariate(1.3, 3.0))
        jitter = rng.lognormvariate(-0.08, 0.4)                 # mean 1
        # (the factor: measured, for the first sentences, the one-sentence minimum and the longer names)
        sentences = 0.78 * size * jitter / (vocab.bytes_per_word * (SENTENCE[0] + SENTENCE[1] + SENTENCE[2]) / 3)
        questions = (turns - 1) // 2
        per_turn = max(1.0, (sentences - 1.4 * questions) / max(1, turns - questions))
        return cls(turns, per_turn, rng)

    def question(self) -> int:
        return self.rng.choices((1, 2, 3), weights=(6, 3, 1))[0]

    def answer(self) -> int:
        return max(1, round(self.per_turn * self.rng.lognormvariate(-0.12, 0.5)))


def _block(label: str, paragraphs: list[str]) -> list[str]:
    """A turn's lines: its label before the first paragraph, a blank line after each."""
    lines: list[str] = []
    for i, paragraph in enumerate(paragraphs):
        lines += [f"{label}: {paragraph}" if i == 0 and label else paragraph, ""]
    return lines


def _mid_en(rng: random.Random, day: dt.date, size: int, seed: int) -> str:
    vocab = vocabulary("en", seed)
    w, plan = Writer(rng, vocab, day), Plan.draw(rng, vocab, size)
    role, guest = rng.choice(GUESTS)
    place = rng.choice(["Moscow", "Moscow", "Sochi", "Geneva", "New Delhi"])
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    lines = [f"{day.day} {MONTHS[day.month - 1]} {day.year}{rng.randint(9, 20):02d}:{rng.randint(0, 59):02d}", "",
             f"Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a joint news conference "
             f"following talks with {role} {guest}, {place}, {date}", "", "  • de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", "",
             "Ladies and gentlemen,", ""]
    lines += _block("", w.paragraphs(plan.answer() + 2))
    for _ in range((plan.turns - 1) // 2):
        note = rng.choice(["", "", " (translated from Arabic)", " (for both ministers)", " (to Sergey Lavrov)"])
        lines += _block(f"Question{note}", w.paragraphs(plan.question(), question=True))
        after = f" (speaking after {guest})" if "both" in note else ""
        lines += _block(f"Sergey Lavrov{after}", w.paragraphs(plan.answer()))
    return "\n".join([*lines, "Advanced settings"])


def _mid_ru(rng: random.Random, day: dt.date, size: int, seed: int) -> str:
    vocab = vocabulary("ru", seed)
    w, plan = Writer(rng, vocab, day), Plan.draw(rng, vocab, size)
    date = f"{day.day} {RU_MONTHS[day.month - 1]} {day.year}"
    lines = [f"{date}{rng.randint(9, 20):02d}:{rng.randint(0, 59):02d}", "",
             f"Выступление и ответы на вопросы СМИ Министра иностранных дел Российской Федерации С.В.Лаврова "
             f"в ходе пресс-конференции, Москва, {date} года", "", "  • en-GB1 ru-RU1", ""]
    lines += _block("", w.paragraphs(plan.answer() + 2))
    for _ in range((plan.turns - 1) // 2):
        lines += _block("Вопрос", w.paragraphs(plan.question(), question=True))
        lines += _block("С.В.Лавров", w.paragraphs(plan.answer()))
    return "\n".join([*lines, "Расширенные настройки"])


def _briefing(rng: random.Random, day: dt.date, size: int, seed: int) -> str:
    vocab = vocabulary("en", seed)
    w, plan = Writer(rng, vocab, day), Plan.draw(rng, vocab, size)
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    topics: list[str] = []
    while len(topics) < min(rng.randint(3, 6), plan.turns - 2):
        phrase = rng.choices(vocab.phrases, cum_weights=vocab.phrase_cumulative)[0]
        heading = f"{w.country()} {phrase}"
        if heading[0].upper() + heading[1:] not in topics:
            topics.append(heading[0].upper() + heading[1:])
    lines = ["Asset Publisher", f"{day.day} {MONTHS[day.month - 1]} {day.year}18:{rng.randint(10, 59)}", "",
             f"Briefing by Foreign Ministry Spokesperson Maria Zakharova, Moscow, {date}", "",
             "  • de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1", "", "Table of contents", ""]
    lines += [f"{i}. {t}" for i, t in enumerate(topics, 1)] + [""]
    for topic in topics:
        lines += [topic, "", *_block("", w.paragraphs(plan.answer() + 1))]
    lines += ["Answers to media questions:", ""]
    for _ in range(max(1, (plan.turns - len(topics)) // 2)):
        lines += _block("Question", w.paragraphs(plan.question(), question=True))
        lines += _block("Maria Zakharova", w.paragraphs(plan.answer()))
    return "\n".join([*lines, "Additional materials", "Advanced settings"])


def _state(rng: random.Random, day: dt.date, size: int, seed: int) -> str:
    vocab = vocabulary("en", seed)
    w, plan = Writer(rng, vocab, day), Plan.draw(rng, vocab, size)
    date = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
    lines = ["An official website of the United States government", f"Department Press Briefing – {date}",
             "Ned Price, Department Spokesperson", "Washington, D.C.", f"{rng.randint(1, 3)}:{rng.randint(10, 59)} p.m. EST",
             "", *_block("MR PRICE", w.paragraphs(plan.answer()))]
    for _ in range((plan.turns - 1) // 2):
        lines += _block("QUESTION", w.paragraphs(plan.question(), question=True))
        lines += _block("MR PRICE", w.paragraphs(plan.answer()))
        if rng.random() < 0.1:
            lines += ["(Laughter.)", ""]
    return "\n".join([*lines, f"(The briefing was concluded at 3:{rng.randint(10, 59)} p.m.)"])


def _fmprc(rng: random.Random, day: dt.date, size: int, seed: int) -> str:
    vocab = vocabulary("en", seed)
    w, plan = Writer(rng, vocab, day), Plan.draw(rng, vocab, size)
    name = rng.choice(["Wang Wenbin", "Mao Ning", "Lin Jian"])
    lines = [f"Foreign Ministry Spokesperson {name}’s Regular Press Conference on {MONTHS[day.month - 1]} {day.day}, {day.year}",
             f"{day.isoformat()} 19:{rng.randint(10, 59)}", "", *_block("", w.paragraphs(plan.answer()))]
    for _ in range((plan.turns - 1) // 2):
        outlet = rng.choice(["CCTV", "AFP", "Reuters", "Bloomberg", "Global Times", "China Daily", "TASS"])
        lines += _block(outlet, w.paragraphs(plan.question(), question=True))
        lines += _block(name, w.paragraphs(plan.answer()))
    return "\n".join(lines)


Layout = Callable[[random.Random, dt.date, int, int], str]
LAYOUTS: tuple[Layout, ...] = (_mid_en, _mid_en, _mid_en, _briefing, _mid_ru, _state, _fmprc)
LANGUAGE_SHARE = {"en": 6 / 7, "ru": 1 / 7}   # of the documents, by LAYOUTS


def documents(count: int, *, seed: int = 7, size: int = 8000, days: int = 365 * 13,
              simple: bool = False) -> Iterator[tuple[str, str]]:
    """(name, text) for ``count`` documents dated over ``days`` days from 2012-01-01; the same seed gives
    the same documents. ``simple``: the earlier generator's documents, written from about eighty words
    (bench/generate_simple.py), to reproduce figures taken with it."""
    if simple:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from generate_simple import documents as earlier

        yield from earlier(count, seed=seed, size=size, days=days)
        return
    rng = random.Random(seed)
    start = dt.date(2012, 1, 1)
    for i in range(count):
        day = start + dt.timedelta(days=rng.randint(0, days))
        layout = LAYOUTS[i % len(LAYOUTS)]
        yield f"{i:07d}-{layout.__name__.strip('_')}.txt", layout(rng, day, size, seed)


#: the frequency bands of `bands`: (name, first rank, last rank) of a vocabulary's words
BANDS = (("top 1,000", 1, 1_000), ("1,000–10,000", 1_001, 10_000), ("rarer", 10_001, 10**9))
PHRASE_BANDS = (("phrase, top 100", 1, 100), ("phrase, rarer", 101, 10**9))


def bands(count: int = 40, *, seed: int = 7) -> dict[str, list[str]]:
    """Query words from each frequency band of the vocabulary (``BANDS``: the first 1,000 ranks, ranks
    1,001 to 10,000, and the rest) and phrases from the phrases' bands (``PHRASE_BANDS``): up to
    ``count`` of each, different ones, drawn evenly over the band's ranks. Function words are left
    out (nobody searches for "the"). English and Russian come in the documents' proportion (one in
    seven Russian), interleaved; a band with fewer items than asked gives fewer."""
    rng = random.Random(f"stenogram-bench:bands:{seed}")
    every = round(1 / LANGUAGE_SHARE["ru"])
    out: dict[str, list[str]] = {}
    for name, first, last in (*BANDS, *PHRASE_BANDS):
        pools: dict[str, list[str]] = {}
        for language in ("en", "ru"):
            vocab = vocabulary(language, seed)
            items = vocab.phrases if name.startswith("phrase") else vocab.words
            pools[language] = [w for w in items[first - 1:last] if w not in vocab.function]
            rng.shuffle(pools[language])
        picked: list[str] = []
        for i in range(count):
            language = "ru" if i % every == every - 1 else "en"
            if not pools[language]:
                break
            picked.append(pools[language].pop())
        out[name] = picked
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--size", type=int, default=8000, help="average bytes per document")
    ap.add_argument("--out", type=Path, help="folder to write the documents to")
    ap.add_argument("--bands", type=int, metavar="N", help="print N query words of each frequency band instead")
    ap.add_argument("--simple", action="store_true", help="the earlier generator's documents (about eighty words)")
    args = ap.parse_args()
    if args.bands:
        for name, words in bands(args.bands, seed=args.seed).items():
            print(f"{name}: {', '.join(words)}")
        return
    if args.out is None:
        ap.error("give --out (or --bands)")
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in documents(args.count, seed=args.seed, size=args.size, simple=args.simple):
        data = text.encode("utf-8")
        (args.out / name).write_bytes(data)
        total += len(data)
    print(f"wrote {args.count} documents, {total / 1e6:.1f} MB, to {args.out}")


if __name__ == "__main__":
    main()
