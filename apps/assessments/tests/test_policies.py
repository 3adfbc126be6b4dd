"""Who may open a round, and where: process leaders at any gate, a coach only where the
process lets coaches move the idea on from its current stage."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from apps.assessments import policies, selectors, services
from apps.assessments.models import AssessmentRound
from apps.core.testing import make_consortium, make_municipality, make_user, submit_idea
from apps.ideas.services import idea_move
from apps.organisations.models import Role
from apps.organisations.selectors import access_for
from apps.workflow.models import Transition

from .helpers import idea_in_assess, move, open_round, stage


def _may_open(person, idea) -> bool:
    idea.refresh_from_db()
    return policies.may_open_round(
        access_for(person), idea, transitions_out=selectors.transitions_out_of(idea)
    )


@pytest.mark.parametrize(
    ("path", "coach_may"),
    [
        ([], True),  # Received → Capture, Closed: coaches may
        (["capture"], True),  # Capture → Assess, Closed, Parked: coaches may
        (["capture", "assess"], True),  # Assess → Capture: coaches may
        (["capture", "assess", "test"], False),  # Test → …: process leaders only
        (["capture", "assess", "test", "develop"], False),
    ],
    ids=["received", "capture", "assess", "test", "develop"],
)
def test_a_coach_opens_a_round_only_where_the_process_lets_coaches_move_on(world, path, coach_may):
    idea = submit_idea(world.skovde)
    for key in path:
        idea = move(world, idea, key)
    assert _may_open(world.coach, idea) is coach_may
    # Process leaders open a round at every gate that is not an outcome.
    assert _may_open(world.process_leader, idea) is True


def test_the_coach_rule_follows_the_process_when_it_is_edited(world):
    idea = idea_in_assess(world)
    assert _may_open(world.coach, idea)
    Transition.objects.filter(from_stage=stage(world, "assess")).update(coach_may=False)
    assert not _may_open(world.coach, idea)
    assert _may_open(world.process_leader, idea)
    # A move coaches may make, added back, opens the gate to them again.
    Transition.objects.filter(
        from_stage=stage(world, "assess"), to_stage=stage(world, "parked")
    ).update(coach_may=True)
    assert _may_open(world.coach, idea)


def test_nobody_opens_a_round_on_an_idea_at_an_outcome(world):
    idea = submit_idea(world.skovde)
    idea = idea_move(
        idea=idea,
        actor=world.coach,
        to_stage=stage(world, "closed"),
        expected_stage_id=idea.stage_id,
        reason="Finns redan.",
    )
    assert not _may_open(world.process_leader, idea)
    assert not _may_open(world.coach, idea)


@pytest.mark.parametrize(
    "actor", ["other_coach", "manager", "communicator", "administrator", "employee"]
)
def test_others_may_not_open_a_round(world, actor):
    idea = idea_in_assess(world)
    person = getattr(world, actor)
    assert not _may_open(person, idea)
    with pytest.raises(PermissionDenied):
        open_round(world, idea, [world.employee], actor=person)


def test_a_process_leader_of_another_consortium_may_not_open_a_round(world):
    idea = idea_in_assess(world)
    elsewhere = make_consortium("Fyrbodal", prefix="FYR")
    make_municipality(elsewhere, "Uddevalla")
    leader = make_user("Lena Annan", (Role.PROCESS_LEADER, elsewhere))
    assert not _may_open(leader, idea)


def test_the_service_refuses_a_coach_where_the_process_does_not_allow(world):
    idea = idea_in_assess(world)
    idea = move(world, idea, "test")
    with pytest.raises(PermissionDenied):
        open_round(world, idea, [world.employee], actor=world.coach)
    assert not AssessmentRound.objects.exists()
    # The page does not exist for the coach either, but does for the process leader.
    client = Client()
    client.force_login(world.coach)
    url = reverse("assessments:round_new", kwargs={"reference": idea.reference})
    assert client.get(url).status_code == 404
    client.force_login(world.process_leader)
    assert client.get(url).status_code == 200


def test_a_coach_may_open_a_round_where_allowed(world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee], actor=world.coach)
    assert round_.opened_by == world.coach


def test_one_open_round_per_idea(world):
    idea = idea_in_assess(world)
    open_round(world, idea, [world.employee])
    with pytest.raises(ValidationError):
        open_round(world, idea, [world.other_coach])
    assert AssessmentRound.objects.filter(idea=idea).count() == 1


def test_a_submitter_with_an_account_may_not_assess_their_own_idea(world):
    idea = idea_in_assess(world, submitter_email=world.employee.email)
    with pytest.raises(ValidationError) as refused:
        open_round(world, idea, [world.employee])
    assert "assessors" in refused.value.message_dict


@pytest.mark.parametrize("actor", ["coach", "process_leader", "manager"])
def test_people_who_can_open_the_idea_may_not_assess_blind(world, actor):
    idea = idea_in_assess(world)
    with pytest.raises(ValidationError) as refused:
        open_round(world, idea, [getattr(world, actor)], blind=True)
    assert "assessors" in refused.value.message_dict
    # The same people may assess when the round is not blind.
    open_round(world, idea, [getattr(world, actor)], blind=False)


def test_who_assessed_the_idea_openly_may_not_assess_it_blind_later(world):
    idea = idea_in_assess(world)
    first = open_round(world, idea, [world.employee], blind=False)
    services.round_close(round=first, actor=world.process_leader)
    with pytest.raises(ValidationError):
        open_round(world, idea, [world.employee], blind=True)
    open_round(world, idea, [world.other_coach], blind=True)


def test_results_are_seen_by_assessors_only_after_handing_in(world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee, world.coach])
    own = round_.assignments.get(assessor=world.employee)
    assert not policies.may_see_results(access_for(world.employee), idea, own)
    # The coach works the idea, but as a waiting assessor of this round sees only their own.
    coach_own = round_.assignments.get(assessor=world.coach)
    assert not policies.may_see_results(access_for(world.coach), idea, coach_own)
    # The process leader works the idea and is not an assessor: sees everything.
    assert policies.may_see_results(access_for(world.process_leader), idea, None)
