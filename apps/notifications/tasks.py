"""Background work: send outbox email with retries and exponential back-off."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutboxEmail

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes between attempts, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@task()
def send_outbox_email(email_id: int) -> str:
    """Send one outbox email; on failure schedule another try until attempts run out."""
    with transaction.atomic():
        # Claim the row: only a pending email is sent, so a duplicate task sends nothing.
        email = (
            OutboxEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutboxEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return "nothing to send"
        email.attempts += 1
        try:
            EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.recipient],
            ).send()
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.SLUSS_EMAIL_MAX_ATTEMPTS:
                email.status = OutboxEmail.Status.FAILED
                logger.error("Giving up on email %s: %s", email.pk, email.last_error)
            else:
                email.next_attempt_at = timezone.now() + backoff(email.attempts)
                retry_at = email.next_attempt_at
                transaction.on_commit(
                    lambda: send_outbox_email.using(run_after=retry_at).enqueue(email_id=email_id)
                )
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "retry scheduled" if email.status == OutboxEmail.Status.PENDING else "failed"
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return "sent"


@task()
def resend_due_emails() -> int:
    """Enqueue every pending email whose time has come (recovery after a lost task)."""
    due = list(
        OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for email_id in due:
        send_outbox_email.enqueue(email_id=email_id)
    return len(due)
