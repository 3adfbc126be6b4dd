"""What the follow-up keeps: a record of each weekly digest, so none goes out twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestRecord(models.Model):
    """One person's weekly digest for one ISO week: written before the email is put in
    the outbox (in the same transaction), so a second run in the same week, or a second
    worker at the same moment, finds it and sends nothing. Also written for a week with
    nothing to report, so nobody gets a "weekly" digest in the middle of the week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_records",
    )
    week_start = models.DateField(_("week starting"))
    items = models.PositiveIntegerField(_("items needing attention"), default=0)
    emailed = models.BooleanField(_("emailed"), default=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        ordering = ["-week_start", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="one_digest_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.week_start:%G-W%V}"
