"""The statistics of the sluice, each computed as a `Table` (see apps.stats.tables).

Every function takes `Filters` that the selectors have already narrowed to what the acting
user may see, and trusts them. Figures aggregate in the database where both SQLite and
PostgreSQL agree, and otherwise fetch one narrow list and finish in Python, so a table
costs a fixed number of queries however many ideas there are.

Conventions shared by all figures:

- A period runs from `filters.start` 00:00 to the end of `filters.end`, in local time
  (settings.TIME_ZONE), both days included.
- Durations are calendar days (not working days), shown with one decimal.
- Percentiles use the **nearest-rank** method on the sorted values: the p-th percentile
  is the value at rank ⌈p/100 × n⌉ (1-based). The median is the 50th percentile by the
  same rule, so with an even count it is the lower of the two middle values. Computed in
  Python from the fetched durations, so both databases give the same answer.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.db import connection
from django.db.models import (
    Aggregate,
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Sum,
    TextField,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.models import Organisation
from apps.referrals.models import Referral
from apps.spread.models import Adoption, AdoptionStage, BenefitHypothesis, Measurement, Solution
from apps.workflow.models import Stage

from .tables import Chart, Column, Filters, Table

_MONEY = DecimalField(max_digits=20, decimal_places=2)


# --- Helpers ---------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _period(filters: Filters) -> tuple[datetime, datetime]:
    """The period as [start, end) aware datetimes: the end day is included."""
    return _day_start(filters.start), _day_start(filters.end + timedelta(days=1))


def _nearest_rank_position(percent: int, count: int) -> int:
    """The 1-based position `nearest_rank` picks among `count` sorted values."""
    return max(1, math.ceil(percent * count / 100))


def nearest_rank(sorted_values: list, percent: int):
    """The nearest-rank percentile of values sorted ascending; None for no values."""
    if not sorted_values:
        return None
    return sorted_values[_nearest_rank_position(percent, len(sorted_values)) - 1]


def _days(duration: timedelta | None) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / 86400, 1)


def _number(value) -> str:
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _latest_measurements_until(end: date, *, of_ideas: Exists):
    """Each benefit's latest measurement on or before `end` (by day, then the one
    recorded last), of the benefits whose idea `of_ideas` (an EXISTS on the benefit's
    idea) accepts: one row per measured benefit. Walks the measurements (a few thousand)
    and checks for a later one through the benefit's index, where a subquery per benefit
    for its latest value was evaluated once per use (the two sums and both branches of
    the direction)."""
    later = (
        Measurement.objects.filter(benefit_id=OuterRef("benefit_id"), measured_on__lte=end)
        .filter(
            Q(measured_on__gt=OuterRef("measured_on"))
            | Q(measured_on=OuterRef("measured_on"), pk__gt=OuterRef("pk"))
        )
        .order_by()
    )
    return Measurement.objects.filter(of_ideas, measured_on__lte=end).exclude(Exists(later))


def _realised_sums() -> dict:
    """Over latest measurements (`_latest_measurements_until`): the value − the
    baseline, counted in the direction of the target (apps.spread's rule, see
    BenefitHypothesis's docstring), times the value per unit in SEK and in hours."""
    change = Case(
        When(
            benefit__target__gte=F("benefit__baseline"),
            then=ExpressionWrapper(F("value") - F("benefit__baseline"), _MONEY),
        ),
        default=ExpressionWrapper(F("benefit__baseline") - F("value"), _MONEY),
        output_field=_MONEY,
    )
    return {
        "sek": Sum(ExpressionWrapper(change * F("benefit__value_per_unit_sek"), _MONEY)),
        "hours": Sum(ExpressionWrapper(change * F("benefit__hours_per_unit"), _MONEY)),
    }


def _of_consortia(consortium_ids, idea_id: str) -> Exists:
    """Rows whose idea (`idea_id`: the path to its id) belongs to one of the consortia."""
    return Exists(Idea.objects.filter(pk=OuterRef(idea_id), consortium_id__in=consortium_ids))


# --- Key figures for the newsletter ----------------------------------------------------------


def key_figures(*, consortium_id: int) -> list[tuple[str, str]]:
    """A handful of public numbers about one consortium, as (label, formatted value):

    - ideas handed in this calendar year (local time);
    - ideas in progress: now in a stage that is not an outcome;
    - ideas in use: now in a stage offered to other municipalities (Spread, Implemented);
    - municipalities adopting: municipalities with at least one adoption not stopped;
    - benefit realised in SEK: the sum over all benefits of the latest measurement's
      realised change × value per unit (apps.spread's rule), up to today.

    Aggregates only, nothing about any person; five small queries. The first three read
    only the ideas and their stages (`process_key_figures`), the last two the spread
    (`spread_key_figures`): apps.stats.selectors keeps the two under different versions.
    """
    return process_key_figures(consortium_id=consortium_id) + spread_key_figures(
        consortium_id=consortium_id
    )


def process_key_figures(*, consortium_id: int) -> list[tuple[str, str]]:
    """The key figures that read only the consortium's ideas and their stages: handed in
    this year, in progress, in use (see `key_figures`)."""
    today = timezone.localdate()
    ideas = Idea.objects.filter(consortium_id=consortium_id)
    this_year = ideas.filter(created_at__gte=_day_start(date(today.year, 1, 1))).count()
    # Counted per stage from the (consortium, stage) index, then summed by the stages'
    # flags here: a join on the stage for each of the consortium's ideas cost twice this.
    per_stage = dict(
        ideas.values("stage_id")
        .annotate(ideas=Count("*"))
        .values_list("stage_id", "ideas")
        # order_by() clears the model's ordering, which would group by it as well.
        .order_by()
    )
    in_progress = in_use = 0
    for pk, is_outcome, is_spreadable in Stage.objects.filter(pk__in=list(per_stage)).values_list(
        "pk", "is_outcome", "is_spreadable"
    ):
        in_progress += 0 if is_outcome else per_stage[pk]
        in_use += per_stage[pk] if is_spreadable else 0
    return [
        (_("Ideas handed in this year"), _number(this_year)),
        (_("Ideas in progress"), _number(in_progress)),
        (_("Ideas in use"), _number(in_use)),
    ]


def spread_key_figures(*, consortium_id: int) -> list[tuple[str, str]]:
    """The key figures that read the spread of the consortium's solutions: municipalities
    adopting, benefit realised (see `key_figures`). The costlier half: 150 ms of 180 at
    500,000 ideas, which a new idea or a move need not recompute."""
    today = timezone.localdate()
    # Each municipality asks whether it has one adoption (not stopped) of a solution from
    # the consortium, which stops at the first, instead of listing every adoption.
    adopting = (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .filter(
            Exists(
                Adoption.objects.filter(
                    municipality_id=OuterRef("pk"), solution__idea__consortium_id=consortium_id
                ).exclude(stage=AdoptionStage.STOPPED)
            )
        )
        .count()
    )
    realised = _latest_measurements_until(
        today, of_ideas=_of_consortia([consortium_id], "benefit__idea_id")
    ).aggregate(**_realised_sums())
    return [
        (_("Municipalities adopting a solution"), _number(adopting)),
        (_("Benefit realised (SEK)"), _number(realised["sek"] or Decimal(0))),
    ]


# --- Scope -----------------------------------------------------------------------------------

#: Timeline kinds that put an idea into a stage (`to_stage`).
ENTRY_KINDS = (
    TimelineEntry.Kind.SUBMITTED,
    TimelineEntry.Kind.IMPORTED,
    TimelineEntry.Kind.STAGE_CHANGED,
)


def _ideas(filters: Filters):
    ideas = Idea.objects.filter(consortium_id__in=filters.consortium_ids)
    if filters.municipality_ids is not None:
        ideas = ideas.filter(municipality_id__in=filters.municipality_ids)
    return ideas


def _of_ideas_in_scope(filters: Filters, idea_id: str = "idea_id") -> Exists:
    """Rows whose idea (`idea_id`: the path to its id) is in scope, as an EXISTS on that
    idea: the database walks the rows (referrals, solutions, adoptions, benefits: a few
    thousand) and looks each idea up, where a join filtered on the ideas walked every
    idea of the consortia (100,000) to find the few with such a row."""
    return Exists(_ideas(filters).filter(pk=OuterRef(idea_id)))


def _municipalities(filters: Filters) -> list[Organisation]:
    municipalities = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, consortium_id__in=filters.consortium_ids
    )
    if filters.municipality_ids is not None:
        municipalities = municipalities.filter(pk__in=filters.municipality_ids)
    return list(municipalities.order_by("name", "pk"))


