"""Exact caching of the statistics: a kept result is used only when recomputing would
give exactly the same figures.

The figures' inputs change only through the services of the apps they read, and every
such write concerning an idea records an entry on the idea's timeline (the project's
rule), so the highest timeline entry id moves with every stage change, referral answer
or withdrawal, adoption, benefit change and measurement. The versions add, per table
the figures read, the row count and highest id (inserts and deletes, also outside the
timeline), the solutions' latest change, and a digest of the stages and municipalities
in scope (names, order, flags and employee counts are shown in the tables or decide
them). Each part is one indexed aggregate or a read of a few rows.

What is kept (`figures.part_makers`) holds no figure that depends on the clock: the open
ideas are kept as the moments they entered their stage and the days waited are worked
out when the page is shown; the referrals' "overdue" depends on the date, which is part
of the key (local date, so a kept copy is never used after midnight). Training figures
are read afresh every time (cheap, and registrations write no timeline entry).

Not seen: a change made with a plain UPDATE outside the services that records nothing
on the timeline (as test fixtures do to set dates). `BYPASS` turns the cache off for
the benchmark's cold path.

Each part (one table, or the open ideas' groups) is kept on its own, under the version
of what it reads, so a write recomputes only the parts it can change, and a part has one
copy for the dashboard and the public page alike. The parts that read only ideas and the
entries that put ideas into stages (`figures.PROCESS_PARTS`: funnel, ideas per 1,000,
lead time, waiting, outcomes and their reasons) are kept under the *process version*:
the last entry that handed in, imported or moved an idea (every change of an idea's
stage is such an entry, made by `idea_move`), the ideas' count and highest id (new and
deleted ideas), and the stages and municipalities. A note, a message, a referral, an
adoption or a measurement leaves it as it is, so those parts are not recomputed. The
other parts (referrals, adoptions, benefits) are kept under the *other version*
(`other_version`): the counts of the other tables, and the last entry that
is not a handing in, import or move, and the stages and municipalities, so neither a
move nor a new idea leaves them stale or recomputes them. The dashboard's key figures
are kept in two halves the same way (apps.stats.selectors.key_figures). Both versions
include the last erasure (apps.privacy): it rewrites free text such as the
reasons with a plain UPDATE that records nothing on the timeline.
"""

import hashlib
from collections.abc import Callable
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language

from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.models import Organisation
from apps.privacy.models import Erasure
from apps.referrals.models import Referral
from apps.spread.models import (
    Adoption,
    AdoptionStageChange,
    BenefitHypothesis,
    Measurement,
    Solution,
)
from apps.workflow.models import Stage

from .figures import ENTRY_KINDS
from .tables import Filters

#: A kept result is dropped after a day at the latest; the key changes at midnight anyway.
TIMEOUT_SECONDS = 24 * 60 * 60

#: Set by the benchmark to time the cold path (every call recomputes).
BYPASS = False


def _count_and_last(rows) -> tuple:
    """Row count and highest id of a model (its every row) or of a queryset."""
    queryset = rows.objects.all() if isinstance(rows, type) else rows
    row = queryset.order_by().aggregate(rows=Count("pk"), last=Max("pk"))
    return row["rows"], row["last"]


def _scope(filters: Filters) -> list:
    """The stages and municipalities in scope (names, order and employee counts are
    shown in the tables)."""
    return [
        list(
            Stage.objects.filter(consortium_id__in=filters.consortium_ids)
            .order_by("pk")
            .values_list(
                "pk", "key", "name_sv", "name_en", "position", "is_outcome", "is_spreadable"
            )
        ),
        list(
            Organisation.objects.filter(consortium_id__in=filters.consortium_ids)
            .order_by("pk")
            .values_list("pk", "kind", "name", "employee_count")
        ),
    ]


def _last(queryset):
    return queryset.order_by("-pk").values_list("pk", flat=True).first()


def _digest(parts: list) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _shared(filters: Filters) -> list:
    """What the versions include: the count and highest id of the ideas of the
    consortia in scope (first; the other version leaves it out), the last erasure, and
    the stages and municipalities in scope.

    Only the scope's ideas are counted: an idea never changes consortium and every
    figure reads the ideas of its consortia, and the (consortium, id) index answers
    that count from a few thousand index entries, where counting every idea in the
    country read them all (90 ms of a warm dashboard's 150 at 500,000 ideas on
    PostgreSQL)."""
    ideas = Idea.objects.filter(consortium_id__in=sorted(filters.consortium_ids))
    return [_count_and_last(ideas), _last(Erasure.objects), *_scope(filters)]


