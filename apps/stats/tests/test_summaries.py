"""The statistics' summary data stays exact: `Idea.stages_reached` (the funnel) holds the
stages the idea's timeline shows it entering, `TimelineEntry.stay_microseconds` (lead
time) the exact length of the stay each move ends and `TimelineEntry.reason_key`
(outcome reasons) the key of the reason each move gives, after every way they are written:
handing in, moves back and forth and re-opening after parking, a gate decision, an
import, an erasure, the benchmark's bulk loader, and the migration that fills older rows.
"""

import importlib
import io
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry, reason_key_of
from apps.ideas.services import idea_move
from apps.privacy import selectors as privacy_selectors
from apps.privacy import services as privacy
from apps.stats import figures
from apps.workflow.models import Stage

from .fixtures import build_statistics_world
from .test_stay_started_at import _imported, _walk

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("apps.ideas.migrations.0014_backfill_statistics_summaries")


def _reached_from_timelines() -> dict[int, str]:
    """Every idea's stages as its timeline shows them (what `stages_reached` keeps)."""
    reached: dict[int, set[int]] = defaultdict(set)
    for idea_id, stage_id in TimelineEntry.objects.filter(
        kind__in=TimelineEntry.ENTERS_STAGE, to_stage__isnull=False
    ).values_list("idea_id", "to_stage_id"):
        reached[idea_id].add(stage_id)
    return {
        pk: ",".join(str(s) for s in sorted(reached.get(pk, ()))) or None
        for pk in Idea.objects.values_list("pk", flat=True)
    }


def _kept_reached() -> dict[int, str]:
    return {pk: text or None for pk, text in Idea.objects.values_list("pk", "stages_reached")}


def _stays_from_moments() -> dict[int, int | None]:
    return {
        pk: None if began is None else (ended - began) // timedelta(microseconds=1)
        for pk, ended, began in TimelineEntry.objects.values_list(
            "pk", "created_at", "stay_started_at"
        )
    }


def _kept_stays() -> dict[int, int | None]:
    return dict(TimelineEntry.objects.values_list("pk", "stay_microseconds"))


def _keys_from_texts() -> dict[int, int | None]:
    return {
        pk: reason_key_of(body) if kind == TimelineEntry.Kind.STAGE_CHANGED and body else None
        for pk, kind, body in TimelineEntry.objects.values_list("pk", "kind", "body")
    }


def _kept_keys() -> dict[int, int | None]:
    return dict(TimelineEntry.objects.values_list("pk", "reason_key"))


def _assert_exact() -> None:
    assert _kept_reached() == _reached_from_timelines()
    assert _kept_stays() == _stays_from_moments()
    assert _kept_keys() == _keys_from_texts()


def test_the_services_keep_the_summaries_exact(world):
    leader = world.process_leader
    handed_in = testing.submit_idea(world.skovde)
    _assert_exact()
    # Back and forth, parked and re-opened: each stage once, each stay exact.
    _walk(handed_in, leader, "capture", "assess", "capture", "parked", "capture", "assess")
    in_first_stage, in_capture = _imported(world)
    _walk(in_first_stage, leader, "capture", "assess")
    _walk(in_capture, leader, "assess", "capture")
    _assert_exact()
    reached = Idea.objects.get(pk=handed_in.pk).stages_reached
    assert len(reached.split(",")) == 4  # received, capture, assess, parked
    assert TimelineEntry.objects.filter(stay_microseconds__gt=0).count() == 10


def test_the_statistics_fixture_and_an_erasure_keep_them_exact(world):
    stats = build_statistics_world(world)
    _assert_exact()
    # Two reasons that name the submitter, written differently: one reason before and
    # after the erasure rewrites both texts (its key follows the text).
    name, email = "Sigrid Sandberg", "sigrid@example.se"
    closed = Stage.objects.get(consortium=world.consortium, key="closed")
    for reason in (f"{name} hittade samma sak", f"  {name.upper()}   hittade samma sak"):
        idea = testing.submit_idea(world.hjo, submitter_name=name, submitter_email=email)
        idea_move(
            idea=idea,
            actor=world.process_leader,
            to_stage=closed,
            expected_stage_id=idea.stage_id,
            reason=reason,
        )
    filters = replace(stats.filters, end=stats.now.date())
    before = {row[1]: row[2] for row in figures.outcome_reasons(filters=filters).rows}
    assert before[f"{name} hittade samma sak"] == 2
    privacy.person_erase(
        actor=world.administrator, person=privacy_selectors.person_for(email=email)
    )
    _assert_exact()
    after = {row[1]: row[2] for row in figures.outcome_reasons(filters=filters).rows}
    assert not any(name.casefold() in text.casefold() for text in after)
    assert sorted(after.values()) == sorted(before.values())


def test_the_backfill_gives_what_the_services_keep(world):
    stats = build_statistics_world(world)
    _walk(testing.submit_idea(world.hjo), world.process_leader, "capture", "parked", "capture")
    _imported(world)
    kept_reached, kept_stays = _kept_reached(), _kept_stays()
    funnel = figures.funnel(filters=stats.filters)
    lead_time = figures.lead_time(filters=stats.filters)
    Idea.objects.update(stages_reached=None)
    TimelineEntry.objects.update(stay_microseconds=None)
    backfill.backfill(django_apps, None)
    assert _kept_reached() == kept_reached
    assert _kept_stays() == kept_stays
    assert figures.funnel(filters=stats.filters) == funnel
    assert figures.lead_time(filters=stats.filters) == lead_time


def test_the_benchmark_loader_fills_them(capsys):
    call_command("bench_dashboard", ideas=60, runs=1)
    _assert_exact()


def test_the_demo_data_fills_them(settings):
    settings.DEBUG = True  # load_demo refuses to create demo accounts otherwise
    call_command("load_demo", stdout=io.StringIO())
    assert Idea.objects.exclude(stages_reached=None).exists()
    _assert_exact()


# Real commits: the build ends with VACUUM on PostgreSQL, which no transaction may hold.
@pytest.mark.django_db(transaction=True)
def test_the_benchmark_data_set_fills_them(tmp_path):
    call_command(
        "bench_build",
        manifest=str(tmp_path / "manifest.json"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert TimelineEntry.objects.exclude(stay_microseconds=None).exists()
    _assert_exact()
