"""Action items' reminders: once, the day before the due date (a late one if the worker
was down), never for a done item or one added too late for it; sent by the real worker
through the periodic-job runner. The clock is controlled by passing `now`."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import periodic
from apps.core.testing import run_worker
from apps.meetings import services
from apps.meetings.models import ActionItem
from apps.meetings.testing import idea_in
from apps.notifications.models import OutboxEmail

DUE = date(2031, 3, 14)
JOB = "apps.meetings.services.send_action_item_reminders"


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _item(world, *, added: date = DUE - timedelta(days=10), owner=None, title="Boka lokal"):
    """An action item added on `added`, due on DUE (dates set straight, as if back then)."""
    idea = idea_in(world.skovde)
    item = services.action_item_add(
        idea=idea,
        actor=world.coach,
        title=title,
        owner=owner or world.process_leader,
        due_date=timezone.localdate(),
    )
    ActionItem.objects.filter(pk=item.pk).update(created_at=at(added, 10), due_date=DUE)
    item.refresh_from_db()
    return item


def _reminders(address: str = "pl@skaraborg.se") -> list[str]:
    return list(
        OutboxEmail.objects.filter(recipient=address, kind="meeting_action_item_reminder")
        .order_by("pk")
        .values_list("subject", flat=True)
    )


@pytest.mark.django_db
def test_the_reminder_goes_out_once_the_day_before(world):
    item = _item(world)
    for day, expected in [
        (DUE - timedelta(days=5), 0),
        (DUE - timedelta(days=2), 0),
        (DUE - timedelta(days=1), 1),
        (DUE, 1),
        (DUE + timedelta(days=3), 1),
    ]:
        for hour in (0, 9, 23):
            services.send_action_item_reminders(now=at(day, hour))
        assert len(_reminders()) == expected, day
    item.refresh_from_db()
    assert item.reminder_sent_at == at(DUE - timedelta(days=1), 0)
    [email] = OutboxEmail.objects.filter(kind="meeting_action_item_reminder")
    assert "Boka lokal" in email.subject and item.idea.reference in email.body
    assert "/meetings/tasks/" in email.body


@pytest.mark.django_db
def test_a_late_reminder_after_the_worker_was_down_says_it_is_overdue(world):
    _item(world)
    services.send_action_item_reminders(now=at(DUE + timedelta(days=2)))
    services.send_action_item_reminders(now=at(DUE + timedelta(days=3)))
    [subject] = _reminders()
    assert "14" in subject and ("Overdue" in subject or "Försenad" in subject or "2031" in subject)


@pytest.mark.django_db
def test_no_reminder_for_a_done_item_nor_one_added_on_the_day_before(world):
    done = _item(world, title="Klar")
    services.action_item_complete(item=done, actor=world.process_leader)
    _item(world, added=DUE - timedelta(days=1), title="Sent tillagd")
    _item(world, added=DUE, title="Samma dag")
    for day in (DUE - timedelta(days=1), DUE, DUE + timedelta(days=1)):
        assert services.send_action_item_reminders(now=at(day)) == 0
    assert _reminders() == []


@pytest.mark.django_db
def test_two_runs_at_once_remind_once(world):
    item = _item(world)
    moment = at(DUE - timedelta(days=1))
    assert services.action_item_send_reminder(item=item, now=moment) is True
    assert services.action_item_send_reminder(item=item, now=moment) is False
    assert len(_reminders()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reminder_through_the_periodic_jobs(world, settings):
    if JOB not in settings.SLUSS_PERIODIC_JOBS:
        settings.SLUSS_PERIODIC_JOBS = [*settings.SLUSS_PERIODIC_JOBS, JOB]
    item = _item(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    ActionItem.objects.filter(pk=item.pk).update(
        due_date=tomorrow, created_at=timezone.now() - timedelta(days=10)
    )
    run_worker()
    mail.outbox.clear()
    DBTaskResult.objects.all().delete()
    periodic.ensure_periodic_jobs()
    run_worker()
    assert [m.to for m in mail.outbox] == [["pl@skaraborg.se"]]
    assert "Boka lokal" in mail.outbox[0].subject
    # The next run sends nothing more.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert len(mail.outbox) == 1
