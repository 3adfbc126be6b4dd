"""Seats under concurrency: real threads, each with its own connection, released at once
against committed data (a transactional test), on SQLite and PostgreSQL alike."""

import threading

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.core import testing
from apps.notifications.models import OutboxEmail
from apps.trainings import services
from apps.trainings.models import Registration, Session
from apps.trainings.testing import make_course, make_session, register

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(work, count: int) -> tuple[list, list[BaseException]]:
    """Run `work(number)` in `count` threads released at once; return results and errors."""
    barrier = threading.Barrier(count, timeout=30)
    results: list = [None] * count
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(number: int) -> None:
        try:
            barrier.wait()
            results[number] = work(number)
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


def test_two_people_taking_the_last_seat_get_one_seat_and_one_waiting_place(world):
    session = make_session(make_course(world), world.communicator, seats=2)
    register(testing.make_user("Först"), session, world.skovde)
    people = [testing.make_user(f"Samtidig {n}") for n in range(2)]

    def take(number: int) -> str:
        return services.registration_create(
            actor=User.objects.get(pk=people[number].pk),
            session=Session.objects.get(pk=session.pk),
            municipality=world.skovde,
        ).status

    results, errors = run_together(take, 2)

    assert not errors, errors
    assert sorted(results) == [Registration.Status.REGISTERED, Registration.Status.WAITING]
    assert Registration.objects.filter(session=session, status="registered").count() == 2
    assert OutboxEmail.objects.filter(kind="trainings_registered").count() == 2
    assert OutboxEmail.objects.filter(kind="trainings_waiting").count() == 1


def test_two_cancellations_at_once_with_two_waiting_promote_both_in_order(world):
    session = make_session(make_course(world), world.communicator, seats=2)
    seated = [register(testing.make_user(f"Plats {n}"), session, world.skovde) for n in range(2)]
    waiting = [register(testing.make_user(f"Kö {n}"), session, world.hjo) for n in range(3)]

    def cancel(number: int):
        return services.registration_cancel(
            actor=User.objects.get(pk=seated[number].user_id),
            registration=Registration.objects.get(pk=seated[number].pk),
        )

    _results, errors = run_together(cancel, 2)

    assert not errors, errors
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["registered", "registered", "waiting"]
    assert OutboxEmail.objects.filter(kind="trainings_promoted").count() == 2


def test_one_cancellation_with_two_waiting_promotes_exactly_one(world):
    session = make_session(make_course(world), world.communicator, seats=1)
    seated = register(testing.make_user("Plats"), session, world.skovde)
    waiting = [register(testing.make_user(f"Kö {n}"), session, world.hjo) for n in range(2)]

    def act(number: int):
        # One thread cancels the seat while the other cancels again (a double click).
        return services.registration_cancel(
            actor=User.objects.get(pk=seated.user_id),
            registration=Registration.objects.get(pk=seated.pk),
        )

    _results, errors = run_together(act, 2)

    assert not errors, errors
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["registered", "waiting"]
    assert OutboxEmail.objects.filter(kind="trainings_promoted").count() == 1
    assert OutboxEmail.objects.filter(kind="trainings_cancelled").count() == 1


def test_the_same_person_sending_the_form_twice_at_once_registers_once(world):
    session = make_session(make_course(world), world.communicator, seats=5)

    def take(number: int):
        try:
            return services.registration_create(
                actor=User.objects.get(pk=world.manager.pk),
                session=Session.objects.get(pk=session.pk),
                municipality=world.skovde,
            ).status
        except services.ValidationError:
            return "refused"

    results, errors = run_together(take, 2)
    assert not errors, errors
    assert sorted(results) == ["refused", "registered"]
    assert Registration.objects.filter(session=session, user=world.manager).count() == 1
