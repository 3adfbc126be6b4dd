"""The weekly digest: once per ISO week, each coach and process leader with something
that needs attention gets one plain-text email listing it.

`send_weekly_digest` is a periodic job (apps.core.periodic: `job(*, now) -> int`); it
runs often, sends from Monday 07:00 Stockholm time onwards, and each person's week is
recorded before their email is put in the outbox, in the same transaction, so running
it again in the same week (or on two workers at once) sends nothing twice.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.notifications.services import email_enqueue

from .models import DigestRecord
from .selectors import attention_items, digest_recipients

logger = logging.getLogger(__name__)

#: The digest goes out from this time on Mondays (local time), or later that week if
#: the worker was not running then.
DIGEST_TIME = time(7, 0)


def week_start(now: datetime) -> date:
    """The Monday of `now`'s ISO week, by the date in the sluice's time zone."""
    today = timezone.localdate(now)
    return today - timedelta(days=today.weekday())


def digest_due(now: datetime) -> bool:
    """Whether this week's digest may go out at `now`: from Monday at DIGEST_TIME on."""
    monday = week_start(now)
    return timezone.localtime(now) >= timezone.make_aware(datetime.combine(monday, DIGEST_TIME))


@transaction.atomic
def digest_send(*, user: User, now: datetime) -> bool:
    """Send `user` this week's digest, unless this week's is already recorded. Returns
    True when an email was put in the outbox (nothing to report sends none, but the
    week is recorded all the same)."""
    try:
        with transaction.atomic():
            record = DigestRecord.objects.create(
                user=user, week_start=week_start(now), created_at=now
            )
    except IntegrityError:
        return False  # already done this week, perhaps by another worker just now
    attention = attention_items(user, now)
    record.items = attention.total
    if attention.total:
        email_enqueue(
            recipient=user.email,
            template="weekly_digest",
            context={
                "user": user,
                "attention": attention,
                "week_start": record.week_start,
                "follow_up_path": reverse("followup:attention"),
            },
            language=user.preferred_language or "sv",
            kind="weekly_digest",
        )
        record.emailed = True
    record.save(update_fields=["items", "emailed"])
    return record.emailed


def send_weekly_digest(*, now: datetime) -> int:
    """The periodic job: send this week's digest to every coach and process leader who
    has not had it yet, once it is due (see `digest_due`). Each person is their own
    transaction, so one failure leaves the others sent. Returns how many were emailed."""
    if not digest_due(now):
        return 0
    waiting = digest_recipients().exclude(digest_records__week_start=week_start(now))
    sent = 0
    for user in waiting:
        try:
            sent += digest_send(user=user, now=now)
        except Exception:
            logger.exception("The weekly digest for user %s failed", user.pk)
    return sent
