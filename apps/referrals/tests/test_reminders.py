"""Reminders: once two days before the due date and once the day after, never twice,
never for an answered, withdrawn or expired referral; sent by the real worker.

The clock is controlled by passing `now` explicitly (to the service, and as an ISO time
to the task the worker runs); nothing sleeps.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.core.testing import run_worker
from apps.notifications.models import OutboxEmail
from apps.referrals import services, tasks
from apps.referrals.models import Referral
from apps.referrals.testing import idea_with_files, make_actor, send

DUE = date(2031, 3, 14)


def at(day: date, hour: int = 9) -> datetime:
    """A moment on a day, in the sluice's time zone."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _referral(world, *, sent: date = DUE - timedelta(days=14), email: str = "anna@his.se"):
    """A referral sent on `sent`, due on DUE (dates set straight, as if sent back then)."""
    idea = idea_with_files(world.skovde)
    actor = make_actor(world.consortium, email=email)
    referral = send(idea, world.coach, to=actor)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=at(sent, 10), due_date=DUE, expires_at=Referral.expiry_for(DUE)
    )
    referral.refresh_from_db()
    return referral


def _reminders(email: str = "anna@his.se") -> list[str]:
    return list(
        OutboxEmail.objects.filter(recipient=email, kind__startswith="referral_reminder")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


@pytest.mark.django_db
def test_each_reminder_goes_out_once_at_its_time(world):
    referral = _referral(world)
    timeline = [
        (DUE - timedelta(days=5), []),
        (DUE - timedelta(days=3), []),
        (DUE - timedelta(days=2), ["referral_reminder_before"]),
        (DUE - timedelta(days=1), ["referral_reminder_before"]),
        (DUE, ["referral_reminder_before"]),
        (DUE + timedelta(days=1), ["referral_reminder_before", "referral_reminder_after"]),
        (DUE + timedelta(days=2), ["referral_reminder_before", "referral_reminder_after"]),
        (DUE + timedelta(days=20), ["referral_reminder_before", "referral_reminder_after"]),
    ]
    for day, expected in timeline:
        for hour in (0, 9, 23):
            services.send_referral_reminders(now=at(day, hour))
        assert _reminders() == expected, day
    referral.refresh_from_db()
    assert referral.reminder_before_sent_at == at(DUE - timedelta(days=2), 0)
    assert referral.reminder_after_sent_at == at(DUE + timedelta(days=1), 0)
    emails = OutboxEmail.objects.filter(kind__startswith="referral_reminder").order_by("pk")
    assert all(referral.access_token in email.body for email in emails)
    assert "14 March 2031" in emails[0].subject or "14 mars 2031" in emails[0].subject


@pytest.mark.django_db
def test_a_referral_sent_inside_the_window_gets_no_early_reminder(world):
    _referral(world, sent=DUE - timedelta(days=1))
    services.send_referral_reminders(now=at(DUE - timedelta(days=1), 15))
    services.send_referral_reminders(now=at(DUE, 9))
    assert _reminders() == []
    services.send_referral_reminders(now=at(DUE + timedelta(days=1)))
    assert _reminders() == ["referral_reminder_after"]


@pytest.mark.django_db
def test_answered_withdrawn_and_expired_referrals_are_not_reminded(world):
    answered = _referral(world, email="a@his.se")
    services.referral_answer(referral=answered, body="Klart.")
    withdrawn = _referral(world, email="w@his.se")
    services.referral_revoke(referral=withdrawn, actor=world.coach)
    expired = _referral(world, email="e@his.se")
    Referral.objects.filter(pk=expired.pk).update(expires_at=at(DUE - timedelta(days=3)))
    for day in range(-3, 5):
        services.send_referral_reminders(now=at(DUE + timedelta(days=day)))
    for email in ("a@his.se", "w@his.se", "e@his.se"):
        assert _reminders(email) == []


@pytest.mark.django_db
def test_a_late_first_run_sends_only_the_overdue_reminder(world):
    # The worker was down over the due date: the early reminder's time has passed.
    _referral(world)
    services.send_referral_reminders(now=at(DUE + timedelta(days=3)))
    assert _reminders() == ["referral_reminder_after"]


@pytest.mark.django_db
def test_a_colleague_is_reminded_in_their_language(world):
    world.other_coach.preferred_language = "en"
    world.other_coach.save()
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach, colleague=world.other_coach)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=at(DUE - timedelta(days=10)), due_date=DUE, expires_at=Referral.expiry_for(DUE)
    )
    services.send_referral_reminders(now=at(DUE - timedelta(days=2)))
    [email] = OutboxEmail.objects.filter(kind="referral_reminder_before")
    assert email.recipient == world.other_coach.email
    assert email.subject.startswith("Reminder")


# --- With the real worker ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_each_reminder_once(world):
    referral = _referral(world)
    run_worker()  # the request itself
    mail.outbox.clear()

    early = at(DUE - timedelta(days=2)).isoformat()
    for _ in range(2):
        tasks.send_referral_reminders.enqueue(now=early)
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@his.se"]
    assert referral.access_token in mail.outbox[0].body

    late = at(DUE + timedelta(days=1)).isoformat()
    tasks.send_referral_reminders.enqueue(now=late)
    tasks.send_referral_reminders.enqueue(now=at(DUE + timedelta(days=4)).isoformat())
    run_worker()
    assert len(mail.outbox) == 2
    assert OutboxEmail.objects.filter(kind__startswith="referral_reminder").count() == 2
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}
