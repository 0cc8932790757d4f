"""A title's document kind, event place and date (read from the right), and participants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stenogram.gazetteer import country_code, country_of_adjective
from stenogram.parse import patterns as P
from stenogram.parse.dates import find_dates
from stenogram.parse.names import looks_like_person, split_role_name


def kind_of(title: str) -> str:
    """``press_conference`` wherever the title says so, otherwise the earliest kind word; else ``other``."""
    best: tuple[int, str] | None = None
    for kind, rx in P.KIND_REGEXES:
        m = rx.search(title)
        if m is None:
            continue
        if kind == "press_conference":
            return kind
        if best is None or m.start() < best[0]:
            best = (m.start(), kind)
    return best[1] if best else "other"


_PLACE_WORD = re.compile(r"^[A-ZА-ЯЁÀ-Þ][\w’'\-.]*$")


def event_of(title: str) -> tuple[str | None, str | None]:
    """Place and ISO date read from the right of a title (``..., Moscow, November 25, 2020``)."""
    dates = find_dates(title)
    if not dates:
        return _trailing_place(title), None
    last = dates[-1]
    if title[last.end:].strip(" .)»\"”"):
        # The date is not at the end (a "Regular Press Conference on May 14, 2019" is; text after is not).
        tail = title[last.end:].strip()
        if len(tail.split()) > 3:
            return None, last.date.isoformat()
    before = title[:last.start].rstrip()
    place = None
    if before.endswith(","):
        segment = before[:-1].rsplit(",", 1)[-1].strip().lstrip("(")
        words = segment.split()
        if words and all(_PLACE_WORD.match(w) or w.casefold() in {"de", "of", "the", "на", "-"} for w in words):
            place = segment if len(words) <= 4 else None
        elif words:
            # "... in 2019 Sochi": the trailing capitalised words after the last lower-case word.
            tail_words: list[str] = []
            for w in reversed(words):
                if not _PLACE_WORD.match(w) or any(ch.isdigit() for ch in w):
                    break
                tail_words.insert(0, w)
            if tail_words and len(tail_words) <= 3 and len(tail_words) < len(words):
                place = " ".join(tail_words)
    return place, last.date.isoformat()


def _trailing_place(title: str) -> str | None:
    """The place a dateless title ends with, after a comma and a kind of event ("Press conference, Canberra",
    "... by Minister Chrystia Freeland on NAFTA, Ottawa"): one capitalised word, no acronym and no role."""
    head, comma, tail = title.rpartition(",")
    tail = tail.strip(" .")
    if not comma or kind_of(head) == "other" or " " in tail or not _PLACE_WORD.match(tail) or tail.isupper() \
            or tail.casefold() in P.ROLE_WORDS or kind_of(tail) != "other":
        return None
    return tail


# "Russian Foreign Minister", "US Secretary of State": a country adjective before the role.
_ADJ_COUNTRY = {"russian": "RU", "us": "US", "u.s.": "US", "american": "US", "chinese": "CN", "iraqi": "IQ",
                "turkish": "TR", "german": "DE", "french": "FR", "british": "GB", "iranian": "IR", "egyptian": "EG",
                "saudi": "SA", "indian": "IN", "japanese": "JP", "syrian": "SY", "israeli": "IL", "ukrainian": "UA"}


@dataclass(frozen=True, slots=True)
class TitlePerson:
    name: str
    role: str | None
    country: str | None


# A role in a title may open in lower case after a kind word ("Брифинг официального представителя МИД ...").
_RU_ROLE_START = re.compile(
    r"(?:Министр\w*|Президент\w*|Заместител\w*|Председател\w*|[Оо]фициальн\w+ представител\w*|Пресс-секретар\w*|"
    r"Премьер-министр\w*|Генеральн\w+ секретар\w*|Посл\w*|Глав\w*|пресс-секретар\w*|министр\w*)",
)
_RU_NOMINATIVE = (
    (re.compile(r"^Министр(?:а|ом|у)\b"), "Министр"),
    (re.compile(r"^Президент(?:а|ом|у)\b"), "Президент"),
    (re.compile(r"^Заместител(?:я|ем|ю)\b"), "Заместитель"),
    (re.compile(r"^Председател(?:я|ем|ю)\b"), "Председатель"),
    (re.compile(r"^[Оо]фициальн(?:ого|ым|ому|ый) представител(?:я|ем|ю|ь)\b"), "Официальный представитель"),
    (re.compile(r"^[Пп]ресс-секретар(?:я|ём|ем|ю|ь)\b"), "Пресс-секретарь"),
    (re.compile(r"^Премьер-министр(?:а|ом|у)\b"), "Премьер-министр"),
)
# Names may overlap a role word ("Президента Дмитрий Песков"): look at every position.
_RU_NAME_AT = re.compile(r"(?=((?<![\w.])(?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё\-]+|(?<![А-ЯЁа-яё])[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё\-]+(?![а-яё])))")


_ARTICLE = re.compile(r"^(?:the|la|le|l’|l'|der|die|das|des|del|el|los)\s+", re.IGNORECASE)
_OF = re.compile(r"\s(?:of|des|de|der|du|del)\s")


def _role_country(role: str) -> tuple[str, str | None]:
    """Split ``Foreign Minister of Iraq`` into (``Foreign Minister``, ``IQ``); also
    ``Ministre des Affaires étrangères de la Fédération de Russie`` and ``Außenminister des Königreichs Saudi-Arabien``."""
    for m in _OF.finditer(role):
        tail = _ARTICLE.sub("", role[m.end():].strip(" ,"))
        code = country_code(tail) or country_code(re.sub(r"^(?:Königreichs|Kingdom of|Republic of|Republik)\s+", "", tail))
        if code:
            return role[: m.start()].strip(" ,"), code
    words = role.split()
    # "US Secretary of State", "Russian Foreign Minister": a country (or its adjective) before the role
    if len(words) >= 2:
        first = words[0].rstrip(",")
        code = _ADJ_COUNTRY.get(first.casefold()) or (
            country_code(first) or country_of_adjective(first) if first[:1].isupper() else None)
        if code and any(w.casefold() in P.ROLE_WORDS for w in words[1:]):
            return " ".join(words[1:]), code
    # Russian: the country in the genitive at the end ("Министр иностранных дел Египта").
    words = role.split()
    for n in (3, 2, 1):
        if len(words) > n:
            code = country_code(" ".join(words[-n:]))
            if code:
                return " ".join(words[:-n]), code
    return role, None


# Where a gaggle was held, at the end of its title: "En Route Las Vegas, NV", "Aboard Air Force One".
_TRAVEL_TAIL = re.compile(r"\s+(?:[Ee]n [Rr]oute(?: to| from)?|[Aa]board|[Oo]n [Bb]oard)\s+[A-Z].*$")


def participants_of(title: str, language: str, home_country: str | None) -> list[TitlePerson]:
    """People the title names with a role (``Foreign Minister Sergey Lavrov``), with role and country."""
    if language == "ru":
        return _participants_ru(title, home_country)
    title = _TRAVEL_TAIL.sub("", title)    # "... Olivia Dalton En Route Las Vegas, NV": a route, no name
    found: list[tuple[int, TitlePerson]] = []
    for m in _APPOSITION.finditer(title):
        role_text = m.group("role")
        starts = [r.start() for r in _ROLE_HEAD.finditer(role_text)]
        if starts and looks_like_person(m.group("name")):
            clean, country = _role_country(role_text[starts[-1]:].strip())
            clean = _nominative(clean) if language == "de" else clean
            found.append((m.start("name"), TitlePerson(m.group("name"), clean or None, country or home_country)))
    for m in _LOWER_ROLE_NAME.finditer(title):
        # "Entrevista del canciller Felipe Solá": a role in lower case right before the name
        if looks_like_person(m.group("name")) and all(m.group("name") != p.name for _, p in found):
            found.append((m.start("name"), TitlePerson(m.group("name"), m.group("role"), home_country)))
    for position, person in _participants_runs(title, home_country):
        if all(person.name != p.name for _, p in found):
            found.append((position, person))
    if not found:
        found = [(title.find(name), TitlePerson(name, None, None)) for name in _names_before_kind(title)]
    return [p for _, p in sorted(found, key=lambda f: f[0])]


def _names_before_kind(title: str) -> list[str]:
    """People a title names, without roles, before the kind of event ("Josep Borrell and Sergey Lavrov Joint
    Press Conference Transcript"): every part must look like a person's name."""
    starts = [m.start() for _, rx in P.KIND_REGEXES if (m := rx.search(title)) is not None]
    if not starts:
        return []
    head = re.sub(r"\s+(?:Joint|joint|Full|full)$", "", title[: min(starts)].strip(" ,:–-"))
    names = [n.strip() for n in re.split(r",\s+|\s+(?:and|&|und|y|et|и)\s+", head) if n.strip()]
    # a possessive ("Foreign Secretary's statement") or a role ("Foreign Secretary") is not a bare name
    return names if names and all(looks_like_person(n) and not n.endswith(("'s", "’s")) and not split_role_name(n)[0]
                                  for n in names) else []


def _participants_runs(title: str, home_country: str | None) -> list[tuple[int, TitlePerson]]:
    people: list[tuple[int, TitlePerson]] = []
    runs = _capitalised_runs(title)
    pending_role: str | None = None
    expanded: list[tuple[str, bool]] = []
    for run, ends_with_comma in runs:
        # "Foreign Minister of Iraq Fuad Hussein and Foreign Minister Sergey Lavrov": two people joined by "and".
        parts = run.split(" and ")
        start = 0
        for k in range(1, len(parts)):
            left = " and ".join(parts[start:k])
            _, left_name = split_role_name(left)
            if left_name and looks_like_person(left_name) and left.strip() != left_name:
                expanded.append((left, False))
                start = k
        expanded.append((" and ".join(parts[start:]), ends_with_comma))
    for run, ends_with_comma in expanded:
        role, name = split_role_name(run)
        if name and looks_like_person(name) and not _is_place_run(name) \
                and not any(country_code(token) for token in name.split()):
            role = role or pending_role
            if role and any(w.casefold().strip(",") in P.ROLE_WORDS for w in role.split()):
                clean, country = _role_country(_from_first_role_word(role))
                people.append((title.find(name), TitlePerson(name, clean or None, country or home_country)))
            pending_role = None
        elif ends_with_comma and run and any(w.casefold() in P.ROLE_WORDS for w in run.split()):
            pending_role = run
        else:
            pending_role = None
    return people


_NAME_RX = r"[A-ZÀ-ÞА-ЯЁ][\w’'\-]+(?:\s+(?:bin|ibn|al|Al|de|del|da|von|van)?\s*[A-ZÀ-ÞА-ЯЁ][\w’'\-]+){1,4}"
# "Ministre des Affaires étrangères de la Fédération de Russie, Sergueï Lavrov," / "..., Prinz Faisal bin Farhan Al Saud,"
# (an honorific before the name is neither: "La porte-parole ..., Mme Anne-Claire Legendre, a répondu")
_APPOSITION = re.compile(
    rf"(?P<role>[^,]{{3,120}}),\s+(?:Prinz|Prince|Príncipe|Crown Prince|Kronprinz|M\.|Mme|Mr\.?|Ms\.?|Mrs\.?|Herr|Frau|"
    rf"Sr\.|Sra\.)?\s*(?P<name>{_NAME_RX})(?=,|\s*$|\.\s|\.$)"
)
_ROLE_HEAD = re.compile(
    r"\b(?:[Mm]inistr[oae]|[Mm]inistre|Außenminister\w*|Präsident\w*|[Pp]residente|[Pp]résident\w*|[Pp]ortavoz|"
    r"[Pp]orte-parole|Sprecher\w*|[Cc]anciller|[Cc]hancelier|Bundeskanzler\w*)\b"
)


_LOWER_ROLE_NAME = re.compile(
    rf"(?<![\w-])(?P<role>canciller|ministr[oa]|president[ea]|portavoz|vicepresident[ea]|embajador[a]?|ministre|"
    rf"président|porte-parole|ambassadeur)\s+(?P<name>{_NAME_RX})"
)


def _nominative(role: str) -> str:
    """A German role in the genitive or dative: ``Außenministers`` → ``Außenminister``, ``Präsidenten`` →
    ``Präsident`` (when the shorter word is a role word)."""
    first, _, rest = role.partition(" ")
    for ending in ("s", "en", "n"):
        stem = first[: -len(ending)]
        if first.endswith(ending) and stem.casefold() in P.ROLE_WORDS and first.casefold() not in P.ROLE_WORDS:
            return f"{stem} {rest}".strip()
    return role


def _from_first_role_word(role: str) -> str:
    """The role from its first role word on (a country or its adjective may stand before it)."""
    words = role.split()
    for i, w in enumerate(words):
        low = w.casefold().strip(",")
        if low in P.ROLE_WORDS or low in _ADJ_COUNTRY or (
                i + 1 < len(words) and w[:1].isupper() and (country_code(w) or country_of_adjective(w))
                and words[i + 1].casefold() in P.ROLE_WORDS):
            # an organisation's acronym before the role word belongs to it ("NSC Coordinator")
            if i and re.fullmatch(r"[A-Z]{2,5}", words[i - 1]) and not country_code(words[i - 1]):
                i -= 1
            # so do the capitalised words of its object before it ("National Security Advisor")
            while i and words[i - 1][:1].isupper() and words[i - 1].casefold() in P.ROLE_OBJECT_WORDS:
                i -= 1
            return " ".join(words[i:])
    return role


def _is_place_run(name: str) -> bool:
    return len(find_dates(name)) > 0


# Lower-case prepositions that end a run of capitalised words: what follows is a topic or a place.
_RUN_BREAKS = frozenset({"on", "at", "in", "about", "sur", "sobre", "über", "zu"})


def _capitalised_runs(title: str) -> list[tuple[str, bool]]:
    """Maximal runs of capitalised words and particles; possessives and commas end a run."""
    runs: list[tuple[str, bool]] = []
    current: list[str] = []

    def close(comma: bool) -> None:
        while current and current[0].casefold() in P.NAME_PARTICLES:
            current.pop(0)
        while current and current[-1].casefold() in P.NAME_PARTICLES:
            current.pop()
        if current:
            runs.append((" ".join(current), comma))
        current.clear()

    for raw in title.split():
        word = raw
        comma = word.endswith(",")
        word = word.rstrip(",;:")
        possessive = bool(re.search(r"[’']s$", word))
        if possessive:
            word = word[:-2]
        first = word.lstrip("(«“\"")[:1]
        if word in _RUN_BREAKS:
            close(False)   # "... Chrystia Freeland on NAFTA": the topic after a name is not part of it
        elif first.isupper() or word.casefold() in P.NAME_PARTICLES:
            current.append(word)
            if possessive or comma:
                close(comma)
        else:
            close(False)
    close(False)
    return runs


# A role in the genitive ("Брифинг официального представителя ...", "Интервью Министра ..."): the name after it is too.
_RU_GENITIVE_ROLE = re.compile(
    r"^(?:[Мм]инистра|[Пп]резидента|[Зз]аместителя|[Пп]редседателя|[Оо]фициального представителя|[Пп]ресс-секретаря|"
    r"[Пп]ремьер-министра|[Пп]осла|[Гг]лавы)(?!\w)")
# Genitive endings of first names and surnames and their nominative: Захаровой → Захарова, Марии → Мария,
# Анатолия → Анатолий, Сергея → Сергей, Глаза → Глаз, Анны → Анна.
_RU_GENITIVE_ENDINGS = (("ой", "а"), ("ии", "ия"), ("ия", "ий"), ("ея", "ей"), ("ы", "а"), ("а", ""))


def _ru_nominative_name(name: str) -> str:
    """A Russian name printed in the genitive, in the nominative (``М.В.Захаровой`` → ``М.В.Захарова``)."""
    def one(word: str) -> str:
        if len(word) < 4 or not word[:1].isupper():
            return word
        for ending, nominative in _RU_GENITIVE_ENDINGS:
            if word.endswith(ending):
                return word[: -len(ending)] + nominative
        return word

    head, _, surname = name.rpartition(".") if "." in name and " " not in name else ("", "", name)
    if head:
        return f"{head}.{one(surname)}"
    return " ".join(one(w) for w in name.split())


def _participants_ru(title: str, home_country: str | None) -> list[TitlePerson]:
    people: list[TitlePerson] = []
    for m in _RU_NAME_AT.finditer(title):
        name = m.group(1)
        if _RU_ROLE_START.match(name):
            continue
        before = title[: m.start()]
        # the earliest role word of the phrase that runs up to the name (six words, no punctuation)
        starts = [st for st in _RU_ROLE_START.finditer(before)
                  if len(before[st.start():].split()) <= 6 and not re.search(r"[.,;:!?]", before[st.start():])]
        role, country, genitive = None, home_country, False
        if starts:
            role_text = before[starts[0].start():].strip(" ,")
            if len(role_text.split()) <= 8:
                genitive = bool(_RU_GENITIVE_ROLE.match(role_text))
                for rx, nominative in _RU_NOMINATIVE:
                    role_text = rx.sub(nominative, role_text)
                role, found = _role_country(role_text)
                country = found or home_country
        if role and not country_code(name) and not any(country_code(w) for w in name.split()):
            people.append(TitlePerson(_ru_nominative_name(name) if genitive else name, role, country))
    return people
