"""Training participation per municipality, hand-computed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import testing
from apps.stats import figures
from apps.stats.tables import Filters
from apps.trainings import services
from apps.trainings.testing import make_course, make_session, move_to_past, register

pytestmark = pytest.mark.django_db


def test_training_participation_per_municipality(world):
    s1, s2, h1 = (testing.make_user(name) for name in ("S1", "S2", "H1"))
    session = make_session(make_course(world), world.communicator, seats=5)
    attended_s1 = register(s1, session, world.skovde)
    missed_s2 = register(s2, session, world.skovde)
    attended_h1 = register(h1, session, world.hjo)
    move_to_past(session, days=5)
    services.attendance_mark(
        actor=world.communicator,
        session=session,
        attendance={attended_s1.pk: True, missed_s2.pk: False, attended_h1.pk: True},
    )
    today = timezone.localdate()
    filters = Filters(
        start=today - timedelta(days=30), end=today, consortium_ids=frozenset({world.consortium.pk})
    )
    # Hjo: 1 registration, attended, 1 person / 800 × 1000 = 1.25.
    # Skövde: 2 registrations, 1 attended, 1 person / 4500 × 1000 = 0.222… → 0.22.
    assert figures.training_participation(filters=filters).rows == (
        ("Hjo", 1, 1, 1, 1.25),
        ("Skövde", 2, 1, 1, 0.22),
    )
    before = Filters(
        start=today - timedelta(days=60), end=today - timedelta(days=31),
        consortium_ids=filters.consortium_ids,
    )  # fmt: skip
    assert figures.training_participation(filters=before).rows == (
        ("Hjo", 0, 0, 0, 0.0),
        ("Skövde", 0, 0, 0, 0.0),
    )
