"""The idea services: moves and their rules, the timeline, owners, notes and messages.

Services are the only writers, so the rules tested here hold for every page and the API
alike: who may make which move, what needs a reason, what is recorded on the timeline,
and who is told by email (through the outbox) and who is not.
"""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.testing import make_user, submit_idea
from apps.ideas import selectors, services
from apps.ideas.models import Idea, TimelineEntry
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role
from apps.workflow.models import Stage


def _stage(world, key: str) -> Stage:
    return Stage.objects.get(consortium=world.consortium, key=key)


def _with_co_submitter(world, **overrides) -> Idea:
    return submit_idea(
        world.skovde,
        submitter_email="ida@skovde.se",
        co_submitters=[services.CoSubmitter(name="Bo Berg", email="bo@skovde.se")],
        **overrides,
    )


def _move(idea, actor, key, world, reason="", message=""):
    return services.idea_move(
        idea=idea,
        actor=actor,
        to_stage=_stage(world, key),
        expected_stage_id=idea.stage_id,
        reason=reason,
        message=message,
    )


def _unchanged(idea: Idea, stage: Stage, outbox: int) -> None:
    """A refused move leaves no trace: same stage, no decision, no email."""
    idea.refresh_from_db()
    assert idea.stage == stage
    assert not idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).exists()
    assert OutboxEmail.objects.count() == outbox


# --- Moves: the rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "target"),
    [([], "closed"), (["capture"], "parked"), (["capture"], "closed")],
    ids=["received-closed", "capture-parked", "capture-closed"],
)
@pytest.mark.parametrize("reason", ["", "   \n "], ids=["empty", "blank"])
def test_closing_or_parking_needs_a_reason(world, path, target, reason):
    idea = submit_idea(world.skovde)
    for key in path:
        idea = _move(idea, world.coach, key, world)
    stage, outbox = idea.stage, OutboxEmail.objects.count()
    moves_before = idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count()
    with pytest.raises(ValidationError) as refused:
        _move(idea, world.coach, target, world, reason=reason)
    assert "reason" in refused.value.message_dict
    idea.refresh_from_db()
    assert idea.stage == stage
    assert idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count() == moves_before
    assert OutboxEmail.objects.count() == outbox
    # With a reason the same move goes through.
    moved = _move(idea, world.coach, target, world, reason="Finns redan i Hjo.")
    assert moved.stage.key == target


def test_assess_to_test_is_for_process_leaders_only(world):
    idea = submit_idea(world.skovde)
    idea = _move(idea, world.coach, "capture", world)
    idea = _move(idea, world.coach, "assess", world)
    outbox = OutboxEmail.objects.count()
    with pytest.raises(PermissionDenied):
        _move(idea, world.coach, "test", world)
    idea.refresh_from_db()
    assert idea.stage.key == "assess"
    assert idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count() == 2
    assert OutboxEmail.objects.count() == outbox
    # The same move is a process leader's gate decision.
    assert _move(idea, world.process_leader, "test", world).stage.key == "test"
    assert idea.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count() == 3


def test_a_coach_of_another_municipality_cannot_move_the_idea(world):
    idea = submit_idea(world.skovde)
    outbox = OutboxEmail.objects.count()
    # Received → Capture is a coach's move, but not for Hjo's coach on a Skövde idea.
    with pytest.raises(PermissionDenied):
        _move(idea, world.other_coach, "capture", world)
    _unchanged(idea, _stage(world, "received"), outbox)


@pytest.mark.parametrize("who", ["manager", "communicator", "administrator", "employee"])
def test_people_without_a_working_role_cannot_move(world, who):
    idea = submit_idea(world.skovde, unit=world.skovde_unit)
    outbox = OutboxEmail.objects.count()
    with pytest.raises(PermissionDenied):
        _move(idea, getattr(world, who), "capture", world)
    _unchanged(idea, _stage(world, "received"), outbox)


