"""Swedish working days and the slot finder: times when everyone is free.

Pure functions, no database. A working day is a weekday that is neither a Swedish public
holiday (allmän helgdag) nor one of the eves that Swedish working life treats as one
(midsommarafton, julafton, nyårsafton). Times are aware datetimes; the arithmetic is
done in UTC, so a slot is as long as it says even on the days the clocks change.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

STOCKHOLM = "Europe/Stockholm"

Block = tuple[datetime, datetime]


# --- Working days ----------------------------------------------------------------------


def _midsummer_eve(year: int) -> date:
    """Midsommarafton: the Friday between 19 and 25 June."""
    june_19 = date(year, 6, 19)
    return june_19 + timedelta(days=(4 - june_19.weekday()) % 7)


@lru_cache(maxsize=64)
def days_off(year: int) -> Mapping[date, str]:
    """Every day of `year` that is not worked in Sweden although it may be a weekday:
    the public holidays and the eves treated as holidays, with their Swedish names.

    The `holidays` package keeps the public holidays in its PUBLIC category; the eves
    are in its DE_FACTO category (recent versions, citing Semesterlagen 1977:480 §7,
    which puts midsommarafton, julafton and nyårsafton on a par with Sundays). Older
    versions lack that category, and the eves are what a meeting must never land on,
    so they are added here explicitly as well, whatever the package's version says.
    """
    import holidays  # here: 3.5 MB that most processes never need (docs/deployment.md, "Memory")

    wanted = ("public", "de_facto")
    categories = tuple(c for c in wanted if c in holidays.Sweden.supported_categories)
    options = {"language": "sv"} if "sv" in holidays.Sweden.supported_languages else {}
    calendar = holidays.Sweden(years=year, categories=categories or None, **options)
    result = dict(calendar.items())
    result.setdefault(_midsummer_eve(year), "Midsommarafton")
    result.setdefault(date(year, 12, 24), "Julafton")
    result.setdefault(date(year, 12, 31), "Nyårsafton")
    return MappingProxyType(result)


def day_off_name(day: date) -> str | None:
    """The name of the holiday or eve on `day`, or None for an ordinary day."""
    return days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and neither a public holiday nor a holiday eve."""
    return day.weekday() < 5 and day not in days_off(day.year)


def _as_local_date(value: date | datetime, tz: str) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(ZoneInfo(tz)).date()
    return value


def working_days_between(
    start: date | datetime, end: date | datetime, *, tz: str = STOCKHOLM
) -> int:
    """How many working days have passed from `start` to `end`: the working days after
    `start`'s date up to and including `end`'s date. The same day gives 0; from a
    Friday to the Monday after gives 1; an `end` before `start` gives 0.

    Aware datetimes count by their date in `tz` (an idea handed in at 23:30 on a
    Monday in Stockholm was handed in on Monday, whatever UTC says). Fast over long
    spans: weekdays are counted by arithmetic, then the days off among them removed.
    """
    first = _as_local_date(start, tz)
    last = _as_local_date(end, tz)
    if last <= first:
        return 0
    span = (last - first).days
    weeks, rest = divmod(span, 7)
    weekdays = weeks * 5 + sum(
        1 for offset in range(1, rest + 1) if (first + timedelta(days=offset)).weekday() < 5
    )
    off = sum(
        1
        for year in range(first.year, last.year + 1)
        for day in days_off(year)
        if first < day <= last and day.weekday() < 5
    )
    return weekdays - off


def add_working_days(start: date | datetime, days: int, *, tz: str = STOCKHOLM) -> date:
    """The date `days` working days after `start` (so that working_days_between(start,
    result) == days, on a working day). With 0 days: `start`'s date itself."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = _as_local_date(start, tz)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


# --- Busy blocks and the slot finder ----------------------------------------------------


def merge_blocks(blocks: Iterable[Block]) -> list[Block]:
    """Sort busy blocks and melt the ones that overlap or touch into one.

    Empty or inverted blocks (end at or before start) are dropped. Every datetime must
    be aware: a naive time in a busy list would be a guess about its time zone.
    """
    cleaned = []
    for block_start, block_end in blocks:
        if block_start.tzinfo is None or block_end.tzinfo is None:
            raise ValueError("Busy blocks need aware datetimes.")
        if block_end > block_start:
            cleaned.append((block_start.astimezone(UTC), block_end.astimezone(UTC)))
    cleaned.sort()
    merged: list[Block] = []
    for block_start, block_end in cleaned:
        if merged and block_start <= merged[-1][1]:
            if block_end > merged[-1][1]:
                merged[-1] = (merged[-1][0], block_end)
        else:
            merged.append((block_start, block_end))
    return merged


def _overlaps_any(merged: list[Block], ends: list[datetime], start: datetime, end: datetime):
    """Whether [start, end) overlaps a block of `merged` (sorted, disjoint; `ends` are
    their ends). Touching is not overlapping: a meeting may start when another ends."""
    index = bisect.bisect_right(ends, start)
    return index < len(merged) and merged[index][0] < end


def propose_slots(
    *,
    busy: list[Block],
    start: date,
    days: int,
    duration: timedelta,
    count: int,
    tz: str = STOCKHOLM,
    day_start: time = time(8, 0),
    day_end: time = time(17, 0),
    step: timedelta = timedelta(minutes=30),
    not_before: datetime | None = None,
    per_day: int | None = None,
) -> list[Block]:
    """Up to `count` times of length `duration` when nobody is busy.

    Looks at `days` calendar days from `start` (inclusive), skipping weekends, public
    holidays and the holiday eves (see `days_off`). On each working day, candidates
    start at `day_start` local time and every `step` after it; a candidate is kept
    when it ends by `day_end` the same day, overlaps no busy block, starts no earlier
    than `not_before` (when given), and does not overlap a time already proposed. The
    earliest candidates win; `per_day` caps how many are taken from one day (so a poll
    can offer several days). Returns (start, end) pairs as aware datetimes in `tz`.
    """
    if duration <= timedelta(0) or step <= timedelta(0):
        raise ValueError("duration and step must be positive")
    if day_end <= day_start:
        raise ValueError("day_end must be after day_start")
    if not_before is not None and not_before.tzinfo is None:
        raise ValueError("not_before must be aware")
    zone = ZoneInfo(tz)
    merged = merge_blocks(busy)
    ends = [block_end for _, block_end in merged]
    proposals: list[Block] = []
    for offset in range(max(days, 0)):
        if len(proposals) >= max(count, 0):
            break
        day = start + timedelta(days=offset)
        if not is_working_day(day):
            continue
        opens = datetime.combine(day, day_start, tzinfo=zone).astimezone(UTC)
        closes = datetime.combine(day, day_end, tzinfo=zone).astimezone(UTC)
        candidate = opens
        taken_today = 0
        while (
            candidate + duration <= closes
            and len(proposals) < count
            and (per_day is None or taken_today < per_day)
        ):
            candidate_end = candidate + duration
            if (not_before is None or candidate >= not_before) and not _overlaps_any(
                merged, ends, candidate, candidate_end
            ):
                proposals.append((candidate.astimezone(zone), candidate_end.astimezone(zone)))
                taken_today += 1
                # The next proposal starts at the first step at or after this one's end.
                steps = -(-(candidate_end - opens) // step)
                candidate = opens + steps * step
            else:
                candidate += step
    return proposals
