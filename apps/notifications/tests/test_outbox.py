"""The email outbox: written with the change that causes it, sent by the real worker.

An email exists exactly when its cause was committed; the worker (the real db_worker of
django-tasks-db, run in batch mode) sends it; a failing mail server means retries with a
growing back-off, and after SLUSS_EMAIL_MAX_ATTEMPTS the email is given up as failed.
These tests need real commits, so they are transactional.
"""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core.testing import make_consortium, make_municipality, run_worker, submit_idea
from apps.ideas import services
from apps.notifications.models import OutboxEmail
from apps.notifications.services import email_enqueue
from apps.notifications.tasks import backoff, resend_due_emails, send_outbox_email

pytestmark = pytest.mark.django_db(transaction=True)

MODULE = "apps.notifications.tests.test_outbox"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as smtplib does."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """A mail server that fails the first time it is asked and then recovers."""

    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def _enqueue(recipient: str = "ida@skovde.se") -> OutboxEmail:
    """One committed outbox email (and its send task), and nothing else in the outbox.

    The idea it is about comes from a municipality without coaches, and its receipt is
    cleared away, so each test counts only this email.
    """
    idea = submit_idea(make_municipality(make_consortium("Testförbundet", prefix="TST"), "Testby"))
    OutboxEmail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    return email_enqueue(
        recipient=recipient,
        template="idea_message_to_submitter",
        context={
            "idea": idea,
            "submitter": idea.submitters.get(),
            "entry": idea.timeline.get(),
        },
    )


def _make_retries_due() -> None:
    """Bring the scheduled retries forward to now, as if their back-off had passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_a_rolled_back_change_leaves_no_email_and_no_task(world):
    idea = submit_idea(world.skovde, submitter_email="ida@skovde.se")
    emails, tasks = OutboxEmail.objects.count(), DBTaskResult.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.idea_message_submitters(idea=idea, actor=world.coach, body="Hej Ida!")
        assert OutboxEmail.objects.count() == emails + 1  # written inside the transaction
        raise RuntimeError("something later in the same request failed")

    assert OutboxEmail.objects.count() == emails
    assert not OutboxEmail.objects.filter(body__contains="Hej Ida!").exists()
    assert DBTaskResult.objects.count() == tasks
    run_worker()
    assert not any("Hej Ida!" in m.body for m in mail.outbox)


def test_a_committed_change_has_its_emails_and_their_tasks(world):
    submit_idea(world.skovde, submitter_email="ida@skovde.se")
    emails = list(OutboxEmail.objects.all())
    # The receipt to Ida and the news to Skövde's coach, one send task for each.
    assert {e.recipient for e in emails} == {"ida@skovde.se", world.coach.email}
    assert all(e.status == OutboxEmail.Status.PENDING for e in emails)
    tasks = DBTaskResult.objects.filter(task_path__endswith="send_outbox_email")
    assert sorted(t.args_kwargs["kwargs"]["email_id"] for t in tasks) == sorted(
        e.pk for e in emails
    )


def test_the_worker_sends_the_outbox(world):
    idea = submit_idea(world.skovde, submitter_email="ida@skovde.se")
    assert mail.outbox == []

    run_worker()

    emails = list(OutboxEmail.objects.all())
    assert emails
    for email in emails:
        assert email.status == OutboxEmail.Status.SENT
        assert email.attempts == 1
        assert email.sent_at is not None
        assert email.last_error == ""
    sent = {(m.to[0], m.subject) for m in mail.outbox}
    assert sent == {(e.recipient, e.subject) for e in emails}
    assert any(idea.reference in m.subject for m in mail.outbox if m.to == ["ida@skovde.se"])
    # Running the worker again sends nothing twice.
    run_worker()
    assert len(mail.outbox) == len(emails)


def test_a_duplicate_task_sends_the_email_once():
    email = _enqueue()
    send_outbox_email.enqueue(email_id=email.pk)
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)


def test_a_failing_mail_server_means_retries_with_back_off_then_failed(settings):
    settings.EMAIL_BACKEND = f"{MODULE}.FailingBackend"
    settings.SLUSS_EMAIL_MAX_ATTEMPTS = 4
    email = _enqueue()

    for attempt in range(1, settings.SLUSS_EMAIL_MAX_ATTEMPTS):
        before = timezone.now()
        run_worker()
        after = timezone.now()
        email.refresh_from_db()
        assert email.attempts == attempt
        assert email.status == OutboxEmail.Status.PENDING
        assert "SMTPServerDisconnected" in email.last_error
        # 1, 2, 4 … minutes after the attempt.
        wait = backoff(attempt)
        assert wait == timedelta(minutes=2 ** (attempt - 1))
        assert before + wait <= email.next_attempt_at <= after + wait
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == email.next_attempt_at
        # The retry waits for its time: running the worker now does not try again.
        run_worker()
        email.refresh_from_db()
        assert email.attempts == attempt
        _make_retries_due()

    run_worker()

    email.refresh_from_db()
    assert email.attempts == settings.SLUSS_EMAIL_MAX_ATTEMPTS
    assert email.status == OutboxEmail.Status.FAILED
    assert email.sent_at is None
    assert "SMTPServerDisconnected" in email.last_error
    # Given up: no further retry is scheduled.
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert mail.outbox == []


def test_an_email_is_sent_once_the_mail_server_is_back(settings):
    settings.EMAIL_BACKEND = f"{MODULE}.FlakyBackend"
    FlakyBackend.calls = 0
    email = _enqueue()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    _make_retries_due()
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 2)
    assert [m.to for m in mail.outbox] == [["ida@skovde.se"]]


def test_lost_tasks_are_recovered_by_resending_due_emails():
    email = _enqueue()
    DBTaskResult.objects.all().delete()  # the task was lost (e.g. the queue was cleared)
    run_worker()
    assert mail.outbox == []
    resend_due_emails.enqueue()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_an_email_whose_worker_died_is_sent_after_its_lease():
    email = _enqueue()
    # A worker claimed it and died before sending: the claim's lease has run out.
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    DBTaskResult.objects.all().delete()
    resend_due_emails.enqueue()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_a_claimed_email_within_its_lease_is_left_alone():
    email = _enqueue()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=10),
    )
    DBTaskResult.objects.all().delete()
    resend_due_emails.enqueue()
    run_worker()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENDING
    assert mail.outbox == []
