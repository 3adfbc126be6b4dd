"""Background work: referral reminders.

The periodic run is apps.core.periodic's (services.send_referral_reminders is listed in
SLUSS_PERIODIC_JOBS); this task sends the reminders due at a given moment on demand.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services


@task()
def send_referral_reminders(now: str | None = None) -> int:
    """Send the referral reminders that are due at `now` (an ISO 8601 time; the current
    time when left out). Sending twice for the same moment sends nothing new."""
    moment = parse_datetime(now) if now else timezone.now()
    if moment is None:
        raise ValueError(f"Not a time: {now!r}")
    return services.send_referral_reminders(now=moment)