def _spread_and_referrals() -> list:
    """The row counts and highest ids of the referrals, adoptions, benefits and
    measurements, and the solutions' latest change (inserts and deletes)."""
    return [
        _count_and_last(Referral),
        _count_and_last(Adoption),
        AdoptionStageChange.objects.order_by().aggregate(last=Max("pk"))["last"],
        _count_and_last(BenefitHypothesis),
        _count_and_last(Measurement),
        Solution.objects.order_by().aggregate(
            rows=Count("pk"), last=Max("pk"), changed=Max("updated_at")
        ),
    ]


class Versions:
    """The versions of the kept results for one set of filters, each part read at most
    once: a page that uses several kept results (the dashboard's parts and its key
    figures) reads the tables' counts and the timeline's last entries once, not once per
    result. Made per request: what it read is not re-read."""

    def __init__(self, filters: Filters):
        self.filters = filters

    @cached_property
    def shared(self) -> list:
        return _shared(self.filters)

    @cached_property
    def spread_and_referrals(self) -> list:
        return _spread_and_referrals()

    @cached_property
    def last_move(self):
        """The last entry that handed in, imported or moved an idea."""
        return _last(TimelineEntry.objects.filter(kind__in=ENTRY_KINDS))

    @cached_property
    def last_other(self):
        """The last entry of any other kind."""
        return _last(TimelineEntry.objects.exclude(kind__in=ENTRY_KINDS))

    @property
    def process(self) -> str:
        """See `process_version`."""
        return _digest([self.last_move, *self.shared])

    @property
    def other(self) -> str:
        """See `other_version`. Without the ideas' count and highest id: a new idea has
        no referral, solution or benefit yet, and a deleted idea's go with it (their
        counts change). With them, every idea handed in recomputed these parts too, the
        costliest there are (2 s at 500,000 ideas), while a dashboard was open."""
        return _digest([self.last_other, *self.spread_and_referrals, *self.shared[1:]])


def other_version(filters: Filters, shared: list | None = None) -> str:
    """A digest of what the parts outside `figures.PROCESS_PARTS` read (referrals,
    adoptions, solutions, benefits): everything the module docstring lists less the moves
    and the ideas' count. Those parts read no
    idea's stage, and every write that changes what they read records an entry of
    another kind (a referral sent, answered, asked or withdrawn, an adoption or its new
    stage, a solution, a benefit or a measurement), so the last entry that is not of
    `ENTRY_KINDS` stands for the timeline here; found by walking back from the newest
    entry past the moves. A move thus recomputes the process parts alone."""
    versions = Versions(filters)
    if shared is not None:
        versions.shared = shared
    return versions.other


def process_version(filters: Filters, shared: list | None = None) -> str:
    """A digest of what the process parts read (`figures.PROCESS_PARTS`; see the module
    docstring). The last entry of the kinds that put an idea into a stage is found by
    walking the timeline back from its newest entry, which stops at the first move."""
    versions = Versions(filters)
    if shared is not None:
        versions.shared = shared
    return versions.process


def _filters_key(filters: Filters) -> tuple:
    return (
        filters.start.isoformat(),
        filters.end.isoformat(),
        sorted(filters.consortium_ids),
        None if filters.municipality_ids is None else sorted(filters.municipality_ids),
        sorted(filters.extra.items()),
    )


def _key(name: str, filters: Filters) -> str:
    key = repr((name, get_language(), timezone.localdate().isoformat(), _filters_key(filters)))
    return f"stats:{hashlib.sha256(key.encode()).hexdigest()}"


def part_keys(
    filters: Filters, names, process: frozenset[str], *, versions: Versions | None = None
) -> dict[str, str]:
    """The cache key of each named part for these filters, language, local date and the
    version the part is kept under (`process`: the names kept under the process
    version)."""
    versions = versions or Versions(filters)
    return {
        name: f"{_key(name, filters)}:{versions.process if name in process else versions.other}"
        for name in names
    }


def kept_parts(
    filters: Filters,
    makers: dict[str, Callable[[], object]],
    process: frozenset[str],
    *,
    versions: Versions | None = None,
) -> dict[str, object]:
    """Each part's value for these filters, language, local date and version: those kept
    for exactly those are read in one go, the others computed now (`makers`) and kept.
    `versions`: the request's, when other kept results use it too."""
    if BYPASS:
        return {name: make() for name, make in makers.items()}
    keys = part_keys(filters, list(makers), process, versions=versions)
    found = cache.get_many(list(keys.values()))
    parts, computed = {}, {}
    for name, key in keys.items():
        if key in found:
            parts[name] = found[key]
        else:
            parts[name] = computed[key] = makers[name]()
    if computed:
        cache.set_many(computed, TIMEOUT_SECONDS)
    return parts
