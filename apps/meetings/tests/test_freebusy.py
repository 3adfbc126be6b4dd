"""Free/busy from iCalendar files: an Outlook/Exchange free/busy file (VFREEBUSY), a
Google Calendar export and an Outlook calendar export (VEVENTs), each hand-written in
fixtures/ with the busy times worked out by hand below; and fetching a calendar URL
from a small server on 127.0.0.1 (never the internet): schemes, size limit, timeout.
"""

import contextlib
import http.server
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from apps.meetings.freebusy import (
    CalendarFetchError,
    InvalidCalendar,
    busy_blocks_for,
    busy_blocks_from_ics,
    check_ics,
    fetch_ics,
    normalise_calendar_url,
)
from apps.meetings.slots import propose_slots

FIXTURES = Path(__file__).parent / "fixtures"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
WINDOW = (datetime(2026, 3, 9, tzinfo=STOCKHOLM), datetime(2026, 4, 11, tzinfo=STOCKHOLM))


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def local(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=STOCKHOLM)


def as_local(blocks):
    return [(a.astimezone(STOCKHOLM), b.astimezone(STOCKHOLM)) for a, b in blocks]


def test_outlook_free_busy_file():
    blocks = busy_blocks_from_ics(read("outlook_freebusy.ics"), *WINDOW)
    assert as_local(blocks) == [
        # FBTYPE=BUSY, two periods on one folded line (and a third after the fold).
        (local(3, 9, 13), local(3, 9, 14)),
        (local(3, 10, 9), local(3, 10, 10, 30)),
        # BUSY-TENTATIVE is busy.
        (local(3, 11, 15), local(3, 11, 16)),
        # FBTYPE=FREE on the 12th is not; BUSY-UNAVAILABLE (out of office) is.
        (local(3, 13, 8), local(3, 13, 17)),
        (local(3, 17, 14), local(3, 17, 16)),
        # A period given as start and duration, after the change to summer time.
        (local(3, 30, 8, 30), local(3, 30, 10, 30)),
        # The period in May is outside the window.
    ]
    assert all(a.tzinfo == UTC for a, _ in blocks)


def test_google_calendar_export():
    blocks = busy_blocks_from_ics(read("google_calendar.ics"), *WINDOW)
    assert as_local(blocks) == [
        # Stand-by from 23:00 the evening before, clipped to the window.
        (local(3, 9, 0), local(3, 9, 1)),
        # The weekly management meeting, 09:00 Stockholm time...
        (local(3, 9, 9), local(3, 9, 10)),
        # ...a meeting given in UTC (13:00Z is 14:00 in winter)...
        (local(3, 10, 14), local(3, 10, 15, 30)),
        # (the cancelled coffee on the 11th, the transparent reminder on the 12th and
        # the transparent birthday on the 13th are free)
        # ...a webinar in New York time (10:00 EDT is 15:00 CET)...
        (local(3, 17, 15), local(3, 17, 16)),
        # ...the weekly meeting: the 16th is an exception (EXDATE), the 23rd was moved...
        (local(3, 23, 13), local(3, 23, 14)),
        # ...and after the change to summer time it stays at 09:00 local time.
        (local(3, 30, 9), local(3, 30, 10)),
        # An all-day holiday over two days, midnight to midnight in Stockholm.
        (local(4, 1, 0), local(4, 3, 0)),
        (local(4, 6, 9), local(4, 6, 10)),
        # The event in May is outside the window.
    ]


def test_outlook_calendar_export_with_windows_time_zone_names():
    blocks = busy_blocks_from_ics(read("outlook_calendar.ics"), *WINDOW)
    assert as_local(blocks) == [
        (local(3, 25, 10), local(3, 25, 12)),
        # "Show as: free" (X-MICROSOFT-CDO-BUSYSTATUS:FREE) on the 26th is free.
        (local(3, 27, 0), local(3, 28, 0)),  # all-day, out of office
        (local(3, 31, 8), local(3, 31, 17)),  # daily, twice, in summer time
        (local(4, 1, 8), local(4, 1, 17)),
    ]


def test_free_busy_of_several_participants_and_the_slot_finder():
    calendars = [read("outlook_freebusy.ics"), read("google_calendar.ics"), None, ""]
    busy = busy_blocks_for(calendars, *WINDOW)
    slots = propose_slots(
        busy=busy, start=date(2026, 3, 9), days=2, duration=timedelta(hours=1), count=20
    )
    assert as_local(slots)[:6] == [
        (local(3, 9, 8), local(3, 9, 9)),  # Cecilia's management meeting is 9–10
        (local(3, 9, 10), local(3, 9, 11)),
        (local(3, 9, 11), local(3, 9, 12)),
        (local(3, 9, 12), local(3, 9, 13)),
        (local(3, 9, 14), local(3, 9, 15)),  # Olle is busy 13–14
        (local(3, 9, 15), local(3, 9, 16)),
    ]
    for start, end in slots:
        assert not any(a < end and start < b for a, b in busy)


def test_participant_objects_share_their_calendar_text():
    class Participant:
        def __init__(self, text):
            self.availability_ics = text

    busy = busy_blocks_for(
        [Participant(read("outlook_freebusy.ics")), Participant(""), object()], *WINDOW
    )
    assert busy == busy_blocks_from_ics(read("outlook_freebusy.ics"), *WINDOW)


