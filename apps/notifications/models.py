"""The email outbox: written in the same transaction as the change, sent by the worker."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """One email waiting to be sent, sent, or given up on after retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("text"))
    #: Files sent with the email, e.g. calendar invitations: a list of
    #: {"filename": "invite.ics", "content": "<text>", "mimetype": "text/calendar"}
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    #: An HTML alternative to the text body (e.g. a newsletter issue); empty for text only.
    html_body = models.TextField(_("HTML text"), blank=True)
    #: Extra headers for the message, e.g. {"List-Unsubscribe": "<https://…>"}.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