def _stages(filters: Filters) -> tuple[list[Stage], dict[int, Stage]]:
    """The process's stages in order, one per key (several consortia may share a process
    shape; their stages with the same key are counted together), and every stage by id."""
    every = list(
        Stage.objects.filter(consortium_id__in=filters.consortium_ids).order_by(
            "is_outcome", "position", "pk"
        )
    )
    by_key: dict[str, Stage] = {}
    for stage in every:
        by_key.setdefault(stage.key, stage)
    return list(by_key.values()), {stage.pk: by_key[stage.key] for stage in every}


def _period_words(filters: Filters) -> dict:
    return {
        "start": formats.date_format(filters.start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(filters.end, "SHORT_DATE_FORMAT"),
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- 1. Funnel -------------------------------------------------------------------------------


#: The ideas handed in during the period, counted per (municipality id, the stages they
#: have reached as `Idea.stages_reached` keeps them): what the funnel and the ideas per
#: 1,000 employees are both worked out from.
Cohort = list[tuple[int, str | None, int]]


def cohort(*, filters: Filters) -> Cohort:
    """The period's ideas counted per municipality and stages reached: one read of the
    (consortium, created_at, municipality, stages_reached) index, a few hundred rows back."""
    start, end = _period(filters)
    return list(
        _ideas(filters)
        .filter(created_at__gte=start, created_at__lt=end)
        .values("municipality_id", "stages_reached")
        .annotate(ideas=Count("*"))
        .values_list("municipality_id", "stages_reached", "ideas")
        .order_by()
    )


def funnel(*, filters: Filters, ideas: Cohort | None = None) -> Table:
    """How far the ideas handed in during the period have come.

    The cohort is the ideas handed in (created) in the period. For each stage, in process
    order and then each outcome: how many of the cohort have ever entered it, up to now,
    as recorded on the timeline (handed in, imported or moved into it; kept per idea in
    `Idea.stages_reached`). An idea that went back and forth is counted once per stage.
    The percentage is of the ideas handed in. `ideas` is `cohort` for the same filters
    when already read.
    """
    stages, stage_of = _stages(filters)
    handed_in = 0
    reached: dict[str, int] = {}
    for _municipality_id, stage_ids, count in cohort(filters=filters) if ideas is None else ideas:
        handed_in += count
        for stage_id in stage_ids.split(",") if stage_ids else ():
            key = stage_of[int(stage_id)].key
            reached[key] = reached.get(key, 0) + count
    rows = tuple(
        (stage.name, reached.get(stage.key, 0), _percent(reached.get(stage.key, 0), handed_in))
        for stage in stages
    )
    outcomes = [stage for stage in stages if stage.is_outcome]
    ended = sum(reached.get(stage.key, 0) for stage in outcomes)
    summary = _(
        "%(ideas)s ideas were handed in from %(start)s to %(end)s; "
        "%(ended)s of them have reached an outcome."
    ) % {"ideas": handed_in, "ended": ended, **_period_words(filters)}
    return Table(
        slug="funnel",
        title=_("Funnel by stage"),
        summary=summary,
        columns=(
            Column("stage", _("Stage")),
            Column("ideas", _("Ideas that reached it"), numeric=True),
            Column("percent", _("Share of ideas handed in"), numeric=True, unit="%"),
        ),
        rows=rows,
        chart=Chart(kind="funnel", label_column="stage", value_column="ideas"),
        note=_(
            "Ideas handed in during the period, and how many of them have entered each "
            "stage up to now. An idea that returned to a stage is counted once."
        ),
    )


# --- 2. Ideas per 1,000 employees ------------------------------------------------------------


def ideas_per_1000(*, filters: Filters, ideas: Cohort | None = None) -> Table:
    """Ideas handed in during the period per municipality, and per 1,000 employees
    (`Organisation.employee_count`). A municipality without an employee count shows the
    rate as unknown (empty), never as zero. `ideas` as for `funnel`."""
    counts: dict[int, int] = {}
    for municipality_id, _stage_ids, count in cohort(filters=filters) if ideas is None else ideas:
        counts[municipality_id] = counts.get(municipality_id, 0) + count
    rows = []
    for municipality in _municipalities(filters):
        ideas = counts.get(municipality.pk, 0)
        employees = municipality.employee_count or None
        rate = round(1000 * ideas / employees, 2) if employees else None
        rows.append((municipality.name, ideas, employees, rate))
    known = [row for row in rows if row[3] is not None]
    if known:
        best = max(known, key=lambda row: row[3])
        summary = _("%(municipality)s had the most ideas per 1,000 employees: %(rate)s.") % {
            "municipality": best[0],
            "rate": formats.number_format(best[3], 2),
        }
    else:
        summary = _("No municipality has an employee count, so no rate can be given.")
    return Table(
        slug="ideas-per-1000",
        title=_("Ideas per 1,000 employees"),
        summary=summary,
        columns=(
            Column("municipality", _("Municipality")),
            Column("ideas", _("Ideas handed in"), numeric=True),
            Column("employees", _("Employees"), numeric=True),
            Column("per_1000", _("Ideas per 1,000 employees"), numeric=True),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="municipality", value_column="per_1000"),
        note=_("A municipality without a known number of employees has no rate."),
    )


# --- 3. Lead time per stage ------------------------------------------------------------------


class _DurationKey(Func):
    """`later - earlier` as a whole number, to order durations in the database: exact
    microseconds on PostgreSQL; on SQLite milliseconds by its own date arithmetic (which
    keeps times to the millisecond; Django's timestamp difference there is a Python
    function called once per row). Only the order is used: the lengths shown are worked
    out from the moments of the rows picked."""

    arg_joiner = " - "
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) * 1000000 AS BIGINT)"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 86400000) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class _Joined(Aggregate):
    """A group's values as one comma-separated text (GROUP_CONCAT, STRING_AGG): tens of
    thousands of numbers come back as a few strings instead of one row each, which is
    what reading them would cost. Two of them over the same group list its rows in the
    same order (each row is added to every aggregate of its group in turn)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # On a copy rather than through extra_context: Aggregate.as_sql passes its own
        # template when the aggregate has a filter.
        joined = self.copy()
        joined.function = "STRING_AGG"
        joined.template = "%(function)s((%(expressions)s)::text, ',')"
        return joined.as_sql(compiler, connection, **extra_context)


def _integers(joined: str) -> np.ndarray:
    """The whole numbers of a `_Joined` text, parsed in C: tens of thousands of them cost
    a tenth of what int() on each would."""
    return np.fromstring(joined, dtype=np.int64, sep=",")


def _at_positions(values: np.ndarray, *percents: int) -> list[int]:
    """The nearest-rank percentiles of unsorted `values` (not empty), exactly as
    `nearest_rank` picks them from the sorted list, by a partial sort (linear time)."""
    positions = [_nearest_rank_position(percent, len(values)) - 1 for percent in percents]
    picked = np.partition(values, positions)
    return [int(picked[position]) for position in positions]


#: For one 1-based rank: how many rows sharing its key come before it, and those rows' ids.
RankTies = tuple[int, list[int]]


def _ranks(keys_text: str, ids_text: str, positions: set[int]) -> dict[int, RankTies]:
    """Where each 1-based rank in `positions` falls when the rows (a group's `_Joined`
    keys and ids, in the same order) are sorted by length: the rows sharing the key at
    that rank, and how many of them come first. Only the keys are sorted (numbers,
    cheap); `_at_ranks` orders the few tied rows by their exact length."""
    keys = _integers(keys_text)
    ids = _integers(ids_text)
    ordered = np.sort(keys)
    found: dict[int, RankTies] = {}
    for position in positions:
        key = ordered[position - 1]
        before = position - 1 - int(np.searchsorted(ordered, key, side="left"))
        found[position] = (before, [int(pk) for pk in ids[keys == key]])
    return found


def _at_ranks(ranks: dict[int, RankTies], lengths: dict[int, timedelta]) -> dict[int, timedelta]:
    """The exact length at each rank of `_ranks`, with `lengths` the exact length of
    every tied row by id: ties on the key (SQLite keeps milliseconds) are ordered by the
    exact length, then by id."""
    found = {}
    for position, (before, tied) in ranks.items():
        in_order = sorted(tied, key=lambda pk: (lengths[pk], pk))
        found[position] = lengths[in_order[before]]
    return found


def _lead_time_percentiles(
    filters: Filters, *, stage_ids: list[int]
) -> dict[str, tuple[int, timedelta, timedelta]]:
    """Per stage key: (stays, median, 90th percentile) of the stays in one of
    `stage_ids` that ended in the period.

    Each move keeps the length of the stay it ends, in whole microseconds
    (`TimelineEntry.stay_microseconds`), so the stays are the moves in the period, read
    from the (from_stage, created_at, kind, stay_microseconds, …) index alone. One query
    returns per stage the number of stays and their lengths as one joined text; the
    lengths are exact, so sorting them here gives the nearest ranks directly. The stages
    are the consortia's own, so they scope the moves to the consortia; a municipality
    filter narrows to its ideas.
    """
    if not stage_ids:
        return {}
    start, end = _period(filters)
    moves = TimelineEntry.objects.filter(
        kind=TimelineEntry.Kind.STAGE_CHANGED,
        from_stage_id__in=stage_ids,
        created_at__gte=start,
        created_at__lt=end,
        stay_microseconds__isnull=False,
    )
    if filters.municipality_ids is not None:
        moves = moves.filter(
            idea_id__in=Idea.objects.filter(municipality_id__in=filters.municipality_ids)
            .order_by()
            .values("pk")
        )
    stage_of = Stage.objects.in_bulk(stage_ids)
    joined: dict[str, list[str]] = {}
    for stage_id, lengths in (
        moves.values("from_stage_id")
        .annotate(lengths=_Joined("stay_microseconds"))
        .values_list("from_stage_id", "lengths")
        .order_by()
    ):
        # Several consortia may share a process shape: their stays of one key are ranked
        # together.
        joined.setdefault(stage_of[stage_id].key, []).append(lengths)
    found: dict[str, tuple[int, timedelta, timedelta]] = {}
    for key, texts in joined.items():
        values = _integers(",".join(texts))
        median, p90 = _at_positions(values, 50, 90)
        found[key] = (len(values), timedelta(microseconds=median), timedelta(microseconds=p90))
    return found


def lead_time(*, filters: Filters) -> Table:
    """Time spent in each stage, for stays that ended in the period.

    A stay in stage S ends with a move out of S (a STAGE_CHANGED entry whose from_stage is
    S, made in the period) and began when the idea entered S: the moment it was handed in
    or moved into S, or, for an imported idea, the moment the importer started its clock
    (its hand-in date in the first stage, the import otherwise). Its length is the time
    between the two, in calendar days. Per stage: the number of stays, their median and
    90th percentile (nearest-rank, see the module docstring).
    """
    stages, stage_of = _stages(filters)
    shown = [pk for pk, stage in stage_of.items() if not stage.is_outcome]
    percentiles = _lead_time_percentiles(filters, stage_ids=shown)
    rows = []
    for stage in stages:
        if stage.is_outcome:
            continue
        stays, median, p90 = percentiles.get(stage.key, (0, None, None))
        rows.append((stage.name, stays, _days(median), _days(p90)))
    measured = [row for row in rows if row[1]]
    if measured:
        slowest = max(measured, key=lambda row: row[2])
        summary = _(
            "Ideas stayed longest in %(stage)s: a median of %(days)s days over %(stays)s stays."
        ) % {
            "stage": slowest[0],
            "days": formats.number_format(slowest[2], 1),
            "stays": slowest[1],
        }
    else:
        summary = _("No idea left a stage from %(start)s to %(end)s.") % _period_words(filters)
    return Table(
        slug="lead-time",
        title=_("Lead time per stage"),
        summary=summary,
        columns=(
            Column("stage", _("Stage")),
            Column("stays", _("Stays ended"), numeric=True),
            Column("median_days", _("Median"), numeric=True, unit=_("days")),
            Column("p90_days", _("90th percentile"), numeric=True, unit=_("days")),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="stage", value_column="median_days"),
        note=_(
            "Stays in a stage that ended during the period, in calendar days. Percentiles "
            "by the nearest-rank method: the median of an even count is the lower middle value."
        ),
    )


# --- 4. Where ideas wait now -----------------------------------------------------------------


#: One group of open ideas, independent of the clock: how many, when the median one (by
#: nearest rank of the time waited) entered its stage, and when the longest-waiting did.
WaitingGroup = tuple[int, datetime, datetime]


@dataclass(frozen=True)
class Waiting:
    """The open ideas in scope grouped by stage key and by municipality id. Kept as the
    moments the ideas entered their stage, so the days waited are worked out from the
    clock at the moment the table is shown (and a kept copy never goes stale)."""

    by_stage: dict[str, WaitingGroup]
    by_municipality: dict[int, WaitingGroup]


def _waiting_groups(
    ordered: dict[object, list[int]], entered_at: dict[int, datetime]
) -> dict[object, WaitingGroup]:
    groups = {}
    for group, idea_ids in ordered.items():
        # The ideas come latest entered first: time waited ascending.
        groups[group] = (
            len(idea_ids),
            entered_at[nearest_rank(idea_ids, 50)],
            entered_at[idea_ids[-1]],
        )
    return groups


def waiting(*, filters: Filters) -> Waiting:
    """Every open idea in scope (now in a stage that is not an outcome), grouped."""
    _stages_in_order, stage_of = _stages(filters)
    by_stage: dict[str, list[int]] = {}
    by_municipality: dict[int, list[int]] = {}
    # By the open stages' ids rather than a join on the stage, and ordered by the moment
    # they entered in the database: only ids come back for every open idea (turning
    # thousands of stored times into datetimes is what would cost), and the moments are
    # then read for the few ideas at the median and the longest wait of some group. Ideas
    # that entered at the same moment give the same moment whichever of them is picked.
    open_stage_ids = [pk for pk, stage in stage_of.items() if not stage.is_outcome]
    for idea_id, stage_id, municipality_id in (
        _ideas(filters)
        .filter(stage_id__in=open_stage_ids)
        .order_by("-stage_entered_at", "pk")
        .values_list("pk", "stage_id", "municipality_id")
    ):
        by_stage.setdefault(stage_of[stage_id].key, []).append(idea_id)
        by_municipality.setdefault(municipality_id, []).append(idea_id)
    wanted = {
        idea_id
        for ordered in (by_stage, by_municipality)
        for idea_ids in ordered.values()
        for idea_id in (nearest_rank(idea_ids, 50), idea_ids[-1])
    }
    entered_at = dict(
        Idea.objects.filter(pk__in=wanted).order_by().values_list("pk", "stage_entered_at")
    )
    return Waiting(
        _waiting_groups(by_stage, entered_at), _waiting_groups(by_municipality, entered_at)
    )


def _waiting_rows(
    groups: dict[object, WaitingGroup], labels: list[tuple[object, str]], now: datetime
) -> list[tuple]:
    rows = []
    for group, label in labels:
        if group in groups:
            count, median_entered, first_entered = groups[group]
            rows.append((label, count, _days(now - median_entered), _days(now - first_entered)))
        else:
            rows.append((label, 0, None, None))
    return rows


def waiting_now(*, filters: Filters, open_ideas: Waiting | None = None) -> Table:
    """Open ideas (now in a stage that is not an outcome) per stage: how many, and the
    median and longest time they have been in that stage now, in days. The period does
    not apply: this is the situation today."""
    stages, _stage_of = _stages(filters)
    open_ideas = open_ideas or waiting(filters=filters)
    rows = _waiting_rows(
        open_ideas.by_stage,
        [(s.key, s.name) for s in stages if not s.is_outcome],
        timezone.now(),
    )
    busiest = max(rows, key=lambda row: row[1], default=None)
    if busiest and busiest[1]:
        summary = _(
            "Most ideas wait in %(stage)s: %(ideas)s ideas, for a median of %(days)s days."
        ) % {
            "stage": busiest[0],
            "ideas": busiest[1],
            "days": formats.number_format(busiest[2], 1),
        }
    else:
        summary = _("No idea is waiting in any stage.")
    return Table(
        slug="waiting",
        title=_("Where ideas wait now"),
        summary=summary,
        columns=(
            Column("stage", _("Stage")),
            Column("ideas", _("Open ideas"), numeric=True),
            Column("median_days", _("Median time in the stage"), numeric=True, unit=_("days")),
            Column("longest_days", _("Longest time in the stage"), numeric=True, unit=_("days")),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="stage", value_column="ideas"),
        note=_("Today's situation; the period does not apply. Calendar days."),
    )


def waiting_by_municipality(*, filters: Filters, open_ideas: Waiting | None = None) -> Table:
    """Open ideas per municipality: how many, and the median and longest time they have
    been in their current stage, in days. Today's situation."""
    open_ideas = open_ideas or waiting(filters=filters)
    rows = _waiting_rows(
        open_ideas.by_municipality,
        [(m.pk, m.name) for m in _municipalities(filters)],
        timezone.now(),
    )
    longest = max((row for row in rows if row[1]), key=lambda row: row[3], default=None)
    if longest:
        summary = _("The longest wait is in %(municipality)s: %(days)s days in the same stage.") % {
            "municipality": longest[0],
            "days": formats.number_format(longest[3], 1),
        }
    else:
        summary = _("No idea is waiting in any stage.")
    return Table(
        slug="waiting-by-municipality",
        title=_("Where ideas wait now, per municipality"),
        summary=summary,
        columns=(
            Column("municipality", _("Municipality")),
            Column("ideas", _("Open ideas"), numeric=True),
            Column("median_days", _("Median time in the stage"), numeric=True, unit=_("days")),
            Column("longest_days", _("Longest time in the stage"), numeric=True, unit=_("days")),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="municipality", value_column="ideas"),
        note=_("Today's situation; the period does not apply. Calendar days."),
    )


