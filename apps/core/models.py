"""Data that belongs to no domain: the task worker's sign of life."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The latest sign of life of one task-worker process.

    Written every few seconds by a thread of `manage.py worker` (one row per worker
    process, keyed by the worker's id) and read by `/readyz`: the system is ready only
    when some worker has beaten recently, because without a worker no email, reminder or
    periodic job would ever leave the queue. Rows of workers gone for long are pruned by
    the beating workers themselves.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last beat at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
