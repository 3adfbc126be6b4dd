"""The figures' query count does not grow with the data, and the benchmark command runs."""

from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import testing
from apps.stats import figures

from .fixtures import build_statistics_world

pytestmark = pytest.mark.django_db


def _queries(filters) -> int:
    with CaptureQueriesContext(connection) as captured:
        figures.dashboard_tables(filters=filters)
        figures.public_tables(filters=filters)
    return len(captured)


def test_dashboard_runs_the_same_number_of_queries_with_few_and_many_ideas(world):
    stats = build_statistics_world(world)
    filters = replace(stats.filters, end=stats.now.date())
    few = _queries(filters)
    for _ in range(15):
        testing.submit_idea(world.hjo)
        testing.submit_idea(world.skovde)
    assert _queries(filters) == few


def test_bench_dashboard_command_runs(capsys):
    call_command("bench_dashboard", ideas=200, runs=2)
    out = capsys.readouterr().out
    cold, rest = out.split("Cold path")[1].split("After one write")
    after_write, warm = rest.split("Warm path")
    for path in (cold, warm):
        assert "dashboard_tables: p50" in path and "public_tables: p50" in path
        assert "dashboard page: p50" in path and "public page: p50" in path
    assert "dashboard page after a note: p50" in after_write
    assert "dashboard page after a move: p50" in after_write