def test_a_move_that_is_not_in_the_process_is_refused(world):
    idea = submit_idea(world.skovde)
    outbox = OutboxEmail.objects.count()
    # Received → Implemented is no allowed move, even for a process leader.
    with pytest.raises(PermissionDenied):
        _move(idea, world.process_leader, "implemented", world)
    _unchanged(idea, _stage(world, "received"), outbox)


def test_a_stale_move_gets_a_conflict_and_changes_nothing(world):
    idea = submit_idea(world.skovde)
    stale = Idea.objects.get(pk=idea.pk)
    _move(idea, world.coach, "capture", world)
    outbox = OutboxEmail.objects.count()
    with pytest.raises(services.StageConflict) as conflict:
        services.idea_move(
            idea=stale,
            actor=world.process_leader,
            to_stage=_stage(world, "closed"),
            expected_stage_id=_stage(world, "received").pk,
            reason="Dubblett.",
        )
    assert conflict.value.current_stage.key == "capture"
    stale.refresh_from_db()
    assert stale.stage.key == "capture"
    assert stale.timeline.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).count() == 1
    assert OutboxEmail.objects.count() == outbox


# --- Moves: what is recorded and who is told ---------------------------------------


def test_a_move_is_recorded_and_every_submitter_is_told(world):
    idea = _with_co_submitter(world)
    OutboxEmail.objects.all().delete()
    before = timezone.now()
    moved = _move(
        idea,
        world.coach,
        "closed",
        world,
        reason="  Finns redan i Hjo.  ",
        message="Hör gärna av dig till Hjo.",
    )
    assert moved.stage.key == "closed"
    idea.refresh_from_db()
    assert idea.stage.key == "closed"
    assert idea.stage_entered_at >= before
    entry = idea.timeline.get(kind=TimelineEntry.Kind.STAGE_CHANGED)
    assert entry.from_stage.key == "received"
    assert entry.to_stage.key == "closed"
    assert entry.actor == world.coach
    assert entry.body == "Finns redan i Hjo."
    assert entry.created_at == idea.stage_entered_at
    message = idea.timeline.get(kind=TimelineEntry.Kind.MESSAGE_TO_SUBMITTER)
    assert (message.body, message.actor) == ("Hör gärna av dig till Hjo.", world.coach)

    emails = {e.recipient: e for e in OutboxEmail.objects.all()}
    assert set(emails) == {"ida@skovde.se", "bo@skovde.se"}
    for email in emails.values():
        assert email.kind == "idea_stage_changed"
        assert email.status == OutboxEmail.Status.PENDING
        assert idea.reference in email.subject
        assert "Finns redan i Hjo." in email.body
        assert "Hör gärna av dig till Hjo." in email.body
    # Each submitter gets their own private link.
    for submitter in idea.submitters.all():
        link = reverse("ideas:submitter_page", args=[submitter.access_token])
        assert link in emails[submitter.email].body


def test_a_submitter_whose_link_was_revoked_is_not_told(world):
    idea = _with_co_submitter(world)
    idea.submitters.filter(email="bo@skovde.se").update(link_revoked_at=timezone.now())
    OutboxEmail.objects.all().delete()
    _move(idea, world.coach, "capture", world)
    assert list(OutboxEmail.objects.values_list("recipient", flat=True)) == ["ida@skovde.se"]


def test_time_in_stages_is_derived_from_the_timeline(world):
    idea = submit_idea(world.skovde)
    idea = _move(idea, world.coach, "capture", world)
    idea = _move(idea, world.coach, "assess", world)
    # Put the recorded events at known moments: handed in 10 days ago, captured 3 days
    # later, sent to assessment 5 days after that.
    start = timezone.now() - timedelta(days=10)
    moments = {
        TimelineEntry.Kind.SUBMITTED: [start],
        TimelineEntry.Kind.STAGE_CHANGED: [start + timedelta(days=3), start + timedelta(days=8)],
    }
    for kind, times in moments.items():
        for entry, moment in zip(idea.timeline.filter(kind=kind), times, strict=True):
            TimelineEntry.objects.filter(pk=entry.pk).update(created_at=moment)
    # A note in between is not a move and must not split a stage.
    note = services.idea_add_note(idea=idea, actor=world.coach, body="Ringt Ida.")
    TimelineEntry.objects.filter(pk=note.pk).update(created_at=start + timedelta(days=4))

    spans = selectors.time_in_stages(idea)

    assert [s.stage.key for s in spans] == ["received", "capture", "assess"]
    assert [s.entered_at for s in spans] == [
        start,
        start + timedelta(days=3),
        start + timedelta(days=8),
    ]
    assert spans[0].duration == timedelta(days=3)
    assert spans[1].duration == timedelta(days=5)
    assert spans[2].left_at is None
    assert timedelta(days=2) <= spans[2].duration < timedelta(days=2, minutes=5)


