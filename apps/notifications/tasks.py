"""Background work: send outbox email with retries and exponential back-off."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import OutboxEmail

logger = logging.getLogger(__name__)

#: How long a worker may hold a claimed email before another may try it.
SENDING_LEASE = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes between attempts, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


@task()
def send_outbox_email(email_id: int) -> str:
    """Send one outbox email; on failure schedule another try until attempts run out.

    The email is claimed with a conditional UPDATE and sent outside any transaction, so a
    slow mail server never holds a database lock (on SQLite that would stop all writes),
    and a second task for the same email finds nothing to claim and sends nothing.
    """
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.PENDING).update(
        status=OutboxEmail.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    if not claimed:
        return "nothing to send"
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers=email.headers or None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as error:  # any transport error means "try later"
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.SLUSS_EMAIL_MAX_ATTEMPTS:
            email.status = OutboxEmail.Status.FAILED
            logger.error("Giving up on email %s: %s", email.pk, email.last_error)
        else:
            email.status = OutboxEmail.Status.PENDING
            email.next_attempt_at = timezone.now() + backoff(email.attempts)
        with transaction.atomic():
            email.save(update_fields=["status", "last_error", "next_attempt_at"])
            if email.status == OutboxEmail.Status.PENDING:
                retry_at = email.next_attempt_at
                transaction.on_commit(
                    lambda: send_outbox_email.using(run_after=retry_at).enqueue(email_id=email_id)
                )
        return "retry scheduled" if email.status == OutboxEmail.Status.PENDING else "failed"
    email.status = OutboxEmail.Status.SENT
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "sent_at"])
    return "sent"


@task()
def resend_due_emails() -> int:
    """Enqueue every email that is due again (see services.outbox_resend_due)."""
    from .services import outbox_resend_due

    return outbox_resend_due(now=timezone.now())
