"""The statistics a reader gets are kept only while recomputing would give the same
figures: a new idea or a move shows at once, and nothing is served from another day,
language or set of filters."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.core import testing
from apps.ideas.services import idea_move
from apps.stats import caching, figures, selectors
from apps.workflow.models import Stage

from .fixtures import build_statistics_world

pytestmark = pytest.mark.django_db

#: Tables whose figures depend on the clock (days waited until now).
CLOCK = {"waiting", "waiting-by-municipality"}


@pytest.fixture
def filters(world):
    stats = build_statistics_world(world)
    return replace(stats.filters, end=stats.now.date())


def _by_slug(tables) -> dict:
    return {table.slug: table for table in tables}


def _queries(read) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = read()
    return len(captured), result


def _without_clock(tables) -> dict:
    return {slug: table for slug, table in _by_slug(tables).items() if slug not in CLOCK}


def test_kept_tables_equal_recomputed_ones_and_save_queries(filters):
    cold_queries, _first = _queries(lambda: selectors.dashboard_tables(filters))
    warm_queries, warm = _queries(lambda: selectors.dashboard_tables(filters))
    assert warm_queries < cold_queries
    assert _without_clock(warm) == _without_clock(figures.dashboard_tables(filters=filters))
    public = selectors.public_tables(filters)
    assert selectors.public_tables(filters) == public
    assert _without_clock(public) == _without_clock(figures.public_tables(filters=filters))


def test_a_new_idea_shows_at_once(world, filters):
    before = _by_slug(selectors.dashboard_tables(filters))["funnel"].rows[0][1]
    public_before = _by_slug(selectors.public_tables(filters))["funnel"].rows[0][1]
    testing.submit_idea(world.hjo)
    assert _by_slug(selectors.dashboard_tables(filters))["funnel"].rows[0][1] == before + 1
    assert _by_slug(selectors.public_tables(filters))["funnel"].rows[0][1] == public_before + 1


def test_a_move_shows_at_once(world, filters):
    idea = testing.submit_idea(world.skovde)
    before = _by_slug(selectors.dashboard_tables(filters))["outcomes"].rows
    closed = Stage.objects.get(consortium=world.consortium, key="closed")
    idea_move(
        idea=idea,
        actor=world.process_leader,
        to_stage=closed,
        expected_stage_id=idea.stage_id,
        reason="Finns redan",
    )
    after = _by_slug(selectors.dashboard_tables(filters))["outcomes"].rows
    assert after == _by_slug(figures.dashboard_tables(filters=filters))["outcomes"].rows
    assert sum(row[1] for row in after) == sum(row[1] for row in before) + 1


def test_each_language_and_period_is_kept_apart(filters):
    with translation.override("en"):
        english = selectors.dashboard_tables(filters)
    with translation.override("sv"):
        swedish = selectors.dashboard_tables(filters)
        assert _without_clock(swedish) == _without_clock(figures.dashboard_tables(filters=filters))
    with translation.override("en"):
        assert [t.title for t in selectors.dashboard_tables(filters)] == [t.title for t in english]
    shorter = replace(filters, start=filters.end)
    assert _without_clock(selectors.dashboard_tables(shorter)) == _without_clock(
        figures.dashboard_tables(filters=shorter)
    )


def test_the_cold_path_recomputes_every_time(filters, monkeypatch):
    monkeypatch.setattr(caching, "BYPASS", True)
    first, _tables = _queries(lambda: selectors.dashboard_tables(filters))
    second, _tables = _queries(lambda: selectors.dashboard_tables(filters))
    assert first == second
