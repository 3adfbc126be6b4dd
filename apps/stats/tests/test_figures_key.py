"""Key figures for the newsletter, hand-computed from a small world."""

from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core import testing
from apps.ideas.services import idea_move
from apps.spread import services as spread
from apps.stats.figures import key_figures
from apps.workflow.models import Stage

pytestmark = pytest.mark.django_db


def _move(idea, actor, *keys):
    for key in keys:
        stage = Stage.objects.get(consortium=idea.consortium, key=key)
        reason = "Skäl" if stage.requires_reason else ""
        idea = idea_move(
            idea=idea, actor=actor, to_stage=stage, expected_stage_id=idea.stage_id, reason=reason
        )
    return idea


def test_key_figures_are_the_hand_counted_numbers(world):
    leader = world.process_leader
    open_idea = testing.submit_idea(world.skovde)  # in progress (Received)
    closed = _move(testing.submit_idea(world.hjo), leader, "closed")  # an outcome
    spreading = _move(
        testing.submit_idea(world.skovde), leader, "capture", "assess", "test", "develop", "spread"
    )
    # One idea handed in last year: counted in progress but not "this year".
    old = testing.submit_idea(world.hjo)
    old.created_at = timezone.make_aware(
        timezone.datetime(timezone.localdate().year - 1, 6, 1, 12, 0)
    )
    old.save(update_fields=["created_at"])
    solution = spread.solution_create(
        actor=leader,
        idea=spreading,
        title="Lösning",
        summary="Sammanfattning",
        results="",
        category="care",
        contact=world.coach,
        documents=[],
    )
    spread.adoption_create(
        actor=leader, solution=solution, municipality=world.hjo, owner=world.other_coach
    )
    benefit = spread.benefit_create(
        actor=leader,
        idea=spreading,
        owner=world.coach,
        description="Färre samtal",
        indicator="Samtal per vecka",
        unit="samtal",
        baseline=Decimal("100"),
        target=Decimal("60"),
        how_measured="Räknas",
        phase="realise",
        value_per_unit_sek=Decimal("250"),
    )
    spread.measurement_record(
        actor=leader, benefit=benefit, measured_on=timezone.localdate(), value=Decimal("80")
    )
    figures = dict(key_figures(consortium_id=world.consortium.pk))
    values = list(figures.values())
    # This year: open_idea, closed, spreading = 3; the old one is last year's.
    # In progress (not an outcome): open_idea, spreading, old = 3; closed is an outcome.
    # In use (Spread or Implemented): spreading = 1. Adopting: Hjo = 1.
    # Realised: the indicator should fall from 100 to 60; it is 80: 20 × 250 SEK = 5000.
    assert values[:4] == ["3", "3", "1", "1"]
    assert values[4].replace("\xa0", "").replace(" ", "") == "5000"
    assert closed.stage.is_outcome and open_idea.stage.is_initial
