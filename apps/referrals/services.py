"""Every write to referrals and outside actors. Each is one transaction that records the
idea's timeline and puts the emails it causes in the outbox (sent once it commits)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Attachment, Idea, TimelineEntry
from apps.ideas.services import attachment_store_on_idea
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation, Role
from apps.organisations.selectors import access_for

from . import policies, selectors
from .models import ExternalActor, Referral, ReferralMessage

#: The recipient is reminded this many days before the due date (if not answered).
REMINDER_DAYS_BEFORE = 2
#: The latest due date a referral may have, counted from today.
MAX_DAYS_TO_ANSWER = 365


# --- The register of outside actors -------------------------------------------------------


def _clean_actor_fields(
    *, consortium_id: int, email: str, name: str, exclude_pk: int | None = None
) -> str:
    email = email.strip().lower()
    if not name.strip():
        raise ValidationError({"name": _("Write the person's name.")})
    taken = ExternalActor.objects.filter(consortium_id=consortium_id, email=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"email": _("Someone in the register already has this email address.")}
        )
    return email


@transaction.atomic
def external_actor_create(
    *,
    actor: User,
    consortium: Organisation,
    name: str,
    organisation: str,
    email: str,
    phone: str = "",
    expertise: str = "",
) -> ExternalActor:
    """Add an outside actor to a consortium's register."""
    if consortium.pk not in selectors.register_consortia(actor):
        raise PermissionDenied
    email = _clean_actor_fields(consortium_id=consortium.pk, email=email, name=name)
    try:
        with transaction.atomic():
            return ExternalActor.objects.create(
                consortium=consortium,
                name=name.strip(),
                organisation=organisation.strip(),
                email=email,
                phone=phone.strip(),
                expertise=expertise.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            {"email": _("Someone in the register already has this email address.")}
        ) from None


@transaction.atomic
def external_actor_update(
    *,
    actor: User,
    external_actor: ExternalActor,
    name: str,
    organisation: str,
    email: str,
    phone: str = "",
    expertise: str = "",
    is_active: bool = True,
) -> ExternalActor:
    """Correct an outside actor's details, or make them inactive (they are then no longer
    offered for new referrals; their referrals stay)."""
    if not policies.can_manage_actor(selectors.register_consortia(actor), external_actor):
        raise PermissionDenied
    email = _clean_actor_fields(
        consortium_id=external_actor.consortium_id,
        email=email,
        name=name,
        exclude_pk=external_actor.pk,
    )
    external_actor.name = name.strip()
    external_actor.organisation = organisation.strip()
    external_actor.email = email
    external_actor.phone = phone.strip()
    external_actor.expertise = expertise.strip()
    external_actor.is_active = is_active
    external_actor.save()
    return external_actor


# --- Helpers ------------------------------------------------------------------------------


def _touch(idea: Idea, now: datetime) -> None:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=now)


def _recipient_language(referral: Referral) -> str:
    if referral.colleague_id:
        return referral.colleague.preferred_language
    return settings.LANGUAGE_CODE


def _email_recipient(referral: Referral, *, template: str, context: dict | None = None) -> None:
    """Email the referral's recipient, with the private link in the template."""
    email_enqueue(
        recipient=referral.recipient_email,
        template=template,
        context={**(context or {}), "referral": referral, "idea": referral.idea},
        language=_recipient_language(referral),
    )


def _people_to_tell(referral: Referral) -> list[User]:
    """Who hears about an answer or a question: the idea's owner (or, with no owner, its
    municipality's coaches) and whoever sent the referral."""
    idea = referral.idea
    if idea.owner_id and idea.owner.is_active:
        people = [idea.owner]
    else:
        people = list(
            User.objects.filter(
                is_active=True,
                memberships__role=Role.COACH,
                memberships__organisation_id=idea.municipality_id,
            )
            .distinct()
            .order_by("pk")
        )
    sender = referral.created_by
    if sender.is_active and sender not in people:
        people.append(sender)
    return people


def _tell_the_sluice(referral: Referral, *, template: str, message: ReferralMessage) -> None:
    for person in _people_to_tell(referral):
        email_enqueue(
            recipient=person.email,
            template=template,
            context={"referral": referral, "idea": referral.idea, "message": message},
            language=person.preferred_language,
        )


def _timeline_author(referral: Referral) -> tuple[User | None, str]:
    """Who a recipient's entry on the timeline is by: the colleague's account, or the
    outside actor's name at the start of the text (they have no account)."""
    if referral.colleague_id:
        return referral.colleague, ""
    return None, f"{referral.recipient_label}: "


