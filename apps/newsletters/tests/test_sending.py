"""Sending an issue: by the real worker, in batches, to confirmed subscribers only, with
an unsubscribe link and List-Unsubscribe headers, and exactly once per subscriber even
when the worker is stopped halfway and started again."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.testing import run_worker
from apps.newsletters import services
from apps.newsletters.models import Delivery, Newsletter, Subscriber
from apps.newsletters.tasks import send_newsletter_batch
from apps.notifications.models import OutboxEmail
from apps.notifications.services import outbox_resend_due

from .factories import confirmed_subscriber, draft

pytestmark = pytest.mark.django_db(transaction=True)

MODULE = "apps.newsletters.tests.test_sending"


class WorkerKilled(BaseException):
    """The worker dying (a deploy, a kill): not an error the outbox catches, so the email
    stays claimed, as after a real crash, until the outbox's lease runs out."""


class DyingBackend(LocmemBackend):
    """A mail server connection that takes `limit` messages; from then on the worker dies
    while handing over each next one (which therefore never leaves)."""

    limit = 3
    sent = 0

    def send_messages(self, messages):
        if type(self).sent >= type(self).limit:
            raise WorkerKilled
        type(self).sent += len(messages)
        return super().send_messages(messages)


def _subscribers(world, count: int) -> list[str]:
    addresses = [f"lasare{n}@example.se" for n in range(count)]
    for address in addresses:
        confirmed_subscriber(world.consortium, address)
    return addresses


def _issues() -> list:
    """The issue emails sent (not the confirmations)."""
    return [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]


def _start(world) -> Newsletter:
    """Send an issue (committed), after clearing the confirmation emails away."""
    newsletter = draft(world)
    run_worker()
    mail.outbox.clear()
    with transaction.atomic():
        services.newsletter_send(actor=world.communicator, newsletter=newsletter)
    return newsletter


def test_every_confirmed_subscriber_gets_the_issue_once_in_batches(world, settings):
    settings.SLUSS_NEWSLETTER_BATCH_SIZE = 2
    addresses = _subscribers(world, 5)
    newsletter = _start(world)
    run_worker()
    assert sorted(m.to[0] for m in _issues()) == sorted(addresses)
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert newsletter.finished_at is not None
    batches = DBTaskResult.objects.filter(task_path=send_newsletter_batch.module_path)
    assert batches.count() == 3  # 2 + 2 + 1
    assert Delivery.objects.filter(newsletter=newsletter).count() == 5


def test_every_issue_email_has_its_own_unsubscribe_link_and_headers(world):
    _subscribers(world, 3)
    _start(world)
    run_worker()
    issues = list(mail.outbox)  # everything sent since the send began
    assert len(issues) == 3
    for message in issues:
        subscriber = Subscriber.objects.get(email=message.to[0])
        link = subscriber.unsubscribe_url()
        assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body
        ((html, mimetype),) = message.alternatives
        assert mimetype == "text/html"
        assert link in html
        # The header survives into the message as sent.
        assert message.message()["List-Unsubscribe"] == f"<{link}>"


def test_pending_and_unsubscribed_addresses_get_nothing(world):
    services.subscriber_subscribe(consortium=world.consortium, email="lasare-pending@example.se")
    gone = confirmed_subscriber(world.consortium, "lasare-gone@example.se")
    services.subscriber_unsubscribe(subscriber=gone)
    confirmed_subscriber(world.consortium, "lasare-yes@example.se")
    _start(world)
    run_worker()
    assert [m.to[0] for m in _issues()] == ["lasare-yes@example.se"]


def test_only_those_confirmed_when_the_send_began_get_it(world, settings):
    settings.SLUSS_NEWSLETTER_BATCH_SIZE = 1
    _subscribers(world, 2)
    _start(world)
    # Someone confirms while the issue is on its way; someone else leaves.
    confirmed_subscriber(world.consortium, "lasare-late@example.se")
    services.subscriber_unsubscribe(subscriber=Subscriber.objects.get(email="lasare1@example.se"))
    run_worker()
    assert [m.to[0] for m in _issues()] == ["lasare0@example.se"]


def test_a_send_stopped_halfway_and_restarted_reaches_each_subscriber_exactly_once(world, settings):
    settings.SLUSS_NEWSLETTER_BATCH_SIZE = 3
    addresses = _subscribers(world, 8)
    newsletter = _start(world)
    # The worker dies while handing over the fourth email.
    settings.EMAIL_BACKEND = f"{MODULE}.DyingBackend"
    DyingBackend.sent = 0
    run_worker()
    assert len(_issues()) == 3
    assert OutboxEmail.objects.filter(
        kind="newsletter_issue", status=OutboxEmail.Status.SENDING
    ).exists()
    # Started again with a working mail server, after the outbox's lease has run out:
    # the periodic jobs queue the issue's batches and the outbox's stranded emails again,
    # twice even, as an impatient operator would.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + timedelta(hours=1)
    for _ in range(2):
        services.newsletters_resume_sending(now=later)
        with transaction.atomic():
            outbox_resend_due(now=later)
    run_worker()
    received = Counter(m.to[0] for m in _issues())
    assert received == Counter(dict.fromkeys(addresses, 1))
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert set(
        OutboxEmail.objects.filter(kind="newsletter_issue").values_list("status", flat=True)
    ) == {OutboxEmail.Status.SENT}


def test_a_batch_run_twice_or_after_the_end_sends_nothing_more(world, settings):
    settings.SLUSS_NEWSLETTER_BATCH_SIZE = 2
    addresses = _subscribers(world, 3)
    newsletter = _start(world)
    # The first batch runs, then the same batch is queued twice more before the worker.
    assert services.newsletter_send_batch(newsletter_id=newsletter.pk) == 2
    with transaction.atomic():
        send_newsletter_batch.enqueue(newsletter_id=newsletter.pk)
        send_newsletter_batch.enqueue(newsletter_id=newsletter.pk)
    run_worker()
    assert services.newsletter_send_batch(newsletter_id=newsletter.pk) == 0
    run_worker()
    assert Counter(m.to[0] for m in _issues()) == Counter(dict.fromkeys(addresses, 1))


def test_a_mail_server_that_refuses_means_a_later_try_not_a_second_email(world, settings):
    from apps.notifications.tests.test_outbox import FlakyBackend

    _subscribers(world, 2)
    _start(world)
    FlakyBackend.calls = 0
    settings.EMAIL_BACKEND = "apps.notifications.tests.test_outbox.FlakyBackend"
    run_worker()
    assert len(_issues()) == 1
    with transaction.atomic():
        outbox_resend_due(now=timezone.now() + timedelta(hours=1))
    run_worker()
    assert sorted(m.to[0] for m in _issues()) == ["lasare0@example.se", "lasare1@example.se"]
