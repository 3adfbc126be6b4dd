"""A participant shares their availability from their private page: an uploaded .ics
file (checked, at most 1 MB) or a calendar address that the real worker fetches; the
page says what is shared, or why an address could not be read."""

import contextlib
import http.server
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.testing import run_worker
from apps.meetings import freebusy
from apps.meetings.models import Meeting, Participant
from apps.meetings.testing import days_ahead, idea_in, make_meeting

FIXTURES = Path(__file__).parent / "fixtures"


def _calendar(start: datetime, end: datetime) -> str:
    stamp = "%Y%m%dT%H%M%SZ"
    utc = [t.astimezone(freebusy.UTC) for t in (start, end)]
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:busy@test\r\nDTSTAMP:{utc[0]:{stamp}}\r\n"
        f"DTSTART:{utc[0]:{stamp}}\r\nDTEND:{utc[1]:{stamp}}\r\n"
        "SUMMARY:Upptagen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


BUSY = (days_ahead(3, 9), days_ahead(3, 12))
CALENDAR = _calendar(*BUSY)


@pytest.fixture(autouse=True)
def english(client):
    """The page in English, as the messages are written here."""
    client.cookies["sluss_language"] = "en"


@pytest.fixture
def meeting(world) -> Meeting:
    idea = idea_in(world.skovde)
    return make_meeting(
        idea,
        world.coach,
        starts=[days_ahead(7, 9), days_ahead(8, 13)],
        guests=[("Anna Expert", "anna@his.se")],
    )


def _guest(meeting: Meeting) -> Participant:
    return meeting.participants.get(email="anna@his.se")


def _url(participant: Participant) -> str:
    return reverse("meetings:answer_availability", args=[participant.access_token])


def _page(participant: Participant) -> str:
    return reverse("meetings:answer", args=[participant.access_token])


def _upload(text: str | bytes, name: str = "kalender.ics") -> SimpleUploadedFile:
    body = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, body, content_type="text/calendar")


