"""The lexical layer's engine-specific SQL, one module per database (chosen by
`connection.vendor`). Nothing outside this package knows which engine answers."""

from collections.abc import Mapping, Sequence
from importlib import import_module
from types import ModuleType

from django.db import connections
from django.db.models import QuerySet

from apps.ideas.models import Idea

_MODULES = {
    "sqlite": "apps.search.backends.sqlite",
    "postgresql": "apps.search.backends.postgresql",
}


def backend_for(alias: str) -> ModuleType:
    """The module that speaks to the database behind `alias`."""
    vendor = connections[alias].vendor
    try:
        return import_module(_MODULES[vendor])
    except KeyError:
        raise NotImplementedError(f"No search backend for the {vendor} database.") from None


def scope_subquery(scope: QuerySet[Idea]) -> tuple[str, Sequence] | None:
    """The SQL (with its parameters) of the ids in the caller's scope, to be used as
    `... IN (<sql>)` so that the lexical query never returns an idea outside it.

    None when the scope is every idea (an unfiltered, unsliced queryset: the similar-idea
    scope of coaches, process leaders and managers): every index row belongs to an idea
    (a foreign key with cascade), and the test would only cost a join with the whole
    ideas table (on PostgreSQL a scan of it, 0.1-0.2 s at 100,000 ideas)."""
    query = scope.query
    if not query.where and not query.is_sliced and not query.combinator:
        return None
    ids = scope.order_by().values("pk")
    if not ids.query.distinct_fields:
        # `IN` takes a set: a DISTINCT (the workspace list's, for its joins) would only
        # make the database group every id in scope first (0.4 s at 100,000 ideas).
        ids.query.distinct = False
    return ids.query.get_compiler(using=ids.db).as_sql()


def lexical_candidates(
    *,
    terms: Sequence[str],
    grams: Sequence[str],
    title_folded: str,
    scope: QuerySet[Idea],
    limit: int,
    prefix: bool = False,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[int, float]]:
    """(idea id, score) of the ideas in `scope` that share terms or grams with the query,
    best first; the score is the engine's own rank, higher is better (comparable within
    one answer only). With `prefix`, a term also matches the longer terms it begins.
    `weights` are the tokens' IDF (grams with a leading '#'), for engines without one."""
    if (not terms and not grams) or scope.query.is_empty():
        return []  # an empty scope (`.none()`) has no SQL to compile
    scope_sql, scope_params = scope_subquery(scope) or (None, ())
    return backend_for(scope.db).lexical_candidates(
        terms=terms,
        grams=grams,
        title_folded=title_folded,
        scope_sql=scope_sql,
        scope_params=scope_params,
        limit=limit,
        prefix=prefix,
        using=scope.db,
        weights=weights,
    )
