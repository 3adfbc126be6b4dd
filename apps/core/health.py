"""Liveness and readiness for load balancers, container runtimes and orchestrators.

`/healthz` (liveness) says only that the process answers: it touches no database, so a
database outage never makes a supervisor restart healthy web processes (which would not
help and would drop requests). `/readyz` (readiness) says whether the system can do its
work: the database answers AND a task worker has beaten within
`SLUSS_WORKER_HEARTBEAT_MAX_AGE` seconds (without a worker, emails, reminders and
periodic jobs would silently wait in the queue).

Both are answered by `HealthProbeMiddleware`, first in the chain, so that probes sent
from inside (plain HTTP, an internal address as Host) are neither redirected to HTTPS nor
refused by the host check. Their answers hold nothing sensitive: states, no names,
addresses or times.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .selectors import worker_last_beat

logger = logging.getLogger(__name__)

OK = "ok"


def readiness() -> dict[str, str]:
    """The state of each dependency: "ok", or a word saying what is wrong with it."""
    checks = {"database": OK, "worker": OK}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # One line, no traceback: a probe every few seconds would flood the log.
        logger.warning("Readiness: the database does not answer (%s)", error)
        return {"database": "unavailable", "worker": "unknown"}
    try:
        last = worker_last_beat()
    except DatabaseError as error:
        # E.g. the database answers but is not migrated yet.
        logger.warning("Readiness: the worker heartbeat cannot be read (%s)", error)
        checks["worker"] = "unknown"
    else:
        max_age = timedelta(seconds=settings.SLUSS_WORKER_HEARTBEAT_MAX_AGE)
        if last is None:
            checks["worker"] = "missing"
        elif timezone.now() - last > max_age:
            checks["worker"] = "stale"
    return checks


class HealthProbeMiddleware:
    """Answer `/healthz` and `/readyz` before anything else looks at the request."""

    def __init__(self, get_response):
        from .views import healthz, readyz

        self.get_response = get_response
        self.probes = {"/healthz": healthz, "/readyz": readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
