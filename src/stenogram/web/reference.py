"""The API reference's words and examples: what each answer's fields mean, what the parameters that carry
no description of their own mean, and one example request and answer for each route (abbreviated answers
from the bundled examples corpus, written here as data). ``annotate`` puts them into the OpenAPI document
that /openapi.json serves and /docs renders; docs/api.md says the same for readers of the repository.

The filters' descriptions are not here: they come with the filters themselves (the one vocabulary in
``stenogram.api.FILTER_FIELDS``) through the parameters' own declarations in ``web.api``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

#: where the examples' server listens (``stenogram serve``'s default)
BASE = "http://127.0.0.1:8000"
DOC = "sha256:a6d99f4e170bc8c15c88"
TURN = DOC + "#2"
TITLE = ("Foreign Minister Sergey Lavrov’s remarks and answers to media questions at a joint news conference "
         "following talks with Deputy Prime Minister and Foreign Minister of Iraq Fuad Hussein, Moscow, November 25, 2020")
TURN_JSON = {"index": 2, "kind": "answer", "speaker": "Sergey Lavrov", "label": "Sergey Lavrov", "affiliation": None,
             "translated_from": None, "addressed_to": [], "after": None, "reply_to": 1,
             "paragraphs": ["Indeed, we have long-standing relations with friendly Iraq. …"]}

#: parameters that mean the same wherever they appear, for routes that declare them without a description
PARAMETERS: dict[str, str] = {
    "document_id": "A document's id, as search hits and /api/documents give it (sha256:…).",
    "turn_id": "A turn's id: its document's id, `#` (sent as %23) and the turn's number (sha256:…#2).",
    "speaker": "A speaker: a name as printed in any language, or the person's id (sergey-lavrov).",
    "documents": "List documents (one hit a document, its best turn as the snippet) instead of turns.",
    "sort": "Order: rank (relevance, the default), date (oldest first) or -date (newest first).",
    "limit": "At most this many items in the answer.",
    "offset": "Skip this many results first (for the next page: the answer's next_offset).",
    "facets": "Also count the matches by speaker, source, year, kind, language and country (`facets`).",
    "with_question": "Give each answer turn the question it replies to (`question`).",
    "prefix": "Only speakers with a name word that begins with this (case and accents ignored).",
    "terms": "A term to count (repeatable, 1 to 10): a word, \"a phrase\", prefix* or an entity search (country:IQ).",
    "by": "The length of a period: day, week, month or year.",
    "per": "Divide each count by the period's 10,000 words, documents or turns (a rate); absolute counts if not given.",
    "split": "One series a term and speaker, source or country.",
    "term": "The word or \"phrase\" to show in its context.",
    "width": "Characters of context on each side.",
    "type": "Which entities: country, organization or person.",
    "min_count": "Leave out words found fewer times than this on the target side.",
}


@dataclass(frozen=True, slots=True)
class Example:
    """One route's reference: an example request (its path and query), the answer's fields, an abbreviated answer."""

    request: str
    fields: dict[str, str]
    answer: dict[str, Any]
    #: parameter descriptions for this route only, over PARAMETERS
    parameters: dict[str, str] = field(default_factory=dict)


HIT = {"turn_id": TURN, "document_id": DOC, "index": 2, "kind": "answer", "speaker": "Sergey Lavrov",
       "label": "Sergey Lavrov", "affiliation": None, "title": TITLE, "published": "2020-11-25T16:19:00+03:00",
       "source": "mid.ru", "language": "en", "snippet": "…relations with friendly [Iraq]. Cooperation with Moscow has "
       "never prevented [Iraq] from developing close ties…", "score": -4.0, "reply_to": 1, "question": None,
       "matches": 1, "version": None, "aligned": None}
CITATION_FIELDS = {
    "ok": "true",
    "id": "The document's id, or the turn's.",
    "styles": "Formatted references: `chicago` (a note) and `apa` (a reference-list entry).",
    "bibtex": "A BibTeX entry.",
    "csl": "One item in CSL-JSON.",
}
CITATION = {"ok": True, "id": DOC,
            "styles": {"chicago": "Sergey Lavrov, “Foreign Minister Sergey Lavrov’s remarks …,” press conference, Moscow, "
                                  "Ministry of Foreign Affairs of the Russian Federation, November 25, 2020, accessed May 1, "
                                  "2024, http://127.0.0.1:8000/document/sha256:a6d99f4e170bc8c15c88.",
                       "apa": "Lavrov, S. (2020, November 25). Foreign Minister Sergey Lavrov’s remarks … [Transcript of a "
                              "press conference]. Ministry of Foreign Affairs of the Russian Federation. …"},
            "bibtex": "@misc{lavrov2020foreign, author = {Lavrov, Sergey}, …}",
            "csl": {"id": DOC, "type": "speech", "title": "Foreign Minister Sergey Lavrov’s remarks …"}}

#: the reference of every route, by its OpenAPI path
EXAMPLES: dict[str, Example] = {
    "/api/search": Example(
        "/api/search?q=Iraq&speaker=Lavrov&kind=answer&facets=true&limit=1",
        {"ok": "true", "query": "The query as given.", "total": "How many turns (or documents) match.",
         "limit": "The page size asked for.", "offset": "Where this page starts.",
         "next_offset": "The offset of the next page; null on the last.",
         "hits": "The matching turns (or documents), ranked or by date: ids, turn number and kind, speaker, label "
                 "and affiliation, the document's title, publication date, source and language, the `snippet` (each "
                 "match [between brackets]), `score`, `reply_to` and `question` (with with_question), `matches` "
                 "(documents: turns that match), `version` and `aligned` (with in_language).",
         "facets": "With facets: per facet (speaker, source, year, kind, lang, country), [value, count] pairs.",
         "suggestions": "Entity searches the query's words may have meant (Iraq → country:IQ, in every language)."},
        {"ok": True, "query": "Iraq", "total": 2, "limit": 1, "offset": 0, "next_offset": 1, "hits": [HIT],
         "facets": {"speaker": [["Sergey Lavrov", 2]], "year": [["2020", 2]], "country": [["IQ", 2], ["RU", 1]]},
         "suggestions": [{"field": "country", "text": "Iraq", "query": "country:IQ", "turns": 27}]}),
    "/api/documents/{document_id}": Example(
        f"/api/documents/{DOC}",
        {"ok": "true", "document": "The document in the contract format (stenogram/document@1): id, title, "
                                   "source, url, language, published, kind, event, participants, turns (each with "
                                   "its paragraphs, speaker, kind, reply_to) and mentions."},
        {"ok": True, "document": {"id": DOC, "title": TITLE, "source": "mid.ru", "language": "en",
                                  "published": "2020-11-25T16:19:00+03:00", "kind": "press_conference",
                                  "turns": [TURN_JSON], "mentions": [{"turn": 2, "type": "country", "text": "Iraq",
                                                                      "id": "IQ"}]}}),
    "/api/documents/{document_id}/versions": Example(
        f"/api/documents/{DOC}/versions",
        {"ok": "true", "document_id": "The document's id.", "language": "Its language.",
         "versions_offered": "The languages its page says it is published in.",
         "in_corpus": "Its language versions in this corpus: id and language of each."},
        {"ok": True, "document_id": DOC, "language": "en", "versions_offered": ["de", "en", "es", "fr", "ru"],
         "in_corpus": [{"id": "sha256:9ac7d502e84dadb9760f", "language": "de"},
                       {"id": "sha256:e05f6acd70ddf9990ca1", "language": "ru"}]}),
    "/api/documents/{document_id}/cite": Example(f"/api/documents/{DOC}/cite?accessed=2024-05-01", CITATION_FIELDS, CITATION),
    "/api/documents/{document_id}/history": Example(
        f"/api/documents/{DOC}/history",
        {"ok": "true", "document": "The document's id.", "title": "Its title.",
         "edited": "When a changed version was first seen; null if never.",
         "withdrawn": "When its page was found gone; null if not.",
         "versions": "Every version seen: version, seen_at, content_hash, origin, changes (counts), current, and "
                     "diff from the version before (fields, turns).",
         "events": "Withdrawn and restored, with their days."},
        {"ok": True, "document": DOC, "title": TITLE, "edited": None, "withdrawn": None,
         "versions": [{"document": DOC, "version": 1, "seen_at": "2024-05-01T09:00:00+00:00",
                       "content_hash": "a6d99f4e170bc8c15c88ceaf…", "origin": "examples/mid.ru-en-2020-11-25-lavrov-hussein.txt",
                       "changes": None, "current": True, "diff": None}], "events": []}),
    "/api/edits": Example(
        "/api/edits?since=2024-01-01&limit=10",
        {"ok": "true", "edits": "Documents edited or withdrawn, newest first: document, title, kind (edited or "
                                "withdrawn), day, versions and the latest changes."},
        {"ok": True, "edits": [{"document": DOC, "title": TITLE, "kind": "edited", "day": "2024-03-02", "versions": 2,
                                "changes": {"turns_changed": 1, "turns_added": 0, "turns_removed": 0}}]}),
    "/api/turns/{turn_id}": Example(
        f"/api/turns/{DOC}%232",
        {"ok": "true", "document_id": "Its document's id.", "title": "Its document's title.", "turn": "The turn.",
         "question": "The question it answers (a turn), or null.", "answers": "The turns that answer it."},
        {"ok": True, "document_id": DOC, "title": TITLE, "turn": TURN_JSON,
         "question": {**TURN_JSON, "index": 1, "kind": "question", "speaker": None, "reply_to": None,
                      "paragraphs": ["Question: How do you assess relations between Russia and Iraq? …"]},
         "answers": []}),
    "/api/turns/{turn_id}/versions": Example(
        f"/api/turns/{DOC}%232/versions?lang=ru",
        {"ok": "true", "document_id": "Its document's id.", "language": "Its document's language.", "turn": "The turn.",
         "versions": "The turn in each other version: language, document id, the aligned turn, the confidence of "
                     "the alignment, and paragraphs (pairs of paragraph numbers, this turn's first; null where "
                     "one side has no counterpart)."},
        {"ok": True, "document_id": DOC, "language": "en", "turn": TURN_JSON,
         "versions": [{"language": "ru", "document_id": "sha256:e05f6acd70ddf9990ca1", "confidence": 0.93,
                       "turn": {**TURN_JSON, "speaker": "Сергей Лавров", "paragraphs": ["Действительно, …"]},
                       "paragraphs": [[0, 0], [1, 1]]}]}),
    "/api/turns/{turn_id}/cite": Example(f"/api/turns/{DOC}%232/cite?accessed=2024-05-01", CITATION_FIELDS,
                                         {**CITATION, "id": TURN}),
    "/api/stats": Example(
        "/api/stats",
        {"ok": "true", "documents": "Documents in the corpus.", "turns": "Turns.", "mentions": "Entity mentions.",
         "words": "Words.", "by_source": "[source, documents] pairs.", "by_language": "[language, documents] pairs.",
         "by_year": "[year, documents] pairs.", "by_kind": "[document kind, documents] pairs.",
         "by_turn_kind": "[turn kind, turns] pairs.", "top_speakers": "[speaker, turns] pairs, most first.",
         "completeness": "The share of documents with each piece of metadata (0 to 1).",
         "path": "The corpus file.", "bytes": "Its size.", "free_bytes": "Free space inside it (`compact` gives it back).",
         "index_problem": "Why the turn index is not used (searches read the file), or null."},
        {"ok": True, "documents": 13, "turns": 100, "mentions": 599, "words": 8435,
         "by_source": [["mid.ru", 9], ["fmprc.gov.cn", 1]], "by_language": [["en", 6], ["de", 2]],
         "by_year": [["2020", 4], ["2021", 3]], "by_kind": [["press_conference", 8], ["briefing", 3]],
         "by_turn_kind": [["answer", 39], ["question", 39]], "top_speakers": [["Sergey Lavrov", 31]],
         "completeness": {"published date": 1.0, "event place": 0.85}}),
    "/api/speakers": Example(
        "/api/speakers?prefix=lav&limit=1",
        {"ok": "true", "speakers": "People, most turns first: id, name, turns, names (the name in each language), "
                                   "languages (turns in each) and printed (every printed form)."},
        {"ok": True, "speakers": [{"id": "sergey-lavrov", "name": "Sergey Lavrov", "turns": 31,
                                   "names": {"en": "Sergey Lavrov", "ru": "Сергей Лавров"},
                                   "languages": {"en": 4, "ru": 8}, "printed": ["Sergey Lavrov", "Сергей Лавров"]}]}),
    "/api/trend": Example(
        "/api/trend?terms=Iraq&terms=country:SY&by=year",
        {"ok": "true", "by": "The period.", "per": "The rate's base, or null.", "split": "The split, or null.",
         "periods": "Every period, in order.",
         "points": "One a period and term (and group): period, term, group, count, base, rate.",
         "languages": "Turns the terms were found in, by language.",
         "counted": "For each term: whether it is an entity search (counted against every language) and the "
                    "languages it was counted in."},
        {"ok": True, "by": "year", "per": None, "split": None, "periods": ["2019", "2020"],
         "points": [{"period": "2020", "term": "Iraq", "group": None, "count": 23, "base": 7, "rate": None}],
         "languages": {"en": 5}, "counted": [{"term": "Iraq", "entity": False, "turns": 5, "languages": ["en"]}]}),
    "/api/kwic": Example(
        "/api/kwic?term=Iraq&width=30&limit=1",
        {"ok": "true", "lines": "One a match: turn_id, document_id, published, speaker, kind, left, keyword, right, "
                                "language.", "languages": "Lines by the language of their turn."},
        {"ok": True, "lines": [{"turn_id": DOC + "#0", "document_id": DOC, "published": "2020-11-25T16:19:00+03:00",
                                "speaker": "Sergey Lavrov", "kind": "statement", "left": "elations, Foreign Minister of ",
                                "keyword": "Iraq", "right": " Fuad Hussein. Our countries a", "language": "en"}],
         "languages": {"en": 1}},
        {"sort": "Order of the lines: left (by the words before the match), right (after it) or date."}),
    "/api/comentions": Example(
        "/api/comentions?type=country&limit=2",
        {"ok": "true", "pairs": "Entity pairs, most turns first: a, b, turns, and a_id, b_id (people's ids).",
         "languages": "The turns that gave pairs, by language."},
        {"ok": True, "pairs": [{"a": "IQ", "b": "RU", "turns": 27, "a_id": None, "b_id": None}],
         "languages": {"en": 25, "ru": 11}}),
    "/api/keyness": Example(
        "/api/keyness?target=speaker:Lavrov&reference=speaker:Zakharova&min_count=2&limit=1",
        {"ok": "true", "terms": "Words, most distinctive first: term, target_count, reference_count, target_total, "
                                "reference_total, log_likelihood, log_odds_z.",
         "languages": "Turns counted, by language.", "compared": "The languages compared.",
         "note": "Why those languages."},
        {"ok": True, "terms": [{"term": "iraq", "target_count": 19, "reference_count": 0, "target_total": 670,
                                "reference_total": 210, "log_likelihood": 10.36, "log_odds_z": 1.19}],
         "languages": {"en": 10}, "compared": ["en"], "note": "compared in en, the language both sides have the most words in"},
        {"target": "The subcorpus to describe, in the query language (speaker:Lavrov).",
         "reference": "The subcorpus to compare it with, in the query language.",
         "by": "The statistic words are ranked by: log_likelihood or log_odds."}),
    "/api/speakers/{speaker}/profile": Example(
        "/api/speakers/Sergey%20Lavrov/profile",
        {"ok": "true", "speaker": "The person's name.", "names": "Every printed form.", "turns": "Turns.",
         "words": "Words.", "by_year": "[year, turns, words] triples.", "kinds": "[turn kind, turns] pairs.",
         "top_terms": "[word, count] pairs.", "countries": "[country code, mentions] pairs.",
         "organizations": "[organisation, mentions] pairs.", "questioners": "[who asked, questions] pairs.",
         "languages": "Turns by language."},
        {"ok": True, "speaker": "Sergey Lavrov", "names": ["Sergey Lavrov", "Сергей Лавров"], "turns": 31, "words": 5839,
         "by_year": [["2020", 16, 4904]], "kinds": [["answer", 24], ["statement", 7]], "top_terms": [["cooperation", 27]],
         "countries": [["RU", 21], ["IQ", 15]], "organizations": [["UN Security Council", 9]], "questioners": [],
         "languages": {"en": 4, "ru": 8}}),
}


def annotate(spec: dict[str, Any]) -> dict[str, Any]:
    """Put the reference into an OpenAPI document (in place; returned): each route's answer fields described
    and its example answer; each parameter without a description given one, with its example value from
    the route's example request; the request itself as a code sample."""
    schemas = spec.get("components", {}).get("schemas", {})
    for path, methods in spec.get("paths", {}).items():
        example = EXAMPLES.get(path)
        for op in methods.values():
            given = dict(parse_qsl(urlsplit(example.request).query)) if example else {}
            for param in op.get("parameters", []):
                name = param["name"]
                if not param.get("description"):
                    described = (example.parameters if example else {}).get(name) or PARAMETERS.get(name)
                    if described:
                        param["description"] = described
                if name in given and "example" not in param:
                    param["example"] = given[name]
            if example is None:
                continue
            op["x-codeSamples"] = [{"lang": "Shell", "label": "curl", "source": f"curl '{BASE}{example.request}'"}]
            answer = op.setdefault("responses", {}).setdefault("200", {"description": "Successful Response"})
            content = answer.setdefault("content", {}).setdefault("application/json", {})
            content["example"] = example.answer
            schema = content.setdefault("schema", {})
            ref = schema.get("$ref", "")
            target = schemas.get(ref.rsplit("/", 1)[-1], schema) if ref else schema
            target["type"] = "object"
            properties = target.setdefault("properties", {})
            for name, meaning in example.fields.items():
                properties.setdefault(name, {})["description"] = meaning
    return spec
