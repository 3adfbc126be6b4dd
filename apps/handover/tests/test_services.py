"""Handing over in one step, and deactivation that refuses to leave anything orphaned."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.core import testing
from apps.handover import services
from apps.handover.selectors import MUST_MOVE, holdings_of
from apps.ideas.models import TimelineEntry
from apps.notifications.models import OutboxEmail
from apps.organisations import services as organisation_services
from apps.organisations.models import Role

from .scenario import make_leaver

pytestmark = pytest.mark.django_db


def _holder(kind: str, item):
    item.refresh_from_db()
    field = MUST_MOVE[kind].rpartition(".")[2]
    return getattr(item, f"{field}_id")


def test_deactivating_a_coach_who_owns_ideas_without_a_successor_is_refused(world):
    leaver = make_leaver(world)
    with pytest.raises(ValidationError) as caught:
        organisation_services.person_deactivate(actor=world.administrator, person=leaver.person)
    message = caught.value.messages[0]
    assert leaver.ideas[0].reference in message
    leaver.person.refresh_from_db()
    assert leaver.person.is_active

    check = organisation_services.person_deactivation_check(
        actor=world.administrator, person=leaver.person
    )
    assert check.refusal and check.holdings.must_move


def test_a_handover_without_a_successor_is_refused_and_moves_nothing(world):
    leaver = make_leaver(world)
    with pytest.raises(ValidationError) as caught:
        services.handover_perform(
            actor=world.administrator, person=leaver.person, successors={}, deactivate=True
        )
    assert set(caught.value.error_dict) == set(MUST_MOVE)
    assert holdings_of(leaver.person).count == len(leaver.ideas) + len(leaver.objects)
    leaver.person.refresh_from_db()
    assert leaver.person.is_active


def test_with_a_successor_every_item_moves_and_the_timeline_says_so(world):
    leaver = make_leaver(world)
    successor = world.process_leader

    result = services.handover_perform(
        actor=world.administrator,
        person=leaver.person,
        successors={"all": successor},
        deactivate=True,
    )

    for idea in leaver.ideas:
        idea.refresh_from_db()
        assert idea.owner_id == successor.pk
        entry = idea.timeline.filter(kind=TimelineEntry.Kind.OWNER_CHANGED).latest("pk")
        assert entry.actor_id == world.administrator.pk
        assert str(leaver.person) in entry.body and str(successor) in entry.body
    for kind, item in leaver.objects.items():
        assert _holder(kind, item) == successor.pk, kind
    # Items that belong to an idea the leaver did not own are noted on that idea too.
    assessed = leaver.objects["assessments"].round.idea
    note = assessed.timeline.filter(kind=TimelineEntry.Kind.NOTE).latest("pk")
    assert str(leaver.person) in note.body and str(successor) in note.body

    assert not holdings_of(leaver.person).must_move
    leaver.person.refresh_from_db()
    assert result.deactivated and not leaver.person.is_active
    assert result.count == len(leaver.ideas) + len(leaver.objects)

    summary = OutboxEmail.objects.get(kind="handover")
    assert summary.recipient == successor.email
    assert leaver.ideas[0].reference in summary.body

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.HANDOVER)
    assert event.subject.user_id == leaver.person.pk
    assert event.actor.user_id == world.administrator.pk
    assert event.detail["ideas"] == {"count": 2, "to_user_ids": [successor.pk]}
    # The deactivation is recorded once (by the audit app's signal), not twice.
    deactivations = AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSON_DEACTIVATED)
    assert [e.subject.user_id for e in deactivations] == [leaver.person.pk]


def test_one_successor_per_group(world):
    leaver = make_leaver(world)
    services.handover_perform(
        actor=world.administrator,
        person=leaver.person,
        successors={"all": world.process_leader, "newsletters": world.communicator},
        deactivate=False,
    )
    assert _holder("newsletters", leaver.objects["newsletters"]) == world.communicator.pk
    assert _holder("meetings", leaver.objects["meetings"]) == world.process_leader.pk
    leaver.person.refresh_from_db()
    assert leaver.person.is_active
    assert {e.recipient for e in OutboxEmail.objects.filter(kind="handover")} == {
        world.process_leader.email,
        world.communicator.email,
    }


def test_a_hjo_coach_cannot_take_skovde_ideas(world):
    leaver = make_leaver(world)
    with pytest.raises(ValidationError) as caught:
        services.handover_perform(
            actor=world.administrator,
            person=leaver.person,
            successors={"all": world.other_coach},
            deactivate=True,
        )
    errors = caught.value.error_dict
    assert "ideas" in errors
    # The Hjo coach may hold the Hjo adoption, so that group is not refused.
    assert "adoptions" not in errors
    for idea in leaver.ideas:
        idea.refresh_from_db()
        assert idea.owner_id == leaver.person.pk
    assert not OutboxEmail.objects.filter(kind="handover").exists()


def test_a_communicator_may_take_the_drafts_but_not_the_ideas(world):
    leaver = make_leaver(world)
    with pytest.raises(ValidationError) as caught:
        services.handover_perform(
            actor=world.administrator,
            person=leaver.person,
            successors={"all": world.communicator},
            deactivate=False,
        )
    errors = caught.value.error_dict
    assert "newsletters" not in errors and "showcase" not in errors
    assert "ideas" in errors and "meetings" in errors


def test_deactivated_people_and_the_leaver_cannot_succeed(world):
    leaver = make_leaver(world)
    gone = testing.make_user("Gone", (Role.PROCESS_LEADER, world.consortium), email="g@x.se")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    for successor in (gone, leaver.person):
        with pytest.raises(ValidationError):
            services.handover_perform(
                actor=world.administrator,
                person=leaver.person,
                successors={"all": successor},
                deactivate=False,
            )


def test_only_an_administrator_of_the_person_hands_over(world):
    leaver = make_leaver(world)
    for actor in (world.process_leader, world.coach, world.employee):
        with pytest.raises(PermissionDenied):
            services.handover_perform(
                actor=actor,
                person=leaver.person,
                successors={"all": world.process_leader},
                deactivate=False,
            )


def test_an_assessor_who_handed_the_idea_in_cannot_take_the_assessment(world):
    leaver = make_leaver(world)
    assignment = leaver.objects["assessments"]
    submitter = assignment.round.idea.submitters.get(is_primary=True)
    successor = testing.make_user(
        "Sara Submitter", (Role.PROCESS_LEADER, world.consortium), email=submitter.email
    )
    with pytest.raises(ValidationError) as caught:
        services.handover_perform(
            actor=world.administrator,
            person=leaver.person,
            successors={"all": world.process_leader, "assessments": successor},
            deactivate=False,
        )
    assert set(caught.value.error_dict) == {"assessments"}


def test_nothing_held_deactivates_straight_away(world):
    result = services.handover_perform(
        actor=world.administrator, person=world.other_coach, successors={}, deactivate=True
    )
    world.other_coach.refresh_from_db()
    assert result.deactivated and result.count == 0 and not world.other_coach.is_active
    assert len(mail.outbox) == 0
