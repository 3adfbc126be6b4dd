"""Free/busy from iCalendar (RFC 5545): what a participant's calendar says about when
they are busy, read from an uploaded file or fetched from a calendar URL.

Two kinds of file are read:

- free/busy files (VFREEBUSY), as Outlook and Exchange publish them (.vfb): every
  FREEBUSY period is busy unless its FBTYPE is FREE (BUSY, BUSY-TENTATIVE,
  BUSY-UNAVAILABLE and unknown types are all busy, as RFC 5545 asks);
- whole calendars (VEVENT), as Google Calendar and Outlook export them: events in any
  time zone (TZID, the calendar's X-WR-TIMEZONE, UTC, floating), all-day events, and
  recurring events expanded with their exceptions by `recurring-ical-events`. Cancelled
  events (STATUS:CANCELLED), transparent ones (TRANSP:TRANSPARENT, e.g. reminders and
  birthdays) and Outlook's "show as free" (X-MICROSOFT-CDO-BUSYSTATUS:FREE) are free.

Everything here is a pure function except `fetch_ics`, which does one HTTP request.
"""

from __future__ import annotations

import ipaddress
import logging
import time as monotonic_time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from http.client import HTTPConnection, HTTPSConnection
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .slots import STOCKHOLM, Block, merge_blocks

if TYPE_CHECKING:
    import icalendar

logger = logging.getLogger(__name__)

#: More occurrences than this inside one window is no real person's calendar.
MAX_OCCURRENCES = 20_000
#: Rules that repeat this often make expansion slow enough to stall the worker, and no
#: calendar program offers them for meetings.
REFUSED_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})


class InvalidCalendar(ValueError):
    """The text is not an iCalendar file we can read; the message says why."""


class CalendarFetchError(Exception):
    """A calendar URL could not be fetched: refused, unreachable, too slow or too big."""


# --- Reading --------------------------------------------------------------------------


