"""Invitations, updates and cancellations as calendar programs read them: every file the
services put in the outbox parses with the `icalendar` library and carries DTSTART and
DTEND with TZID=Europe/Stockholm (and the VTIMEZONE defining it), the ORGANIZER, every
ATTENDEE, the meeting's stable UID and a SEQUENCE that grows with every change."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from apps.meetings import ical, services
from apps.meetings.models import Meeting
from apps.meetings.testing import days_ahead, idea_in, make_meeting
from apps.notifications.models import OutboxEmail

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GUEST = "anna.expert@his.se"


@pytest.fixture
def meeting(world) -> Meeting:
    idea = idea_in(world.skovde, submitter_name="Ida Idébärare", submitter_email="ida@skovde.se")
    return make_meeting(
        idea,
        world.coach,
        title="Planera testet på Ekbacken",
        location="Stadshuset, rum 3",
        video_link="https://meet.example.se/ekbacken",
        starts=[days_ahead(7, 9), days_ahead(8, 13, 30)],
        users=[world.process_leader],
        submitters=[idea.submitters.get()],
        guests=[("Anna Expert", GUEST)],
    )


def _calendars(kind: str) -> dict[str, icalendar.Calendar]:
    """The calendar file of each email of this kind, by recipient, parsed."""
    parsed = {}
    for email in OutboxEmail.objects.filter(kind=kind).order_by("pk"):
        [attachment] = email.attachments
        assert attachment["filename"].endswith(".ics")
        assert attachment["mimetype"].startswith("text/calendar; method=")
        calendar = icalendar.Calendar.from_ical(attachment["content"])
        assert attachment["mimetype"] == f"text/calendar; method={calendar['METHOD']}"
        parsed[email.recipient] = calendar
    return parsed


def _event(calendar: icalendar.Calendar) -> icalendar.Event:
    [event] = calendar.walk("VEVENT")
    return event


def _assert_event(calendar, meeting: Meeting, *, method: str, attendees: set[str]) -> None:
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == method
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    event = _event(calendar)
    assert str(event["UID"]) == meeting.uid
    assert event["SEQUENCE"] == meeting.sequence
    assert event["DTSTAMP"].dt.tzinfo is not None
    for prop in ("DTSTART", "DTEND"):
        assert event[prop].params["TZID"] == "Europe/Stockholm", prop
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == meeting.booked_start and end == meeting.booked_end
    assert start.utcoffset() == meeting.booked_start.astimezone(STOCKHOLM).utcoffset()
    assert str(event["SUMMARY"]) == meeting.title
    assert str(event["LOCATION"]) == meeting.location
    assert meeting.video_link in str(event["DESCRIPTION"])
    assert str(event["URL"]) == meeting.video_link
    organizer = event["ORGANIZER"]
    assert str(organizer).lower() == f"mailto:{meeting.organiser.email}"
    assert organizer.params["CN"] == meeting.organiser.full_name
    listed = event.get("ATTENDEE")
    listed = listed if isinstance(listed, list) else [listed]
    assert {str(a).lower().removeprefix("mailto:") for a in listed} == attendees
    for attendee in listed:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["CN"]
    assert event["STATUS"] == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")


def test_booking_sends_each_participant_a_request(world, meeting):
    option = meeting.options.order_by("start").last()
    services.meeting_book(meeting=meeting, actor=world.coach, option=option)
    meeting.refresh_from_db()
    everyone = {"pl@skaraborg.se", "ida@skovde.se", GUEST}
    calendars = _calendars("meeting_booked")
    # Each participant, and a copy for the organiser's own calendar.
    assert set(calendars) == everyone | {"coach@skovde.se"}
    for calendar in calendars.values():
        _assert_event(calendar, meeting, method="REQUEST", attendees=everyone)
    event = _event(calendars[GUEST])
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == days_ahead(8, 13, 30)
    assert event.decoded("DTEND") == days_ahead(8, 14, 30)
    # The invitation is about the meeting: outside participants learn nothing of the idea.
    assert meeting.idea.reference not in calendars[GUEST].to_ical().decode()
    # The names with Swedish letters survive the round trip.
    names = {a.params["CN"] for a in event["ATTENDEE"]}
    assert names == {"Petra Process", "Ida Idébärare", "Anna Expert"}


def test_moving_updating_and_cancelling_keep_the_uid_and_raise_the_sequence(world, meeting):
    first, second = meeting.options.order_by("start")
    services.meeting_book(meeting=meeting, actor=world.coach, option=first)
    services.meeting_book(meeting=meeting, actor=world.process_leader, option=second)
    services.meeting_update_details(
        meeting=meeting,
        actor=world.coach,
        title=meeting.title,
        location="Biblioteket, Skövde",
        video_link=meeting.video_link,
        description="1. Läget\n2. Testplanen",
    )
    services.meeting_cancel(meeting=meeting, actor=world.coach, message="Vi ses i vår i stället.")
    meeting.refresh_from_db()
    assert meeting.sequence == 3

    booked, moved = _calendars("meeting_booked"), _calendars("meeting_moved")
    updated, cancelled = _calendars("meeting_updated"), _calendars("meeting_cancelled")
    uids, sequences = set(), []
    for calendars, method in (
        (booked, "REQUEST"),
        (moved, "REQUEST"),
        (updated, "REQUEST"),
        (cancelled, "CANCEL"),
    ):
        event = _event(calendars[GUEST])
        assert calendars[GUEST]["METHOD"] == method
        uids.add(str(event["UID"]))
        sequences.append(event["SEQUENCE"])
    assert uids == {meeting.uid}
    assert sequences == [0, 1, 2, 3]
    assert _event(booked[GUEST]).decoded("DTSTART") == first.start
    assert _event(moved[GUEST]).decoded("DTSTART") == second.start
    assert str(_event(updated[GUEST])["LOCATION"]) == "Biblioteket, Skövde"
    everyone = {"pl@skaraborg.se", "ida@skovde.se", GUEST}
    _assert_event(cancelled[GUEST], meeting, method="CANCEL", attendees=everyone)
    assert set(cancelled) == everyone | {"coach@skovde.se"}


def test_booking_the_booked_time_again_sends_nothing(world, meeting):
    option = meeting.options.first()
    services.meeting_book(meeting=meeting, actor=world.coach, option=option)
    services.meeting_book(meeting=meeting, actor=world.coach, option=option)
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert not OutboxEmail.objects.filter(kind="meeting_moved").exists()


def test_a_participant_taken_off_a_booked_meeting_gets_a_cancel_the_others_keep_it(world, meeting):
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    guest = meeting.participants.get(email=GUEST)
    services.participant_remove(participant=guest, actor=world.coach)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.BOOKED and meeting.sequence == 1
    [calendar] = _calendars("meeting_participant_removed").values()
    assert calendar["METHOD"] == "CANCEL"
    event = _event(calendar)
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 1
    assert str(event["ATTENDEE"]).lower() == f"mailto:{GUEST}"
    # A later change reaches the others with a still higher sequence, without the guest.
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.last())
    moved = _calendars("meeting_moved")
    assert GUEST not in moved
    assert _event(moved["pl@skaraborg.se"])["SEQUENCE"] == 2


def test_a_meeting_across_the_change_to_summer_time_keeps_its_wall_clock_time(world):
    idea = idea_in(world.skovde)
    # 29 March 2037 is the last Sunday of March: the clocks go forward at 02:00.
    march = datetime(2037, 3, 30, 9, 0, tzinfo=STOCKHOLM)
    meeting = Meeting.objects.create(
        idea=idea,
        organiser=world.coach,
        title="Efter sommartiden",
        status=Meeting.Status.BOOKED,
        booked_start=march,
        booked_end=datetime(2037, 3, 30, 10, 0, tzinfo=STOCKHOLM),
    )
    calendar = icalendar.Calendar.from_ical(ical.invitation(meeting, []))
    event = _event(calendar)
    assert event["DTSTART"].to_ical() == b"20370330T090000"
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 2 * 3600
    # A program that knows no zone names reads the attached VTIMEZONE: it says the same.
    [zone] = calendar.walk("VTIMEZONE")
    defined = zone.to_tz()
    assert datetime(2037, 3, 30, 9, 0, tzinfo=defined).utcoffset().total_seconds() == 7200
    assert datetime(2037, 3, 27, 9, 0, tzinfo=defined).utcoffset().total_seconds() == 3600


def test_the_invitation_has_no_location_line_without_a_place(world):
    idea = idea_in(world.skovde)
    meeting = make_meeting(idea, world.coach, location="", video_link="")
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    event = _event(icalendar.Calendar.from_ical(ical.invitation(meeting, [])))
    assert "LOCATION" not in event and "URL" not in event
    assert "ATTENDEE" not in event
