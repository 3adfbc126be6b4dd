"""Leave-date reminders: through the real worker, once per reminder, nobody deactivated."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import periodic
from apps.core.testing import run_worker
from apps.handover import services
from apps.handover.models import LeaveReminder

from .scenario import make_leaver

pytestmark = pytest.mark.django_db(transaction=True)

JOB = "apps.handover.services.remind_upcoming_leavers"


def _leaving_in(person, days: int) -> None:
    person.leaves_on = timezone.localdate() + timedelta(days=days)
    person.save(update_fields=["leaves_on"])


def test_administrators_and_process_leaders_are_reminded_14_and_3_days_before(world, settings):
    settings.SLUSS_PERIODIC_JOBS = [JOB]
    leaver = make_leaver(world)
    _leaving_in(leaver.person, 14)
    _leaving_in(world.other_coach, 14)  # holds nothing: no reminder about them
    run_worker()
    mail.outbox.clear()

    DBTaskResult.objects.all().delete()
    periodic.ensure_periodic_jobs()
    run_worker()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.administrator.email, world.process_leader.email])
    assert all(leaver.ideas[0].reference in m.body for m in mail.outbox)
    assert all(f"/handover/people/{leaver.person.pk}/" in m.body for m in mail.outbox)

    # Again the same day, however often: nothing more.
    assert services.remind_upcoming_leavers(now=timezone.now()) == 0
    run_worker()
    assert len(mail.outbox) == 2

    # Three days before, the second reminder; on the day, nobody is deactivated.
    eleven_days_later = timezone.now() + timedelta(days=11)
    assert services.remind_upcoming_leavers(now=eleven_days_later) == 1
    run_worker()
    assert len(mail.outbox) == 4
    assert services.remind_upcoming_leavers(now=timezone.now() + timedelta(days=14)) == 0
    leaver.person.refresh_from_db()
    assert leaver.person.is_active
    assert LeaveReminder.objects.filter(person=leaver.person).count() == 2


def test_a_date_set_late_gets_only_the_nearest_reminder(world):
    leaver = make_leaver(world)
    _leaving_in(leaver.person, 2)
    assert services.remind_upcoming_leavers(now=timezone.now()) == 1
    assert list(LeaveReminder.objects.values_list("days_before", flat=True)) == [3]


def test_someone_who_has_handed_everything_over_is_not_reminded_about(world):
    leaver = make_leaver(world)
    _leaving_in(leaver.person, 3)
    services.handover_perform(
        actor=world.administrator,
        person=leaver.person,
        successors={"all": world.process_leader},
        deactivate=False,
    )
    assert services.remind_upcoming_leavers(now=timezone.now()) == 0
