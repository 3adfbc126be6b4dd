"""Writes to the outbox. Every email the system sends starts here."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine
from django.utils import translation

from .models import OutboxEmail


def email_enqueue(
    *,
    recipient: str,
    template: str,
    context: dict,
    language: str = "sv",
    kind: str = "",
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    html_template: str = "",
) -> OutboxEmail:
    """Render an email in the recipient's language and put it in the outbox.

    The row is written in the caller's transaction, so the email exists exactly when the
    change that caused it does; the worker is asked to send it once that commits.
    The template's first line is the subject, the rest the body. `attachments` are text
    files sent along, each {"filename", "content", "mimetype"} (e.g. an iCalendar invite).
    `headers` are extra message headers (e.g. List-Unsubscribe). `html_template` names an
    HTML alternative, `notifications/email/<html_template>.html`, rendered with the same
    context and with autoescaping on.
    """
    from .tasks import send_outbox_email

    with translation.override(language):
        # Plain-text email: no HTML escaping, or "Kött & fisk" would arrive as "&amp;".
        rendered = (
            Engine.get_default()
            .get_template(f"notifications/email/{template}.txt")
            .render(Context({**context, "site_url": settings.SITE_URL}, autoescape=False))
        )
        html_body = ""
        if html_template:
            html_body = (
                Engine.get_default()
                .get_template(f"notifications/email/{html_template}.html")
                .render(Context({**context, "site_url": settings.SITE_URL}))
            )
    subject, _, body = rendered.strip().partition("\n")
    email = OutboxEmail.objects.create(
        recipient=recipient,
        subject=subject.strip()[:250],
        body=body.strip() + "\n",
        kind=kind or template,
        attachments=attachments or [],
        headers=headers or {},
        html_body=html_body,
    )
    transaction.on_commit(lambda: send_outbox_email.enqueue(email_id=email.pk))
    return email


def outbox_resend_due(*, now: datetime) -> int:
    """Enqueue every pending email whose time has come, and every claimed one whose
    worker died before finishing (its lease ran out): recovery after lost tasks."""
    from django.db.models import Q

    from .tasks import send_outbox_email

    due = OutboxEmail.objects.filter(
        Q(status=OutboxEmail.Status.PENDING) | Q(status=OutboxEmail.Status.SENDING),
        next_attempt_at__lte=now,
    )
    ids = list(due.values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=ids).update(status=OutboxEmail.Status.PENDING)
    for email_id in ids:
        send_outbox_email.enqueue(email_id=email_id)
    return len(ids)
