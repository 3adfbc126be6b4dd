"""The workspace idea list as a CSV file, streamed row chunk by row chunk.

The file holds exactly the ideas the list shows the person (the same selector, filters,
search and order), so whoever may read the list may download it: coaches, process
leaders and managers, each within their own scope (`policies.may_use_workspace`, as for
the list page); everyone else gets the list's 404 or the login page.

It is written like the statistics exports (apps/stats/exports.py), for Swedish Excel:
UTF-8 with a byte-order mark, semicolons, CRLF line ends, ISO 8601 dates in the local
time zone, and text cells that a spreadsheet would take for a formula neutralised with
the same function.

No personal data of the people who handed an idea in (name, email, phone) is in the file:
an exported file travels (mail, shared drives, printed lists) beyond the system's access
rules and its audit log, while the idea page, which the link in each row leads to, shows
them only to those allowed and records every view. The owner is a coach or process
leader named at work, as on the list page.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.stats.exports import neutralise

#: Rows read from the database at a time: memory holds one chunk, and each chunk costs
#: one more query (its tags). Large enough that the query count stays small.
CHUNK_SIZE = 500

CONTENT_TYPE = "text/csv; charset=utf-8"


def header() -> list[str]:
    """The column labels, in the active language."""
    return [
        _("Reference"),
        _("Title"),
        _("Municipality"),
        _("Stage"),
        _("Owner"),
        _("Tags"),
        _("Handed in"),
        _("Last activity"),
        _("Days in stage"),
        _("Link"),
    ]


def filename() -> str:
    """The file's name, with today's date in the local time zone."""
    return f"sluss-ideas-{timezone.localdate().isoformat()}.csv"


def idea_list_csv(chunks: Iterable[list[dict]]) -> Iterator[bytes]:
    """The CSV file as a stream of bytes: the header first, then one piece per chunk of
    rows (as `selectors.idea_list_export_chunks` yields them).

    The language, time zone and "now" are taken here, while the request is being
    answered: the stream is read after the view has returned, when the request's
    language is no longer active.
    """
    labels = [neutralise(label) for label in header()]
    english = (get_language() or "sv").startswith("en")
    zone = timezone.get_current_timezone()
    now = timezone.now()
    return _stream(labels, chunks, english=english, zone=zone, now=now)


def _stream(
    labels: list[str], chunks: Iterable[list[dict]], *, english: bool, zone: tzinfo, now: datetime
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(labels)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_row(row, english=english, zone=zone, now=now) for row in chunk)
        yield buffer.getvalue().encode("utf-8")


def _row(row: dict, *, english: bool, zone: tzinfo, now: datetime) -> list[str]:
    owner = row["owner__full_name"] or row["owner__email"] or ""
    link = settings.SITE_URL + reverse("ideas:detail", kwargs={"reference": row["reference"]})
    return [
        neutralise(row["reference"]),
        neutralise(row["title"]),
        neutralise(row["municipality__name"]),
        neutralise(row["stage__name_en"] if english else row["stage__name_sv"]),
        neutralise(owner),
        neutralise(", ".join(row["tags"])),
        timezone.localtime(row["created_at"], zone).date().isoformat(),
        timezone.localtime(row["last_activity_at"], zone).strftime("%Y-%m-%d %H:%M"),
        # Whole days, as the board and the idea page count them.
        str((now - row["stage_entered_at"]).days),
        neutralise(link),
    ]