def test_time_in_stages_counts_a_stage_visited_twice_as_two_spans(world):
    idea = submit_idea(world.skovde)
    for key in ["capture", "assess", "capture"]:
        idea = _move(idea, world.coach, key, world)
    spans = selectors.time_in_stages(idea)
    assert [s.stage.key for s in spans] == ["received", "capture", "assess", "capture"]
    assert all(a.left_at == b.entered_at for a, b in itertools.pairwise(spans))


# --- Owners ------------------------------------------------------------------------------


def test_assigning_an_owner_records_it_and_emails_the_owner(world):
    idea = submit_idea(world.skovde)
    OutboxEmail.objects.all().delete()
    services.idea_assign_owner(idea=idea, actor=world.process_leader, owner=world.coach)
    idea.refresh_from_db()
    assert idea.owner == world.coach
    entry = idea.timeline.get(kind=TimelineEntry.Kind.OWNER_CHANGED)
    assert entry.actor == world.process_leader
    email = OutboxEmail.objects.get()
    assert email.recipient == world.coach.email
    assert email.kind == "idea_owner_assigned"
    assert idea.reference in email.subject


def test_an_owner_who_turned_the_email_off_is_not_emailed(world):
    world.coach.notify_owner_assigned = False
    world.coach.save()
    idea = submit_idea(world.skovde)
    OutboxEmail.objects.all().delete()
    services.idea_assign_owner(idea=idea, actor=world.process_leader, owner=world.coach)
    idea.refresh_from_db()
    assert idea.owner == world.coach
    assert not OutboxEmail.objects.exists()


def test_taking_an_idea_yourself_sends_no_email(world):
    idea = submit_idea(world.skovde)
    OutboxEmail.objects.all().delete()
    services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("who", ["other_coach", "manager", "communicator"])
def test_the_owner_must_be_able_to_work_on_the_idea(world, who):
    idea = submit_idea(world.skovde, unit=world.skovde_unit)
    with pytest.raises(ValidationError):
        services.idea_assign_owner(idea=idea, actor=world.coach, owner=getattr(world, who))
    idea.refresh_from_db()
    assert idea.owner is None


def test_only_people_who_work_the_idea_may_assign_an_owner(world):
    idea = submit_idea(world.skovde, unit=world.skovde_unit)
    for outsider in [world.other_coach, world.manager, world.employee]:
        with pytest.raises(PermissionDenied):
            services.idea_assign_owner(idea=idea, actor=outsider, owner=world.coach)


# --- Notes, messages and the submitter's private page ----------------------------------


