"""Concurrency: rounds opened, decided and seeded at the same moment stay single.

Real threads with their own connections, released together against committed data, on
SQLite and PostgreSQL alike (see apps/ideas/tests/test_concurrency.py).
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.accounts.models import User
from apps.assessments import services
from apps.assessments.models import AssessmentRound, Criterion
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.services import StageConflict
from apps.ideas.tests.test_concurrency import run_together
from apps.organisations.models import Organisation

from .helpers import criteria, idea_in_assess, open_round, stage

pytestmark = pytest.mark.django_db(transaction=True)


def test_criteria_seeded_by_many_at_once_are_seeded_once(world):
    def seed(number: int):
        return services.criteria_seed_default(
            consortium=Organisation.objects.get(pk=world.consortium.pk)
        )

    _results, errors = run_together(seed, count=6)
    assert not errors
    assert Criterion.objects.filter(consortium=world.consortium).count() == 8


def test_rounds_opened_at_once_on_one_idea_make_exactly_one(world):
    idea = idea_in_assess(world)
    chosen = criteria(world)

    def open_one(number: int):
        return services.round_open(
            idea=Idea.objects.select_related("stage").get(pk=idea.pk),
            actor=User.objects.get(pk=world.process_leader.pk),
            assessors=[User.objects.get(pk=world.employee.pk)],
            criteria=chosen,
            due_date=timezone.localdate() + timedelta(days=7),
            blind=False,
        )

    results, errors = run_together(open_one, count=6)
    assert AssessmentRound.objects.filter(idea=idea).count() == 1
    assert len([r for r in results if r is not None]) == 1
    assert errors and all(isinstance(e, ValidationError) for e in errors)
    assert idea.timeline.filter(kind=TimelineEntry.Kind.ASSESSMENT_OPENED).count() == 1


def test_two_gate_decisions_at_once_make_exactly_one(world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee])
    targets = [stage(world, "test"), stage(world, "parked")]

    def decide(number: int):
        return services.round_decide(
            round=AssessmentRound.objects.get(pk=round_.pk),
            actor=User.objects.get(pk=world.process_leader.pk),
            to_stage=targets[number % 2],
            expected_stage_id=idea.stage_id,
            reason="Beslut vid grinden.",
        )

    results, errors = run_together(decide, count=4)
    assert len([r for r in results if r is not None]) == 1
    assert all(isinstance(e, services.RoundClosed | StageConflict) for e in errors), errors
    round_.refresh_from_db()
    idea.refresh_from_db()
    assert round_.decision_entry.to_stage == idea.stage
    assert idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count() == 3
    assert idea.timeline.filter(kind=TimelineEntry.Kind.ASSESSMENT_CLOSED).count() == 1
