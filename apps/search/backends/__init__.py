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


def scope_subquery(scope: QuerySet[Idea]) -> tuple[str, Sequence]:
    """The SQL (with its parameters) of the ids in the caller's scope, to be used as
    `... IN (<sql>)` so that the lexical query never returns an idea outside it."""
    ids = scope.order_by().values("pk")
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
    if not terms and not grams:
        return []
    scope_sql, scope_params = scope_subquery(scope)
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
