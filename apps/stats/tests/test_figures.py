"""Every statistic equals the figure computed by hand from apps/stats/tests/fixtures.py.

The arithmetic is written beside each expected value; the fixture's docstring lists the
ideas (A–I), their dates and the referrals, adoptions and benefits.
"""

from dataclasses import replace
from decimal import Decimal

import pytest

from apps.stats import figures
from apps.workflow.models import Stage

from .fixtures import build_statistics_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats(world):
    return build_statistics_world(world)


def names(world) -> dict[str, str]:
    return {s.key: s.name for s in Stage.objects.filter(consortium=world.consortium)}


def column(table, key):
    index = [c.key for c in table.columns].index(key)
    return [row[index] for row in table.rows]


def test_funnel(world, stats):
    table = figures.funnel(filters=stats.filters)
    n = names(world)
    # Handed in during 2025: A, B, C, D, F (23:30 on 31 Dec), G = 6; E and I are 2024's,
    # H is 2026's (00:30 local on 1 Jan). Capture: A, B, C, G = 4 (4/6 = 66.7 %);
    # Assess, Test, Develop, Spread: A alone (1/6 = 16.7 %); Closed: B (E is not in the
    # cohort); Parked: C; Implemented and Handed over (I is 2024's): none.
    assert table.rows == (
        (n["received"], 6, 100.0),
        (n["capture"], 4, 66.7),
        (n["assess"], 1, 16.7),
        (n["test"], 1, 16.7),
        (n["develop"], 1, 16.7),
        (n["spread"], 1, 16.7),
        (n["implemented"], 0, 0.0),
        (n["closed"], 1, 16.7),
        (n["parked"], 1, 16.7),
        (n["handed_over"], 0, 0.0),
    )
    assert table.chart.kind == "funnel"


def test_ideas_per_1000_employees(world, stats):
    table = figures.ideas_per_1000(filters=stats.filters)
    # Ordered by name. Hjo: C, D = 2 ideas / 800 × 1000 = 2.5. Skövde: A, B, G = 3 / 4500
    # × 1000 = 0.666… → 0.67. Tibro: F = 1 (H is 2026's), no employee count → unknown.
    assert table.rows == (
        ("Hjo", 2, 800, 2.5),
        ("Skövde", 3, 4500, 0.67),
        ("Tibro", 1, None, None),
    )


def test_ideas_per_1000_follows_the_municipality_filter(world, stats):
    only_hjo = replace(stats.filters, municipality_ids=frozenset({world.hjo.pk}))
    assert figures.ideas_per_1000(filters=only_hjo).rows == (("Hjo", 2, 800, 2.5),)


def test_lead_time(world, stats):
    table = figures.lead_time(filters=stats.filters)
    n = names(world)
    # Stays that ended in 2025, nearest-rank: rank ⌈p/100 × n⌉.
    # Received: A 10, B 4, C 2, E 14 (E entered in 2024, left 2025-01-03), G 4
    #   → [2, 4, 4, 10, 14]; median rank ⌈2.5⌉ = 3 → 4; p90 rank ⌈4.5⌉ = 5 → 14.
    # Capture: A 30, B 20, C 10, E 10 → [10, 10, 20, 30]; median rank 2 → 10; p90 rank
    #   ⌈3.6⌉ = 4 → 30. (I left Capture in 2024.)
    # Assess: A 10, I 236 (2024-06-10 → 2025-02-01; + 1 hour of summer time → 236.04)
    #   → median rank 1 → 10; p90 rank ⌈1.8⌉ = 2 → 236.
    # Test: A 60. Develop: A 60 (2025-04-30 → 06-29). Spread: no stay ended.
    # (A's Test stay crosses the change to summer time: 60 days − 1 hour → 60.0.)
    assert table.rows == (
        (n["received"], 5, 4.0, 14.0),
        (n["capture"], 4, 10.0, 30.0),
        (n["assess"], 2, 10.0, 236.0),
        (n["test"], 1, 60.0, 60.0),
        (n["develop"], 1, 60.0, 60.0),
        (n["spread"], 0, None, None),
    )


def test_nearest_rank_percentile():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    # ⌈0.5 × 10⌉ = 5 → 5; ⌈0.9 × 10⌉ = 9 → 9; ⌈0.91 × 10⌉ = 10 → 10.
    assert figures.nearest_rank(values, 50) == 5
    assert figures.nearest_rank(values, 90) == 9
    assert figures.nearest_rank(values, 91) == 10
    assert figures.nearest_rank([7], 90) == 7
    assert figures.nearest_rank([], 50) is None


