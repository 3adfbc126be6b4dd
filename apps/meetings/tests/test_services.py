"""Meeting services: who may organise, who gets which email when, the idea's timeline,
private links that are per participant and revocable, and proposing free times."""

from datetime import UTC, datetime, time, timedelta

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core import testing
from apps.ideas.models import TimelineEntry
from apps.meetings import selectors, services
from apps.meetings.models import Meeting, Participant
from apps.meetings.testing import days_ahead, idea_in, make_meeting
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role


def _kinds(recipient: str | None = None) -> list[str]:
    emails = OutboxEmail.objects.order_by("pk")
    if recipient:
        emails = emails.filter(recipient=recipient)
    return list(emails.values_list("kind", flat=True))


def _timeline(idea) -> list[tuple[str, str]]:
    return list(
        TimelineEntry.objects.filter(idea=idea)
        .filter(Q(kind__startswith="meeting") | Q(kind="action_item"))
        .order_by("created_at", "pk")
        .values_list("kind", "body")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "other_coach", "employee", "communicator"])
def test_only_those_who_work_the_idea_organise(world, who):
    idea = idea_in(world.skovde, unit=world.skovde_unit)
    with pytest.raises(PermissionDenied):
        make_meeting(idea, getattr(world, who))
    meeting = make_meeting(idea, world.process_leader)
    with pytest.raises(PermissionDenied):
        services.meeting_book(
            meeting=meeting, actor=getattr(world, who), option=meeting.options.first()
        )
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_participants_get_their_own_link_once_the_poll_has_times(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(
        idea, world.coach, starts=[], guests=[("Anna Expert", "Anna.Expert@HIS.se")]
    )
    anna = meeting.participants.get()
    assert anna.email == "anna.expert@his.se"  # addresses are kept in lower case
    assert _kinds("anna.expert@his.se") == []  # nothing to answer yet
    services.meeting_add_options(meeting=meeting, actor=world.coach, starts=[days_ahead(5)])
    services.meeting_invite(
        meeting=meeting, actor=world.coach, guests=[services.Guest("Bo", "bo@almi.se")]
    )
    services.meeting_add_options(meeting=meeting, actor=world.coach, starts=[days_ahead(6)])
    assert _kinds("anna.expert@his.se") == ["meeting_poll", "meeting_poll_new_times"]
    assert _kinds("bo@almi.se") == ["meeting_poll", "meeting_poll_new_times"]
    [poll] = OutboxEmail.objects.filter(recipient="anna.expert@his.se", kind="meeting_poll")
    assert f"/meetings/p/{anna.access_token}/" in poll.body
    bo = meeting.participants.get(email="bo@almi.se")
    assert anna.access_token != bo.access_token
    assert len(anna.access_token) >= 43  # 256-bit HMAC; the salt alone is 128 bits
    assert anna.token_hash != anna.access_token  # only the hash is looked up


@pytest.mark.django_db
def test_a_guest_with_a_colleague_s_address_is_invited_as_the_colleague(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, guests=[("Erik", "ERIK@skovde.se")])
    participant = meeting.participants.get()
    assert participant.user == world.employee and participant.email == ""
    assert participant.kind == Participant.Kind.USER


@pytest.mark.django_db
def test_invitations_are_checked(world):
    idea = idea_in(world.skovde)
    other_idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, users=[world.process_leader])
    with pytest.raises(ValidationError) as refused:
        services.meeting_invite(meeting=meeting, actor=world.coach, users=[world.other_coach])
    assert "users" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.meeting_invite(
            meeting=meeting, actor=world.coach, submitters=[other_idea.submitters.get()]
        )
    assert "submitters" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.meeting_invite(
            meeting=meeting, actor=world.coach, guests=[services.Guest("", "x@example.se")]
        )
    assert "guests" in refused.value.error_dict
    with pytest.raises(ValidationError):  # already invited
        services.meeting_invite(meeting=meeting, actor=world.coach, users=[world.process_leader])