# --- 5. Outcomes and their reasons -----------------------------------------------------------


def _outcome_moves(filters: Filters):
    start, end = _period(filters)
    # By the outcome stages' ids rather than a join on the stage, so the moves are found
    # through the (to_stage, created_at, kind, idea) index. The stages are the consortia's
    # own, so they scope the moves to the consortia (as for lead time); only a
    # municipality filter needs the ideas.
    outcome_stage_ids = Stage.objects.filter(
        consortium_id__in=filters.consortium_ids, is_outcome=True
    ).values_list("pk", flat=True)
    moves = TimelineEntry.objects.filter(
        kind=TimelineEntry.Kind.STAGE_CHANGED,
        to_stage_id__in=list(outcome_stage_ids),
        created_at__gte=start,
        created_at__lt=end,
    )
    if filters.municipality_ids is not None:
        moves = moves.filter(idea__municipality_id__in=filters.municipality_ids)
    return moves


#: Moves to an outcome in the period that gave a reason, per outcome stage and reason:
#: (outcome stage id, the reason as written in the earliest of them, how many).
OutcomeMoves = list[tuple[int, str, int]]


class _GaveReason(Func):
    """Whether a move gave a reason: the condition of the index of such moves
    (`ideas_timeline_reasons_idx`), with the empty text written into the SQL rather than
    passed as a parameter, so SQLite sees that the index implies it and does not read
    each text to check it again (with a parameter it did, as slowly as without the
    index). The moves are then counted from indexes alone, and only these texts are read.
    """

    template = "NOT (%(expressions)s = '')"
    output_field = BooleanField()


