"""The record that keeps leave-date reminders from being sent twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LeaveReminder(models.Model):
    """One reminder sent about a person's leave date, so many runs of the periodic job on
    the same day send it once. A new leave date gets reminders of its own."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    leaves_on = models.DateField(_("leaves on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("leave reminder")
        verbose_name_plural = _("leave reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "leaves_on", "days_before"], name="one_leave_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.leaves_on} −{self.days_before}"
