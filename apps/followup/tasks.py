"""Background work: the weekly digest.

The periodic run is apps.core.periodic's: `apps.followup.services.send_weekly_digest`
belongs in settings.SLUSS_PERIODIC_JOBS. This task sends the digest due at a given
moment on demand (and lets tests drive the real worker with a controlled clock).
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services


@task()
def send_weekly_digest(now: str | None = None) -> int:
    """Send this week's digest as due at `now` (an ISO 8601 time; the current time when
    left out). Running it again in the same week sends nothing new."""
    moment = parse_datetime(now) if now else timezone.now()
    if moment is None:
        raise ValueError(f"Not a time: {now!r}")
    return services.send_weekly_digest(now=moment)
