"""The one interface for finding ideas by their words: similar ideas and search.

Callers never see which database or which layers answer. Two layers:

- lexical: Swedish stems and character 4-grams (normalise.py) matched by the database's
  own full-text engine (backends/: SQLite FTS5 with BM25, PostgreSQL tsvector with an
  IDF-weighted sum plus pg_trgm on titles), always restricted to the caller's scope in SQL;
- semantic (optional, semantic.py): multilingual-e5-small vectors computed by the worker,
  compared with the query's vector (computed here, in the request) over an in-memory
  matrix. It finds paraphrases that share no word with the query.

Fusion: each candidate (from either layer) scores
    SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical,
where lexical is the engine's rank divided by the best rank in the answer (0..1) and
semantic is the cosine stretched from [COSINE_FLOOR, 1] to [0, 1] (from
STORED_COSINE_FLOOR when the idea page ranks with an idea's stored vector). An idea whose
vector the worker has not computed yet is scored on its lexical part alone.

A query whose every word is common in a large index (lexical.QueryTokens.over_budget)
has its lexical part computed for the semantic layer's candidates only: ranking every
idea that holds such words costs the most and tells the least (see `similar_ideas`). An
idea handed in seconds ago, whose vector the worker has not stored yet, is then not
found by such a query until it has.
"""

from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from apps.ideas.models import Idea

from . import backends, lexical, semantic, services

#: Candidates taken from each layer before fusion.
LEXICAL_CANDIDATES = 100
SEMANTIC_CANDIDATES = 100
SEMANTIC_WEIGHT = 0.7
#: Characters of the query's text (after its title) that its vector is computed from, at
#: most. On the labelled set the answer's score was 100 % from 0 to 160 characters; the
#: semantic layer alone put a partner first for 68, 77 and 79 of 85 ideas at 0, 100 and
#: 160 (mean reciprocal rank 0.86, 0.94, 0.95) at 15, 36 and 39 tokens on average.
QUERY_GIST_CHARS = 100
#: Cosines of e5 vectors of unrelated Swedish ideas lie around 0.7-0.8: that is zero.
COSINE_FLOOR = 0.7
#: The same for two stored (passage) vectors, whose cosines lie higher: on the labelled
#: set unrelated ideas have p10/p50/p90 0.83/0.85/0.88 (a query's vector against stored
#: ones 0.81/0.83/0.86), same-idea pairs 0.91/0.93/0.95. With 0.7 the idea page's section
#: put a partner in the top 5 for 97.6 % of the grouped ideas, with 0.8, 0.83 and 0.86
#: for 98.8, 100 and 100 %.
STORED_COSINE_FLOOR = 0.83


@dataclass(frozen=True)
class Match:
    """One idea found, with its score: higher is more alike (0..1, comparable within one
    answer only)."""

    idea_id: int
    score: float


def similar_ideas(
    *,
    title: str,
    text: str,
    scope: QuerySet[Idea],
    limit: int = 5,
    exclude_ids: Collection[int] = (),
    use_semantic: bool | None = None,
    stored_idea_id: int | None = None,
) -> list[Match]:
    """The ideas in `scope` most like the given title and text, best first.

    `use_semantic` forces the semantic layer off (False) or leaves it to the setting
    and the model's presence (None, the default); the lexical layer always answers.
    `stored_idea_id` names the stored idea the title and text are of (the idea page):
    the semantic layer then ranks with its stored vector, not one computed again, where
    the worker has stored one.
    """
    if not f"{title}{text}".strip() or limit <= 0:
        return []
    excluded = {int(idea_id) for idea_id in exclude_ids}
    semantic_on = (
        semantic.enabled() if use_semantic is None else use_semantic and semantic.enabled()
    )
    # Started first so that the model (and the product over the matrix) and the database
    # work at the same time.
    nearest = (
        _nearest_soon(
            title=title,
            text=text,
            using=scope.db,
            count=len(excluded),
            stored_idea_id=stored_idea_id,
        )
        if semantic_on
        else None
    )
    tokens = lexical.query_tokens(title=title, text=text, using=scope.db)
    if nearest is not None and tokens.over_budget:
        # Every word of the query is common (in a large sluice, "förskolan" is in one
        # idea of ten): ranking every idea that holds one read 50,000-100,000 rows for
        # 35-170 ms on PostgreSQL at 500,000 ideas, to tell ideas apart by words that
        # hardly do. The lexical layer then ranks the semantic layer's candidates alone.
        semantic_scores = _semantic_scores(
            nearest=nearest, scope=scope, excluded=excluded, also=(), limit=limit
        )
        lexical_scores = _lexical_scores(
            tokens, scope=scope.filter(pk__in=list(semantic_scores)), excluded=excluded
        )
        return _fused(lexical_scores, semantic_scores, limit)
    lexical_scores = _lexical_scores(tokens, scope=scope, excluded=excluded)
    if nearest is None:
        return _best(lexical_scores, limit)
    semantic_scores = _semantic_scores(
        nearest=nearest,
        scope=scope,
        excluded=excluded,
        also=lexical_scores.keys(),
        limit=limit,
    )
    return _fused(lexical_scores, semantic_scores, limit)


