"""Every write of the newsletters: subscriptions, composing, sending.

How a send reaches each confirmed subscriber exactly once
---------------------------------------------------------
`newsletter_send` freezes the issue and queues the first batch. A batch
(`newsletter_send_batch`) runs in one transaction that begins with a write on the issue
(a compare-and-set on its status: PostgreSQL locks the row, SQLite's IMMEDIATE
transaction takes the write lock), so two batches of one issue never overlap. It picks up
to `batch_size` subscribers who were confirmed when the send began, are still confirmed
and have no `Delivery` for the issue, and writes for each a Delivery (unique per issue
and subscriber) together with its outbox email. It then queues the next batch, or marks
the issue sent when none is left. The crash points:

- before the batch commits: nothing of it exists; the batch is run again (the task is
  queued again by `newsletters_resume_sending`, a periodic job) and picks the same people;
- after it commits, before the outbox sends: the emails wait in the outbox, whose own
  recovery (`outbox_resend_due`) sends them; the next batch skips these subscribers;
- a batch queued twice: the second finds those subscribers delivered and skips them;
- the mail server refuses: the outbox keeps the email and retries it later, once;
- the worker dies after the mail server accepted an email but before the outbox marked it
  sent: the outbox tries it again after its lease. This window (one email, between SMTP's
  "250 OK" and one UPDATE) is the only way to get an issue twice; no system that talks
  SMTP can close it, since the server's acceptance and our record are not one transaction.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.links import hash_token, new_link_salt
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import policies, rendering
from .models import Delivery, Newsletter, NewsletterBlock, Subscriber

#: Subscribers handed to the outbox per batch (a setting may lower it, e.g. in tests).
DEFAULT_BATCH_SIZE = 50


def batch_size() -> int:
    return getattr(settings, "SLUSS_NEWSLETTER_BATCH_SIZE", DEFAULT_BATCH_SIZE)


# --- Subscriptions ----------------------------------------------------------------------


def _send_confirmation(subscriber: Subscriber) -> None:
    email_enqueue(
        recipient=subscriber.email,
        template="newsletter_confirm",
        context={"consortium": subscriber.consortium, "confirm_url": subscriber.confirm_url()},
        language=subscriber.language,
        kind="newsletter_confirm",
    )


@transaction.atomic
def subscriber_subscribe(
    *, consortium: Organisation, email: str, language: str = "sv"
) -> Subscriber:
    """Ask for the consortium's newsletter at `email`: double opt-in.

    A new or unsubscribed address becomes pending and gets a confirmation link; a pending
    one gets the link again; a confirmed one gets nothing new. The caller shows the same
    answer in every case, so nobody learns from it whether an address is subscribed.
    """
    if consortium.kind != Organisation.Kind.CONSORTIUM:
        raise ValidationError({"consortium": _("Choose a newsletter.")})
    address = email.strip().lower()
    subscriber = (
        Subscriber.objects.select_for_update().filter(consortium=consortium, email=address).first()
    )
    if subscriber is None:
        salt = new_link_salt()
        subscriber = Subscriber(
            consortium=consortium, email=address, language=language, link_salt=salt
        )
        subscriber.confirm_token_hash = hash_token(subscriber.confirm_token)
        subscriber.unsubscribe_token_hash = hash_token(subscriber.unsubscribe_token)
        subscriber.save()
        _send_confirmation(subscriber)
    elif subscriber.status == Subscriber.Status.CONFIRMED:
        pass
    else:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = language
        subscriber.save(update_fields=["status", "language"])
        _send_confirmation(subscriber)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Follow the confirmation link: a pending subscriber starts receiving issues.
    Confirming again changes nothing."""
    if subscriber.status == Subscriber.Status.PENDING:
        Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
            status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
        )
        subscriber.refresh_from_db()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every future issue to this subscriber (also mid-send: later batches skip
    them). Unsubscribing again changes nothing."""
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
        subscriber.refresh_from_db()
    return subscriber


# --- Composing ------------------------------------------------------------------------


def _require_composer(actor: User, newsletter: Newsletter) -> None:
    if not policies.can_compose(access_for(actor), newsletter):
        raise PermissionDenied


def _require_draft(actor: User, newsletter: Newsletter) -> None:
    _require_composer(actor, newsletter)
    if not newsletter.is_draft:
        raise ValidationError(_("This issue has been sent and can no longer be changed."))


@transaction.atomic
def newsletter_create(
    *, actor: User, consortium: Organisation, subject: str, intro: str = ""
) -> Newsletter:
    """Start a draft issue of the consortium's newsletter."""
    if consortium.pk not in policies.composer_consortium_ids(access_for(actor)):
        raise PermissionDenied
    return Newsletter.objects.create(
        consortium=consortium, subject=subject.strip(), intro=intro.strip(), created_by=actor
    )