def _require_open_link(referral: Referral, now: datetime) -> None:
    still_open = Referral.objects.filter(
        pk=referral.pk, revoked_at__isnull=True, expires_at__gt=now
    ).exists()
    if not still_open:
        raise PermissionDenied


# --- Sending ------------------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    idea: Idea,
    actor: User,
    question: str,
    due_date: date,
    external_actor: ExternalActor | None = None,
    colleague: User | None = None,
    share_need: bool = True,
    share_solution: bool = True,
    share_beneficiaries: bool = False,
    share_expected_effects: bool = False,
    include_personal_data: bool = False,
    attachments: list[Attachment] | None = None,
) -> Referral:
    """Refer an idea to an outside actor or a colleague in the consortium: record what is
    shared, put it on the idea's timeline, and email the recipient their private link."""
    if not policies.can_send(access_for(actor), idea):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if (external_actor is None) == (colleague is None):
        errors["recipient"] = _("Choose who should answer.")
    elif external_actor is not None and not (
        external_actor.is_active and external_actor.consortium_id == idea.consortium_id
    ):
        errors["recipient"] = _("Choose an active outside actor of this sluice.")
    elif (
        colleague is not None
        and not selectors.colleagues_to_refer_to(idea).filter(pk=colleague.pk).exists()
    ):
        errors["recipient"] = _("Choose a colleague who holds a role in this sluice.")
    question = question.strip()
    if not question:
        errors["question"] = _("Write the question.")
    now = timezone.now()
    today = timezone.localdate(now)
    if due_date <= today:
        errors["due_date"] = _("The date to answer by must be after today.")
    elif due_date > today + timedelta(days=MAX_DAYS_TO_ANSWER):
        errors["due_date"] = _("The date to answer by must be within a year.")
    attachments = list(attachments or [])
    if any(a.idea_id != idea.pk for a in attachments):
        errors["attachments"] = _("Choose only files of this idea.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        idea=idea,
        created_by=actor,
        external_actor=external_actor,
        colleague=colleague,
        question=question,
        share_need=share_need,
        share_solution=share_solution,
        share_beneficiaries=share_beneficiaries,
        share_expected_effects=share_expected_effects,
        include_personal_data=include_personal_data,
        due_date=due_date,
        expires_at=Referral.expiry_for(due_date),
        sent_at=now,
    )
    referral.shared_attachments.set(attachments)
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.REFERRAL_SENT,
        actor=actor,
        body=f"{referral.recipient_label}: {question}",
        created_at=now,
    )
    _touch(idea, now)
    _email_recipient(referral, template="referral_request")
    return referral


@transaction.atomic
def referral_revoke(*, referral: Referral, actor: User) -> Referral:
    """Withdraw a referral: its link stops working at once. The recipient is told when
    they had not answered yet."""
    if not policies.can_handle(access_for(actor), referral):
        raise PermissionDenied
    now = timezone.now()
    revoked = Referral.objects.filter(pk=referral.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor
    )
    if not revoked:
        return referral  # Someone withdrew it first; nothing more to do.
    referral.revoked_at, referral.revoked_by = now, actor
    # There is no timeline kind for a withdrawal yet: an internal note records it.
    TimelineEntry.objects.create(
        idea=referral.idea,
        kind=TimelineEntry.Kind.NOTE,
        actor=actor,
        body=_("Referral to %(recipient)s withdrawn.") % {"recipient": referral.recipient_label},
        created_at=now,
    )
    _touch(referral.idea, now)
    if referral.answered_at is None:
        _email_recipient(referral, template="referral_revoked")
    return referral


@transaction.atomic
def referral_reply(*, referral: Referral, actor: User, body: str) -> ReferralMessage:
    """The sluice writes to the recipient (usually answering their question); they are
    emailed with the link."""
    if not policies.can_handle(access_for(actor), referral):
        raise PermissionDenied
    now = timezone.now()
    _require_open_link(referral, now)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the reply.")})
    message = ReferralMessage.objects.create(
        referral=referral, kind=ReferralMessage.Kind.REPLY, author=actor, body=body, created_at=now
    )
    # There is no timeline kind for a reply to a referral yet: an internal note records it.
    TimelineEntry.objects.create(
        idea=referral.idea,
        kind=TimelineEntry.Kind.NOTE,
        actor=actor,
        body=_("Reply to %(recipient)s: %(body)s")
        % {"recipient": referral.recipient_label, "body": body},
        created_at=now,
    )
    _touch(referral.idea, now)
    _email_recipient(referral, template="referral_reply", context={"message": message})
    return message


