"""Reads that belong to no domain app: the task worker's latest heartbeat."""

from datetime import datetime

from django.db.models import Max

from .models import WorkerHeartbeat


def worker_last_beat() -> datetime | None:
    """When any task worker last said it was alive, or None if none ever did. Holds
    nothing personal, so it is not scoped to a user (the readiness probe reads it)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