@pytest.mark.django_db
def test_the_page_offers_to_share_a_calendar(client, meeting):
    response = client.get(_page(_guest(meeting)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Share your availability (optional)" in page
    assert 'enctype="multipart/form-data"' in page
    assert _url(_guest(meeting)) in page


@pytest.mark.django_db
def test_an_uploaded_file_is_stored_and_proposing_avoids_the_busy_time(client, meeting):
    guest = _guest(meeting)
    response = client.post(_url(guest), {"availability-ics_file": _upload(CALENDAR)})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.availability_ics == CALENDAR
    assert guest.availability_read_at is not None
    assert freebusy.busy_blocks_for(
        [guest], BUSY[0] - timedelta(days=1), BUSY[1] + timedelta(1)
    ) == [BUSY]
    page = client.get(_page(guest)).content.decode()
    assert "Your calendar file was shared on" in page

    # Taken back: nothing is shared any more.
    assert client.post(_url(guest), {"availability-remove": "on"}).status_code == 302
    guest.refresh_from_db()
    assert guest.availability_ics == "" and guest.availability_read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>not a calendar</html>", "could not be read as a calendar"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * 1_000_001, "larger than 1 MB"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_stored(client, meeting, body, message):
    guest = _guest(meeting)
    response = client.post(
        _url(guest), {"availability-ics_file": _upload(body), "availability-url": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    guest.refresh_from_db()
    assert guest.availability_ics == "" and guest.availability_read_at is None


@pytest.mark.django_db
def test_an_empty_form_or_a_bad_address_is_refused_with_the_value_kept(client, meeting):
    guest = _guest(meeting)
    assert client.post(_url(guest), {}).status_code == 400
    response = client.post(_url(guest), {"availability-url": "ftp://kalender.example/a.ics"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "begins with https:// or http://" in page
    assert 'value="ftp://kalender.example/a.ics"' in page
    guest.refresh_from_db()
    assert guest.availability_url == ""


@pytest.mark.django_db
def test_a_wrong_or_revoked_link_is_not_found(client, meeting, world):
    assert client.post(reverse("meetings:answer_availability", args=["wrong"])).status_code == 404
    guest = _guest(meeting)
    url = _url(guest)
    Participant.objects.filter(pk=guest.pk).update(revoked_at=days_ahead(0))
    assert client.post(url, {"availability-ics_file": _upload(CALENDAR)}).status_code == 404
    assert client.get(url).status_code in (404, 405)


@pytest.mark.django_db
def test_a_cancelled_meeting_takes_no_calendar(client, meeting):
    guest = _guest(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client.post(_url(guest), {"availability-ics_file": _upload(CALENDAR)})
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.availability_ics == ""


# --- A calendar address, read by the real worker ------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def do_GET(self):
        if self.path == "/anna.ics":
            body = CALENDAR.encode()
        elif self.path == "/huge.ics":
            body = b"BEGIN:VCALENDAR\r\n" + b"X" * 1_100_000
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.django_db(transaction=True)
def test_a_calendar_address_is_fetched_by_the_worker(client, meeting, server, settings):
    settings.SLUSS_CALENDAR_FETCH_ALLOW_PRIVATE = True
    guest = _guest(meeting)
    response = client.post(_url(guest), {"availability-url": f"{server}/anna.ics"})
    assert response.status_code == 302
    assert "will be read in a moment" in client.get(_page(guest)).content.decode()
    run_worker()
    guest.refresh_from_db()
    assert guest.availability_ics == CALENDAR
    assert guest.availability_read_at is not None and guest.availability_error == ""
    page = client.get(_page(guest)).content.decode()
    assert f"Your calendar address {server}/anna.ics was read on" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "message"),
    [("/huge.ics", "larger than allowed"), ("/missing.ics", "answered 404")],
)
def test_an_address_that_cannot_be_read_shows_why(client, meeting, server, settings, path, message):
    settings.SLUSS_CALENDAR_FETCH_ALLOW_PRIVATE = True
    guest = _guest(meeting)
    client.post(_url(guest), {"availability-url": f"{server}{path}"})
    run_worker()
    guest.refresh_from_db()
    assert guest.availability_ics == "" and message in guest.availability_error
    page = client.get(_page(guest)).content.decode()
    assert "could not be read" in page and message in page


@pytest.mark.django_db(transaction=True)
def test_the_servers_own_network_is_refused_by_default(client, meeting, server):
    guest = _guest(meeting)
    client.post(_url(guest), {"availability-url": f"{server}/anna.ics"})
    run_worker()
    guest.refresh_from_db()
    assert guest.availability_ics == "" and "Refusing" in guest.availability_error


@pytest.mark.django_db(transaction=True)
def test_the_periodic_job_reads_stale_calendar_addresses_again(client, meeting, server, settings):
    """While the poll is open, a calendar read more than an hour ago is read again, so
    proposals follow the participant's calendar; a fresh read is left alone."""
    from django.utils import timezone

    from apps.meetings.services import refresh_shared_calendars

    settings.SLUSS_CALENDAR_FETCH_ALLOW_PRIVATE = True
    guest = _guest(meeting)
    client.post(_url(guest), {"availability-url": f"{server}/anna.ics"})
    run_worker()
    guest.refresh_from_db()
    first_read = guest.availability_read_at
    assert first_read is not None

    # Just read: nothing to do.
    assert refresh_shared_calendars(now=timezone.now()) == 0

    # Two hours later the address is read again by the worker.
    Participant.objects.filter(pk=guest.pk).update(availability_ics="stale")
    later = timezone.now() + timedelta(hours=2)
    assert refresh_shared_calendars(now=later) == 1
    run_worker()
    guest.refresh_from_db()
    assert guest.availability_ics == CALENDAR
    assert guest.availability_read_at > first_read

    # Once the meeting is booked or cancelled, nobody needs the calendar any more.
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert refresh_shared_calendars(now=later + timedelta(hours=2)) == 0
