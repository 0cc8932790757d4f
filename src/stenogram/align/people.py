"""Who a printed name is, in every language: a person id for each speaker and person mention.

An official of the registry (``stenogram/data/officials.json``) is its registry id (``sergey-lavrov``)
whatever the form and the language (``Sergej Lawrow``, ``С.В.Лавров``). Anyone else gets a corpus id
made from a key that the transliterations of one name share: the surname folded across the languages'
spellings (``name_key``: Cyrillic to Latin, ``w``/``v``, accents and doubled letters gone) and the first
letter of the first given name, honorifics and titles dropped (``Mr Ayman Safadi``, ``Айман Сафади`` and
``Aymane Safadi`` → ``~safadi-a``). The store keeps which key became which person, and merges two
keys when aligned language versions of one event say that their turns are the same person's
(``Store._link_people``), so an id holds across languages even where two spellings do not meet.
"""

from __future__ import annotations

import re
import unicodedata

from stenogram.align.turns import name_key
from stenogram.parse.names import Official, registry

#: corpus ids (people outside the registry) begin with this, so they never collide with a registry id
CORPUS_PREFIX = "~"

_TITLES = frozenset("""
mr mrs ms miss dr prof sir madam mister herr frau señor senor señora senora sr sra m mme mlle monsieur
madame dame lord his her excellency ambassador minister president господин госпожа г-н г-жа
""".split())
_FIRST_LETTERS = {"ю": "i", "я": "i", "е": "e", "ё": "e", "э": "e", "й": "i", "х": "h", "ж": "z", "ц": "c",
                  "ч": "c", "ш": "s", "щ": "s", "y": "i", "j": "i", "w": "v"}
_CYRILLIC = "абвгдзиклмнопрстуф"
_LATIN = "abvgdziklmnoprstuf"


def official(printed: str) -> Official | None:
    """The registry's official a printed name (or a registry id) stands for, if exactly one."""
    name = printed.strip()
    found = registry().officials.get(name.lower())
    return found if found is not None else registry().find(name)


def _initial(word: str) -> str:
    """The first letter of a given name, folded so that its transliterations meet (``Юрий``, ``Yury``,
    ``Juri``, ``Iouri`` → ``i``)."""
    letter = word[:1].lower()
    letter = _FIRST_LETTERS.get(letter, letter)
    if letter in _CYRILLIC:
        letter = _LATIN[_CYRILLIC.index(letter)]
    decomposed = unicodedata.normalize("NFKD", letter)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def person_key(printed: str | None) -> str:
    """The transliteration-aware key of a name outside the registry: ``safadi-a``, or ``safadi`` when only
    the surname is printed; empty when nothing in it reads as a name."""
    if not printed:
        return ""
    words = [w for w in re.findall(r"[^\s]+", printed.strip()) if w.strip(".,").lower() not in _TITLES]
    if not words:
        return ""
    surname = name_key(" ".join(words))
    if not surname:
        return ""
    # given names: the words before the surname, or initials glued to it (``С.В.Лавров``, ``A. Safadi``)
    given = words[:-1] or [w for w in re.findall(r"[^\W\d_]+\.", words[-1])]
    initial = _initial(given[0].strip(".")) if given else ""
    return f"{surname}-{initial}" if initial else surname


def person_id(printed: str | None) -> tuple[str | None, str]:
    """The person id a printed name gets before the corpus is asked (the registry's id, else a corpus id
    from its key), and that key (empty for a registry official, or for no name)."""
    if not printed or not printed.strip():
        return None, ""
    found = official(printed)
    if found is not None:
        return found.id, ""
    key = person_key(printed)
    return (CORPUS_PREFIX + key, key) if key else (None, "")


def is_corpus_id(person: str) -> bool:
    return person.startswith(CORPUS_PREFIX)
