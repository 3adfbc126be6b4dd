"""RFC 5545 invitations to training sessions, built with the `icalendar` package.

Each registration is its own calendar event for its person: the UID is the
registration's and never changes, so an update (METHOD:REQUEST, higher SEQUENCE) or a
cancellation (METHOD:CANCEL, higher SEQUENCE) replaces the same entry in their calendar
program (iTIP, RFC 5546). Times are written in UTC, which every calendar program shows
in its own time zone. The organiser is the sluice's sending address.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from .models import Registration, Session

if TYPE_CHECKING:
    from icalendar import Event, vCalAddress

PRODID = "-//Sluss//Trainings//EN"
#: The MIME types of an attached invitation (iMIP, RFC 6047).
REQUEST_MIMETYPE = "text/calendar; method=REQUEST"
CANCEL_MIMETYPE = "text/calendar; method=CANCEL"
#: A calendar file served over HTTP.
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _organizer(session: Session) -> vCalAddress:
    # icalendar is imported where a calendar is built: 3 MB that stayed resident in
    # every process, web and worker, most of which never build one.
    from icalendar import vCalAddress

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = session.course.consortium.name if session.course_id else name
    return organizer


def _event(session: Session, *, uid: str, sequence: int, stamp: datetime, cancel: bool, user=None):
    from icalendar import Event, vCalAddress

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", session.course.title)
    page = f"{settings.SITE_URL}{session.get_absolute_url()}"
    description = [session.course.description] if session.course.description else []
    if session.online_link:
        description.append(session.online_link)
    description.append(page)
    event.add("description", "\n\n".join(description))
    event.add("location", session.place or session.online_link)
    event.add("url", session.online_link or page)
    event.add("organizer", _organizer(session))
    if user is not None:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = str(user)
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "ACCEPTED"
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    return event


def _calendar(event: Event, *, method: str | None) -> str:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def invitation(registration: Registration, *, cancel: bool = False, now=None) -> str:
    """The person's seat as a METHOD:REQUEST invitation, or its METHOD:CANCEL."""
    event = _event(
        registration.session,
        uid=registration.calendar_uid,
        sequence=registration.sequence,
        stamp=now or timezone.now(),
        cancel=cancel,
        user=registration.user,
    )
    return _calendar(event, method="CANCEL" if cancel else "REQUEST")


def invitation_attachment(registration: Registration, *, cancel: bool = False, now=None) -> dict:
    """The invitation (or cancellation) as an outbox attachment."""
    return {
        "filename": "cancel.ics" if cancel else "invite.ics",
        "content": invitation(registration, cancel=cancel, now=now),
        "mimetype": CANCEL_MIMETYPE if cancel else REQUEST_MIMETYPE,
    }


def download(session: Session, registration: Registration | None = None) -> str:
    """The session as a calendar file to download (no METHOD: a file, not a message).
    Someone with a seat gets it under their invitation's UID, so it does not show twice."""
    if registration is not None:
        uid, sequence, user = registration.calendar_uid, registration.sequence, registration.user
    else:
        uid, sequence, user = f"training-session-{session.pk}@sluss", session.sequence, None
    event = _event(
        session,
        uid=uid,
        sequence=sequence,
        stamp=timezone.now(),
        cancel=session.is_cancelled,
        user=user,
    )
    return _calendar(event, method=None)