@pytest.mark.django_db
def test_taking_someone_off_kills_their_link_and_inviting_them_again_gives_a_new_one(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, guests=[("Anna", "anna@his.se")])
    anna = meeting.participants.get()
    old_token = anna.access_token
    services.participant_answer(
        participant=anna, answers={o.pk: "yes" for o in meeting.options.all()}
    )
    services.participant_remove(participant=anna, actor=world.coach)
    with pytest.raises(Http404):
        selectors.participant_for_token(old_token)
    services.meeting_invite(
        meeting=meeting, actor=world.coach, guests=[services.Guest("Anna", "anna@his.se")]
    )
    anna.refresh_from_db()
    assert anna.revoked_at is None and anna.answered_at is None
    assert anna.access_token != old_token
    assert not anna.answers.exists()
    assert selectors.participant_for_token(anna.access_token) == anna
    with pytest.raises(Http404):
        selectors.participant_for_token(old_token)
    assert _kinds("anna@his.se") == ["meeting_poll", "meeting_poll"]


@pytest.mark.django_db
def test_someone_invited_to_a_booked_meeting_gets_the_invitation_not_the_poll(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, users=[world.process_leader])
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    before = OutboxEmail.objects.count()
    services.meeting_invite(
        meeting=meeting, actor=world.coach, guests=[services.Guest("Bo", "bo@almi.se")]
    )
    [email] = OutboxEmail.objects.order_by("pk")[before:]
    assert (email.recipient, email.kind) == ("bo@almi.se", "meeting_booked")
    assert email.attachments[0]["filename"] == "invite.ics"
    event = icalendar.Calendar.from_ical(email.attachments[0]["content"]).events[0]
    attendees = {str(a).lower() for a in event["ATTENDEE"]}
    assert attendees == {"mailto:pl@skaraborg.se", "mailto:bo@almi.se"}