def _lexical_scores(
    tokens: lexical.QueryTokens, *, scope: QuerySet[Idea], excluded: set[int]
) -> dict[int, float]:
    """The lexical candidates in `scope`, each scored by its rank over the best rank."""
    lexical_ranks = {
        idea_id: rank
        for idea_id, rank in backends.lexical_candidates(
            terms=tokens.terms,
            grams=tokens.grams,
            title_folded=tokens.title_folded,
            weights=tokens.weights,
            scope=scope,
            limit=LEXICAL_CANDIDATES + len(excluded),
        )
        if idea_id not in excluded and rank > 0
    }
    best_rank = max(lexical_ranks.values(), default=0.0)
    return {idea_id: rank / best_rank for idea_id, rank in lexical_ranks.items() if best_rank}


def _fused(
    lexical_scores: dict[int, float], semantic_scores: dict[int, float], limit: int
) -> list[Match]:
    """The `limit` best candidates of both layers by the weighted sum of their scores."""
    fused = {}
    for idea_id in lexical_scores.keys() | semantic_scores.keys():
        lexical_part = lexical_scores.get(idea_id, 0.0)
        if idea_id in semantic_scores:
            fused[idea_id] = (
                SEMANTIC_WEIGHT * semantic_scores[idea_id] + (1 - SEMANTIC_WEIGHT) * lexical_part
            )
        else:
            fused[idea_id] = (1 - SEMANTIC_WEIGHT) * lexical_part
    return _best(fused, limit)


def _gist(*, title: str, text: str) -> str:
    """What the query's vector is computed from: the title and the opening of the text.

    The model's time grows with every token (about 1-2 ms each here, 40-60 ms for a
    short idea, several hundred for a long one) and an idea's gist is in its title and
    first sentence; the stored ideas' vectors keep their whole text, and the lexical
    layer reads the whole query. The text is cut after a whole word where it has one."""
    opening = text[:QUERY_GIST_CHARS]
    if len(text) > QUERY_GIST_CHARS and not text[QUERY_GIST_CHARS].isspace():
        opening = opening.rsplit(maxsplit=1)[0] if " " in opening.strip() else opening
    return f"{title}\n{opening}"


def _best(scores: dict[int, float], limit: int) -> list[Match]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))[:limit]
    return [Match(idea_id=idea_id, score=float(score)) for idea_id, score in ranked]


@dataclass(frozen=True)
class _PendingNearest:
    """The semantic layer's answer on its way, and the cosine that counts as unrelated
    for the kind of vector it ranks with."""

    future: Future
    cosine_floor: float