# --- The recipient, through the private link ----------------------------------------------


@transaction.atomic
def referral_answer(
    *, referral: Referral, body: str, files: list[UploadedFile] | None = None
) -> ReferralMessage:
    """The recipient answers (or adds to their answer) with text and files. The files
    are stored on the idea, the answer goes on its timeline, and the owner is told."""
    now = timezone.now()
    _require_open_link(referral, now)
    body = body.strip()
    files = files or []
    if not body and not files:
        raise ValidationError({"body": _("Write your answer or add a file.")})
    author, prefix = _timeline_author(referral)
    message = ReferralMessage.objects.create(
        referral=referral,
        kind=ReferralMessage.Kind.ANSWER,
        author=author,
        body=body,
        created_at=now,
    )
    stored = [
        attachment_store_on_idea(idea=referral.idea, upload=upload, user=author) for upload in files
    ]
    message.attachments.set(stored)
    names = ", ".join(a.original_name for a in stored)
    text = body if not names else (f"{body}\n[{names}]" if body else f"[{names}]")
    TimelineEntry.objects.create(
        idea=referral.idea,
        kind=TimelineEntry.Kind.REFERRAL_ANSWERED,
        actor=author,
        body=f"{prefix}{text}",
        created_at=now,
    )
    # The first answer is what response times count.
    if Referral.objects.filter(pk=referral.pk, answered_at__isnull=True).update(answered_at=now):
        referral.answered_at = now
    _touch(referral.idea, now)
    _tell_the_sluice(referral, template="referral_answered", message=message)
    return message


@transaction.atomic
def referral_ask(*, referral: Referral, body: str) -> ReferralMessage:
    """The recipient asks the sluice a question back; the owner is told."""
    now = timezone.now()
    _require_open_link(referral, now)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write your question.")})
    author, prefix = _timeline_author(referral)
    message = ReferralMessage.objects.create(
        referral=referral,
        kind=ReferralMessage.Kind.QUESTION,
        author=author,
        body=body,
        created_at=now,
    )
    TimelineEntry.objects.create(
        idea=referral.idea,
        kind=TimelineEntry.Kind.REFERRAL_QUESTION,
        actor=author,
        body=f"{prefix}{body}",
        created_at=now,
    )
    _touch(referral.idea, now)
    _tell_the_sluice(referral, template="referral_question", message=message)
    return message


# --- Reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    field: str
    template: str


BEFORE = Reminder("reminder_before_sent_at", "referral_reminder_before")
AFTER = Reminder("reminder_after_sent_at", "referral_reminder_after")


@transaction.atomic
def referral_send_reminder(*, referral: Referral, reminder: Reminder, now: datetime) -> bool:
    """Send one reminder of a referral, unless it was already sent. The timestamp is set
    with a compare-and-set in the same transaction as the outbox row, so two workers
    running at once send it exactly once between them."""
    claimed = (
        Referral.objects.filter(
            pk=referral.pk,
            answered_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .filter(**{f"{reminder.field}__isnull": True})
        .update(**{reminder.field: now})
    )
    if not claimed:
        return False
    _email_recipient(referral, template=reminder.template)
    return True


def _open(now: datetime):
    return Referral.objects.filter(
        answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("idea", "external_actor", "colleague")


def send_referral_reminders(*, now: datetime) -> int:
    """Remind recipients who have not answered: once REMINDER_DAYS_BEFORE days before the
    due date (only when the referral was sent before that day, so nobody is reminded
    just after being asked) and once the day after the due date.

    Each reminder is its own transaction, so one that fails leaves the others sent.
    Returns how many reminders were sent.
    """
    today = timezone.localdate(now)
    sent = 0
    before = _open(now).filter(
        reminder_before_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=REMINDER_DAYS_BEFORE),
    )
    for referral in before:
        reminder_day = referral.due_date - timedelta(days=REMINDER_DAYS_BEFORE)
        if timezone.localdate(referral.sent_at) < reminder_day:
            sent += referral_send_reminder(referral=referral, reminder=BEFORE, now=now)
    after = _open(now).filter(reminder_after_sent_at__isnull=True, due_date__lt=today)
    for referral in after:
        sent += referral_send_reminder(referral=referral, reminder=AFTER, now=now)
    return sent
