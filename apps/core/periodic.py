"""Periodic jobs, run by the task worker without a separate scheduler.

One task, `run_periodic_jobs`, calls every job named in `settings.SLUSS_PERIODIC_JOBS`
with the current time and then puts its own next run in the queue. Each job must be
idempotent for a given moment (it records what it has sent), so running it late, early
or twice never sends anything twice. `ensure_periodic_jobs()` is called at start-up by
`manage.py serve`; it adds the first run unless one already waits in the queue.

To add a job: write `def my_job(*, now: datetime) -> int` (the number of things done)
and add its dotted path to SLUSS_PERIODIC_JOBS.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

#: How often the worker runs the periodic jobs.
PERIODIC_INTERVAL = timedelta(minutes=15)


def run_jobs_once(*, now: datetime) -> dict[str, int]:
    """Run every periodic job for `now`; one failing job does not stop the others."""
    done = {}
    for path in settings.SLUSS_PERIODIC_JOBS:
        try:
            done[path] = import_string(path)(now=now)
        except Exception:
            logger.exception("Periodic job %s failed", path)
    return done


@task()
def run_periodic_jobs() -> dict[str, int]:
    """The periodic task: run the jobs due now, then schedule the next run."""
    try:
        return run_jobs_once(now=timezone.now())
    finally:
        _schedule(run_after=timezone.now() + PERIODIC_INTERVAL)


def _waiting_runs():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=run_periodic_jobs.module_path, status="READY")


def _schedule(*, run_after: datetime | None) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    backend = run_periodic_jobs.get_backend()
    if not backend.supports_defer:
        # A backend that runs tasks at once would loop forever.
        return False
    if isinstance(backend, DatabaseBackend) and _waiting_runs().exists():
        return False  # Never let the chain multiply.
    task_to_run = run_periodic_jobs.using(run_after=run_after) if run_after else run_periodic_jobs
    task_to_run.enqueue()
    return True


def ensure_periodic_jobs() -> bool:
    """Put the periodic task in the queue unless a run already waits there. True when
    one was added. Safe to call any number of times."""
    added = _schedule(run_after=None)
    if added:
        logger.info("Periodic jobs scheduled every %s.", PERIODIC_INTERVAL)
    return added