def test_notes_never_reach_the_submitter_page_but_messages_do(world, client):
    idea = _with_co_submitter(world)
    services.idea_add_note(idea=idea, actor=world.coach, body="HEMLIG-ANTECKNING om chefen")
    services.idea_message_submitters(idea=idea, actor=world.coach, body="Kan vi ses på tisdag?")
    idea = _move(idea, world.coach, "capture", world)
    services.idea_add_note(idea=idea, actor=world.process_leader, body="HEMLIG-NOTIS två")

    for submitter in idea.submitters.all():
        page = client.get(reverse("ideas:submitter_page", args=[submitter.access_token]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "Kan vi ses på tisdag?" in content
        assert "HEMLIG" not in content
        assert _stage(world, "capture").name_sv in content
    # The coach sees both on the idea page.
    client.force_login(world.coach)
    content = client.get(reverse("ideas:detail", args=[idea.reference])).content.decode()
    assert "HEMLIG-ANTECKNING om chefen" in content
    assert "Kan vi ses på tisdag?" in content


def test_a_message_to_the_submitters_emails_each_of_them(world):
    idea = _with_co_submitter(world)
    OutboxEmail.objects.all().delete()
    services.idea_message_submitters(idea=idea, actor=world.coach, body="Kan vi ses på tisdag?")
    emails = OutboxEmail.objects.all()
    assert {e.recipient for e in emails} == {"ida@skovde.se", "bo@skovde.se"}
    assert all("Kan vi ses på tisdag?" in e.body for e in emails)


def test_a_note_emails_nobody(world):
    idea = _with_co_submitter(world)
    services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    OutboxEmail.objects.all().delete()
    services.idea_add_note(idea=idea, actor=world.process_leader, body="Intern sak.")
    assert not OutboxEmail.objects.exists()


def test_a_manager_reads_but_writes_neither_notes_nor_messages(world):
    idea = submit_idea(world.skovde, unit=world.skovde_unit)
    with pytest.raises(PermissionDenied):
        services.idea_add_note(idea=idea, actor=world.manager, body="Chefens notis.")
    with pytest.raises(PermissionDenied):
        services.idea_message_submitters(idea=idea, actor=world.manager, body="Hej.")
    assert not idea.timeline.exclude(kind=TimelineEntry.Kind.SUBMITTED).exists()


def test_a_reply_through_the_private_link_lands_on_the_timeline_and_emails_the_owner(world, client):
    idea = submit_idea(world.skovde, submitter_email="ida@skovde.se")
    services.idea_assign_owner(idea=idea, actor=world.process_leader, owner=world.coach)
    submitter = idea.submitters.get()
    OutboxEmail.objects.all().delete()

    url = reverse("ideas:submitter_page", args=[submitter.access_token])
    response = client.post(url, {"body": "Tisdag passar bra."})

    assert response.status_code == 302
    assert response["Location"] == url
    entry = idea.timeline.get(kind=TimelineEntry.Kind.MESSAGE_FROM_SUBMITTER)
    assert entry.body == "Tisdag passar bra."
    assert entry.actor_submitter == submitter
    email = OutboxEmail.objects.get()
    assert email.recipient == world.coach.email
    assert email.kind == "idea_submitter_wrote"
    assert "Tisdag passar bra." in email.body
    # The reply is on the submitter's page too, and on the coach's.
    assert "Tisdag passar bra." in client.get(url).content.decode()


def test_a_reply_to_an_idea_without_owner_emails_the_municipality_coaches(world, client):
    second_coach = make_user("Sara Skövde", (Role.COACH, world.skovde), email="sara@skovde.se")
    idea = submit_idea(world.skovde)
    OutboxEmail.objects.all().delete()
    client.post(
        reverse("ideas:submitter_page", args=[idea.submitters.get().access_token]),
        {"body": "Jag har mer att berätta."},
    )
    recipients = set(OutboxEmail.objects.values_list("recipient", flat=True))
    assert recipients == {world.coach.email, second_coach.email}


def test_an_owner_who_turned_submitter_email_off_is_not_emailed(world):
    world.coach.notify_submitter_message = False
    world.coach.save()
    idea = submit_idea(world.skovde)
    services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    OutboxEmail.objects.all().delete()
    services.idea_submitter_reply(submitter=idea.submitters.get(), body="Hej!")
    assert idea.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_FROM_SUBMITTER).exists()
    assert not OutboxEmail.objects.exists()


def test_a_revoked_link_opens_nothing_and_takes_no_reply(world, client):
    idea = submit_idea(world.skovde)
    submitter = idea.submitters.get()
    token = submitter.access_token
    submitter.link_revoked_at = timezone.now()
    submitter.save()
    url = reverse("ideas:submitter_page", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hallå?"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.idea_submitter_reply(submitter=submitter, body="Hallå?")
    assert not idea.timeline.filter(kind=TimelineEntry.Kind.MESSAGE_FROM_SUBMITTER).exists()
