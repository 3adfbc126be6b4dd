"""The record of erasures: the only place that remembers one was made, without the person."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One erasure of a person. Its number is the pseudonym's ("Borttagen person #12");
    it never holds the erased person's name or address, only what was done (counts)."""

    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    counts = models.JSONField(_("rows per record type and rule"), default=dict)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def number(self) -> int:
        return self.pk
