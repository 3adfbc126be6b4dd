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
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.ideas.models import Idea
from apps.spread.models import Adoption, AdoptionStage, BenefitHypothesis, Measurement

from .tables import Filters

_MONEY = DecimalField(max_digits=20, decimal_places=2)


# --- Helpers ---------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _period(filters: Filters) -> tuple[datetime, datetime]:
    """The period as [start, end) aware datetimes: the end day is included."""
    return _day_start(filters.start), _day_start(filters.end + timedelta(days=1))


def nearest_rank(sorted_values: list, percent: int):
    """The nearest-rank percentile of values sorted ascending; None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(percent * len(sorted_values) / 100))
    return sorted_values[rank - 1]


def _days(duration: timedelta | None) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / 86400, 1)


def _number(value) -> str:
    return formats.number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def _latest_value_until(end: date) -> Subquery:
    """A benefit's latest measured value on or before `end`."""
    return Subquery(
        Measurement.objects.filter(benefit=OuterRef("pk"), measured_on__lte=end)
        .order_by("-measured_on", "-pk")
        .values("value")[:1],
        output_field=_MONEY,
    )


def _realised_change_until(end: date):
    """Latest value (by `end`) − baseline, counted in the direction of the target: the
    same rule as apps.spread (BenefitHypothesis's docstring), bounded by a date."""
    latest = _latest_value_until(end)
    return Case(
        When(target__gte=F("baseline"), then=ExpressionWrapper(latest - F("baseline"), _MONEY)),
        default=ExpressionWrapper(F("baseline") - latest, _MONEY),
        output_field=_MONEY,
    )


def _realised_sums_until(end: date) -> dict:
    change = _realised_change_until(end)
    return {
        "sek": Sum(ExpressionWrapper(change * F("value_per_unit_sek"), _MONEY)),
        "hours": Sum(ExpressionWrapper(change * F("hours_per_unit"), _MONEY)),
    }


# --- Key figures for the newsletter ----------------------------------------------------------


def key_figures(*, consortium_id: int) -> list[tuple[str, str]]:
    """A handful of public numbers about one consortium, as (label, formatted value):

    - ideas handed in this calendar year (local time);
    - ideas in progress: now in a stage that is not an outcome;
    - ideas in use: now in a stage offered to other municipalities (Spread, Implemented);
    - municipalities adopting: municipalities with at least one adoption not stopped;
    - benefit realised in SEK: the sum over all benefits of the latest measurement's
      realised change × value per unit (apps.spread's rule), up to today.

    Aggregates only, nothing about any person; three queries.
    """
    today = timezone.localdate()
    ideas = Idea.objects.filter(consortium_id=consortium_id).aggregate(
        this_year=Count("pk", filter=Q(created_at__gte=_day_start(date(today.year, 1, 1)))),
        in_progress=Count("pk", filter=Q(stage__is_outcome=False)),
        in_use=Count("pk", filter=Q(stage__is_spreadable=True)),
    )
    adopting = (
        Adoption.objects.filter(solution__idea__consortium_id=consortium_id)
        .exclude(stage=AdoptionStage.STOPPED)
        .values("municipality_id")
        .distinct()
        .count()
    )
    realised = BenefitHypothesis.objects.filter(idea__consortium_id=consortium_id).aggregate(
        **_realised_sums_until(today)
    )
    return [
        (_("Ideas handed in this year"), _number(ideas["this_year"])),
        (_("Ideas in progress"), _number(ideas["in_progress"])),
        (_("Ideas in use"), _number(ideas["in_use"])),
        (_("Municipalities adopting a solution"), _number(adopting)),
        (_("Benefit realised (SEK)"), _number(realised["sek"] or Decimal(0))),
    ]
