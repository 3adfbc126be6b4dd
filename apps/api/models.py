"""Personal access tokens for the JSON API."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal access token: lets a program act as its owner through the JSON API,
    with exactly the owner's roles.

    Only the SHA-256 hash of the token is stored, so a copy of this table opens nothing;
    the owner sees the token once, when it is made, and recognises it later by its name
    and the few characters it begins with.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(
        _("hash of the token"), max_length=64, unique=True, editable=False
    )
    prefix = models.CharField(_("begins with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now: datetime | None = None) -> bool:
        """Not revoked, not expired (whether its owner may still log in is the
        policy's question)."""
        return self.revoked_at is None and not self.is_expired(now)
