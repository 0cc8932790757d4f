"""Keyness: the words that set one subcorpus apart from another, by log-likelihood (Dunning's G²)
and by log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), with the
counts behind each score.

Words are compared within one language: the corpus holds the same events in several languages, and
two subcorpora in different languages differ above all in their languages' words. Each side's turns
of the language compared are counted, without that language's function words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from stenogram import limits
from stenogram.analyze.languages import Counted, listed
from stenogram.analyze.text import ContentCounts, base, from_where
from stenogram.errors import InputError, QueryError
from stenogram.limits import bounded
from stenogram.store.sqlite import Store


@dataclass(frozen=True, slots=True)
class KeyTerm:
    term: str
    target_count: int
    reference_count: int
    target_total: int
    reference_total: int
    log_likelihood: float
    log_odds_z: float


class KeyTerms(Counted[KeyTerm]):
    """The ranked words, with ``languages`` (language → turns counted, both sides together),
    ``compared`` (the language compared, or every language of a comparison across languages) and
    ``note`` (one line saying so, and why that language)."""

    def __init__(self, rows: list[KeyTerm], languages: Mapping[str, int], compared: list[str], note: str) -> None:
        super().__init__(rows, languages)
        self.compared = compared
        self.note = note


@dataclass(slots=True)
class Side:
    """One subcorpus's content words, turns and words (as the store counts them), by language."""
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    turns: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)

    def frequencies(self, languages: list[str]) -> Counter[str]:
        out: Counter[str] = Counter()
        for lang in languages:
            out.update(self.counts.get(lang, Counter()))
        return out


def read_side(store: Store, query: str, options: Mapping[str, str | None] | None = None) -> Side:
    """The turns a query selects, read once (streamed), their content words counted by language, each
    language without its own function words."""
    sql, params = from_where(base(store, query, options))
    side = Side()
    counts = ContentCounts()
    for lang, text, nwords in store.iterate(f"SELECT d.language, t.text, t.words {sql}", params):
        counts.add(text, lang)
        side.turns[lang] += 1
        side.words[lang] += int(nwords)
    side.counts = {str(lang): found for lang, found in counts.by_language().items()}
    return side


def frequencies(store: Store, query: str, options: Mapping[str, str | None] | None = None) -> Counter[str]:
    """Content-word counts over the turns a query selects, every language together."""
    side = read_side(store, query, options)
    return side.frequencies(list(side.counts))


def log_likelihood(a: int, b: int, n_a: int, n_b: int) -> float:
    """Dunning's G² for a word seen a times in n_a words and b times in n_b words; signed (+ = target)."""
    e_a = n_a * (a + b) / (n_a + n_b)
    e_b = n_b * (a + b) / (n_a + n_b)
    g2 = 2 * ((a * math.log(a / e_a) if a else 0.0) + (b * math.log(b / e_b) if b else 0.0))
    return g2 if a / n_a >= b / n_b else -g2


def log_odds_z(a: int, b: int, n_a: int, n_b: int, prior: int, prior_total: int, alpha0: float) -> float:
    """The z-score of the log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008, eq. 22)."""
    alpha_w = alpha0 * prior / prior_total
    delta = (math.log((a + alpha_w) / (n_a + alpha0 - a - alpha_w))
             - math.log((b + alpha_w) / (n_b + alpha0 - b - alpha_w)))
    variance = 1 / (a + alpha_w) + 1 / (b + alpha_w)
    return delta / math.sqrt(variance)


def keyness(store: Store, target: str, reference: str, *, options: Mapping[str, str | None] | None = None,
            lang: str | None = None, all_languages: bool = False, min_count: int = 3, limit: int = 30,
            alpha0: float = 1000.0, by: str = "log_likelihood") -> KeyTerms:
    """Words over-represented in the target subcorpus against the reference one, best first.

    Within one language: ``lang`` (or the ``lang`` filter among ``options``) keeps that language's
    turns on both sides; without it, the language both sides are written in, or, when they are mixed,
    the one both have the most words in (the note says so). ``all_languages`` compares every turn of
    both sides instead. Sides that share no language are refused (InputError) unless it is given."""
    if by not in ("log_likelihood", "log_odds"):
        raise QueryError("--by: choose log_likelihood or log_odds")
    bounded("min_count", min_count, limits.MIN_COUNT)
    bounded("limit", limit, limits.WORDS)
    opts = dict(options or {})
    if lang:
        opts["lang"] = lang
    chosen = (opts.get("lang") or "").strip().lower() or None
    ta, ref = read_side(store, target, opts), read_side(store, reference, opts)
    if not ta.turns or not ref.turns:
        where = f" in {chosen}" if chosen else ""
        empty = "the target" if not ta.turns else "the reference"
        raise QueryError(f"{empty} has no turns{where}; check the two queries" + (" or choose another language" if chosen else ""))
    compared, note = _languages_compared(ta, ref, chosen, all_languages)
    a_counts, b_counts = ta.frequencies(compared), ref.frequencies(compared)
    n_a, n_b = sum(a_counts.values()), sum(b_counts.values())
    if not n_a or not n_b:
        raise QueryError(f"one of the subcorpora has no content words in {listed(compared)}; check the two queries")
    prior = a_counts + b_counts
    total = n_a + n_b
    terms = []
    for word in prior:
        a, b = a_counts[word], b_counts[word]
        if a + b < min_count:
            continue
        terms.append(KeyTerm(word, a, b, n_a, n_b, log_likelihood(a, b, n_a, n_b),
                             log_odds_z(a, b, n_a, n_b, prior[word], total, alpha0)))
    if by == "log_likelihood":
        terms.sort(key=lambda t: (-t.log_likelihood, t.term))
    else:
        terms.sort(key=lambda t: (-t.log_odds_z, t.term))
    counted = Counter({lng: ta.turns[lng] + ref.turns[lng] for lng in compared})
    return KeyTerms(terms[:limit], counted, compared, note)


def _languages_compared(ta: Side, ref: Side, chosen: str | None, all_languages: bool) -> tuple[list[str], str]:
    """The languages to compare and the line that says which, and why."""
    if chosen:
        return [chosen], f"compared in {chosen}"
    if all_languages:
        every = sorted(set(ta.turns) | set(ref.turns))
        if len(every) == 1:
            return every, f"compared in {every[0]}"
        return every, f"compared across languages: {listed(every)} (each without its function words)"
    if len(ta.turns) == 1 and set(ta.turns) == set(ref.turns):
        only = next(iter(ta.turns))
        return [only], f"compared in {only}"
    shared = set(ta.turns) & set(ref.turns)
    if not shared:
        raise InputError(
            f"the target's turns are in {listed(sorted(ta.turns))} and the reference's in {listed(sorted(ref.turns))}: "
            "they share no language, so their words would differ by language before anything else; "
            "choose queries with turns in a common language, or compare across languages anyway with "
            "--all-languages (all_languages=true in the API)")
    best = min(shared, key=lambda g: (-min(ta.words[g], ref.words[g]), -(ta.words[g] + ref.words[g]), g))
    why = "the only language both sides have" if len(shared) == 1 else "the language both sides have the most words in"
    return [best], (f"compared in {best}, {why} (target {ta.words[best]:,} of {sum(ta.words.values()):,} words, "
                    f"reference {ref.words[best]:,} of {sum(ref.words.values()):,}); --lang chooses another language, "
                    "--all-languages compares across them")
