"""The task worker for production and development: django_tasks_db's `db_worker` plus
a heartbeat that `/readyz` reads, and the first run of the periodic jobs.

Run it instead of `db_worker` (same options): `manage.py worker`. A daemon thread writes
this process's `WorkerHeartbeat` every `--heartbeat-interval` seconds, starting at once,
on its own database connection; it dies with the process, so a dead or killed worker
stops beating and `/readyz` turns 503 once the beat is older than
`SLUSS_WORKER_HEARTBEAT_MAX_AGE`. A thread rather than a queued heartbeat task, because
a long task (a newsletter, re-embedding every idea) would hold a queued beat back and make
a busy, healthy worker look dead.
"""

import logging
import os
import socket
import threading
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.urls import set_urlconf
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from apps.core.periodic import ensure_periodic_jobs
from apps.core.services import worker_heartbeat_record
from apps.search import semantic

logger = logging.getLogger("apps.core.worker")

#: What the worker's e-mails link to: every page, without the API and the admin (16 MB
#: less resident; see sluss/page_urls.py).
WORKER_URLCONF = "sluss.page_urls"


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat until the process ends (or `stop()` for tests)."""

    def __init__(self, *, worker_id: str, interval: float):
        super().__init__(name="sluss-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self._stopped = threading.Event()

    def run(self) -> None:
        while True:
            try:
                worker_heartbeat_record(
                    worker_id=self.worker_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    started_at=self.started_at,
                )
                if settings.SLUSS_WORKER_HEARTBEAT_FILE:
                    # Touched only after the database took the beat, so a fresh file
                    # means the same as a fresh row.
                    Path(settings.SLUSS_WORKER_HEARTBEAT_FILE).touch()
            except Exception:
                # A database hiccup must not end the beating for good; the next beat
                # tries again, and a stale beat is what /readyz reports meanwhile.
                logger.exception("The worker heartbeat could not be written")
            finally:
                # This thread's own connection: closed (or handed back to the pool)
                # between beats rather than held idle for the process's lifetime.
                connections.close_all()
            if self._stopped.wait(self.interval):
                return

    def stop(self) -> None:
        self._stopped.set()


class Command(DbWorkerCommand):
    help = "Run the task worker (db_worker) with a heartbeat for /readyz."
    # Memory: the system checks import the whole URL conf (every view, the API's ninja
    # and pydantic, the admin), which the worker never serves: about 40 MB that stayed
    # resident for the process's lifetime (docs/deployment.md, "Memory"). Deployment runs
    # `manage.py check --deploy` and `migrate`, which check the same code.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat-interval",
            type=float,
            default=settings.SLUSS_WORKER_HEARTBEAT_SECONDS,
            help="Seconds between heartbeats (default: %(default)r).",
        )
        # The autoreloader would run the worker in a child process while this one, its
        # parent, went on beating; restart the worker by hand after code changes.
        parser.set_defaults(reload=False)

    def handle(self, *args, heartbeat_interval: float, **options) -> None:
        if options.get("reload"):
            logger.warning("--reload is not supported by `worker`; running without it.")
            options["reload"] = False
        if not options.get("batch"):
            # Periodic jobs reschedule themselves; a fresh installation (or one whose
            # chain was lost with a killed worker) needs a first run in the queue.
            ensure_periodic_jobs()
        # Memory: the embedding model is needed only while ideas are being embedded.
        semantic.release_model_when_idle(idle_seconds=settings.SLUSS_WORKER_MODEL_IDLE_SECONDS)
        heartbeat = Heartbeat(worker_id=options["worker_id"], interval=heartbeat_interval)
        heartbeat.start()
        # Tasks run in this thread, and `reverse()` reads the thread's URL conf first.
        set_urlconf(WORKER_URLCONF)
        try:
            super().handle(*args, **options)
        finally:
            set_urlconf(None)
            heartbeat.stop()