@transaction.atomic
def newsletter_update(*, actor: User, newsletter: Newsletter, subject: str, intro: str) -> None:
    """Change a draft's subject and introduction."""
    _require_draft(actor, newsletter)
    newsletter.subject = subject.strip()
    newsletter.intro = intro.strip()
    newsletter.save(update_fields=["subject", "intro"])


@transaction.atomic
def block_add(
    *,
    actor: User,
    newsletter: Newsletter,
    kind: str,
    heading: str = "",
    text: str = "",
    entry_ids: list[int] | None = None,
) -> NewsletterBlock:
    """Add a block at the end of a draft. A text block needs its text; a showcase block
    needs published entries of the issue's consortium."""
    _require_draft(actor, newsletter)
    if kind not in NewsletterBlock.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of block.")})
    chosen: list[int] = []
    if kind == NewsletterBlock.Kind.TEXT and not text.strip():
        raise ValidationError({"text": _("Write the text of the block.")})
    if kind == NewsletterBlock.Kind.SHOWCASE:
        published = {
            entry.pk
            for entry in rendering.published_entries(consortium_id=newsletter.consortium_id)
        }
        chosen = [pk for pk in dict.fromkeys(entry_ids or []) if pk in published]
        if not chosen:
            raise ValidationError({"entries": _("Choose at least one published entry.")})
    last = newsletter.blocks.aggregate(last=Max("position"))["last"] or 0
    return NewsletterBlock.objects.create(
        newsletter=newsletter,
        position=last + 1,
        kind=kind,
        heading=heading.strip(),
        text=text.strip() if kind == NewsletterBlock.Kind.TEXT else "",
        entry_ids=chosen,
    )


@transaction.atomic
def block_remove(*, actor: User, block: NewsletterBlock) -> None:
    """Take a block out of a draft."""
    _require_draft(actor, block.newsletter)
    block.delete()


