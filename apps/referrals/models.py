"""Referrals (remiss): questions about an idea sent to outside actors or colleagues, who
answer through a private, expiring link without an account."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.links import hash_token, link_token, new_link_salt
from apps.ideas.models import Attachment, Idea
from apps.organisations.models import Organisation

#: How long after its due date a referral's link keeps working.
LINK_DAYS_AFTER_DUE = 30


def referral_token_from_salt(salt: str) -> str:
    """A referral link's token (see apps.core.links): its own purpose, so a submitter's
    token can never open a referral nor the other way round."""
    return link_token(purpose="referral-link", salt=salt)


class ExternalActor(models.Model):
    """A person outside the sluice who is asked for advice: at a university, a business
    advisor, an IP adviser, the region. Kept in a register per consortium and reused
    across ideas; never deleted once asked (their referrals keep pointing at them), only
    made inactive.
    """

    consortium = models.ForeignKey(
        Organisation, verbose_name=_("consortium"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    expertise = models.TextField(_("areas of expertise"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("outside actor")
        verbose_name_plural = _("outside actors")
        ordering = ["name", "organisation", "pk"]
        constraints = [
            # Email addresses are stored in lower case by the services.
            models.UniqueConstraint(
                fields=["consortium", "email"], name="unique_external_actor_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class Referral(models.Model):
    """A question about one idea, sent to one outside actor or one colleague.

    It goes to exactly one of `external_actor` and `colleague`. It shares only the parts
    of the idea that were ticked and the files that were chosen; the submitters'
    personal data only when `include_personal_data`. The recipient reads and answers
    through a private link that belongs to this referral alone, stops working at
    `expires_at`, and can be revoked. Each reminder is sent at most once.
    """

    class Status(models.TextChoices):
        SENT = "sent", _("waiting for an answer")
        ANSWERED = "answered", _("answered")
        OVERDUE = "overdue", _("overdue")
        EXPIRED = "expired", _("link expired")
        REVOKED = "revoked", _("withdrawn")

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="referrals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_actor = models.ForeignKey(
        ExternalActor,
        verbose_name=_("outside actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("colleague"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    question = models.TextField(_("question"), max_length=4000)
    share_need = models.BooleanField(_("share the need or problem"), default=True)
    share_solution = models.BooleanField(_("share the idea"), default=True)
    share_beneficiaries = models.BooleanField(_("share who benefits"), default=False)
    share_expected_effects = models.BooleanField(_("share the expected effects"), default=False)
    include_personal_data = models.BooleanField(
        _("share the submitters' names and contact details"), default=False
    )
    shared_attachments = models.ManyToManyField(
        Attachment, verbose_name=_("shared files"), blank=True, related_name="+"
    )
    due_date = models.DateField(_("answer by"))
    expires_at = models.DateTimeField(_("link works until"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminder_before_sent_at = models.DateTimeField(
        _("reminder before the due date sent"), null=True, blank=True
    )
    reminder_after_sent_at = models.DateTimeField(
        _("reminder after the due date sent"), null=True, blank=True
    )
    link_salt = models.CharField(max_length=32, default=new_link_salt, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(external_actor__isnull=False, colleague__isnull=True)
                | Q(external_actor__isnull=True, colleague__isnull=False),
                name="referral_has_one_recipient",
            )
        ]
        indexes = [models.Index(fields=["due_date", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.idea.reference} → {self.recipient_label}"

    def save(self, *args, **kwargs) -> None:
        if not self.token_hash:
            self.token_hash = hash_token(self.access_token)
        super().save(*args, **kwargs)

    @property
    def access_token(self) -> str:
        return referral_token_from_salt(self.link_salt)

    @staticmethod
    def expiry_for(due_date: date) -> datetime:
        """The link works until the end of the day LINK_DAYS_AFTER_DUE after the due date."""
        last_day = due_date + timedelta(days=LINK_DAYS_AFTER_DUE + 1)
        return timezone.make_aware(datetime.combine(last_day, datetime.min.time()))

    @property
    def recipient_name(self) -> str:
        return self.external_actor.name if self.external_actor_id else str(self.colleague)

    @property
    def recipient_email(self) -> str:
        return self.external_actor.email if self.external_actor_id else self.colleague.email

    @property
    def recipient_label(self) -> str:
        """The recipient with their organisation, as the timeline and lists show them."""
        return str(self.external_actor) if self.external_actor_id else str(self.colleague)

    @property
    def is_internal(self) -> bool:
        return self.colleague_id is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.answered_at is None and timezone.localdate(now) > self.due_date

    def status(self, now: datetime | None = None) -> str:
        """The one status a list shows: withdrawn, then answered, expired, overdue, sent."""
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.answered_at is not None:
            return self.Status.ANSWERED
        if self.is_expired(now):
            return self.Status.EXPIRED
        if self.is_overdue(now):
            return self.Status.OVERDUE
        return self.Status.SENT

    @property
    def current_status(self) -> str:
        return self.status()

    @property
    def current_status_label(self) -> str:
        return self.Status(self.status()).label

    def shared_parts(self) -> list[tuple[str, str]]:
        """(label, text) of each shared part of the idea that has any text."""
        idea = self.idea
        parts = [
            (self.share_need, Idea._meta.get_field("need").verbose_name, idea.need),
            (self.share_solution, Idea._meta.get_field("solution").verbose_name, idea.solution),
            (
                self.share_beneficiaries,
                Idea._meta.get_field("beneficiaries").verbose_name,
                idea.beneficiaries,
            ),
            (
                self.share_expected_effects,
                Idea._meta.get_field("expected_effects").verbose_name,
                idea.expected_effects,
            ),
        ]
        return [(label, text) for shared, label, text in parts if shared and text]


class ReferralMessage(models.Model):
    """One message in a referral's conversation: the recipient's answer or question, or
    the sluice's reply to a question. Files of an answer are stored on the idea (so its
    owner finds them with the idea's other files) and linked from the message."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answer")
        QUESTION = "question", _("question")
        REPLY = "reply", _("reply from the sluice")

    #: Kinds written by the referral's recipient (the rest by the sluice).
    FROM_RECIPIENT = (Kind.ANSWER, Kind.QUESTION)

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when an outside actor wrote it."),
    )
    body = models.TextField(_("text"), max_length=8000, blank=True)
    attachments = models.ManyToManyField(
        Attachment, verbose_name=_("files"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("referral message")
        verbose_name_plural = _("referral messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.get_kind_display()}"

    @property
    def from_recipient(self) -> bool:
        return self.kind in self.FROM_RECIPIENT
