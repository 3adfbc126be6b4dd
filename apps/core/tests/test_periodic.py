"""The periodic jobs: run by the real worker, once per moment, never multiplied."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import periodic
from apps.core.testing import run_worker
from apps.referrals.models import Referral
from apps.referrals.testing import idea_with_files, make_actor, send


@pytest.mark.django_db(transaction=True)
def test_the_periodic_task_runs_every_job_and_schedules_its_next_run_once(world, settings):
    # Only the referral reminders here, so the emails counted are theirs (the weekly
    # digest has its own tests).
    settings.SLUSS_PERIODIC_JOBS = ["apps.referrals.services.send_referral_reminders"]
    idea = idea_with_files(world.skovde)
    referral = send(idea, world.coach, to=make_actor(world.consortium, email="anna@his.se"))
    yesterday = timezone.localdate() - timedelta(days=1)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - timedelta(days=20), due_date=yesterday
    )
    run_worker()
    mail.outbox.clear()
    DBTaskResult.objects.all().delete()

    assert periodic.ensure_periodic_jobs() is True
    assert periodic.ensure_periodic_jobs() is False  # a second start adds nothing
    run_worker()  # runs the jobs: the overdue reminder goes out, the next run is queued

    assert [m.to for m in mail.outbox] == [["anna@his.se"]]
    waiting = DBTaskResult.objects.filter(
        task_path=periodic.run_periodic_jobs.module_path, status="READY"
    )
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now() + timedelta(minutes=10)
    assert periodic.ensure_periodic_jobs() is False

    # The next run, when its time comes, sends nothing again and queues one more run.
    waiting.update(run_after=timezone.now())
    run_worker()
    assert len(mail.outbox) == 1
    assert waiting.count() == 1


def test_a_failing_job_does_not_stop_the_others(settings):
    settings.SLUSS_PERIODIC_JOBS = [
        "apps.core.tests.test_periodic.broken_job",
        "apps.core.tests.test_periodic.counting_job",
    ]
    COUNTED.clear()
    done = periodic.run_jobs_once(now=timezone.now())
    assert COUNTED == [1]
    assert "apps.core.tests.test_periodic.broken_job" not in done


COUNTED: list[int] = []


def broken_job(*, now):
    raise RuntimeError("boom")


def counting_job(*, now):
    COUNTED.append(1)
    return 1