@transaction.atomic
def block_move(*, actor: User, block: NewsletterBlock, direction: str) -> None:
    """Swap a block with its neighbour above ("up") or below ("down"); at either end
    nothing moves. Positions are renumbered 1, 2, 3 … on the way."""
    newsletter = block.newsletter
    _require_draft(actor, newsletter)
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose up or down."))
    blocks = list(newsletter.blocks.select_for_update().order_by("position", "pk"))
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(blocks):
        blocks[index], blocks[other] = blocks[other], blocks[index]
    for position, each in enumerate(blocks, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


def _issue_email(
    *,
    newsletter: Newsletter,
    recipient: str,
    unsubscribe_url: str,
    body_text: str,
    body_html: str,
    language: str,
    subject: str,
    headers: dict | None,
    kind: str,
):
    return email_enqueue(
        recipient=recipient,
        template="newsletter_issue",
        html_template="newsletter_issue",
        context={
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "unsubscribe_url": unsubscribe_url,
            "language": language,
            "newsletter": newsletter,
        },
        language=language,
        kind=kind,
        headers=headers,
    )


def preview_unsubscribe_url() -> str:
    """The link a preview and a test email show where each subscriber's own link goes: the
    subscribe page, since the one who previews has no subscription to end."""
    from django.urls import reverse

    return settings.SITE_URL + reverse("newsletters:subscribe")


@transaction.atomic
def newsletter_send_test(*, actor: User, newsletter: Newsletter) -> None:
    """Send the issue as it would go out now to the person composing it, marked as a test."""
    _require_composer(actor, newsletter)
    body_text, body_html = rendering.preview_content(newsletter)
    _issue_email(
        newsletter=newsletter,
        recipient=actor.email,
        unsubscribe_url=preview_unsubscribe_url(),
        body_text=body_text,
        body_html=body_html,
        language=settings.LANGUAGE_CODE,
        subject=_("[Test] %(subject)s") % {"subject": newsletter.subject},
        headers=None,
        kind="newsletter_test",
    )


@transaction.atomic
def newsletter_send(*, actor: User, newsletter: Newsletter) -> Newsletter:
    """Freeze the draft's content and start sending it to the confirmed subscribers.

    The move from draft to sending is a compare-and-set, so two clicks on "send" send
    once. The worker does the rest in batches (newsletter_send_batch).
    """
    _require_draft(actor, newsletter)
    if not newsletter.blocks.exists() and not newsletter.intro:
        raise ValidationError(_("Add some content before sending the issue."))
    body_text, body_html = rendering.render_content(newsletter)
    now = timezone.now()
    moved = Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.DRAFT).update(
        status=Newsletter.Status.SENDING,
        sent_at=now,
        sent_by=actor,
        body_text=body_text,
        body_html=body_html,
    )
    if not moved:
        raise ValidationError(_("This issue has been sent and can no longer be changed."))
    newsletter.refresh_from_db()
    _queue_batch(newsletter.pk)
    return newsletter


def _queue_batch(newsletter_id: int) -> None:
    from .tasks import send_newsletter_batch

    transaction.on_commit(lambda: send_newsletter_batch.enqueue(newsletter_id=newsletter_id))


def recipients_left(newsletter: Newsletter):
    """Subscribers confirmed when the send began, still confirmed, not yet delivered."""
    return (
        Subscriber.objects.filter(
            consortium_id=newsletter.consortium_id,
            status=Subscriber.Status.CONFIRMED,
            confirmed_at__lte=newsletter.sent_at,
        )
        .exclude(deliveries__newsletter=newsletter)
        .order_by("pk")
    )


@transaction.atomic
def newsletter_send_batch(*, newsletter_id: int, size: int | None = None) -> int:
    """Hand the next batch of an issue to the outbox; queue the batch after it, or mark
    the issue sent. Returns how many subscribers this batch covered (0 when there is
    nothing to do: the issue is not being sent, or everyone has it).

    See the module's docstring for why a subscriber gets the issue exactly once.
    """
    size = size or batch_size()
    # The first statement writes, so the transaction holds the issue (PostgreSQL: its row;
    # SQLite: the database) until it commits: two batches of an issue never interleave.
    held = Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
        status=Newsletter.Status.SENDING
    )
    if not held:
        return 0
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    batch = list(recipients_left(newsletter)[:size])
    for subscriber in batch:
        email = _issue_email(
            newsletter=newsletter,
            recipient=subscriber.email,
            unsubscribe_url=subscriber.unsubscribe_url(),
            body_text=newsletter.body_text,
            body_html=newsletter.body_html,
            language=subscriber.language,
            subject=newsletter.subject,
            headers={
                "List-Unsubscribe": f"<{subscriber.unsubscribe_url()}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            kind="newsletter_issue",
        )
        Delivery.objects.create(newsletter=newsletter, subscriber=subscriber, email=email)
    if len(batch) < size or not recipients_left(newsletter).exists():
        Newsletter.objects.filter(pk=newsletter_id).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )
    else:
        _queue_batch(newsletter_id)
    return len(batch)


def newsletters_resume_sending(*, now: datetime) -> int:
    """Periodic job: queue a batch for every issue still being sent, in case a worker
    died with its batch (a batch queued twice does no harm)."""
    ids = list(
        Newsletter.objects.filter(status=Newsletter.Status.SENDING).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for newsletter_id in ids:
            _queue_batch(newsletter_id)
    return len(ids)
