"""Concurrency: writes that race must not lose updates or duplicate rows.

Each test starts real threads, each with its own database connection, held at a barrier
so that they really run together, against committed data (a transactional test). The
same tests run on SQLite (IMMEDIATE transactions, WAL) and on PostgreSQL.
"""

import re
import threading
import uuid

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.core.testing import submit_idea
from apps.ideas import services
from apps.ideas.models import Idea, Submitter, TimelineEntry
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Organisation
from apps.workflow.models import Stage

THREADS = 8

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(work, count: int = THREADS) -> tuple[list, list[BaseException]]:
    """Run `work(number)` in `count` threads released at once; return results and errors.

    Every thread closes its own connection at the end, so no connection outlives the test
    (PostgreSQL would refuse to drop the test database while one is open).
    """
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


def _stage(world, key: str) -> Stage:
    return Stage.objects.get(consortium=world.consortium, key=key)


def test_eight_people_moving_one_idea_at_once_make_exactly_one_move(world):
    idea = submit_idea(world.skovde)
    received = _stage(world, "received")
    # Half of the threads go to Capture, half close the idea: two different decisions
    # taken at the same moment, of which exactly one may stand.
    targets = [_stage(world, "capture"), _stage(world, "closed")]
    outbox_before = OutboxEmail.objects.count()

    def move(number: int):
        # Every thread loads its own objects, as a separate request would.
        actor = User.objects.get(pk=world.coach.pk)
        stale = Idea.objects.get(pk=idea.pk)
        return services.idea_move(
            idea=stale,
            actor=actor,
            to_stage=targets[number % 2],
            expected_stage_id=received.pk,
            reason="Finns redan i Hjo." if number % 2 else "",
        )

    results, errors = run_together(move)

    conflicts = [e for e in errors if isinstance(e, services.StageConflict)]
    others = [e for e in errors if not isinstance(e, services.StageConflict)]
    assert others == [], f"unexpected errors: {others!r}"
    assert len(conflicts) == THREADS - 1
    winners = [r for r in results if r is not None]
    assert len(winners) == 1

    idea.refresh_from_db()
    moves = list(TimelineEntry.objects.filter(idea=idea, kind=TimelineEntry.Kind.STAGE_CHANGED))
    assert len(moves) == 1
    assert moves[0].from_stage_id == received.pk
    assert moves[0].to_stage_id == idea.stage_id == winners[0].stage.pk
    # The losers are told where the idea really is now.
    assert {c.current_stage.pk for c in conflicts} == {idea.stage_id}
    # Only the winning move told the submitter.
    assert OutboxEmail.objects.count() == outbox_before + 1


def test_the_same_form_submitted_twice_at_once_makes_one_idea(world):
    token = uuid.uuid4()

    def submit(number: int):
        return services.idea_submit(
            municipality=Organisation.objects.get(pk=world.skovde.pk),
            unit=None,
            workplace="",
            title="Samma idé två gånger",
            need="Ett behov.",
            solution="En lösning.",
            beneficiaries="",
            expected_effects="",
            consent_to_publish=False,
            submitter_name="Ida Idébärare",
            submitter_email="ida@skovde.se",
            submitter_phone="",
            co_submitters=[],
            submission_token=token,
            language="sv",
        )

    results, errors = run_together(submit, count=2)

    assert errors == []
    assert Idea.objects.count() == 1
    assert {r.idea.pk for r in results} == {Idea.objects.get().pk}
    assert sorted(r.created for r in results) == [False, True]
    assert Submitter.objects.count() == 1
    assert TimelineEntry.objects.count() == 1
    # One receipt, not two.
    assert OutboxEmail.objects.filter(recipient="ida@skovde.se").count() == 1


def test_eight_ideas_handed_in_at_once_get_distinct_consecutive_references(world):
    # No idea exists yet, so the threads also race to create this year's counter.
    def submit(number: int):
        return submit_idea(
            Organisation.objects.get(pk=world.skovde.pk), submitter_email=f"p{number}@skovde.se"
        )

    results, errors = run_together(submit)

    assert errors == []
    references = [idea.reference for idea in results]
    assert len(set(references)) == THREADS
    numbers = sorted(int(re.fullmatch(r"SLU-\d{4}-(\d{4})", r).group(1)) for r in references)
    assert numbers == list(range(numbers[0], numbers[0] + THREADS))
    assert numbers[0] == 1
    assert sorted(Idea.objects.values_list("reference", flat=True)) == sorted(references)
