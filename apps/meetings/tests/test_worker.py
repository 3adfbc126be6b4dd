"""The invitations leave through the real task worker: each participant's email carries
the calendar file as a text/calendar part with METHOD, as Outlook and Google read it."""

import email

import icalendar
import pytest
from django.core import mail

from apps.core.testing import run_worker
from apps.meetings import services
from apps.meetings.testing import idea_in, make_meeting
from apps.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=True)


def _calendar_part(message) -> tuple[str, icalendar.Calendar]:
    """The calendar part of a sent email, as the receiving mail program sees it."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True).decode())


def test_booking_and_cancelling_send_emails_with_calendar_files(world):
    idea = idea_in(world.skovde, submitter_email="ida@skovde.se")
    meeting = make_meeting(
        idea,
        world.coach,
        users=[world.process_leader],
        submitters=[idea.submitters.get()],
        guests=[("Anna Expert", "anna@his.se")],
    )
    run_worker()
    polls = [m for m in mail.outbox if not m.attachments]
    assert sorted(m.to[0] for m in polls if "/meetings/p/" in m.body) == [
        "anna@his.se",
        "ida@skovde.se",
        "pl@skaraborg.se",
    ]
    mail.outbox.clear()

    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    run_worker()
    assert OutboxEmail.objects.filter(kind="meeting_booked", status="sent").count() == 4
    invited = {m.to[0]: m for m in mail.outbox}
    assert set(invited) == {"anna@his.se", "ida@skovde.se", "pl@skaraborg.se", "coach@skovde.se"}
    for address, message in invited.items():
        [(filename, _content, _mimetype)] = message.attachments
        assert filename == "invite.ics"
        part, calendar = _calendar_part(message)
        assert part.get_param("method") == "REQUEST"
        assert part.get_content_charset() == "utf-8"
        assert str(part["Content-Type"]).count("charset") == 1
        assert part.get_filename() == "invite.ics"
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == meeting.uid
        attendees = {str(a).lower() for a in event["ATTENDEE"]}
        assert attendees == {"mailto:anna@his.se", "mailto:ida@skovde.se", "mailto:pl@skaraborg.se"}
        assert meeting.title in message.subject, address
    mail.outbox.clear()

    services.meeting_cancel(meeting=meeting, actor=world.coach, message="Sjukdom.")
    run_worker()
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        part, calendar = _calendar_part(message)
        assert part.get_param("method") == "CANCEL"
        assert calendar["METHOD"] == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (
            meeting.uid,
            1,
            "CANCELLED",
        )
        assert "Sjukdom." in message.body
