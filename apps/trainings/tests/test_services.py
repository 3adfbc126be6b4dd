"""Registration, the waiting list, cancellation and promotion, attendance, and changing
or cancelling a session; with the emails and calendar invitations each causes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from apps.core import testing
from apps.notifications.models import OutboxEmail
from apps.trainings import services
from apps.trainings.models import Registration
from apps.trainings.testing import make_course, make_session, move_to_past, register

REGISTERED = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def calendar_of(email: OutboxEmail) -> Calendar:
    (attachment,) = email.attachments
    return Calendar.from_ical(attachment["content"])


def event_of(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def emails_to(user, kind: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(recipient=user.email, kind=kind).order_by("pk"))


@pytest.fixture
def course(world):
    return make_course(world)


@pytest.fixture
def people(world):
    return [testing.make_user(f"Deltagare {n}") for n in range(4)]


def test_registering_takes_a_seat_and_sends_a_calendar_invitation(world, course):
    session = make_session(
        course, world.communicator, seats=2, online_link="https://meet.example/x"
    )
    registration = register(world.manager, session, world.skovde, world.skovde_unit)

    assert registration.status == REGISTERED
    assert registration.municipality == world.skovde and registration.unit == world.skovde_unit
    (email,) = emails_to(world.manager, "trainings_registered")
    assert email.attachments[0]["mimetype"] == "text/calendar; method=REQUEST"
    calendar = calendar_of(email)
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == registration.calendar_uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == session.starts_at
    # In UTC: "DTSTART:20261211T090000Z", with no TZID to resolve.
    raw = email.attachments[0]["content"]
    assert re.search(r"^DTSTART:\d{8}T\d{6}Z\r?$", raw, re.M)
    assert re.search(r"^DTEND:\d{8}T\d{6}Z\r?$", raw, re.M)
    assert "TZID" not in raw
    assert event["DTEND"].dt == session.ends_at
    assert str(event["LOCATION"]) == session.place
    assert str(event["URL"]) == "https://meet.example/x"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == f"mailto:{world.manager.email}"
    assert str(event["SUMMARY"]) == course.title


def test_a_full_session_puts_people_on_the_waiting_list_in_order(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    first = register(people[0], session, world.skovde)
    second = register(people[1], session, world.hjo)
    third = register(people[2], session, world.hjo)

    assert [first.status, second.status, third.status] == [REGISTERED, WAITING, WAITING]
    assert (second.place, third.place) == (1, 2)
    (waiting_email,) = emails_to(people[2], "trainings_waiting")
    assert waiting_email.attachments == []
    assert "2" in waiting_email.body
    assert not emails_to(people[2], "trainings_registered")
    session.refresh_from_db()
    assert session.seats_left == 0 and session.waiting_count == 2


def test_one_active_registration_per_person_and_session(world, course):
    session = make_session(course, world.communicator)
    registration = register(world.manager, session, world.skovde)
    with pytest.raises(ValidationError):
        register(world.manager, session, world.skovde)
    services.registration_cancel(actor=world.manager, registration=registration)
    again = register(world.manager, session, world.skovde)
    assert again.status == REGISTERED and again.uid != registration.uid
    assert Registration.objects.filter(session=session, user=world.manager).count() == 2


def test_a_cancelled_seat_goes_to_the_first_waiting_who_is_invited(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    seated = register(people[0], session, world.skovde)
    first_waiting = register(people[1], session, world.skovde)
    second_waiting = register(people[2], session, world.hjo)

    services.registration_cancel(actor=people[0], registration=seated)

    seated.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert seated.status == CANCELLED and seated.cancelled_at is not None
    assert first_waiting.status == REGISTERED and first_waiting.promoted_at is not None
    assert second_waiting.status == WAITING
    # The one who cancelled gets the calendar cancellation: same UID, higher SEQUENCE.
    (invite,) = emails_to(people[0], "trainings_registered")
    (cancel,) = emails_to(people[0], "trainings_cancelled")
    assert calendar_of(cancel)["METHOD"] == "CANCEL"
    assert cancel.attachments[0]["mimetype"] == "text/calendar; method=CANCEL"
    assert event_of(calendar_of(cancel))["UID"] == event_of(calendar_of(invite))["UID"]
    assert event_of(calendar_of(cancel))["SEQUENCE"] > event_of(calendar_of(invite))["SEQUENCE"]
    assert str(event_of(calendar_of(cancel))["STATUS"]) == "CANCELLED"
    # The one who moved up gets the invitation.
    (promoted,) = emails_to(people[1], "trainings_promoted")
    assert calendar_of(promoted)["METHOD"] == "REQUEST"
    assert str(event_of(calendar_of(promoted))["UID"]) == first_waiting.calendar_uid
    assert not emails_to(people[2], "trainings_promoted")


def test_leaving_the_waiting_list_promotes_nobody(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    register(people[0], session, world.skovde)
    waiting = register(people[1], session, world.skovde)
    behind = register(people[2], session, world.skovde)
    services.registration_cancel(actor=people[1], registration=waiting)
    behind.refresh_from_db()
    assert behind.status == WAITING
    (email,) = emails_to(people[1], "trainings_cancelled")
    assert email.attachments == []  # they never had a seat in their calendar


def test_only_the_person_cancels_their_registration(world, course):
    session = make_session(course, world.communicator)
    registration = register(world.manager, session, world.skovde)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=world.communicator, registration=registration)
    registration.refresh_from_db()
    assert registration.status == REGISTERED


def test_registration_refuses_a_closed_or_foreign_choice(world, course):
    session = make_session(course, world.communicator)
    with pytest.raises(ValidationError) as error:
        register(world.manager, session, world.skovde, unit=testing.make_unit(world.hjo, "Skola"))
    assert "unit" in error.value.error_dict
    elsewhere = testing.make_municipality(testing.make_consortium("Fyrbodal", "FYR"), "Lysekil")
    with pytest.raises(ValidationError) as error:
        register(world.manager, session, elsewhere)
    assert "municipality" in error.value.error_dict
    Session = type(session)
    Session.objects.filter(pk=session.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        register(world.manager, session, world.skovde)
    assert not Registration.objects.filter(session=session).exists()


def test_more_seats_move_the_waiting_list_up(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    for person in people[:3]:
        register(person, session, world.skovde)
    services.session_update(
        actor=world.communicator,
        session=session,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session.place,
        online_link="",
        seats=2,
    )
    statuses = list(
        Registration.objects.filter(session=session)
        .order_by("created_at", "pk")
        .values_list("status", flat=True)
    )
    assert statuses == [REGISTERED, REGISTERED, WAITING]
    assert len(emails_to(people[1], "trainings_promoted")) == 1
    # Nothing about the time or place changed: nobody gets an update.
    assert not OutboxEmail.objects.filter(kind="trainings_session_changed").exists()


def test_moving_a_session_sends_updated_invitations_to_those_with_a_seat(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    seated = register(people[0], session, world.skovde)
    register(people[1], session, world.skovde)
    later = session.starts_at + timedelta(days=1)
    services.session_update(
        actor=world.process_leader,
        session=session,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        place="Hjo bibliotek",
        online_link="",
        seats=1,
    )
    (update,) = emails_to(people[0], "trainings_session_changed")
    event = event_of(calendar_of(update))
    assert calendar_of(update)["METHOD"] == "REQUEST"
    assert str(event["UID"]) == seated.calendar_uid
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == later
    assert str(event["LOCATION"]) == "Hjo bibliotek"
    assert not emails_to(people[1], "trainings_session_changed")


def test_fewer_seats_than_taken_is_refused(world, course, people):
    session = make_session(course, world.communicator, seats=3)
    register(people[0], session, world.skovde)
    register(people[1], session, world.skovde)
    with pytest.raises(ValidationError) as error:
        services.session_update(
            actor=world.communicator,
            session=session,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            place=session.place,
            online_link="",
            seats=1,
        )
    assert "seats" in error.value.error_dict
    session.refresh_from_db()
    assert session.seats == 3


def test_cancelling_a_session_tells_everyone_and_ends_the_registrations(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    seated = register(people[0], session, world.skovde)
    waiting = register(people[1], session, world.hjo)

    services.session_cancel(actor=world.communicator, session=session, message="Sjuk lärare.")

    session.refresh_from_db()
    assert session.is_cancelled
    assert set(Registration.objects.filter(session=session).values_list("status", flat=True)) == {
        CANCELLED
    }
    (to_seated,) = emails_to(people[0], "trainings_session_cancelled")
    assert "Sjuk lärare." in to_seated.body
    event = event_of(calendar_of(to_seated))
    assert calendar_of(to_seated)["METHOD"] == "CANCEL"
    assert str(event["UID"]) == seated.calendar_uid and event["SEQUENCE"] == 1
    (to_waiting,) = emails_to(people[1], "trainings_session_cancelled")
    assert to_waiting.attachments == []
    assert waiting.pk  # told, without a calendar file
    with pytest.raises(ValidationError):
        register(people[2], session, world.skovde)


def test_only_those_who_run_the_consortium_s_trainings_manage_them(world, course):
    for outsider in (world.coach, world.manager, world.administrator, world.employee):
        with pytest.raises(PermissionDenied):
            make_session(course, outsider)
        with pytest.raises(PermissionDenied):
            make_course(world, actor=outsider)
    leader_elsewhere = testing.make_user(
        "Lena", (testing.Role.PROCESS_LEADER, testing.make_consortium("Fyrbodal", "FYR"))
    )
    with pytest.raises(PermissionDenied):
        make_session(course, leader_elsewhere)
    assert make_session(course, world.process_leader).pk


def test_attendance_is_marked_after_the_start_and_recorded_with_who(world, course, people):
    session = make_session(course, world.communicator, seats=2)
    first = register(people[0], session, world.skovde)
    second = register(people[1], session, world.skovde)
    waiting = register(people[2], session, world.skovde)
    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=world.communicator, session=session, attendance={first.pk: True}
        )
    move_to_past(session)
    changed = services.attendance_mark(
        actor=world.communicator,
        session=session,
        attendance={first.pk: True, second.pk: False, waiting.pk: True},
    )
    assert changed == 2
    first.refresh_from_db()
    second.refresh_from_db()
    waiting.refresh_from_db()
    assert (first.attended, second.attended, waiting.attended) == (True, False, None)
    assert first.marked_by == world.communicator and first.marked_at is not None
    services.attendance_mark(actor=world.communicator, session=session, attendance={first.pk: None})
    first.refresh_from_db()
    assert first.attended is None and first.marked_by is None
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=world.manager, session=session, attendance={first.pk: True})


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_invitation_and_the_promotion(world, course, people):
    session = make_session(course, world.communicator, seats=1)
    seated = register(people[0], session, world.skovde)
    register(world.manager, session, world.skovde, world.skovde_unit)
    services.registration_cancel(actor=people[0], registration=seated)
    testing.run_worker()

    to_manager = [m for m in mail.outbox if m.to == [world.manager.email]]
    assert len(to_manager) == 2  # on the waiting list, then moved up
    promoted = to_manager[-1]
    ((filename, content, mimetype),) = promoted.attachments
    assert filename == "invite.ics"
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert calendar["METHOD"] == "REQUEST"
    registration = Registration.objects.get(session=session, user=world.manager)
    assert str(event_of(calendar)["UID"]) == registration.calendar_uid
    to_first = [m for m in mail.outbox if m.to == [people[0].email]]
    assert len(to_first) == 2
    assert Calendar.from_ical(to_first[-1].attachments[0][1])["METHOD"] == "CANCEL"


def test_a_registration_is_kept_once_the_session_has_started(world, course):
    session = make_session(course, world.communicator)
    registration = register(world.manager, session, world.skovde)
    move_to_past(session)
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=world.manager, registration=registration)
    registration.refresh_from_db()
    assert registration.status == REGISTERED
