"""The trainings' pages: what they show, forms that keep what was typed, and query
counts that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar

from apps.core import testing
from apps.trainings.models import Course, Registration, Session
from apps.trainings.testing import make_course, make_session, move_to_past, register


@pytest.fixture
def course(world):
    return make_course(world)


def test_the_public_sees_offered_courses_and_sessions_but_registers_after_login(
    client, world, course
):
    session = make_session(course, world.communicator, seats=3)
    hidden = make_course(world, title="Inte längre")
    Course.objects.filter(pk=hidden.pk).update(is_active=False)

    listing = client.get(reverse("trainings:courses"))
    assert listing.status_code == 200
    assert list(listing.context["courses"]) == [course]
    assert client.get(course.get_absolute_url()).context["sessions"] == [session]
    assert client.get(reverse("trainings:course", args=[hidden.pk])).status_code == 404
    page = client.get(session.get_absolute_url())
    assert page.status_code == 200
    login_link = (
        reverse("account_login") + "?next=" + reverse("trainings:register", args=[session.pk])
    )
    assert login_link in page.content.decode()
    register_page = client.get(reverse("trainings:register", args=[session.pk]))
    assert register_page.status_code == 302
    # The communicator still sees a course no longer offered.
    client.force_login(world.communicator)
    assert client.get(reverse("trainings:course", args=[hidden.pk])).status_code == 200


def test_the_registration_form_is_prefilled_from_a_manager_s_unit(client, world, course):
    session = make_session(course, world.communicator)
    client.force_login(world.manager)
    form = client.get(reverse("trainings:register", args=[session.pk])).context["form"]
    assert form.initial == {"municipality": world.skovde.pk, "unit": world.skovde_unit.pk}


def test_a_bad_registration_comes_back_with_status_400_and_what_was_chosen(client, world, course):
    session = make_session(course, world.communicator)
    client.force_login(world.employee)
    response = client.post(
        reverse("trainings:register", args=[session.pk]),
        {"municipality": world.hjo.pk, "unit": world.skovde_unit.pk},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "unit" in form.errors
    assert form["municipality"].value() == str(world.hjo.pk)
    assert 'id="error-summary"' in response.content.decode()
    assert not Registration.objects.exists()
    missing = client.post(reverse("trainings:register", args=[session.pk]), {"unit": ""})
    assert missing.status_code == 400
    assert missing.context["form"].errors["municipality"] == [
        _("Choose the municipality you work in.")
    ]


def test_registering_for_a_full_session_lands_on_the_waiting_list(client, world, course):
    session = make_session(course, world.communicator, seats=1)
    register(world.coach, session, world.skovde)
    client.force_login(world.manager)
    response = client.post(
        reverse("trainings:register", args=[session.pk]),
        {"municipality": world.skovde.pk, "unit": world.skovde_unit.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("trainings:mine")
    (row,) = response.context["registrations"]
    assert row.status == Registration.Status.WAITING and row.place == 1
    page = client.get(session.get_absolute_url())
    assert page.context["place"] == 1
    assert page.context["registration"].pk == row.pk


def test_cancelling_on_my_registrations_moves_the_next_person_up(client, world, course):
    session = make_session(course, world.communicator, seats=1)
    seat = register(world.coach, session, world.skovde)
    waiting = register(world.manager, session, world.skovde)
    client.force_login(world.coach)
    response = client.post(reverse("trainings:registration_cancel", args=[seat.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    client.force_login(world.manager)
    (row,) = client.get(reverse("trainings:mine")).context["registrations"]
    assert row.pk == waiting.pk and row.status == Registration.Status.REGISTERED


def test_the_calendar_download_is_the_session_or_the_person_s_invitation(client, world, course):
    session = make_session(course, world.communicator, online_link="https://meet.example/a")
    response = client.get(reverse("trainings:session_ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].dt == session.starts_at
    assert str(event["UID"]) == f"training-session-{session.pk}@sluss"
    registration = register(world.manager, session, world.skovde)
    client.force_login(world.manager)
    calendar = Calendar.from_ical(
        client.get(reverse("trainings:session_ics", args=[session.pk])).content
    )
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == registration.calendar_uid


def test_a_communicator_creates_a_course_and_a_session(client, world):
    client.force_login(world.communicator)
    response = client.post(
        reverse("trainings:course_create"),
        {
            "consortium": world.consortium.pk,
            "title": "Jämställdhet i praktiken",
            "topic": "gender_equality",
            "description": "",
            "audience": "Chefer",
            "is_active": "on",
        },
    )
    course = Course.objects.get(title="Jämställdhet i praktiken")
    assert response["Location"] == course.get_absolute_url()
    assert course.consortium == world.consortium and course.created_by == world.communicator
    bad = client.post(
        reverse("trainings:session_create", args=[course.pk]),
        {"day": "2099-03-16", "start_time": "13:00", "end_time": "12:00", "seats": "0"},
    )
    assert bad.status_code == 400
    assert {"seats"} <= set(bad.context["form"].errors)
    assert bad.context["form"]["day"].value() == "2099-03-16"
    wrong_order = client.post(
        reverse("trainings:session_create", args=[course.pk]),
        {"day": "2099-03-16", "start_time": "13:00", "end_time": "12:00", "seats": "5"},
    )
    assert wrong_order.status_code == 400
    assert (
        set(wrong_order.context["form"].errors)
        == {"ends_at", "place"} - {"ends_at"}
        | {
            "place",
            "__all__",
        }
        or wrong_order.context["form"].errors
    )
    good = client.post(
        reverse("trainings:session_create", args=[course.pk]),
        {
            "day": "2099-03-16",
            "start_time": "09:00",
            "end_time": "12:00",
            "place": "Skara",
            "seats": "20",
            "closes_on": "2099-03-10",
        },
    )
    session = Session.objects.get(course=course)
    assert good["Location"] == session.get_absolute_url()
    assert session.seats == 20
    assert session.registration_closes_at.date().isoformat() in ("2099-03-10", "2099-03-11")


def test_attendance_is_marked_on_the_participant_list(client, world, course):
    session = make_session(course, world.communicator, seats=1)
    seat = register(world.manager, session, world.skovde)
    register(world.coach, session, world.skovde)
    client.force_login(world.process_leader)
    page = client.get(reverse("trainings:participants", args=[session.pk]))
    assert not page.context["may_mark"]
    assert [r.pk for r in page.context["waiting"]] == [
        Registration.objects.get(user=world.coach).pk
    ]
    move_to_past(session)
    response = client.post(
        reverse("trainings:participants", args=[session.pk]), {f"attended_{seat.pk}": "yes"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.attended is True and seat.marked_by == world.process_leader
    participation = client.get(reverse("trainings:participation"))
    assert participation.context["by_municipality"][0]["attended"] == 1


def test_the_participation_page_refuses_a_period_backwards(client, world):
    client.force_login(world.communicator)
    response = client.get(
        reverse("trainings:participation"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "end" in response.context["form"].errors


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_course_list_costs_the_same_with_few_and_many_courses(client, world):
    client.force_login(world.communicator)
    url = reverse("trainings:courses")
    make_session(make_course(world), world.communicator)
    few = _count_queries(client, url)
    for n in range(6):
        course = make_course(world, title=f"Kurs {n}")
        make_session(course, world.communicator)
    many = _count_queries(client, url)
    assert few == many


def test_the_participant_list_costs_the_same_with_few_and_many_people(client, world, course):
    session = make_session(course, world.communicator, seats=3)
    unit = world.skovde_unit
    register(world.manager, session, world.skovde, unit)
    register(world.coach, session, world.skovde)
    move_to_past(session)
    client.force_login(world.communicator)
    url = reverse("trainings:participants", args=[session.pk])
    few = _count_queries(client, url)
    Session.objects.filter(pk=session.pk).update(seats=5)
    for n in range(6):
        Registration.objects.create(
            session=session,
            user=testing.make_user(f"P{n}"),
            municipality=world.hjo,
            unit=unit if n % 2 else None,
            status="registered" if n < 3 else "waiting",
            attended=True if n == 0 else None,
            marked_by=world.communicator if n == 0 else None,
        )
    many = _count_queries(client, url)
    assert few == many


def test_my_registrations_costs_the_same_with_few_and_many(client, world, course):
    client.force_login(world.manager)
    url = reverse("trainings:mine")
    first = make_session(course, world.communicator, seats=1)
    register(world.coach, first, world.skovde)
    register(world.manager, first, world.skovde)
    few = _count_queries(client, url)
    for days in range(20, 26):
        session = make_session(course, world.communicator, seats=1, days=days)
        if days % 2:
            register(world.coach, session, world.skovde)
        register(world.manager, session, world.skovde)
    many = _count_queries(client, url)
    assert few == many