def _zone(name: str | None, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(str(name).strip()) if name else ZoneInfo(default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    """A DTSTART/DTEND value as an aware datetime: a date is local midnight, a floating
    (naive) time is read in the calendar's own zone."""
    if not isinstance(value, datetime):
        return datetime.combine(value, clock_time(0), tzinfo=zone)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def parse_calendars(text: str) -> list[icalendar.Calendar]:
    """Parse iCalendar text (one or more VCALENDARs) or raise InvalidCalendar."""
    # Imported here, as recurring_ical_events below: with their dependencies 7 MB that
    # stayed resident in every process, used only when a calendar is read.
    import icalendar

    if not isinstance(text, str) or "BEGIN:VCALENDAR" not in text.upper():
        raise InvalidCalendar("This is not an iCalendar file (no BEGIN:VCALENDAR).")
    try:
        calendars = icalendar.Calendar.from_ical(text.lstrip("\ufeff"), multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise InvalidCalendar(f"The calendar file could not be read: {error}") from error
    if not calendars:
        raise InvalidCalendar("The file holds no calendar.")
    return calendars


def _freebusy_blocks(calendar, zone: ZoneInfo) -> Iterable[Block]:
    for component in calendar.walk("VFREEBUSY"):
        values = component.get("FREEBUSY")
        if values is None:
            continue
        for period in values if isinstance(values, list) else [values]:
            fbtype = str(period.params.get("FBTYPE", "BUSY")).upper()
            if fbtype == "FREE":
                continue
            period_start, end_or_duration = period.dt
            block_start = _aware(period_start, zone)
            if isinstance(end_or_duration, timedelta):
                block_end = block_start + end_or_duration
            else:
                block_end = _aware(end_or_duration, zone)
            yield block_start, block_end


def _is_free(event) -> bool:
    status = str(event.get("STATUS", "")).upper()
    transparency = str(event.get("TRANSP", "OPAQUE")).upper()
    outlook = str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    return status == "CANCELLED" or transparency == "TRANSPARENT" or outlook == "FREE"


def _check_rules(calendar) -> None:
    for event in calendar.walk("VEVENT"):
        rules = event.get("RRULE") or []
        for rule in rules if isinstance(rules, list) else [rules]:
            frequency = rule.get("FREQ", [""])
            frequency = frequency[0] if isinstance(frequency, list) else frequency
            if str(frequency).upper() in REFUSED_FREQUENCIES:
                raise InvalidCalendar(
                    f"An event repeats {str(frequency).lower()}; only daily or rarer "
                    "repetition is read."
                )


def _event_blocks(calendar, start: datetime, end: datetime, zone: ZoneInfo) -> Iterable[Block]:
    import recurring_ical_events

    _check_rules(calendar)
    seen = 0
    try:
        # Ordered by start; events already going on at `start` come first.
        for event in recurring_ical_events.of(calendar).after(start):
            event_start = _aware(event.start, zone)
            if event_start >= end:
                break
            seen += 1
            if seen > MAX_OCCURRENCES:
                raise InvalidCalendar("The calendar has too many events in the period.")
            if _is_free(event):
                continue
            yield event_start, _aware(event.end, zone)
    except InvalidCalendar:
        raise
    except Exception as error:
        raise InvalidCalendar(f"The calendar's events could not be read: {error}") from error


def busy_blocks_from_ics(
    text: str, start: datetime, end: datetime, *, default_tz: str = STOCKHOLM
) -> list[Block]:
    """The busy time an iCalendar text declares between `start` and `end`.

    Reads VFREEBUSY periods and VEVENTs alike (a file may hold both), clips every block
    to the window, merges overlapping ones, and returns them sorted as aware UTC
    datetimes. Floating times and all-day events are read in the calendar's
    X-WR-TIMEZONE, else in `default_tz`. Raises InvalidCalendar for text that is not
    iCalendar, or whose recurrences are too dense to expand safely.
    """
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes")
    if end <= start:
        return []
    blocks: list[Block] = []
    for calendar in parse_calendars(text):
        zone = _zone(calendar.get("X-WR-TIMEZONE"), default_tz)
        for block_start, block_end in [
            *_freebusy_blocks(calendar, zone),
            *_event_blocks(calendar, start, end, zone),
        ]:
            clipped = (max(block_start, start), min(block_end, end))
            if clipped[1] > clipped[0]:
                blocks.append(clipped)
    return merge_blocks(blocks)


#: The attribute `busy_blocks_for` reads on a participant object: the text of the
#: iCalendar file it shared (uploaded, or last fetched from its URL by the worker).
AVAILABILITY_ATTRIBUTE = "availability_ics"


def _calendar_text(source: object) -> str:
    if source is None or isinstance(source, str):
        return source or ""
    return getattr(source, AVAILABILITY_ATTRIBUTE, "") or ""


def busy_blocks_for(
    participants: Iterable[object], start: datetime, end: datetime, *, strict: bool = False
) -> list[Block]:
    """Everyone's busy time together, ready for `slots.propose_slots(busy=...)`: the
    merged busy blocks of several participants between `start` and `end`.

    Each item is an iCalendar text, or an object (a meeting participant) whose
    `availability_ics` attribute holds one; None, an empty text or a missing attribute
    (someone who shared nothing) adds nothing. A text that cannot be read is skipped
    with a warning in the log (the poll itself still asks that person), or raises
    InvalidCalendar when `strict`. Check a file when it is handed in with `check_ics`.
    """
    blocks: list[Block] = []
    for participant in participants:
        text = _calendar_text(participant)
        if not text.strip():
            continue
        try:
            blocks.extend(busy_blocks_from_ics(text, start, end))
        except InvalidCalendar as error:
            if strict:
                raise
            logger.warning("Skipping an unreadable calendar of %r: %s", participant, error)
    return merge_blocks(blocks)


def check_ics(text: str, *, now: datetime | None = None) -> str:
    """Check a calendar file as it is handed in (uploaded or fetched): it must be
    iCalendar with free/busy periods or events, readable over the coming year. Returns
    the text without a byte-order mark; raises InvalidCalendar saying what is wrong."""
    text = (text or "").lstrip("\ufeff")
    calendars = parse_calendars(text)
    if not any(c.walk("VFREEBUSY") or c.walk("VEVENT") for c in calendars):
        raise InvalidCalendar("The calendar has neither free/busy times nor events.")
    moment = now or datetime.now(UTC)
    busy_blocks_from_ics(text, moment - timedelta(days=1), moment + timedelta(days=366))
    return text


# --- Fetching -------------------------------------------------------------------------


def _address_allowed(host: str) -> bool:
    """Only addresses on the public internet: a calendar URL must not reach the
    server's own network (loopback, private ranges, link-local cloud metadata)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global


def _checked_connection(base):
    """An HTTP(S) connection class that refuses, once connected, a peer address that is
    not public. Checking the address actually connected to (not a DNS answer looked up
    beforehand) leaves no gap for a name that resolves differently the second time."""

    class Checked(base):
        allow_private = False

        def connect(self):
            super().connect()
            peer = self.sock.getpeername()[0]
            if not self.allow_private and not _address_allowed(peer):
                self.sock.close()
                raise CalendarFetchError(f"Refusing to fetch from the address {peer}.")

    return Checked


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most 5 redirects, and only to http(s) URLs."""

    max_redirections = 5

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("location") or headers.get("uri") or ""
        if urlsplit(urljoin(req.full_url, location)).scheme.lower() not in ("http", "https"):
            raise CalendarFetchError("The calendar URL redirects to a scheme other than http(s).")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(allow_private: bool):
    http_class = _checked_connection(HTTPConnection)
    https_class = _checked_connection(HTTPSConnection)
    http_class.allow_private = https_class.allow_private = allow_private

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(http_class, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(https_class, req, context=self._context)

    # No proxies from the environment: the address check must see the real server.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), Http, Https, _Redirects)


def normalise_calendar_url(url: str) -> str:
    """The URL to fetch: http or https (webcal:// and webcals://, which calendar
    programs hand out for subscriptions, mean https). Raises CalendarFetchError for
    any other scheme (file:, ftp:, data:, …) and for a URL without a host."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        scheme = "https"
    if scheme not in ("http", "https"):
        raise CalendarFetchError("Only http and https calendar URLs can be fetched.")
    if not parts.hostname:
        raise CalendarFetchError("The calendar URL has no host.")
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))


def fetch_ics(
    url: str, *, timeout: float = 10, max_bytes: int = 1_000_000, allow_private: bool = False
) -> str:
    """Fetch an iCalendar file from `url` and return its text.

    Only http and https (see `normalise_calendar_url`), only public addresses unless
    `allow_private`, at most 5 redirects, at most `max_bytes` of body (refused as soon
    as the Content-Length or the bytes read pass it), and at most `timeout` seconds
    for connecting and for each read, with the whole download stopped once `timeout`
    has passed. Raises CalendarFetchError with a message fit for the participant, and
    InvalidCalendar when what came back is not iCalendar.
    """
    target = normalise_calendar_url(url)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        target,
        headers={"User-Agent": "Sluss free/busy", "Accept": "text/calendar, */*;q=0.5"},
    )
    deadline = monotonic_time.monotonic() + timeout
    try:
        with _opener(allow_private).open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise CalendarFetchError("The calendar is larger than allowed.")
            chunks: list[bytes] = []
            size = 0
            while True:
                if monotonic_time.monotonic() > deadline:
                    raise CalendarFetchError("Fetching the calendar took too long.")
                chunk = response.read1(min(65_536, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise CalendarFetchError("The calendar is larger than allowed.")
            charset = response.headers.get_content_charset() or "utf-8"
    except CalendarFetchError:
        raise
    except urllib.error.HTTPError as error:
        raise CalendarFetchError(f"The calendar server answered {error.code}.") from error
    except TimeoutError as error:
        raise CalendarFetchError("Fetching the calendar took too long.") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, CalendarFetchError):
            raise error.reason from error
        if isinstance(error.reason, TimeoutError):
            raise CalendarFetchError("Fetching the calendar took too long.") from error
        raise CalendarFetchError(f"The calendar could not be fetched: {error.reason}") from error
    except (OSError, ValueError) as error:
        raise CalendarFetchError(f"The calendar could not be fetched: {error}") from error
    try:
        text = b"".join(chunks).decode(charset, errors="replace")
    except LookupError:
        text = b"".join(chunks).decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    if "BEGIN:VCALENDAR" not in text.upper():
        raise InvalidCalendar("The URL did not return an iCalendar file.")
    return text
