"""The lexical layer's query: which stems and grams of the asked text are worth sending.

A gram such as "ning" occurs in most Swedish ideas: matching on it finds everything and
costs a scan of a long posting list. Each process therefore keeps the document frequency
of terms and grams in a sample of the index (ideas spread evenly over its ids, read at
most every CACHE_SECONDS). A query keeps its rarest tokens (the ones that tell ideas
apart) while their summed frequency stays within a budget of postings, so the engine ranks
a bounded share of the ideas whatever the query; the MIN_TOKENS rarest are always kept.
"""

import math
import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import Max, Min

from .models import IdeaSearchText
from .normalise import fold, normalise, query_words, word_found

MAX_TERMS = 48
MAX_GRAMS = 96
#: Leave out a gram found in more than this share of the ideas, a stem above the next.
COMMON_GRAM_SHARE = 0.06
COMMON_TERM_SHARE = 0.25
#: Most ideas the engine is asked to rank for one query (summed document frequency of
#: its tokens): about 20 ms of BM25 on SQLite. Small indexes are never cut by it.
POSTINGS_BUDGET = 12_000
MIN_TOKENS = 4
#: Frequencies are only trusted from this many ideas on; below that nothing is left out.
MIN_SAMPLE = 150
SAMPLE_SIZE = 2000
CACHE_SECONDS = 600


@dataclass(frozen=True)
class QueryTokens:
    """What the lexical engines are asked for."""

    terms: tuple[str, ...]
    grams: tuple[str, ...]
    title_folded: str
    #: Inverse document frequency of each token (grams with a leading '#').
    weights: dict[str, float]
    #: Whether even the MIN_TOKENS rarest tokens match more ideas than POSTINGS_BUDGET
    #: (estimated from the sample): every word of the query is common in a large index.
    over_budget: bool = False


@dataclass(frozen=True)
class _Frequencies:
    documents: int  # in the sample
    counts: Counter
    read_at: float
    scale: float = 1.0  # ideas in the index per idea in the sample


_frequencies: dict[tuple[str, str], _Frequencies] = {}
_lock = threading.Lock()


def reset_cache() -> None:
    """Forget the sampled frequencies (tests switch data under one process)."""
    with _lock:
        _frequencies.clear()


def _sampled_frequencies(using: str) -> _Frequencies:
    key = (using, str(connections[using].settings_dict["NAME"]))
    with _lock:
        known = _frequencies.get(key)
        if known is not None and time.monotonic() - known.read_at < CACHE_SECONDS:
            return known
        texts = IdeaSearchText.objects.using(using)
        span = texts.aggregate(first=Min("idea_id"), last=Max("idea_id"))
        sampled = span["last"] is not None and span["last"] - span["first"] >= SAMPLE_SIZE
        if sampled:
            # Ideas spread evenly over the whole index, found by id: the newest ideas alone
            # came from one corner of it where the words are not those of the rest (the
            # national bench data set, written consortium after consortium, made "digital"
            # look rare in the sample and match 32,000 ideas).
            step = (span["last"] - span["first"] + 1) / SAMPLE_SIZE
            ids = [span["first"] + int(step * at) for at in range(SAMPLE_SIZE)]
            texts = texts.filter(idea_id__in=ids)
        rows = texts.values_list("title_terms", "body_terms", "grams")
        counts: Counter = Counter()
        documents = 0
        for title_terms, body_terms, grams in rows:
            documents += 1
            counts.update(set(f"{title_terms} {body_terms}".split()))
            counts.update(f"#{gram}" for gram in grams.split())
        total = IdeaSearchText.objects.using(using).count() if sampled else 0
        known = _Frequencies(
            documents=documents,
            counts=counts,
            read_at=time.monotonic(),
            scale=max(1.0, total / documents) if documents else 1.0,
        )
        _frequencies[key] = known
        return known


def query_tokens(*, title: str, text: str, using: str) -> QueryTokens:
    """The stems and grams of a query worth matching on, rarest grams first."""
    found = normalise(f"{title}\n{text}")
    terms, grams = list(found.terms), list(found.grams)
    frequencies = _sampled_frequencies(using)
    over_budget = False
    if frequencies.documents >= MIN_SAMPLE:
        most_terms = COMMON_TERM_SHARE * frequencies.documents
        most_grams = COMMON_GRAM_SHARE * frequencies.documents
        counts = frequencies.counts
        tokens = [term for term in terms if counts[term] <= most_terms]
        tokens += [f"#{gram}" for gram in grams if counts[f"#{gram}"] <= most_grams]
        tokens.sort(key=lambda token: counts[token])
        budget, kept = POSTINGS_BUDGET, []
        for token in tokens:
            postings = counts[token] * frequencies.scale
            if len(kept) >= MIN_TOKENS and budget < postings:
                break
            budget -= postings
            kept.append(token)
        over_budget = budget < 0
        terms = [token for token in kept if not token.startswith("#")]
        grams = [token[1:] for token in kept if token.startswith("#")]
    terms, grams = terms[:MAX_TERMS], grams[:MAX_GRAMS]
    documents = frequencies.documents
    weights = {
        token: math.log((documents + 1) / (frequencies.counts[token] + 0.5)) + 0.1
        for token in [*terms, *(f"#{gram}" for gram in grams)]
    }
    return QueryTokens(
        terms=tuple(terms),
        grams=tuple(grams),
        title_folded=fold(title)[:200],
        weights=weights,
        over_budget=over_budget,
    )


def holding_the_words(*, query: str, idea_ids: list[int]) -> set[int]:
    """Those of the ideas that hold at least half of the query's words (see
    normalise.word_found): what a search box promises, where the engine's OR of stems and
    grams also brings ideas that merely share a common ending."""
    wanted = query_words(query)
    if not wanted or not idea_ids:
        return set()
    needed = (len(wanted) + 1) // 2
    rows = IdeaSearchText.objects.filter(idea_id__in=idea_ids).values_list(
        "idea_id", "title_terms", "body_terms", "grams"
    )
    holding = set()
    for idea_id, title_terms, body_terms, grams in rows:
        terms = set(title_terms.split()) | set(body_terms.split())
        gram_set = set(grams.split())
        if sum(word_found(word, terms, gram_set) for word in wanted) >= needed:
            holding.add(idea_id)
    return holding