@pytest.mark.django_db
def test_the_timeline_tells_the_meeting_s_story(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(
        idea,
        world.coach,
        title="Uppstart",
        starts=[days_ahead(7, 9), days_ahead(8, 13)],
        users=[world.process_leader],
    )
    first, second = meeting.options.order_by("start")
    services.meeting_book(meeting=meeting, actor=world.coach, option=first)
    services.meeting_book(meeting=meeting, actor=world.coach, option=second)
    services.meeting_save_notes(
        meeting=meeting, actor=world.coach, notes="Alla var där.", decisions="Vi testar i vår."
    )
    services.meeting_save_notes(
        meeting=meeting, actor=world.coach, notes="Alla var där.", decisions="Vi testar i vår."
    )
    item = services.action_item_add(
        idea=idea,
        meeting=meeting,
        actor=world.coach,
        title="Boka lokal",
        owner=world.process_leader,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    services.action_item_complete(item=item, actor=world.process_leader)
    services.action_item_complete(item=item, actor=world.process_leader)  # nothing more
    services.meeting_cancel(meeting=meeting, actor=world.coach, message="Sjukdom.")
    start = timezone.localtime(second.start)
    when = f"{start:%Y-%m-%d %H:%M}–{start + timedelta(hours=1):%H:%M}"
    kinds = [kind for kind, _body in _timeline(idea)]
    assert kinds == [
        "meeting_booked",
        "meeting_booked",
        "meeting_notes",
        "action_item",
        "action_item",
        "meeting_cancelled",
    ]
    bodies = [body for _kind, body in _timeline(idea)]
    assert when in bodies[1] and "Uppstart" in bodies[1]
    assert "Alla var där." in bodies[2] and "Vi testar i vår." in bodies[2]
    assert "Boka lokal" in bodies[3] and "Petra Process" in bodies[3]
    assert "Boka lokal" in bodies[4]
    assert "Sjukdom." in bodies[5] and when in bodies[5]
    # The submitter never sees any of it on their private page.
    visible = TimelineEntry.objects.filter(idea=idea, kind__in=TimelineEntry.SUBMITTER_VISIBLE)
    assert not visible.filter(kind__startswith="meeting").exists()
    with pytest.raises(ValidationError):
        services.meeting_book(meeting=meeting, actor=world.coach, option=first)


@pytest.mark.django_db
def test_cancelling_a_poll_tells_those_who_had_it(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, guests=[("Anna", "anna@his.se")])
    services.meeting_cancel(meeting=meeting, actor=world.coach)
    assert _kinds("anna@his.se") == ["meeting_poll", "meeting_poll_closed"]
    assert not [e for e in OutboxEmail.objects.all() if e.attachments]


@pytest.mark.django_db
def test_action_items_are_owned_by_someone_who_works_the_idea(world):
    idea = idea_in(world.skovde)
    today = timezone.localdate()
    for owner, due in (
        (world.other_coach, today),
        (world.manager, today),
        (world.coach, today - timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            services.action_item_add(
                idea=idea, actor=world.coach, title="Ring", owner=owner, due_date=due
            )
    services.action_item_add(
        idea=idea, actor=world.coach, title="Ring", owner=world.coach, due_date=today
    )
    services.action_item_add(
        idea=idea, actor=world.coach, title="Skriv", owner=world.process_leader, due_date=today
    )
    # Told when someone else gave it; not when they wrote it themselves.
    assert [k for k in _kinds() if k.startswith("meeting")] == ["meeting_action_item"]
    assert OutboxEmail.objects.get(kind="meeting_action_item").recipient == "pl@skaraborg.se"
    with pytest.raises(PermissionDenied):
        services.action_item_add(
            idea=idea, actor=world.manager, title="X", owner=world.coach, due_date=today
        )


@pytest.mark.django_db
def test_the_calendar_feed_can_be_renewed_and_turned_off(world):
    feed = services.calendar_feed_reset(user=world.coach)
    first = feed.access_token
    assert selectors.feed_owner(first) == world.coach
    renewed = services.calendar_feed_reset(user=world.coach)
    assert renewed.pk == feed.pk and renewed.access_token != first
    with pytest.raises(Http404):
        selectors.feed_owner(first)
    services.calendar_feed_stop(user=world.coach)
    with pytest.raises(Http404):
        selectors.feed_owner(renewed.access_token)


FREEBUSY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//EN
BEGIN:VFREEBUSY
DTSTART:{start}
DTEND:{end}
FREEBUSY:{start}/{end}
END:VFREEBUSY
END:VCALENDAR
"""


@pytest.mark.django_db
def test_the_system_proposes_times_when_the_participants_are_free(world):
    if not services.proposing_available():
        pytest.skip("The slot finder and free/busy modules are not installed.")
    from apps.meetings.slots import is_working_day

    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, starts=[], guests=[("Anna", "anna@his.se")])
    day = timezone.localdate() + timedelta(days=7)
    while not is_working_day(day):
        day += timedelta(days=1)
    # Anna is busy the whole first working day of the window.
    busy_from = timezone.make_aware(datetime.combine(day, time(0, 0)))
    utc = "%Y%m%dT%H%M%SZ"
    Participant.objects.filter(meeting=meeting).update(
        availability_ics=FREEBUSY.format(
            start=busy_from.astimezone(UTC).strftime(utc),
            end=(busy_from + timedelta(days=1)).astimezone(UTC).strftime(utc),
        )
    )
    options = services.meeting_propose_options(
        meeting=meeting, actor=world.coach, start=day, days=14, count=4
    )
    assert len(options) == 4
    for option in options:
        local = timezone.localtime(option.start)
        assert local.date() != day
        assert is_working_day(local.date())
        assert local.hour >= 8 and timezone.localtime(option.end).hour <= 17
        assert option.end - option.start == timedelta(minutes=60)
    assert _kinds("anna@his.se") == ["meeting_poll"]
    with pytest.raises(ValidationError):
        services.meeting_propose_options(
            meeting=meeting, actor=world.coach, start=day - timedelta(days=30), days=7, count=3
        )


@pytest.mark.django_db
def test_a_user_who_leaves_keeps_no_role_over_meetings(world):
    idea = idea_in(world.skovde)
    leaver = testing.make_user("Lea Lämnar", (Role.COACH, world.skovde))
    meeting = make_meeting(idea, leaver)
    leaver.is_active = False
    leaver.save()
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, actor=leaver)
    # A colleague who works the idea takes over: the organiser is not the only one.
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    # The organiser has left: no copy is sent to their address.
    assert not OutboxEmail.objects.filter(recipient=leaver.email, kind="meeting_booked").exists()


@pytest.mark.django_db
def test_a_colleague_whose_account_is_closed_gets_no_more_emails(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, users=[world.process_leader])
    world.process_leader.is_active = False
    world.process_leader.save()
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    assert _kinds("pl@skaraborg.se") == ["meeting_poll"]
    [copy] = OutboxEmail.objects.filter(kind="meeting_booked")
    assert copy.recipient == "coach@skovde.se"
    assert "pl@skaraborg.se" not in copy.attachments[0]["content"]