_WITH_REASON = _GaveReason(F("body"))


def outcome_moves(*, filters: Filters) -> OutcomeMoves:
    """Moves to an outcome in the period that gave a reason, counted per outcome stage
    and reason in the database.

    Each move keeps its reason as a number (`TimelineEntry.reason_key`: equal for the
    same text ignoring case and runs of space, the way `outcome_reasons` counts reasons
    together), so the moves are counted per reason from the index of such moves alone,
    with the moment of the earliest; then only the text of that earliest move of each
    reason is read (tens of texts, where reading every move's text cost a row lookup
    per move)."""
    moves = _outcome_moves(filters).filter(_WITH_REASON)
    groups = list(
        moves.values("to_stage_id", "reason_key")
        .annotate(moves=Count("*"), first=Min("created_at"))
        .values_list("to_stage_id", "reason_key", "moves", "first")
        .order_by()
    )
    if not groups:
        return []
    texts: dict[tuple, str] = {}
    for stage_id, key, at, body in (
        moves.filter(
            created_at__in={first for *_group, first in groups},
            reason_key__in={key for _stage, key, *_rest in groups},
        )
        .order_by("pk")
        .values_list("to_stage_id", "reason_key", "created_at", "body")
    ):
        texts.setdefault((stage_id, key, at), body)
    return [
        (stage_id, texts[stage_id, key, first], count) for stage_id, key, count, first in groups
    ]


