"""Writes that belong to no domain app: the task worker's heartbeat."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat

#: Rows of workers that have not beaten for this long are deleted by the living ones, so
#: restarts (each with a new worker id) do not pile up rows.
HEARTBEAT_KEEP = timedelta(days=1)


@transaction.atomic
def worker_heartbeat_record(
    *,
    worker_id: str,
    hostname: str,
    pid: int,
    started_at: datetime,
    now: datetime | None = None,
) -> WorkerHeartbeat:
    """Record that the worker `worker_id` is alive now, and forget long-gone workers."""
    now = now or timezone.now()
    heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": hostname, "pid": pid, "started_at": started_at, "beat_at": now},
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - HEARTBEAT_KEEP).delete()
    return heartbeat
