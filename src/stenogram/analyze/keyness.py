"""Keyness: the words that set one subcorpus apart from another, by log-likelihood (Dunning's G²)
and by log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), with the
counts behind each score."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from stenogram import limits
from stenogram.analyze.text import base, content_words, from_where
from stenogram.errors import QueryError
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


def frequencies(store: Store, query: str, options: Mapping[str, str | None] | None = None) -> Counter[str]:
    """Content-word counts over the turns a query selects (streamed, one turn at a time)."""
    sql, params = from_where(base(query, options))
    counts: Counter[str] = Counter()
    for row in store.iterate(f"SELECT t.text {sql}", params):
        counts.update(content_words(row["text"]))
    return counts


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
            min_count: int = 3, limit: int = 30, alpha0: float = 1000.0, by: str = "log_likelihood") -> list[KeyTerm]:
    """Words over-represented in the target subcorpus against the reference one, best first."""
    if by not in ("log_likelihood", "log_odds"):
        raise QueryError("--by: choose log_likelihood or log_odds")
    bounded("min_count", min_count, limits.MIN_COUNT)
    bounded("limit", limit, limits.WORDS)
    ta, ref = frequencies(store, target, options), frequencies(store, reference, options)
    n_a, n_b = sum(ta.values()), sum(ref.values())
    if not n_a or not n_b:
        raise QueryError("one of the subcorpora is empty; check the two queries")
    prior = ta + ref
    total = n_a + n_b
    terms = []
    for word in prior:
        a, b = ta[word], ref[word]
        if a + b < min_count:
            continue
        terms.append(KeyTerm(word, a, b, n_a, n_b, log_likelihood(a, b, n_a, n_b),
                             log_odds_z(a, b, n_a, n_b, prior[word], total, alpha0)))
    if by == "log_likelihood":
        terms.sort(key=lambda t: (-t.log_likelihood, t.term))
    else:
        terms.sort(key=lambda t: (-t.log_odds_z, t.term))
    return terms[:limit]