def _count_by_stage(moves) -> dict[int, int]:
    return dict(
        moves.values("to_stage_id")
        # COUNT(*) rather than of the id, which is not in the index: PostgreSQL then
        # counts from the index alone (where the pages are known visible).
        .annotate(moves=Count("*"))
        .values_list("to_stage_id", "moves")
        .order_by()
    )


def outcomes(*, filters: Filters, moves: OutcomeMoves | None = None) -> Table:
    """Moves to an outcome (implemented, closed, parked, handed over) made in the period,
    per outcome, and how many of them gave a reason. A reason is free text written with
    the move (the timeline entry's body), so only whether one was given is counted here,
    from the index of the moves that give one (no text is read); `outcome_reasons` lists
    the texts for the dashboard. `moves` is `outcome_moves` for the same filters when
    already read (the moves that gave a reason are then counted from it)."""
    stages, stage_of = _stages(filters)
    if moves is None:
        with_reason = _count_by_stage(_outcome_moves(filters).filter(_WITH_REASON))
    else:
        with_reason = {}
        for stage_id, _text, count in moves:
            with_reason[stage_id] = with_reason.get(stage_id, 0) + count
    counts: dict[str, list[int]] = {}
    for stage_id, count in _count_by_stage(_outcome_moves(filters)).items():
        total = counts.setdefault(stage_of[stage_id].key, [0, 0])
        total[0] += count
        total[1] += with_reason.get(stage_id, 0)
    rows = tuple(
        (stage.name, *counts.get(stage.key, [0, 0])) for stage in stages if stage.is_outcome
    )
    moved = sum(row[1] for row in rows)
    summary = _("From %(start)s to %(end)s, %(ideas)s ideas reached an outcome.") % {
        "ideas": moved,
        **_period_words(filters),
    }
    if moved:
        top = max(rows, key=lambda row: row[1])
        summary += " " + _("The most common was %(outcome)s (%(ideas)s).") % {
            "outcome": top[0],
            "ideas": top[1],
        }
    return Table(
        slug="outcomes",
        title=_("Outcomes"),
        summary=summary,
        columns=(
            Column("outcome", _("Outcome")),
            Column("ideas", _("Ideas"), numeric=True),
            Column("with_reason", _("With a reason given"), numeric=True),
        ),
        rows=rows,
        chart=Chart(kind="bar", label_column="outcome", value_column="ideas"),
        note=_("Moves to an outcome made during the period."),
    )


