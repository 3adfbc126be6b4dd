"""RFC 5545 calendar files for meetings, built with the `icalendar` package.

Invitations follow iTIP (RFC 5546): METHOD:REQUEST for a new or moved meeting and
METHOD:CANCEL for a cancelled one, always with the meeting's stable UID and its current
SEQUENCE (the services raise it on every change a participant must see). Times carry
TZID=Europe/Stockholm with the VTIMEZONE that defines it, so every calendar program
shows the same wall-clock time. The private feed is the same events without a METHOD.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Meeting, Participant

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Sluss//Meetings//EN"
TIME_ZONE = "Europe/Stockholm"

#: The MIME type of an attached invitation, per RFC 6047 (iMIP). Django's mail adds
#: `charset="utf-8"` to a text attachment itself; naming it here would repeat it.
REQUEST_MIMETYPE = "text/calendar; method=REQUEST"
CANCEL_MIMETYPE = "text/calendar; method=CANCEL"
#: A calendar file served over HTTP: the feed, or the booked meeting to download.
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(TIME_ZONE))


def _address(email: str, name: str, **params) -> vCalAddress:
    # icalendar is imported where a calendar is built: 3 MB that stayed resident in
    # every process, web and worker, most of which never build one.
    from icalendar import vCalAddress

    return vCalAddress.new(email, cn=name or None, **params)


def _description(meeting: Meeting, *, internal: bool) -> str | None:
    """The agenda and the video link. The idea's reference and title, and the meeting's
    page, only in the feed (read by people in the sluice): an invitation also goes to
    outside participants and the submitter, who are shown the meeting, not the idea."""
    parts = []
    if meeting.description:
        parts.append(meeting.description)
    if meeting.video_link:
        parts.append(meeting.video_link)
    if internal:
        path = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
        parts.append(f"{meeting.idea.reference} {meeting.idea.title}\n{settings.SITE_URL}{path}")
    return "\n\n".join(parts) or None


def _event(
    meeting: Meeting,
    participants: Iterable[Participant],
    *,
    stamp: datetime,
    cancelled: bool,
    internal: bool = False,
) -> Event:
    from icalendar import Event

    organiser = meeting.organiser
    attendees = [
        _address(
            p.address,
            p.display_name,
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp=True,
        )
        for p in participants
    ]
    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=stamp,
        start=_local(meeting.booked_start),
        end=_local(meeting.booked_end),
        summary=meeting.title,
        description=_description(meeting, internal=internal),
        location=meeting.location or (meeting.video_link or None),
        organizer=_address(organiser.email, str(organiser)),
        attendees=attendees,
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=meeting.video_link or None,
    )
    return event


def _calendar(events: list[Event], *, method: str | None) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    if events:
        # A VTIMEZONE covering the events' years and the next, not 1970–2038.
        years = [e.start.year for e in events]
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return calendar


def invitation(
    meeting: Meeting,
    participants: Iterable[Participant],
    *,
    now: datetime | None = None,
    cancel: bool | None = None,
) -> str:
    """The meeting as it is booked now (METHOD:REQUEST), for a first invitation or an
    update; or its cancellation (METHOD:CANCEL) when the meeting is cancelled or `cancel`
    says so (for a participant taken off a meeting that goes on)."""
    if cancel is None:
        cancel = meeting.status == Meeting.Status.CANCELLED
    event = _event(meeting, participants, stamp=now or timezone.now(), cancelled=cancel)
    calendar = _calendar([event], method="CANCEL" if cancel else "REQUEST")
    return calendar.to_ical().decode()


def invitation_attachment(
    meeting: Meeting,
    participants: Iterable[Participant],
    *,
    now: datetime | None = None,
    cancel: bool | None = None,
) -> dict:
    """The invitation (or cancellation) as an outbox attachment."""
    if cancel is None:
        cancel = meeting.status == Meeting.Status.CANCELLED
    return {
        "filename": "cancel.ics" if cancel else "invite.ics",
        "content": invitation(meeting, participants, now=now, cancel=cancel),
        "mimetype": CANCEL_MIMETYPE if cancel else REQUEST_MIMETYPE,
    }


def feed(meetings: Iterable[Meeting], *, name: str, now: datetime | None = None) -> str:
    """A subscribable calendar of booked meetings (no METHOD: it is a published
    calendar, not a message). Each meeting needs `active_participants` prefetched."""
    stamp = now or timezone.now()
    events = [
        _event(m, m.active_participants, stamp=stamp, cancelled=False, internal=True)
        for m in meetings
        if m.status == Meeting.Status.BOOKED
    ]
    calendar = _calendar(events, method=None)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIME_ZONE)
    return calendar.to_ical().decode()
