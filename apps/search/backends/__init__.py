"""The lexical layer's engine-specific SQL, one module per database (chosen by
`connection.vendor`). Nothing outside this package knows which engine answers."""

from collections.abc import Mapping, Sequence
from importlib import import_module
from types import ModuleType

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

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


def scope_condition(
    scope: QuerySet[Idea], *, column: str, correlated: bool
) -> tuple[str, Sequence] | None:
    """The SQL condition (with its parameters) that the idea id in `column` of the
    engine's query is in the caller's scope, so that the lexical query never returns an
    idea outside it: `column IN (<ids in scope>)`, or with `correlated` an
    `EXISTS (<this idea, if in scope>)` (SQLite builds the whole list of an IN first, 65 ms
    for a coach's 100,000 ideas, where probing the few thousand matches costs 4).

    None when the scope is every idea (an unfiltered, unsliced queryset: the similar-idea
    scope of coaches, process leaders and managers): every index row belongs to an idea
    (a foreign key with cascade), and the test would only cost a join with the whole
    ideas table (on PostgreSQL a scan of it, 0.1-0.2 s at 100,000 ideas)."""
    query = scope.query
    if not query.where and not query.is_sliced and not query.combinator:
        return None
    correlated = correlated and not query.is_sliced
    ids = scope.order_by()
    if correlated:
        ids = ids.filter(pk=RawSQL(column, ()))  # noqa: S611 (a backend constant)
    ids = ids.values("pk")
    if not ids.query.distinct_fields:
        # A set is asked for: a DISTINCT (the workspace list's, for its joins) would only
        # make the database group every id in scope first (0.4 s at 100,000 ideas).
        ids.query.distinct = False
    sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    return (f"EXISTS ({sql})" if correlated else f"{column} IN ({sql})"), params


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
    backend = backend_for(scope.db)
    condition = scope_condition(
        scope, column=backend.ID_COLUMN, correlated=backend.SCOPE_CORRELATED
    )
    listed = False
    if condition is not None and backend.SCOPE_CORRELATED and _at_most(scope, backend.LISTED):
        # A small scope (a coach's municipality) is cheaper as a list of its ids than
        # probed once per match (see the engine's LISTED).
        listed = True
        condition = scope_condition(scope, column=backend.LISTED_ID_COLUMN, correlated=False)
    scope_sql, scope_params = condition or (None, ())
    return backend.lexical_candidates(
        terms=terms,
        grams=grams,
        title_folded=title_folded,
        scope_sql=scope_sql,
        scope_params=scope_params,
        scope_listed=listed,
        limit=limit,
        prefix=prefix,
        using=scope.db,
        weights=weights,
    )


def _at_most(scope: QuerySet[Idea], count: int) -> bool:
    """Whether the scope holds at most `count` ideas; reads at most count + 1 of its
    index entries."""
    return scope.order_by().values("pk")[: count + 1].count() <= count