#: How many different reasons the dashboard lists per outcome.
REASONS_PER_OUTCOME = 10


def outcome_reasons(*, filters: Filters, moves: OutcomeMoves | None = None) -> Table:
    """The reasons given with moves to an outcome in the period, per outcome: identical
    texts (ignoring case and runs of space) are counted together and shown as written in
    the earliest of those moves, the most frequent first, at most REASONS_PER_OUTCOME
    per outcome. Free text: for the dashboard only, never on the public page."""
    stages, stage_of = _stages(filters)
    grouped: dict[str, dict[str, list]] = {}
    for stage_id, body, count in outcome_moves(filters=filters) if moves is None else moves:
        text = " ".join(body.split())
        entry = grouped.setdefault(stage_of[stage_id].key, {}).setdefault(
            text.casefold(), [text, 0]
        )
        entry[1] += count
    rows = []
    for stage in stages:
        reasons = sorted(grouped.get(stage.key, {}).values(), key=lambda r: (-r[1], r[0]))
        rows.extend((stage.name, text, count) for text, count in reasons[:REASONS_PER_OUTCOME])
    summary = (
        _("%(reasons)s different reasons were given.") % {"reasons": len(rows)}
        if rows
        else _("No reasons were given from %(start)s to %(end)s.") % _period_words(filters)
    )
    return Table(
        slug="outcome-reasons",
        title=_("Reasons given for outcomes"),
        summary=summary,
        columns=(
            Column("outcome", _("Outcome")),
            Column("reason", _("Reason")),
            Column("ideas", _("Ideas"), numeric=True),
        ),
        rows=tuple(rows),
        note=_("The same reason written the same way is counted together."),
    )


# --- 6. Referral response times --------------------------------------------------------------


def referral_times(*, filters: Filters) -> Table:
    """Referrals sent in the period (withdrawn ones left out), per kind of recipient and
    in total: how many were sent, how many answered, the median and 90th percentile of
    days from sending to the first answer (nearest-rank), and how many are unanswered
    past their due date today."""
    start, end = _period(filters)
    today = timezone.localdate()
    sent = Referral.objects.filter(
        _of_ideas_in_scope(filters),
        sent_at__gte=start,
        sent_at__lt=end,
        revoked_at__isnull=True,
    )
    # Counted per kind of recipient in the database; the waits of the answered ones come
    # back as joined texts (see `_lead_time_percentiles`), only the rows at the nearest
    # ranks are read.
    answered = Q(answered_at__isnull=False)
    kinds: dict[bool, tuple[int, int, int, str, str]] = {}
    for internal, count, answers, overdue, keys, ids in (
        sent.annotate(internal=Q(colleague_id__isnull=False))
        .values("internal")
        .annotate(
            sent=Count("pk"),
            answered=Count("pk", filter=answered),
            overdue=Count("pk", filter=Q(answered_at__isnull=True, due_date__lt=today)),
            keys=_Joined(_DurationKey(F("answered_at"), F("sent_at")), filter=answered),
            ids=_Joined("pk", filter=answered),
        )
        .values_list("internal", "sent", "answered", "overdue", "keys", "ids")
        .order_by()
    ):
        kinds[bool(internal)] = (count, answers, overdue, keys or "", ids or "")

    def joined(parts: tuple[bool, ...], index: int) -> str:
        return ",".join(kinds[kind][index] for kind in parts if kind in kinds and kinds[kind][1])

    ranked = {}
    for parts in ((False,), (True,), (False, True)):
        answers = sum(kinds[kind][1] for kind in parts if kind in kinds)
        positions = (
            (_nearest_rank_position(50, answers), _nearest_rank_position(90, answers))
            if answers
            else None
        )
        ranked[parts] = (
            answers,
            positions,
            _ranks(joined(parts, 3), joined(parts, 4), set(positions)) if positions else {},
        )
    tied = {pk for *_head, ranks in ranked.values() for _b, pks in ranks.values() for pk in pks}
    lengths = {
        pk: answered_at - sent_at
        for pk, answered_at, sent_at in Referral.objects.filter(pk__in=tied).values_list(
            "pk", "answered_at", "sent_at"
        )
    }

    def row(label: str, parts: tuple[bool, ...]) -> tuple:
        answers, positions, ranks = ranked[parts]
        at = _at_ranks(ranks, lengths)
        return (
            label,
            sum(kinds[kind][0] for kind in parts if kind in kinds),
            answers,
            _days(at[positions[0]]) if positions else None,
            _days(at[positions[1]]) if positions else None,
            sum(kinds[kind][2] for kind in parts if kind in kinds),
        )

    rows = (
        row(_("Outside actors"), (False,)),
        row(_("Colleagues"), (True,)),
        row(_("All referrals"), (False, True)),
    )
    total = rows[2]
    if total[1]:
        summary = _(
            "%(answered)s of %(sent)s referrals were answered, after a median of %(days)s days; "
            "%(overdue)s are unanswered past their due date."
        ) % {
            "answered": total[2],
            "sent": total[1],
            "days": "–" if total[3] is None else formats.number_format(total[3], 1),
            "overdue": total[5],
        }
    else:
        summary = _("No referral was sent from %(start)s to %(end)s.") % _period_words(filters)
    return Table(
        slug="referrals",
        title=_("Referral response times"),
        summary=summary,
        columns=(
            Column("recipients", _("Sent to")),
            Column("sent", _("Sent"), numeric=True),
            Column("answered", _("Answered"), numeric=True),
            Column("median_days", _("Median time to answer"), numeric=True, unit=_("days")),
            Column("p90_days", _("90th percentile"), numeric=True, unit=_("days")),
            Column("overdue", _("Unanswered past due"), numeric=True),
        ),
        rows=rows,
        note=_(
            "Referrals sent during the period, withdrawn ones left out; time to the first "
            "answer in calendar days, percentiles by the nearest-rank method."
        ),
    )


