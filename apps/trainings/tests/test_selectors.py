"""The two contracts other apps read, against figures computed by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import testing
from apps.trainings import selectors, services
from apps.trainings.testing import make_course, make_session, move_to_past, register


def _mark(world, session, attendance):
    services.attendance_mark(actor=world.communicator, session=session, attendance=attendance)


@pytest.fixture
def fixture(world):
    """Two held sessions and one coming, people from Skövde and Hjo.

    Held session A (10 days ago), 2 seats: s1 (Skövde, unit) attended, s2 (Skövde) did
    not, h1 (Hjo) waiting. Held session B (3 days ago), 5 seats: s1 attended again,
    h1 attended, h2 (Hjo) registered then cancelled. Coming session C (in 7 days): h2.
    A session of another consortium: someone from its municipality, attended.
    """
    course = make_course(world)
    s1 = testing.make_user("S1")
    s2 = testing.make_user("S2")
    h1 = testing.make_user("H1")
    h2 = testing.make_user("H2")
    a = make_session(course, world.communicator, seats=2)
    ra1 = register(s1, a, world.skovde, world.skovde_unit)
    ra2 = register(s2, a, world.skovde)
    register(h1, a, world.hjo)
    move_to_past(a, days=10)
    _mark(world, a, {ra1.pk: True, ra2.pk: False})
    b = make_session(course, world.communicator, seats=5)
    rb1 = register(s1, b, world.skovde, world.skovde_unit)
    rb2 = register(h1, b, world.hjo)
    services.registration_cancel(actor=h2, registration=register(h2, b, world.hjo))
    move_to_past(b, days=3)
    _mark(world, b, {rb1.pk: True, rb2.pk: True})
    c = make_session(course, world.communicator, seats=5, days=7)
    register(h2, c, world.hjo)

    other = testing.make_consortium("Fyrbodal", "FYR")
    lysekil = testing.make_municipality(other, "Lysekil")
    leader = testing.make_user("L", (testing.Role.PROCESS_LEADER, other))
    foreign = make_session(
        services.course_create(
            actor=leader,
            consortium=other,
            title="Tjänstedesign",
            description="",
            topic="service_design",
            audience="",
        ),
        leader,
    )
    foreign_registration = register(testing.make_user("X"), foreign, lysekil)
    move_to_past(foreign, days=3)
    services.attendance_mark(
        actor=leader, session=foreign, attendance={foreign_registration.pk: True}
    )
    return {"a": a, "b": b, "c": c, "other": other, "lysekil": lysekil}


def test_participation_by_municipality_over_all_time(world, fixture):
    rows = selectors.participation_by_municipality(consortium_ids=[world.consortium.pk])
    # Hjo: A (waiting), B, C = 3 registrations; attended once (h1 at B) by one person.
    # Skövde: A twice, B once = 3; attended twice (s1 at A and B) by one person.
    assert rows == [
        {
            "municipality_id": world.hjo.pk,
            "municipality": "Hjo",
            "registered": 3,
            "attended": 1,
            "people": 1,
        },
        {
            "municipality_id": world.skovde.pk,
            "municipality": "Skövde",
            "registered": 3,
            "attended": 2,
            "people": 1,
        },
    ]


def test_participation_by_municipality_in_a_period_and_for_some_municipalities(world, fixture):
    today = timezone.localdate()
    rows = selectors.participation_by_municipality(
        consortium_ids=[world.consortium.pk],
        start=today - timedelta(days=5),
        end=today,
    )
    # Only session B: Skövde s1 (attended); Hjo h1 (attended), h2 cancelled.
    assert [(r["municipality"], r["registered"], r["attended"], r["people"]) for r in rows] == [
        ("Hjo", 1, 1, 1),
        ("Skövde", 1, 1, 1),
    ]
    # The end day is inclusive: a period ending on the day of session A holds A.
    day_of_a = timezone.localtime(fixture["a"].starts_at).date()
    only_a = selectors.participation_by_municipality(
        consortium_ids=[world.consortium.pk], start=day_of_a, end=day_of_a
    )
    assert [(r["municipality"], r["registered"]) for r in only_a] == [("Hjo", 1), ("Skövde", 2)]
    hjo_only = selectors.participation_by_municipality(
        consortium_ids=[world.consortium.pk], municipality_ids=[world.hjo.pk]
    )
    assert [r["municipality_id"] for r in hjo_only] == [world.hjo.pk]
    both = selectors.participation_by_municipality(
        consortium_ids=[world.consortium.pk, fixture["other"].pk]
    )
    assert [r["municipality"] for r in both] == ["Hjo", "Lysekil", "Skövde"]


def test_participation_by_unit(world, fixture):
    rows = selectors.participation_by_unit(consortium_ids=[world.consortium.pk])
    assert [
        (r["municipality"], r["unit"], r["registered"], r["attended"], r["people"]) for r in rows
    ] == [
        ("Hjo", None, 3, 1, 1),
        ("Skövde", None, 1, 0, 0),
        ("Skövde", "Vård och omsorg", 2, 2, 1),
    ]


def test_upcoming_sessions_soonest_first_without_cancelled_or_past(world):
    course = make_course(world)
    later = make_session(course, world.communicator, days=20, seats=3)
    sooner = make_session(course, world.communicator, days=5, seats=2)
    cancelled = make_session(course, world.communicator, days=6)
    services.session_cancel(actor=world.communicator, session=cancelled)
    move_to_past(make_session(course, world.communicator))
    register(world.manager, sooner, world.skovde)
    hidden = make_course(world, title="Gammal kurs")
    make_session(hidden, world.communicator, days=2)
    services.course_update(
        actor=world.communicator,
        course=hidden,
        title=hidden.title,
        description="",
        topic=hidden.topic,
        audience="",
        is_active=False,
    )
    other = testing.make_consortium("Fyrbodal", "FYR")
    leader = testing.make_user("L", (testing.Role.PROCESS_LEADER, other))
    make_session(
        services.course_create(
            actor=leader, consortium=other, title="X", description="", topic="other", audience=""
        ),
        leader,
        days=1,
    )

    sessions = selectors.upcoming_sessions(consortium_id=world.consortium.pk)
    assert sessions == [sooner, later]
    assert [s.seats_left for s in sessions] == [1, 3]
    assert sessions[0].course.title == course.title
    assert sessions[0].get_absolute_url() == f"/trainings/sessions/{sooner.pk}/"
    assert selectors.upcoming_sessions(consortium_id=world.consortium.pk, limit=1) == [sooner]


def test_upcoming_sessions_costs_one_query(world, django_assert_num_queries):
    course = make_course(world)
    for days in range(3, 9):
        register(world.manager, make_session(course, world.communicator, days=days), world.skovde)
    with django_assert_num_queries(1):
        sessions = selectors.upcoming_sessions(consortium_id=world.consortium.pk)
        assert [(s.course.title, s.seats_left, s.starts_at.year > 2000) for s in sessions]