def _nearest_soon(
    *, title: str, text: str, using: str, count: int, stored_idea_id: int | None = None
) -> _PendingNearest | None:
    """The nearest stored vectors to the query's gist (or to the stored idea's vector),
    on their way, or None without vectors."""
    found = semantic.matrix(using)
    if not len(found.ids):
        return None
    if stored_idea_id is not None:
        # The model's call was more than half of the idea page's similar section (29 of
        # ~50 ms at 500,000 ideas), for a vector the worker computed from the whole
        # idea. A stored vector may predate the idea's last edit until the worker has
        # run; the lexical layer reads the current text.
        vector = semantic.stored_vector(found, stored_idea_id)
        if vector is not None:
            return _PendingNearest(
                future=semantic.nearest_to_vector_soon(
                    vector, found=found, count=SEMANTIC_CANDIDATES + count
                ),
                cosine_floor=STORED_COSINE_FLOOR,
            )
    return _PendingNearest(
        future=semantic.nearest_soon(
            _gist(title=title, text=text), found=found, count=SEMANTIC_CANDIDATES + count
        ),
        cosine_floor=COSINE_FLOOR,
    )


def _semantic_scores(
    *,
    nearest: _PendingNearest,
    scope: QuerySet[Idea],
    excluded: set[int],
    also: Collection[int],
    limit: int,
) -> dict[int, float]:
    """Stretched cosines of the nearest stored vectors within scope, and of `also` (the
    lexical candidates, already in scope) where they have a vector."""
    answer = nearest.future.result()
    found, cosines = answer.matrix, answer.cosines
    candidate_ids = [int(found.ids[at]) for at in answer.rows]
    in_scope = set(scope.filter(pk__in=candidate_ids).values_list("pk", flat=True)) - excluded
    if len(in_scope) < limit and len(answer.rows) < len(cosines):
        # A narrow scope (one municipality, a filtered list) may hold none of the nearest
        # ideas overall: then rank every vector in scope (one more query, any size).
        allowed = set(scope.values_list("pk", flat=True)) - excluded
        mask = np.fromiter((int(i) in allowed for i in found.ids), dtype=bool, count=len(found.ids))
        positions = np.flatnonzero(mask)
        order = positions[np.argsort(-cosines[positions])[:SEMANTIC_CANDIDATES]]
        in_scope = {int(found.ids[at]) for at in order}
    positions_of = found.positions()
    held = {}
    for idea_id in in_scope | set(also):
        at = positions_of.get(idea_id)
        if at is not None:
            held[idea_id] = at
    exact = answer.exact(np.fromiter(held.values(), dtype=np.int64, count=len(held)))
    return {
        idea_id: _stretch(float(cosine), floor=nearest.cosine_floor)
        for idea_id, cosine in zip(held, exact, strict=True)
    }


def _stretch(cosine: float, *, floor: float) -> float:
    return min(1.0, max(0.0, (cosine - floor) / (1 - floor)))


def search_ideas(*, query: str, scope: QuerySet[Idea], limit: int = 1000) -> list[Match]:
    """Full-text search within `scope` (already filtered by the caller), best first.

    Lexical only: a search box promises ideas that contain the words asked for (by stem,
    compound part or a near spelling), not ideas about something related.
    """
    if not query.strip() or limit <= 0:
        return []
    tokens = lexical.query_tokens(title=query, text="", using=scope.db)
    ranks = backends.lexical_candidates(
        terms=tokens.terms,
        grams=tokens.grams,
        title_folded=tokens.title_folded,
        weights=tokens.weights,
        scope=scope,
        limit=limit,
        prefix=True,
    )
    holding = lexical.holding_the_words(query=query, idea_ids=[pk for pk, _ in ranks])
    ranks = [(idea_id, rank) for idea_id, rank in ranks if idea_id in holding and rank > 0]
    best_rank = max((rank for _, rank in ranks), default=0.0)
    return [Match(idea_id=idea_id, score=rank / best_rank) for idea_id, rank in ranks]


def ideas_written(*, idea_ids: Collection[int]) -> None:
    """Call inside the transaction that created or changed these ideas' title or text:
    keeps the indexes current (on commit, the worker computes their embeddings). Takes
    any number of ids at once; bulk writers should pass them together."""
    services.search_index_ideas(idea_ids=idea_ids)
