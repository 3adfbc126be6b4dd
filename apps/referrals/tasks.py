"""Background work: referral reminders, run by the task worker every hour.

`referral_reminders` sends what is due and then schedules its own next run, so one
enqueued task keeps the reminders going for as long as a worker runs; the `serve`
command calls `ensure_reminder_schedule()` at start-up to put the first one in place.
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services

logger = logging.getLogger(__name__)

#: How often the worker looks for reminders to send.
REMINDER_INTERVAL = timedelta(hours=1)


@task()
def send_referral_reminders(now: str | None = None) -> int:
    """Send the referral reminders that are due at `now` (an ISO 8601 time; the current
    time when left out). Sending twice for the same moment sends nothing new."""
    moment = parse_datetime(now) if now else timezone.now()
    if moment is None:
        raise ValueError(f"Not a time: {now!r}")
    return services.send_referral_reminders(now=moment)


@task()
def referral_reminders() -> int:
    """The periodic job: send the reminders due now, then schedule the next run."""
    try:
        return services.send_referral_reminders(now=timezone.now())
    finally:
        _schedule_next(timezone.now() + REMINDER_INTERVAL)


def _waiting_runs():
    """Runs of the periodic job that wait in the database queue (not the one running)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=referral_reminders.module_path, status="READY")


def _schedule_next(run_after: datetime) -> None:
    backend = referral_reminders.get_backend()
    if not backend.supports_defer:
        # A backend that runs tasks at once (as in some test settings) would loop forever.
        return
    if _uses_database_queue() and _waiting_runs().exists():
        return  # Another run is already scheduled: never let the job multiply.
    referral_reminders.using(run_after=run_after).enqueue()


def _uses_database_queue() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(referral_reminders.get_backend(), DatabaseBackend)


def ensure_reminder_schedule() -> bool:
    """Put the periodic reminder job in the queue unless a run already waits there.
    Called at start-up; safe to call any number of times. True when one was added."""
    if _uses_database_queue() and _waiting_runs().exists():
        return False
    if not referral_reminders.get_backend().supports_defer:
        return False
    referral_reminders.enqueue()
    logger.info("Referral reminders scheduled every %s.", REMINDER_INTERVAL)
    return True
