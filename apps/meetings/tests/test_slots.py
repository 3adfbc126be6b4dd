"""The slot finder and Swedish working days.

Property-based tests (hypothesis) check that no proposed time ever overlaps a busy
block, leaves working hours, or lands on a weekend, a public holiday or a holiday eve,
for random busy blocks and ranges across years and clock changes. The holidays they
check against are worked out here independently of the `holidays` package (fixed dates,
Easter by dateutil's algorithm, midsummer by its rule), so the oracle is not the code
under test. Example tests pin nationaldagen, midsommarafton, julafton and nyårsafton.
"""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.easter import easter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.meetings.slots import (
    add_working_days,
    day_off_name,
    days_off,
    is_working_day,
    merge_blocks,
    propose_slots,
    working_days_between,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOUR = timedelta(hours=1)


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def swedish_days_off(year: int) -> set[date]:
    """The oracle: Swedish public holidays and the eves treated as holidays, by rule."""
    easter_day = easter(year)
    june_19 = date(year, 6, 19)
    midsummer_eve = june_19 + timedelta(days=(4 - june_19.weekday()) % 7)
    oct_31 = date(year, 10, 31)
    all_saints = oct_31 + timedelta(days=(5 - oct_31.weekday()) % 7)
    return {
        date(year, 1, 1),  # nyårsdagen
        date(year, 1, 6),  # trettondedag jul
        easter_day - timedelta(days=2),  # långfredagen
        easter_day,  # påskdagen
        easter_day + timedelta(days=1),  # annandag påsk
        date(year, 5, 1),  # första maj
        easter_day + timedelta(days=39),  # Kristi himmelsfärdsdag
        easter_day + timedelta(days=49),  # pingstdagen
        date(year, 6, 6),  # nationaldagen
        midsummer_eve,  # midsommarafton
        midsummer_eve + timedelta(days=1),  # midsommardagen
        all_saints,  # alla helgons dag
        date(year, 12, 24),  # julafton
        date(year, 12, 25),  # juldagen
        date(year, 12, 26),  # annandag jul
        date(year, 12, 31),  # nyårsafton
    }


# --- Days off ------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2030, 2035])
def test_days_off_are_the_swedish_holidays_and_eves(year):
    assert set(days_off(year)) == swedish_days_off(year)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2024, 6, 6), "Nationaldagen"),  # a Thursday
        (date(2026, 6, 19), "Midsommarafton"),
        (date(2025, 12, 24), "Julafton"),
        (date(2025, 12, 31), "Nyårsafton"),
        (date(2026, 4, 3), "Långfredagen"),
        (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
    ],
)
def test_named_days_off_are_not_working_days(day, name):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert day_off_name(day) == name


def test_ordinary_days():
    assert is_working_day(date(2026, 6, 18))  # the day before midsommarafton
    assert is_working_day(date(2025, 12, 23))
    assert not is_working_day(date(2026, 3, 14))  # a Saturday
    assert day_off_name(date(2026, 6, 18)) is None


# --- Working days between ------------------------------------------------------------------


def test_working_days_between_examples():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Fri → Mon
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 23)) == 10
    assert working_days_between(date(2026, 3, 23), date(2026, 3, 9)) == 0
    # Midsommarafton is no working day: June 2026 has 22 weekdays, 21 after the 1st.
    assert working_days_between(date(2026, 6, 1), date(2026, 6, 30)) == 20
    # Christmas week 2025: 22, 23, 29, 30 December and 2 January are worked.
    assert working_days_between(date(2025, 12, 19), date(2026, 1, 2)) == 5


def test_working_days_count_by_the_date_in_stockholm():
    # 23:30 on Monday 9 March in Stockholm is still Monday there (22:30 UTC).
    handed_in = local(2026, 3, 9, 23, 30).astimezone(UTC)
    assert working_days_between(handed_in, local(2026, 3, 10, 0, 15)) == 1
    assert working_days_between(handed_in, local(2026, 3, 9, 23, 59)) == 0


def test_add_working_days_skips_days_off():
    assert add_working_days(date(2025, 12, 22), 3) == date(2025, 12, 30)
    assert add_working_days(date(2026, 6, 18), 1) == date(2026, 6, 22)
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), -1)


dates = st.dates(min_value=date(2023, 1, 1), max_value=date(2032, 12, 31))


@given(first=dates, span=st.integers(min_value=0, max_value=800))
def test_working_days_between_counts_each_working_day(first, span):
    last = first + timedelta(days=span)
    expected = sum(
        1
        for offset in range(1, span + 1)
        if (day := first + timedelta(days=offset)).weekday() < 5
        and day not in swedish_days_off(day.year)
    )
    assert working_days_between(first, last) == expected


