"""An optional spaCy pipeline as an extra source of mentions, merged with the rule-based ones.

``spacy_extra("spacy:en_core_web_sm")`` (an installed pipeline package, or ``spacy:PATH`` to a saved
pipeline) or ``spacy_extra_from(nlp)`` gives a callable for ``stenogram.enrich.enrich(doc, extra=...)``.
spaCy is imported only here and only when asked for: stenogram works without it, and nothing is ever
downloaded. A missing spaCy or pipeline raises :class:`NerUnavailable` with the command that installs it.

Entity labels map to mentions as follows: ``PERSON``/``PER`` → person (id: the text, whitespace
normalised), ``ORG`` → organization (id: the text), ``GPE``/``LOC`` → country when stenogram's own
country matcher reads the entity as one country (id: its ISO 3166-1 alpha-2 code), and nothing otherwise
(cities, regions, ``NORP``, ``MISC`` and the rest are skipped).

The rules come first: a spaCy entity that overlaps any mention the rules find in the document (of any
type) is dropped, so a spaCy mention never shares a character with another mention. Where the country rules looked at
the same characters and said no (``South China Sea``, ``Atlanta, Georgia``), the entity is dropped too;
only their first-name guess (``Chad Foreign Minister``) gives way to the model's ``GPE``/``LOC`` label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from stenogram.enrich.countries import country_matcher, find_countries
from stenogram.errors import StenogramError
from stenogram.model import Document, Mention, MentionType

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["BadNerSpec", "NerUnavailable", "spacy_extra", "spacy_extra_from", "spacy_model"]

SPACY_REQUIREMENT = "spacy>=3.7"

_PERSON = frozenset({"PERSON", "PER"})          # PERSON: English pipelines; PER: the others and xx_ent_wiki_sm
_ORGANIZATION = frozenset({"ORG"})
_PLACE = frozenset({"GPE", "LOC"})
# An article before a country's name inside the entity ("the United States"): the mention starts after it.
_ARTICLES = frozenset({"the", "la", "le", "les", "l'", "el", "los", "las", "der", "die", "das", "den", "dem", "des"})


class NerUnavailable(StenogramError):
    """spaCy, or the spaCy pipeline asked for, is not installed or cannot be loaded."""


class BadNerSpec(StenogramError):
    """The NER spec is not ``spacy:MODEL``."""

    def __init__(self, spec: str) -> None:
        super().__init__(
            f"{spec!r} is not a NER spec: give 'spacy:MODEL', where MODEL is an installed spaCy pipeline"
            " (spacy:en_core_web_sm) or the folder of a saved one (spacy:./my-pipeline)"
        )
        self.spec = spec


def spacy_model(spec: str) -> str:
    """The model a ``spacy:MODEL`` spec names (a package name or a folder), without loading it; BadNerSpec for
    anything else."""
    kind, sep, model = spec.partition(":")
    model = model.strip()
    if kind.strip().lower() != "spacy" or not sep or not model:
        raise BadNerSpec(spec)
    return model


def spacy_extra(spec: str) -> Callable[[Document], list[Mention]]:
    """The extra mentions of the spaCy pipeline named by ``spacy:MODEL`` (a package name or a folder)."""
    return spacy_extra_from(_load(spacy_model(spec)))


def spacy_extra_from(nlp: Language) -> Callable[[Document], list[Mention]]:
    """The extra mentions of a loaded spaCy pipeline, for ``enrich(doc, extra=...)``.

    The pipeline reads documents in its own language (``xx`` pipelines read every language); a document
    in another language gets no extra mentions rather than a wrong-language model's guesses.
    """

    def extra(doc: Document) -> list[Mention]:
        if nlp.lang not in (doc.language, "xx") or not doc.turns:
            return []
        return _mentions(doc, _entities(nlp, [t.text for t in doc.turns]))

    return extra


def _load(model: str) -> Language:
    try:
        import spacy
        import spacy.util
    except ImportError as exc:
        raise NerUnavailable(
            f"the spaCy NER adapter needs spaCy, which is not installed ({exc}); install it with:"
            f" pip install '{SPACY_REQUIREMENT}'"
        ) from exc
    path = Path(model).expanduser()
    package = spacy.util.is_package(model)
    if not package and not path.exists():
        raise NerUnavailable(
            f"the spaCy pipeline {model!r} is not installed: there is no Python package and no folder by that"
            f" name (stenogram never downloads one). Install it with: python -m spacy download {model}"
            f" (a pip install of the pipeline's wheel; or pip install a wheel file you have), or give the"
            " folder of a saved pipeline: spacy:/path/to/pipeline"
        )
    try:
        return spacy.load(model if package else path)          # a package first, as spaCy does
    except (OSError, ValueError, ImportError) as exc:
        if not package:
            raise NerUnavailable(
                f"{model}: not a spaCy pipeline that spaCy {version('spacy')} can load ({exc}); give the folder"
                " that nlp.to_disk() wrote, or pip install the spaCy version it was saved with"
            ) from exc
        raise NerUnavailable(
            f"the spaCy pipeline {model!r} cannot be loaded with spaCy {version('spacy')} ({exc}); install a"
            f" version made for it with: python -m spacy download {model} (a pip install of the pipeline's wheel),"
            " or pip install the spaCy version the pipeline was made with"
        ) from exc


# (turn position, label, start, end) for every entity, in turn order
_Entity = tuple[int, str, int, int]


def _entities(nlp: Language, texts: list[str]) -> list[_Entity]:
    out: list[_Entity] = []
    for i, parsed in enumerate(nlp.pipe(texts)):
        out.extend((i, ent.label_, ent.start_char, ent.end_char) for ent in parsed.ents)
    return out


def _mentions(doc: Document, found: Iterable[_Entity]) -> list[Mention]:
    # enrich() hands the extra source the document with the rules' mentions: spaCy only adds to them.
    taken: dict[int, list[tuple[int, int]]] = {}
    for m in doc.mentions:
        taken.setdefault(m.turn, []).append((m.start, m.end))
    vetoed: dict[int, list[tuple[int, int]]] = {}
    out: list[Mention] = []
    for i, label, ent_start, ent_end in found:
        turn = doc.turns[i]
        text = turn.text
        start, end = _trim(text, ent_start, ent_end)
        if start >= end or "\n\n" in text[start:end]:        # empty, or across paragraphs
            continue
        surface = text[start:end]
        kind: MentionType
        if label in _PERSON:
            kind, ident = "person", " ".join(surface.split())
        elif label in _ORGANIZATION:
            kind, ident = "organization", " ".join(surface.split())
        elif label in _PLACE:
            country = _country(surface, doc.language)
            if country is None:
                continue
            kind, ident = "country", country[2]
            start, end = start + country[0], start + country[1]
            if i not in vetoed:
                vetoed[i] = _not_countries(text, doc.language)
            if _overlaps(vetoed[i], start, end):
                continue
        else:
            continue
        spans = taken.setdefault(turn.index, [])
        if _overlaps(spans, start, end):
            continue
        spans.append((start, end))
        out.append(Mention(type=kind, text=text[start:end], turn=turn.index, start=start, end=end, id=ident))
    out.sort(key=lambda m: (m.turn, m.start, m.end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _country(surface: str, language: str) -> tuple[int, int, str] | None:
    """(start, end, ISO code) of the one country an entity names, relative to the entity; None for others.

    The country must be the whole entity, or all of it after an article: ``Iraq``, ``the United States``;
    not ``Paris``, ``Baghdad, Iraq`` or ``Iraqi Kurdistan``.
    """
    matches = list(find_countries(surface, language))
    if len(matches) != 1:
        return None
    m = matches[0]
    head, tail = surface[:m.start].strip(), surface[m.end:].strip()
    if tail or (head and head.casefold() not in _ARTICLES):
        return None
    return m.start, m.end, m.value


def _not_countries(text: str, language: str) -> list[tuple[int, int]]:
    """Spans of a turn the country rules matched and then rejected in context, so spaCy cannot add them back.

    Phrases that are not countries (``South China Sea``, ``New Mexico``) and ``Georgia`` where the rules
    dropped it (the US state, or a first name) stay rejected; the other first-name guesses (``Chad``,
    ``Jordan``, ``Kenya``, ``Jamaica`` followed by a capitalised word) give way to the model's label.
    """
    kept = {(m.start, m.end) for m in find_countries(text, language)}
    return [(m.start, m.end) for m in country_matcher(language).find(text)
            if (m.start, m.end) not in kept and (not m.value or m.text == "Georgia")]