def _driver_rows(queryset) -> list[tuple]:
    """The rows of a `values_list` queryset of texts and counts as the database driver
    gives them: thousands of rows skip Django's per-value converters (an int() of each
    count), which cost more than the query. Only for columns that need no conversion."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- 7. Adoptions per solution ---------------------------------------------------------------

_ADOPTION_STAGES = (
    AdoptionStage.PLANNED,
    AdoptionStage.TESTING,
    AdoptionStage.IN_USE,
    AdoptionStage.STOPPED,
)


def _adoption_columns() -> tuple[Column, ...]:
    return tuple(Column(stage.value, str(stage.label), numeric=True) for stage in _ADOPTION_STAGES)


#: A consortium offers hundreds or thousands of solutions; the page lists the most adopted.
SOLUTIONS_ON_PAGE = 25


def adoptions_per_solution(*, filters: Filters) -> Table:
    """Every solution offered from an idea in scope, with its adoptions by other
    municipalities per adoption stage as they are today (the period does not apply), most
    adopted first; the page shows the first SOLUTIONS_ON_PAGE, the downloads all."""
    by_stage = {
        f"n_{stage.value}": Count("adoptions", filter=Q(adoptions__stage=stage))
        for stage in _ADOPTION_STAGES
    }
    solutions = (
        Solution.objects.filter(_of_ideas_in_scope(filters))
        .values("pk")
        .annotate(**by_stage, adoptions_total=Count("adoptions"))
        .values_list("title", "idea__municipality__name", *by_stage)
        .order_by("-adoptions_total", "title", "pk")
    )
    rows = tuple((*row, sum(row[2:])) for row in _driver_rows(solutions))
    if rows:
        top = max(rows, key=lambda row: row[-1])
        summary = _(
            "%(solutions)s solutions are offered; %(title)s has the most adoptions (%(adoptions)s)."
        ) % {"solutions": len(rows), "title": top[0], "adoptions": top[-1]}
    else:
        summary = _("No solution is offered yet.")
    return Table(
        slug="adoptions",
        title=_("Adoptions per solution"),
        summary=summary,
        columns=(
            Column("solution", _("Solution")),
            Column("municipality", _("From")),
            *_adoption_columns(),
            Column("total", _("Adoptions"), numeric=True),
        ),
        rows=rows,
        chart=Chart(kind="bar", label_column="solution", value_column="total"),
        note=_("Today's situation; the period does not apply. Most adopted first."),
        page_rows=SOLUTIONS_ON_PAGE,
    )


def adoptions_by_stage(*, filters: Filters) -> Table:
    """Adoptions of solutions from ideas in scope, per adoption stage today: the public,
    aggregate form of `adoptions_per_solution` (no solution is named)."""
    counts = dict(
        Adoption.objects.filter(_of_ideas_in_scope(filters, "solution__idea_id"))
        .values("stage")
        .annotate(adoptions=Count("pk"))
        .values_list("stage", "adoptions")
    )
    rows = tuple((str(stage.label), counts.get(stage.value, 0)) for stage in _ADOPTION_STAGES)
    in_use = counts.get(AdoptionStage.IN_USE, 0)
    summary = _(
        "%(adoptions)s adoptions of solutions by other municipalities; %(in_use)s are in use."
    ) % {"adoptions": sum(counts.values()), "in_use": in_use}
    return Table(
        slug="adoptions-by-stage",
        title=_("Adoptions by other municipalities"),
        summary=summary,
        columns=(Column("stage", _("Stage")), Column("adoptions", _("Adoptions"), numeric=True)),
        rows=rows,
        chart=Chart(kind="bar", label_column="stage", value_column="adoptions"),
        note=_("Today's situation; the period does not apply."),
    )


# --- 8. Benefits realised --------------------------------------------------------------------


def benefits_realised(*, filters: Filters) -> Table:
    """Benefits realised per municipality where they are realised (the idea's own
    municipality, or the adopting one), as measured by the end of the period: for each
    benefit, the latest measurement on or before the end day minus the baseline, in the
    direction of the target, times its value per unit in SEK and in hours (apps.spread's
    rule). Benefits of ideas in the chosen consortia; the municipality filter applies to
    where the benefit is realised."""
    benefits = BenefitHypothesis.objects.filter(_of_consortia(filters.consortium_ids, "idea_id"))
    latest = _latest_measurements_until(
        filters.end, of_ideas=_of_consortia(filters.consortium_ids, "benefit__idea_id")
    )
    if filters.municipality_ids is not None:
        benefits = benefits.filter(municipality_id__in=filters.municipality_ids)
        latest = latest.filter(benefit__municipality_id__in=filters.municipality_ids)
    planned = dict(
        benefits.values("municipality_id")
        .annotate(benefits=Count("*"))
        .values_list("municipality_id", "benefits")
        .order_by()
    )
    # One latest measurement per measured benefit: their count is the benefits measured.
    realised = {
        row["benefit__municipality_id"]: row
        for row in latest.values("benefit__municipality_id")
        .annotate(measured=Count("*"), **_realised_sums())
        .order_by()
    }
    nothing = {"measured": 0, "sek": None, "hours": None}
    sums = {pk: {"benefits": count, **realised.get(pk, nothing)} for pk, count in planned.items()}
    rows = []
    for municipality in _municipalities(filters):
        row = sums.get(municipality.pk)
        if row is None:
            continue
        rows.append(
            (
                municipality.name,
                row["benefits"],
                row["measured"],
                (row["sek"] or Decimal(0)).quantize(Decimal("1")),
                (row["hours"] or Decimal(0)).quantize(Decimal("0.1")),
            )
        )
    total_sek = sum((row[3] for row in rows), Decimal(0))
    total_hours = sum((row[4] for row in rows), Decimal(0))
    summary = _("By %(end)s, benefits worth %(sek)s SEK and %(hours)s hours had been realised.") % {
        "end": formats.date_format(filters.end, "SHORT_DATE_FORMAT"),
        "sek": _number(total_sek),
        "hours": formats.number_format(total_hours, 1, force_grouping=True),
    }
    return Table(
        slug="benefits",
        title=_("Benefits realised"),
        summary=summary,
        columns=(
            Column("municipality", _("Municipality")),
            Column("benefits", _("Benefits planned"), numeric=True),
            Column("measured", _("Measured"), numeric=True),
            Column("sek", _("Realised"), numeric=True, unit="SEK"),
            Column("hours", _("Realised"), numeric=True, unit=_("hours")),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="municipality", value_column="sek"),
        note=_(
            "Latest measurement by the end of the period minus the baseline, in the "
            "direction of the target, times the value per unit."
        ),
    )


# --- 9. Training participation -------------------------------------------------------------


def training_participation(*, filters: Filters) -> Table:
    """Training participation per municipality for sessions starting in the period, from
    apps.trainings (`participation_by_municipality`: registrations not cancelled,
    attendances, distinct people who attended), and the people who attended per 1,000
    employees (unknown without an employee count). Every municipality in scope has a row."""
    from apps.trainings.selectors import participation_by_municipality

    by_id = {
        row["municipality_id"]: row
        for row in participation_by_municipality(
            consortium_ids=filters.consortium_ids,
            municipality_ids=filters.municipality_ids,
            start=filters.start,
            end=filters.end,
        )
    }
    rows = []
    for municipality in _municipalities(filters):
        row = by_id.get(municipality.pk, {"registered": 0, "attended": 0, "people": 0})
        employees = municipality.employee_count or None
        rate = round(1000 * row["people"] / employees, 2) if employees else None
        rows.append((municipality.name, row["registered"], row["attended"], row["people"], rate))
    people = sum(row[3] for row in rows)
    summary = _("%(people)s people took part in trainings from %(start)s to %(end)s.") % {
        "people": people,
        **_period_words(filters),
    }
    return Table(
        slug="trainings",
        title=_("Training participation per municipality"),
        summary=summary,
        columns=(
            Column("municipality", _("Municipality")),
            Column("registered", _("Registrations"), numeric=True),
            Column("attended", _("Attendances"), numeric=True),
            Column("people", _("People who attended"), numeric=True),
            Column("people_per_1000", _("People per 1,000 employees"), numeric=True),
        ),
        rows=tuple(rows),
        chart=Chart(kind="bar", label_column="municipality", value_column="people_per_1000"),
        note=_("Sessions that started during the period; cancelled registrations left out."),
    )


# --- All of them -----------------------------------------------------------------------------


#: The dashboard's tables that change only when the data they read changes (or, for the
#: referrals' "overdue", with the date), plus the open ideas' clock-independent groups.
#: apps.stats.selectors keeps them under a data version; see `dashboard_tables`.
Settled = dict[str, object]

#: The parts that read only ideas (when handed in, where, in which stage since when) and
#: the timeline entries that put ideas into stages, with the stages and municipalities:
#: apps.stats.caching keeps them under a version of just those, so a note, a referral or
#: an adoption leaves them as they are. The other parts read more and are kept under the
#: version of everything.
PROCESS_PARTS = frozenset(
    {"funnel", "ideas_per_1000", "lead_time", "waiting", "outcomes", "outcome_reasons"}
)


def part_makers(*, filters: Filters, public: bool = False) -> dict[str, Callable[[], object]]:
    """How to compute each part of the dashboard (or of the public page) that does not
    depend on the clock or on trainings, by name; a part has the same name and value on
    both pages, so one kept copy serves both."""
    shared: dict[str, object] = {}

    def ideas() -> Cohort:
        # The funnel and ideas per 1,000 read the same counts: once when both are made.
        if "cohort" not in shared:
            shared["cohort"] = cohort(filters=filters)
        return shared["cohort"]

    def reasons() -> OutcomeMoves | None:
        # The dashboard's outcomes and their reasons read the same moves: once when both
        # are made. The public page shows no reasons: its outcomes count them alone.
        if public:
            return None
        if "reasons" not in shared:
            shared["reasons"] = outcome_moves(filters=filters)
        return shared["reasons"]

    makers: dict[str, Callable[[], object]] = {
        "funnel": lambda: funnel(filters=filters, ideas=ideas()),
        "ideas_per_1000": lambda: ideas_per_1000(filters=filters, ideas=ideas()),
        "lead_time": lambda: lead_time(filters=filters),
        "waiting": lambda: waiting(filters=filters),
        "outcomes": lambda: outcomes(filters=filters, moves=reasons()),
        "benefits_realised": lambda: benefits_realised(filters=filters),
    }
    if public:
        makers["adoptions_by_stage"] = lambda: adoptions_by_stage(filters=filters)
    else:
        makers["outcome_reasons"] = lambda: outcome_reasons(filters=filters, moves=reasons())
        makers["referral_times"] = lambda: referral_times(filters=filters)
        makers["adoptions_per_solution"] = lambda: adoptions_per_solution(filters=filters)
    return makers


def settled(*, filters: Filters, public: bool = False) -> Settled:
    """Every part of the dashboard (or of the public page) that does not depend on the
    clock or on trainings, computed now (see `part_makers`)."""
    return {name: make() for name, make in part_makers(filters=filters, public=public).items()}


def dashboard_tables(*, filters: Filters, parts: Settled | None = None) -> list[Table]:
    """Every statistic, in the dashboard's order. `parts` is what `settled` gave for the
    same filters, language and day (computed now when left out); the times open ideas
    have waited are worked out from the clock and trainings are read afresh each time."""
    parts = parts or settled(filters=filters)
    return [
        parts["funnel"],
        parts["ideas_per_1000"],
        parts["lead_time"],
        waiting_now(filters=filters, open_ideas=parts["waiting"]),
        waiting_by_municipality(filters=filters, open_ideas=parts["waiting"]),
        parts["outcomes"],
        parts["outcome_reasons"],
        parts["referral_times"],
        parts["adoptions_per_solution"],
        parts["benefits_realised"],
        training_participation(filters=filters),
    ]


def public_tables(*, filters: Filters, parts: Settled | None = None) -> list[Table]:
    """The statistics the public may see: aggregates only. Nothing per person, no idea
    titles or references, no solution names, no free-text reasons. `parts` as for
    `dashboard_tables`, from `settled(public=True)`."""
    parts = parts or settled(filters=filters, public=True)
    return [
        parts["funnel"],
        parts["ideas_per_1000"],
        parts["lead_time"],
        waiting_now(filters=filters, open_ideas=parts["waiting"]),
        parts["outcomes"],
        parts["adoptions_by_stage"],
        parts["benefits_realised"],
        training_participation(filters=filters),
    ]