def test_an_unreadable_calendar_is_skipped_or_refused():
    broken = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:not-a-date\nEND:VEVENT\nEND:VCALENDAR\n"
    good = read("outlook_freebusy.ics")
    assert busy_blocks_for([broken, good], *WINDOW) == busy_blocks_from_ics(good, *WINDOW)
    with pytest.raises(InvalidCalendar):
        busy_blocks_for([broken, good], *WINDOW, strict=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, this is no calendar",
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:not-a-date\nEND:VEVENT\nEND:VCALENDAR\n",
        # Repeating every minute would take the worker minutes to expand: refused.
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:1\n"
        "DTSTART:20260301T090000Z\nDTEND:20260301T090100Z\nRRULE:FREQ=MINUTELY\n"
        "END:VEVENT\nEND:VCALENDAR\n",
    ],
)
def test_invalid_calendars(text):
    with pytest.raises(InvalidCalendar):
        busy_blocks_from_ics(text, *WINDOW)
    with pytest.raises(InvalidCalendar):
        check_ics(text)


def test_check_ics_accepts_the_fixtures_and_drops_a_byte_order_mark():
    for name in ("outlook_freebusy.ics", "google_calendar.ics", "outlook_calendar.ics"):
        assert check_ics("\ufeff" + read(name), now=WINDOW[0]) == read(name)
    with pytest.raises(InvalidCalendar):
        check_ics("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n")


def test_floating_times_are_read_in_the_calendars_time_zone():
    text = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nX-WR-TIMEZONE:America/New_York\n"
        "BEGIN:VEVENT\nUID:1\nDTSTART:20260310T090000\nDURATION:PT45M\nEND:VEVENT\n"
        "END:VCALENDAR\n"
    )
    assert busy_blocks_from_ics(text, *WINDOW) == [
        (datetime(2026, 3, 10, 13, tzinfo=UTC), datetime(2026, 3, 10, 13, 45, tzinfo=UTC))
    ]
    no_zone = text.replace("X-WR-TIMEZONE:America/New_York\n", "")
    assert as_local(busy_blocks_from_ics(no_zone, *WINDOW)) == [
        (local(3, 10, 9), local(3, 10, 9, 45))
    ]


def test_the_window_must_be_aware():
    with pytest.raises(ValueError):
        busy_blocks_from_ics(read("google_calendar.ics"), datetime(2026, 3, 9), WINDOW[1])
    assert busy_blocks_from_ics(read("google_calendar.ics"), WINDOW[1], WINDOW[0]) == []


# --- Fetching ---------------------------------------------------------------------------


CALENDAR = read("outlook_freebusy.ics").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    def handle(self):
        # The client gives up on purpose (timeouts, size limits): no traceback for that.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def _send(self, body: bytes, *, length: bool = True, content_type="text/calendar"):
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/olle.ics":
            self._send(CALENDAR)
        elif self.path == "/big-declared.ics":
            self._send(CALENDAR + b" " * 5000)
        elif self.path == "/big-undeclared.ics":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"X" * 1000)
        elif self.path == "/slow.ics":
            time.sleep(1.5)
            self._send(CALENDAR)
        elif self.path == "/dribble.ics":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            for _ in range(6):
                self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif self.path == "/to-olle":
            self.send_response(302)
            self.send_header("Location", "/olle.ics")
            self.end_headers()
        elif self.path == "/page.html":
            self._send(b"<html><body>Not a calendar</body></html>", content_type="text/html")
        else:
            self.send_error(404)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_reads_a_calendar(server):
    text = fetch_ics(f"{server}/olle.ics", allow_private=True)
    assert text == CALENDAR.decode()
    assert busy_blocks_from_ics(text, *WINDOW)
    assert fetch_ics(f"{server}/to-olle", allow_private=True) == text


def test_fetch_refuses_the_servers_own_network_by_default(server):
    with pytest.raises(CalendarFetchError, match="address"):
        fetch_ics(f"{server}/olle.ics")


@pytest.mark.parametrize("path", ["/big-declared.ics", "/big-undeclared.ics"])
def test_fetch_refuses_a_body_over_the_limit(server, path):
    with pytest.raises(CalendarFetchError, match="larger"):
        fetch_ics(f"{server}{path}", max_bytes=len(CALENDAR) + 100, allow_private=True)


@pytest.mark.parametrize("path", ["/slow.ics", "/dribble.ics"])
def test_fetch_gives_up_after_the_timeout(server, path):
    started = time.monotonic()
    with pytest.raises(CalendarFetchError, match="too long"):
        fetch_ics(f"{server}{path}", timeout=0.5, allow_private=True)
    assert time.monotonic() - started < 1.4


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/missing.ics", CalendarFetchError, "404"),
        ("/to-file", CalendarFetchError, "scheme"),
        ("/page.html", InvalidCalendar, "iCalendar"),
    ],
)
def test_fetch_errors(server, path, error, message):
    with pytest.raises(error, match=message):
        fetch_ics(f"{server}{path}", allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/cal.ics", "data:text/calendar,BEGIN", "https://"],
)
def test_fetch_refuses_other_schemes_without_connecting(url):
    with pytest.raises(CalendarFetchError):
        fetch_ics(url)


def test_webcal_urls_mean_https():
    assert normalise_calendar_url("webcal://cal.example.org/a.ics?x=1#frag") == (
        "https://cal.example.org/a.ics?x=1"
    )
    assert normalise_calendar_url(" HTTP://cal.example.org ") == "http://cal.example.org/"
