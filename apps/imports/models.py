"""Import jobs: a file of existing ideas uploaded by a process leader, checked, then
imported by the worker in one transaction."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation

from .problems import FileProblem, RowError


def import_file_path(instance: "ImportJob", filename: str) -> str:
    # Generated names only: the original name is kept in the row, never on disk, and the
    # file is never served by URL (only the worker reads it).
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ImportJob(models.Model):
    """One uploaded file of ideas for one consortium and its import.

    A job exists once its file has passed the dry run (status `checked`); confirming it
    queues it for the worker, which checks it again against the data of that moment and
    writes every idea or none. The file is kept privately for the record.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("checked, ready to import")
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    consortium = models.ForeignKey(
        Organisation, verbose_name=_("consortium"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKED
    )
    total_rows = models.PositiveIntegerField(_("ideas in the file"), default=0)
    imported_count = models.PositiveIntegerField(_("ideas imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    first_reference = models.CharField(_("first new reference"), max_length=24, blank=True)
    last_reference = models.CharField(_("last new reference"), max_length=24, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imported_count__lte=models.F("total_rows")),
                name="import_counts_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def problem_messages(self) -> list[str]:
        """The stored problems, in the reader's language (see problems.py)."""
        return [
            RowError.from_json(item).message
            if "line" in item
            else FileProblem(item["code"], **item.get("params", {})).message
            for item in self.errors
        ]