def test_waiting_now(world, stats):
    table = figures.waiting_now(filters=stats.filters)
    n = names(world)
    # Open now: Received D 12, F 3, H 1 → [1, 3, 12]: median rank 2 → 3, longest 12.
    # Capture: G 7. Spread: A 40. (The period does not apply: H counts.)
    assert table.rows == (
        (n["received"], 3, 3.0, 12.0),
        (n["capture"], 1, 7.0, 7.0),
        (n["assess"], 0, None, None),
        (n["test"], 0, None, None),
        (n["develop"], 0, None, None),
        (n["spread"], 1, 40.0, 40.0),
    )


def test_waiting_by_municipality(world, stats):
    table = figures.waiting_by_municipality(filters=stats.filters)
    # Hjo: D 12. Skövde: G 7, A 40 → median rank 1 → 7, longest 40. Tibro: H 1, F 3 →
    # median rank 1 → 1, longest 3.
    assert table.rows == (
        ("Hjo", 1, 12.0, 12.0),
        ("Skövde", 2, 7.0, 40.0),
        ("Tibro", 2, 1.0, 3.0),
    )


def test_outcomes(world, stats):
    table = figures.outcomes(filters=stats.filters)
    n = names(world)
    # Moves to an outcome in 2025: B and E closed (both with a reason), C parked (with a
    # reason), I handed over (no reason). E counts: it was closed in 2025.
    assert table.rows == (
        (n["implemented"], 0, 0),
        (n["closed"], 2, 2),
        (n["parked"], 1, 1),
        (n["handed_over"], 1, 0),
    )


def test_outcome_reasons(world, stats):
    table = figures.outcome_reasons(filters=stats.filters)
    n = names(world)
    # "Finns  redan" (E, first) and "finns redan" (B) are the same reason.
    assert table.rows == (
        (n["closed"], "Finns redan", 2),
        (n["parked"], "Ingen budget", 1),
    )


def test_referral_times(world, stats):
    table = figures.referral_times(filters=stats.filters)
    # Outside actors: R1 5 days, R2 12 days answered; R4 unanswered past its due date;
    #   R5 withdrawn and R6 of 2024 left out → sent 3, answered 2, median rank 1 → 5,
    #   p90 rank ⌈1.8⌉ = 2 → 12, overdue 1.
    # Colleagues: R3 2 days → 1, 1, 2, 2, 0.
    # All: [2, 5, 12] → median rank 2 → 5, p90 rank ⌈2.7⌉ = 3 → 12.
    assert [row[1:] for row in table.rows] == [
        (3, 2, 5.0, 12.0, 1),
        (1, 1, 2.0, 2.0, 0),
        (4, 3, 5.0, 12.0, 1),
    ]


def test_adoptions_per_solution(world, stats):
    table = figures.adoptions_per_solution(filters=stats.filters)
    # Hjo in use, Tibro stopped: planned 0, testing 0, in use 1, stopped 1, total 2.
    assert table.rows == ((stats.solution_title, "Skövde", 0, 0, 1, 1, 2),)
    assert column(figures.adoptions_by_stage(filters=stats.filters), "adoptions") == [0, 0, 1, 1]


def test_benefits_realised(world, stats):
    table = figures.benefits_realised(filters=stats.filters)
    # Skövde: should fall 100 → 60; latest by 2025-12-31 is 80 (the 70 of 2026 is after
    #   the period): 20 × 250 SEK = 5000 SEK, 20 × 0.5 h = 10.0 hours.
    # Hjo: should rise 10 → 50; 30 measured: 20 × 100 SEK = 2000 SEK, no hours; a second
    #   benefit never measured counts as planned, not measured.
    # Tibro has no benefits: no row.
    assert table.rows == (
        ("Hjo", 2, 1, Decimal(2000), Decimal("0.0")),
        ("Skövde", 1, 1, Decimal(5000), Decimal("10.0")),
    )


def test_an_empty_period_gives_zeros_not_errors(world, stats):
    empty = replace(stats.filters, start=stats.filters.start.replace(year=2019),
                    end=stats.filters.end.replace(year=2019))  # fmt: skip
    tables = {t.slug: t for t in figures.dashboard_tables(filters=empty)}
    assert all(row[1] == 0 for row in tables["funnel"].rows)
    assert all(row[1] == 0 for row in tables["lead-time"].rows)
    assert tables["outcome-reasons"].rows == ()
    assert all(t.summary for t in tables.values())


def test_public_tables_hold_no_titles_reasons_or_people(world, stats):
    public = figures.public_tables(filters=stats.filters)
    slugs = {t.slug for t in public}
    assert "outcome-reasons" not in slugs and "adoptions" not in slugs
    text = repr([(t.title, t.summary, t.note, t.rows) for t in public])
    for idea in stats.ideas.values():
        assert idea.title not in text and idea.reference not in text
    for private in (stats.solution_title, "Finns redan", "Ingen budget", "Eva Expert"):
        assert private not in text
