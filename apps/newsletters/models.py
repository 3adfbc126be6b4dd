"""Newsletters: subscribers with double opt-in, issues composed from blocks, deliveries.

The guarantee of a send lives in `Delivery`: one row per issue and subscriber (a unique
constraint), written in the same transaction as the subscriber's outbox email. However
often a batch runs, is interrupted or restarted, a subscriber gets one email per issue
(see services.newsletter_send_batch for the crash points).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.links import link_token
from apps.organisations.models import Organisation

CONFIRM_PURPOSE = "newsletter-confirm"
UNSUBSCRIBE_PURPOSE = "newsletter-unsubscribe"


class Subscriber(models.Model):
    """An email address that asked for a consortium's newsletter.

    Double opt-in: a subscriber is `pending` until they follow the link in the
    confirmation email; only `confirmed` subscribers receive issues. The confirm and
    unsubscribe links are private links (apps.core.links) made from one salt that never
    changes, so an unsubscribe link in an old issue keeps working for ever. The database
    keeps the salt and the hashes of both tokens, for lookups.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, default="sv")
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    link_salt = models.CharField(_("link salt"), max_length=32)
    confirm_token_hash = models.CharField(_("confirmation token hash"), max_length=64, unique=True)
    unsubscribe_token_hash = models.CharField(
        _("unsubscribe token hash"), max_length=64, unique=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "email"], name="newsletters_one_subscriber_per_email"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="newsletters_confirmed_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def confirm_token(self) -> str:
        return link_token(purpose=CONFIRM_PURPOSE, salt=self.link_salt)

    @property
    def unsubscribe_token(self) -> str:
        return link_token(purpose=UNSUBSCRIBE_PURPOSE, salt=self.link_salt)

    def confirm_url(self) -> str:
        return settings.SITE_URL + reverse(
            "newsletters:confirm", kwargs={"token": self.confirm_token}
        )

    def unsubscribe_url(self) -> str:
        return settings.SITE_URL + reverse(
            "newsletters:unsubscribe", kwargs={"token": self.unsubscribe_token}
        )


class Newsletter(models.Model):
    """One issue of a consortium's newsletter.

    A draft is composed from blocks and previewed; sending freezes its content
    (`body_text`, `body_html`) so the archive shows what subscribers got even after
    showcase entries or trainings change. Status moves draft → sending → sent, each move
    a compare-and-set on the status.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    #: When sending began: the issue's public date. Only subscribers confirmed by then
    #: receive it.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: When the last batch was handed to the outbox.
    finished_at = models.DateTimeField(_("all handed over"), null=True, blank=True)
    body_text = models.TextField(_("content as text"), blank=True)
    body_html = models.TextField(_("content as HTML"), blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-sent_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_at__isnull=False),
                name="newsletters_sent_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:issue", kwargs={"newsletter_id": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class NewsletterBlock(models.Model):
    """One block of an issue, in its place: a text, chosen showcase entries, the upcoming
    trainings or key figures. The last three are filled in from their apps when the
    issue is previewed or sent."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        SHOWCASE = "showcase", _("showcase entries")
        TRAININGS = "trainings", _("upcoming trainings")
        FIGURES = "figures", _("key figures")

    newsletter = models.ForeignKey(
        Newsletter, verbose_name=_("newsletter"), on_delete=models.CASCADE, related_name="blocks"
    )
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    heading = models.CharField(_("heading"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    #: The chosen showcase entries, in order. Ids rather than a relation: an entry that is
    #: withdrawn later simply drops out of a draft, and a sent issue is frozen anyway.
    entry_ids = models.JSONField(_("showcase entries"), default=list, blank=True)

    class Meta:
        verbose_name = _("newsletter block")
        verbose_name_plural = _("newsletter blocks")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.newsletter}: {self.get_kind_display()} ({self.position})"


class Delivery(models.Model):
    """An issue handed to the outbox for one subscriber: at most one per pair.

    Written in the same transaction as the outbox email it points to, so either both
    exist or neither; the email's own status says whether it has left.
    """

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    email = models.ForeignKey(
        "notifications.OutboxEmail",
        verbose_name=_("email"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("handed over"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="newsletters_one_delivery_per_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.subscriber}"
