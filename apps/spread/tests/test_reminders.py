"""Measurement reminders: through the real worker, sent once per due date, never again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import periodic
from apps.core.testing import run_worker
from apps.spread import services
from apps.spread.models import BenefitReminder
from apps.spread.testing import adopt, make_benefit, measure, solution_in

pytestmark = pytest.mark.django_db(transaction=True)

JOB = "apps.spread.services.send_benefit_reminders"


def test_the_job_is_one_of_the_periodic_jobs(settings):
    assert JOB in settings.SLUSS_PERIODIC_JOBS


def test_a_due_measurement_is_reminded_once_through_the_worker(world, settings):
    settings.SLUSS_PERIODIC_JOBS = [JOB]
    today = timezone.localdate()
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    due = make_benefit(
        solution.idea,
        world.other_coach,
        adoption=adoption,
        indicator="Resor per vecka",
        next_measurement_due=today,
        follow_up_every_days=30,
    )
    make_benefit(solution.idea, world.coach, next_measurement_due=today + timedelta(days=3))
    run_worker()
    mail.outbox.clear()

    DBTaskResult.objects.all().delete()
    # The worker runs the periodic task, which runs the job and sends the email.
    periodic.ensure_periodic_jobs()
    run_worker()
    assert [m.to for m in mail.outbox] == [[world.other_coach.email]]
    assert "Resor per vecka" in mail.outbox[0].subject
    assert reverse_measure(due) in mail.outbox[0].body

    # Running again, however often, sends nothing more for the same due date.
    DBTaskResult.objects.filter(task_path=periodic.run_periodic_jobs.module_path).update(
        run_after=timezone.now()
    )
    run_worker()
    assert periodic.run_jobs_once(now=timezone.now())[JOB] == 0
    assert services.send_benefit_reminders(now=timezone.now()) == 0
    run_worker()
    assert len(mail.outbox) == 1
    assert BenefitReminder.objects.filter(benefit=due).count() == 1

    # The measurement moves the due date 30 days on; the reminder comes again only then.
    measure(due, world.other_coach, 10, today)
    assert services.send_benefit_reminders(now=timezone.now()) == 0
    later = timezone.now() + timedelta(days=30)
    assert services.send_benefit_reminders(now=later) == 2  # and the other benefit, overdue
    assert services.send_benefit_reminders(now=later) == 0


def test_a_stopped_adoption_is_not_reminded(world):
    today = timezone.localdate()
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    make_benefit(solution.idea, world.other_coach, adoption=adoption, next_measurement_due=today)
    services.adoption_change_stage(
        actor=world.other_coach,
        adoption=adoption,
        stage="stopped",
        on_date=today,
        reason="Ingen budget.",
    )
    assert services.send_benefit_reminders(now=timezone.now()) == 0


def reverse_measure(benefit) -> str:
    from django.urls import reverse

    return reverse("spread:measure", args=[benefit.pk])
