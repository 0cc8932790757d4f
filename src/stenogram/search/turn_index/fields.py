"""The turn index's fields and how values are written into them: defined here once, for the code
that builds the index (``index.py``) and the code that queries it (``query.py``).

One document in the index is one turn, with its words and the fields the query language filters and
facets on. Values compared without regard to case are stored folded the way SQLite's NOCASE folds
(ASCII letters only), so the index and the store give the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from stenogram.store.sqlite import TurnRow

#: the name the text's analyzer is registered under
ANALYZER = "stenogram_words"
#: joins two adjacent words into one term of the pairs field. The fields of words (``pairs``,
#: ``doc_words``) are handed to the index as one string, split at spaces: the analyzer's tokens hold
#: neither spaces nor this (measured: 400 words as one string 7 µs, as a value each 73 µs)
PAIR = "_"
#: marks a key that is the tail of a name (user text cannot hold control characters)
SUFFIX = "\x1f"
#: in a term of a speaker in a year: marks a canonical name (not a key), and parts the year from it
NAMED = "\x1e"
IN_YEAR = "\x1d"
#: in a term of the org field: an organization's id, or its name as the text gives it
ORG_ID = "id:"
ORG_TEXT = "text:"

_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nocase(text: str) -> str:
    """Fold like SQLite's NOCASE and LIKE: ASCII letters only."""
    return text.translate(_ASCII_FOLD)


def suffixes(name: str) -> list[str]:
    """Every tail of a name that starts after a space (what ``LIKE '% tail'`` finds)."""
    out = []
    at = name.find(" ")
    while at != -1:
        out.append(name[at + 1:])
        at = name.find(" ", at + 1)
    return out


def day_number(day: str | None) -> int | None:
    """``2020-11-25`` → 20201125; a partial date sorts before its first day (``2020-11`` → 20201100)."""
    if not day:
        return None
    digits = day.replace("-", "")
    if not digits.isdigit() or len(digits) not in (4, 6, 8):
        return None
    return int(digits.ljust(8, "0"))


def build_schema() -> Any:
    import tantivy

    b = tantivy.SchemaBuilder()
    b.add_integer_field("rowid", stored=False, indexed=False, fast=True)
    b.add_text_field("doc", stored=False, tokenizer_name="raw", index_option="basic")
    # the row id of the document's first turn (turn row ids never change): a turn's document read from
    # a column, for searches of documents
    b.add_integer_field("doc_no", stored=False, indexed=False, fast=True)
    b.add_text_field("text", stored=False, tokenizer_name=ANALYZER, index_option="position")
    # each pair of adjacent words ("foreign_minister"): a two-word phrase is one term to look up
    b.add_text_field("pairs", stored=False, tokenizer_name="whitespace", index_option="freq")
    # the document's title with each of its turns: a search for documents matches words in either
    b.add_text_field("title", stored=False, tokenizer_name=ANALYZER, index_option="position")
    # on one turn of each document (its first): every word of the document, its turns' texts and its
    # title, once each. A document matches a word when one of its turns does, so the documents holding
    # a word are the postings of one term, counted without reading the turns
    b.add_text_field("doc_words", stored=False, tokenizer_name="whitespace", index_option="basic")
    b.add_text_field("speaker", stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("speaker_key", stored=False, tokenizer_name="raw", index_option="basic")
    # each speaker key and the canonical name with the turn's year: a speaker filter with a date range
    # of whole years is one short list of postings instead of two long ones to intersect
    b.add_text_field("speaker_year", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("label", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("kind", stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("doc_kind", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("source", stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("source_key", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("lang", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_integer_field("day", stored=False, indexed=True, fast=True)
    b.add_integer_field("year", stored=False, indexed=False, fast=True)
    # the day the document's current version was first seen, when it is not its first (0: never edited)
    b.add_integer_field("edited", stored=False, indexed=True, fast=False)
    b.add_text_field("country", stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("person", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("org", stored=False, tokenizer_name="raw", index_option="basic")
    return b.build()


def build_analyzer() -> Any:
    import tantivy

    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())

def speaker_in_year(key: str, year: int) -> str:
    """A term of the speaker_year field: a speaker key (``speaker_key``) in a year."""
    return f"{key}{IN_YEAR}{year}"


def named_in_year(name: str, year: int) -> str:
    """A term of the speaker_year field: a canonical speaker name (``speaker``) in a year."""
    return f"{NAMED}{name}{IN_YEAR}{year}"


def pair(first: str, second: str) -> str:
    """Two adjacent words (tokens of the text's analyzer) as one term of the pairs field."""
    return f"{first}{PAIR}{second}"


def turn_fields(row: TurnRow, analyzer: Any) -> tuple[dict[str, Any], list[str]]:
    """The index fields of a turn (with its mentions), and its words (the analyzer's tokens)."""
    rowid, doc, kind, speaker, label, text = row.rowid, row.document_id, row.kind, row.speaker, row.label, row.text
    doc_kind, source, language, day, title, doc_no = (row.document_kind, row.source, row.language, row.day, row.title,
                                                      row.first_rowid)
    mentions: Iterable[tuple[str, str | None, str]] = row.mentions
    fields: dict[str, Any] = {"rowid": [rowid], "doc": [doc], "doc_no": [doc_no], "text": [text], "kind": [kind],
                              "doc_kind": [doc_kind],
                              "source": [source], "source_key": [nocase(source)], "lang": [language]}
    if title:
        fields["title"] = [title]
    tokens = analyzer.analyze(text)
    if len(tokens) > 1:
        fields["pairs"] = [" ".join(map(PAIR.join, pairwise(tokens)))]     # pair(a, b) for each, without a call each
    if speaker:
        fields["speaker"] = [speaker]
        fields["speaker_key"] = [nocase(speaker)] + [SUFFIX + nocase(s) for s in suffixes(speaker)]
    if label:
        fields["label"] = [nocase(label)]
    fields["edited"] = [day_number(row.edited) or 0]
    number = day_number(day)
    if number is not None:
        fields["day"] = [number]
        fields["year"] = [number // 10000]
        if speaker:
            fields["speaker_year"] = ([speaker_in_year(key, number // 10000) for key in fields["speaker_key"]]
                                      + [named_in_year(speaker, number // 10000)])
    countries: set[str] = set()
    people: set[str] = set()
    orgs: set[str] = set()
    for kind_, entity, mtext in mentions:
        if kind_ == "country":
            if entity:
                countries.add(entity)
        elif kind_ == "person":
            if entity:
                people.add(nocase(entity))
                people.update(SUFFIX + nocase(s) for s in suffixes(entity))
        elif kind_ == "organization":
            if entity:
                orgs.add(org_id(entity))
            orgs.add(org_text(mtext))
    if countries:
        fields["country"] = sorted(countries)
    if people:
        fields["person"] = sorted(people)
    if orgs:
        fields["org"] = sorted(orgs)
    return fields, tokens


def org_id(entity: str) -> str:
    """A term of the org field: an organization's id (matched without regard to case)."""
    return ORG_ID + nocase(entity)


def org_text(text: str) -> str:
    """A term of the org field: an organization as the text names it (matched exactly)."""
    return ORG_TEXT + text
