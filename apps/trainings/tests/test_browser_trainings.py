"""Trainings in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page and state.

A manager registers for a full session (first without choosing a municipality), lands on
the waiting list, someone with a seat cancels, the worker sends the promotion, and the
manager's "my registrations" shows them registered. The communicator adds a session,
sees the participant list and marks attendance, and reads participation per municipality.

Elements are found by id, name and URL, so the test holds in both languages.
"""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from apps.core import testing
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.trainings.models import Registration
from apps.trainings.testing import make_course, make_session, move_to_past, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, form_selector: str, *, status: int) -> None:
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("[type=submit]").first.click()
    assert navigation.value is not None
    assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def test_a_manager_on_the_waiting_list_moves_up_when_someone_cancels(browser, live_server, world):
    course = make_course(world)
    session = make_session(course, world.communicator, seats=1)
    seated = testing.make_user("Sara Plats", email="sara@hjo.se")
    register(seated, session, world.hjo)

    with new_page(browser, live_server.url) as page:
        visit(page, reverse("trainings:courses"))
        assert_accessible(page, "the public course list")
        visit(page, course.get_absolute_url())
        assert_accessible(page, "the public course page")

        log_in(page, live_server.url, world.manager)
        visit(page, session.get_absolute_url())
        assert_accessible(page, "a full session, before registering")
        page.locator("#register").click()
        page.wait_for_url(f"**{reverse('trainings:register', args=[session.pk])}")
        assert page.locator("#full-notice").is_visible()
        assert page.locator("#id_municipality").input_value() == str(world.skovde.pk)
        assert page.locator("#id_unit").input_value() == str(world.skovde_unit.pk)
        assert_accessible(page, "the registration form")
        page.select_option("#id_municipality", "")
        submit(page, "main form.stack", status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#id_unit").input_value() == str(world.skovde_unit.pk)
        assert_accessible(page, "the registration form with an error")
        page.select_option("#id_municipality", str(world.skovde.pk))
        submit(page, "main form.stack", status=200)
        assert page.url.endswith(reverse("trainings:mine"))
        waiting = Registration.objects.get(session=session, user=world.manager)
        assert waiting.status == Registration.Status.WAITING
        row = page.locator(f"#registration-{waiting.pk}")
        assert row.get_attribute("data-status") == "waiting"
        assert_accessible(page, "my registrations, on the waiting list")

    # Someone with a seat cancels on their own page.
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, seated)
        visit(page, reverse("trainings:mine"))
        seat = Registration.objects.get(session=session, user=seated)
        submit(page, f"#registration-{seat.pk}", status=200)
        assert page.locator("#registrations").count() == 0

    testing.run_worker()
    promoted = [m for m in mail.outbox if m.to == [world.manager.email]][-1]
    calendar = Calendar.from_ical(promoted.attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.manager)
        visit(page, reverse("trainings:mine"))
        assert page.locator(f"#registration-{waiting.pk}").get_attribute("data-status") == (
            "registered"
        )
        assert_accessible(page, "my registrations, moved up")
        visit(page, session.get_absolute_url())
        assert page.locator("#your-registration").is_visible()
        assert_accessible(page, "the session page with a seat")


def test_the_communicator_runs_a_course(browser, live_server, world):
    course = make_course(world)
    held = make_session(course, world.communicator, seats=2)
    seat = register(world.manager, held, world.skovde, world.skovde_unit)
    register(world.coach, held, world.skovde)
    move_to_past(held)
    coming = make_session(course, world.communicator, seats=1, days=20)
    register(world.employee, coming, world.hjo)
    register(world.other_coach, coming, world.hjo)

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.communicator)
        visit(page, reverse("trainings:courses"))
        assert_accessible(page, "the course list for the communicator")
        visit(page, reverse("trainings:course_create"))
        assert_accessible(page, "the new course form")
        submit(page, "main form.stack", status=400)
        assert_accessible(page, "the new course form with an error")
        visit(page, reverse("trainings:course_edit", args=[course.pk]))
        assert_accessible(page, "the course edit form")

        visit(page, reverse("trainings:session_create", args=[course.pk]))
        assert_accessible(page, "the new session form")
        page.fill("#id_day", "2099-03-16")
        page.fill("#id_start_time", "13:00")
        page.fill("#id_end_time", "12:00")
        page.fill("#id_seats", "10")
        submit(page, "main form.stack", status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#id_seats").input_value() == "10"
        assert_accessible(page, "the new session form with errors")
        page.fill("#id_end_time", "16:00")
        page.fill("#id_place", "Skara")
        submit(page, "main form.stack", status=200)
        assert_accessible(page, "the new session's page for the communicator")

        visit(page, course.get_absolute_url())
        assert_accessible(page, "the course page with held and coming sessions")
        visit(page, reverse("trainings:participants", args=[coming.pk]))
        assert_accessible(page, "participants and a waiting list before the start")
        visit(page, reverse("trainings:session_edit", args=[coming.pk]))
        assert_accessible(page, "the session edit form")
        visit(page, reverse("trainings:session_cancel", args=[coming.pk]))
        assert_accessible(page, "the cancel-session confirmation")

        visit(page, reverse("trainings:participants", args=[held.pk]))
        assert_accessible(page, "the participant list of a held session")
        page.select_option(f"#id_attended_{seat.pk}", "yes")
        submit(page, "main form", status=200)
        seat.refresh_from_db()
        assert seat.attended is True
        assert_accessible(page, "attendance saved")

        visit(page, reverse("trainings:participation"))
        assert page.locator("#participation-municipality").is_visible()
        assert_accessible(page, "participation per municipality and unit")
        visit(
            page,
            reverse("trainings:participation") + "?start=2026-05-01&end=2026-04-01",
            status=400,
        )
        assert_accessible(page, "participation with a period backwards")
