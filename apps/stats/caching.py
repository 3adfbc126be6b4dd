"""Exact caching of the statistics: a kept result is used only when recomputing would
give exactly the same figures.

The figures' inputs change only through the services of the apps they read, and every
such write concerning an idea records an entry on the idea's timeline (the project's
rule), so the highest timeline entry id moves with every stage change, referral answer
or withdrawal, adoption, benefit change and measurement. The data version adds, per table
the figures read, the row count and highest id (inserts and deletes, also outside the
timeline), the solutions' latest change, and a digest of the stages and municipalities
in scope (names, order and employee counts are shown in the tables). Each part is one
indexed aggregate or a read of a few rows.

What is kept (`figures.settled`) holds no figure that depends on the clock: the open
ideas are kept as the moments they entered their stage and the days waited are worked
out when the page is shown; the referrals' "overdue" depends on the date, which is part
of the key (local date, so a kept copy is never used after midnight). Training figures
are read afresh every time (cheap, and registrations write no timeline entry).

Not seen: a change made with a plain UPDATE outside the services that records nothing
on the timeline (as test fixtures do to set dates). `BYPASS` turns the cache off for
the benchmark's cold path.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language

from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.models import Organisation
from apps.referrals.models import Referral
from apps.spread.models import (
    Adoption,
    AdoptionStageChange,
    BenefitHypothesis,
    Measurement,
    Solution,
)
from apps.workflow.models import Stage

from .tables import Filters

#: A kept result is dropped after a day at the latest; the key changes at midnight anyway.
TIMEOUT_SECONDS = 24 * 60 * 60

#: Set by the benchmark to time the cold path (every call recomputes).
BYPASS = False


def _count_and_last(model) -> tuple:
    row = model.objects.order_by().aggregate(rows=Count("pk"), last=Max("pk"))
    return row["rows"], row["last"]


def data_version(filters: Filters) -> str:
    """A digest of everything the kept figures depend on, read cheaply (see the module
    docstring)."""
    parts = [
        TimelineEntry.objects.order_by().aggregate(last=Max("pk"))["last"],
        _count_and_last(Idea),
        _count_and_last(Referral),
        _count_and_last(Adoption),
        AdoptionStageChange.objects.order_by().aggregate(last=Max("pk"))["last"],
        _count_and_last(BenefitHypothesis),
        _count_and_last(Measurement),
        Solution.objects.order_by().aggregate(
            rows=Count("pk"), last=Max("pk"), changed=Max("updated_at")
        ),
        list(
            Stage.objects.filter(consortium_id__in=filters.consortium_ids)
            .order_by("pk")
            .values_list("pk", "key", "name_sv", "name_en", "position", "is_outcome")
        ),
        list(
            Organisation.objects.filter(consortium_id__in=filters.consortium_ids)
            .order_by("pk")
            .values_list("pk", "kind", "name", "employee_count")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _filters_key(filters: Filters) -> tuple:
    return (
        filters.start.isoformat(),
        filters.end.isoformat(),
        sorted(filters.consortium_ids),
        None if filters.municipality_ids is None else sorted(filters.municipality_ids),
        sorted(filters.extra.items()),
    )


def kept(name: str, filters: Filters, compute: Callable[[], object]):
    """`compute()`'s result for these filters, language, local date and data version:
    from the cache when it was computed for exactly those, otherwise computed now and
    kept."""
    if BYPASS:
        return compute()
    key = repr((name, get_language(), timezone.localdate().isoformat(), _filters_key(filters)))
    key = f"stats:{hashlib.sha256(key.encode()).hexdigest()}:{data_version(filters)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value