@given(first=dates, a=st.integers(0, 400), b=st.integers(0, 400))
def test_working_days_add_up_and_invert(first, a, b):
    middle = first + timedelta(days=a)
    last = middle + timedelta(days=b)
    assert working_days_between(first, middle) + working_days_between(middle, last) == (
        working_days_between(first, last)
    )
    n = a % 40
    target = add_working_days(first, n)
    assert working_days_between(first, target) == n
    assert n == 0 or is_working_day(target)


# --- The slot finder: properties -------------------------------------------------------------


@st.composite
def busy_blocks(draw, around: date):
    """Busy blocks near `around`, in Stockholm or UTC time, of any length."""
    origin = datetime.combine(around, time(0), tzinfo=STOCKHOLM)
    blocks = []
    for _ in range(draw(st.integers(0, 25))):
        offset = timedelta(minutes=draw(st.integers(-2 * 1440, 45 * 1440)))
        length = timedelta(minutes=draw(st.integers(1, 3 * 1440)))
        start = origin + offset
        if draw(st.booleans()):
            start = start.astimezone(UTC)
        blocks.append((start, start + length))
    return blocks


@st.composite
def searches(draw):
    start = draw(dates)
    opening = draw(st.integers(6 * 4, 10 * 4))  # quarter hours: 06:00–10:00
    closing = draw(st.integers(opening + 4, 20 * 4))  # at least an hour later, by 20:00
    return {
        "busy": draw(busy_blocks(start)),
        "start": start,
        "days": draw(st.integers(0, 40)),
        "duration": timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90, 120, 240]))),
        "count": draw(st.integers(0, 30)),
        "day_start": time(opening // 4, opening % 4 * 15),
        "day_end": time(closing // 4, closing % 4 * 15),
        "step": timedelta(minutes=draw(st.sampled_from([15, 30, 60]))),
        "per_day": draw(st.one_of(st.none(), st.integers(1, 4))),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(search=searches())
def test_no_slot_is_busy_outside_hours_or_on_a_day_off(search):
    slots = propose_slots(**search)
    assert len(slots) <= search["count"]
    assert slots == sorted(slots)
    per_day: dict[date, int] = {}
    for start, end in slots:
        assert start.tzinfo == STOCKHOLM and end.tzinfo == STOCKHOLM
        # As long as asked, in real time (not wall-clock time).
        assert end.astimezone(UTC) - start.astimezone(UTC) == search["duration"]
        day = start.date()
        assert end.date() == day
        assert search["start"] <= day < search["start"] + timedelta(days=search["days"])
        assert day.weekday() < 5, f"{start} is on a weekend"
        assert day not in swedish_days_off(day.year), f"{start} is on a holiday or eve"
        assert start.timetz().replace(tzinfo=None) >= search["day_start"]
        assert end.timetz().replace(tzinfo=None) <= search["day_end"]
        for busy_start, busy_end in search["busy"]:
            assert not (busy_start < end and start < busy_end), (
                f"{start}–{end} overlaps busy {busy_start}–{busy_end}"
            )
        per_day[day] = per_day.get(day, 0) + 1
    for (_, earlier_end), (later_start, _) in pairwise(slots):
        assert earlier_end <= later_start, "proposals overlap each other"
    if search["per_day"] is not None:
        assert all(n <= search["per_day"] for n in per_day.values())


@settings(max_examples=150, deadline=None)
@given(search=searches())
def test_the_first_proposal_is_the_earliest_free_time(search):
    """Brute force: walk every step of every day and take the first free one."""
    search = {**search, "count": max(search["count"], 1)}
    slots = propose_slots(**search)
    earliest = None
    for offset in range(search["days"]):
        day = search["start"] + timedelta(days=offset)
        if day.weekday() >= 5 or day in swedish_days_off(day.year):
            continue
        candidate = datetime.combine(day, search["day_start"], tzinfo=STOCKHOLM)
        closes = datetime.combine(day, search["day_end"], tzinfo=STOCKHOLM)
        while candidate + search["duration"] <= closes:
            end = candidate + search["duration"]
            if not any(b0 < end and candidate < b1 for b0, b1 in search["busy"]):
                earliest = candidate
                break
            candidate += search["step"]
        if earliest:
            break
    if earliest is None:
        assert slots == []
    else:
        assert slots and slots[0][0] == earliest


# --- The slot finder: examples ---------------------------------------------------------------


def _days(slots) -> list[date]:
    return sorted({start.date() for start, _ in slots})


def test_nationaldagen_is_skipped():
    # Wednesday 5 to Friday 7 June 2024; the 6th is a Thursday.
    slots = propose_slots(
        busy=[], start=date(2024, 6, 5), days=3, duration=HOUR, count=100, per_day=1
    )
    assert _days(slots) == [date(2024, 6, 5), date(2024, 6, 7)]


def test_midsommarafton_is_skipped():
    slots = propose_slots(
        busy=[], start=date(2026, 6, 17), days=7, duration=HOUR, count=100, per_day=1
    )
    assert _days(slots) == [
        date(2026, 6, 17),
        date(2026, 6, 18),
        date(2026, 6, 22),
        date(2026, 6, 23),
    ]


def test_julafton_and_the_christmas_week_are_skipped():
    slots = propose_slots(
        busy=[], start=date(2025, 12, 22), days=12, duration=HOUR, count=100, per_day=1
    )
    assert _days(slots) == [
        date(2025, 12, 22),
        date(2025, 12, 23),
        date(2025, 12, 29),
        date(2025, 12, 30),
        date(2026, 1, 2),
    ]


def test_working_hours_and_busy_blocks():
    busy = [
        (local(2026, 3, 10, 8), local(2026, 3, 10, 9, 30)),
        (local(2026, 3, 10, 11), local(2026, 3, 10, 16)),
    ]
    slots = propose_slots(busy=busy, start=date(2026, 3, 10), days=1, duration=HOUR, count=10)
    assert slots == [
        (local(2026, 3, 10, 9, 30), local(2026, 3, 10, 10, 30)),
        (local(2026, 3, 10, 16), local(2026, 3, 10, 17)),
    ]


def test_slots_keep_local_hours_across_the_change_to_summer_time():
    # Clocks go forward on Sunday 29 March 2026: 08:00 is 07:00 UTC before, 06:00 after.
    slots = propose_slots(
        busy=[], start=date(2026, 3, 27), days=4, duration=HOUR, count=2, per_day=1
    )
    assert [s.astimezone(UTC).hour for s, _ in slots] == [7, 6]
    assert [(s.hour, e.hour) for s, e in slots] == [(8, 9), (8, 9)]
    # A busy block given in UTC is compared as the same instant.
    busy = [(datetime(2026, 3, 30, 6, tzinfo=UTC), datetime(2026, 3, 30, 7, tzinfo=UTC))]
    [slot] = propose_slots(busy=busy, start=date(2026, 3, 30), days=1, duration=HOUR, count=1)
    assert slot == (local(2026, 3, 30, 9), local(2026, 3, 30, 10))


def test_not_before_and_invalid_arguments():
    slots = propose_slots(
        busy=[],
        start=date(2026, 3, 10),
        days=1,
        duration=HOUR,
        count=1,
        not_before=local(2026, 3, 10, 13, 10),
    )
    assert slots == [(local(2026, 3, 10, 13, 30), local(2026, 3, 10, 14, 30))]
    with pytest.raises(ValueError):
        propose_slots(busy=[], start=date(2026, 3, 10), days=1, duration=timedelta(0), count=1)
    with pytest.raises(ValueError):
        propose_slots(
            busy=[],
            start=date(2026, 3, 10),
            days=1,
            duration=HOUR,
            count=1,
            day_start=time(17),
            day_end=time(8),
        )
    with pytest.raises(ValueError):
        propose_slots(
            busy=[(datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 10))],
            start=date(2026, 3, 10),
            days=1,
            duration=HOUR,
            count=1,
        )


def test_merge_blocks_melts_overlapping_and_touching_blocks():
    merged = merge_blocks(
        [
            (local(2026, 3, 10, 10), local(2026, 3, 10, 11)),
            (local(2026, 3, 10, 8), local(2026, 3, 10, 9)),
            (local(2026, 3, 10, 9), local(2026, 3, 10, 9, 30)),
            (local(2026, 3, 10, 10, 30), local(2026, 3, 10, 10, 45)),
            (local(2026, 3, 10, 12), local(2026, 3, 10, 12)),  # empty: dropped
        ]
    )
    assert merged == [
        (local(2026, 3, 10, 8), local(2026, 3, 10, 9, 30)),
        (local(2026, 3, 10, 10), local(2026, 3, 10, 11)),
    ]
    assert all(a.tzinfo == UTC for a, _ in merged)
