"""Handing over and deactivating in a real Chromium, with axe-core (WCAG 2.1 A/AA) on
every page and state visited.

An administrator opens a leaving coach, sets a leave date (first a date in words), tries
to deactivate and is refused with a link to the handover, sends the handover form first
without a successor, then with one, deactivating in the same step. The gap report is
checked empty and filled. Elements are found by id, name and URL, so the test holds in
both languages.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.handover.selectors import holdings_of
from apps.ideas.models import TimelineEntry

from .scenario import make_leaver

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


def assert_error_summary_focused(page) -> None:
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_an_administrator_hands_everything_over_and_deactivates(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.administrator)
        visit(page, reverse("handover:orphans"))
        assert page.locator("#no-orphans").is_visible()
        assert page.locator("#no-leavers").is_visible()
        assert_accessible(page, "the gap report, empty")

        leaver = make_leaver(world)
        person = leaver.person
        leave_form = (
            f"form[action='{reverse('organisations:person_leave_date', args=[person.pk])}']"
        )

        visit(page, reverse("organisations:person_detail", args=[person.pk]))
        assert page.locator("#holdings-summary").is_visible()
        assert_accessible(page, "the person who holds things")
        # A browser without a date picker sends what was typed.
        page.evaluate("document.querySelector('#id_leaves_on').type = 'text'")
        page.fill("#id_leaves_on", "nästa fredag")
        submit(page, leave_form, status=400)
        assert_error_summary_focused(page)
        assert_accessible(page, "the leave date in words")
        page.evaluate("document.querySelector('#id_leaves_on').type = 'date'")
        leaves_on = timezone.localdate() + timedelta(days=10)
        page.fill("#id_leaves_on", leaves_on.isoformat())
        submit(page, leave_form, status=200)
        person.refresh_from_db()
        assert person.leaves_on == leaves_on

        visit(page, reverse("handover:orphans"))
        assert page.locator("#leavers").is_visible()
        assert page.locator(f"#orphans-{world.skovde.pk}").is_visible()  # the assessed idea
        assert_accessible(page, "the gap report with a leaver and an idea without owner")

        visit(page, reverse("organisations:person_deactivate", args=[person.pk]))
        assert page.locator("#handover-link").is_visible()
        assert page.locator("#holdings-ideas").is_visible()
        assert_accessible(page, "deactivation refused")

        page.locator("#handover-link").click()
        page.wait_for_url(f"**{reverse('handover:person', args=[person.pk])}")
        assert_accessible(page, "the handover form")
        submit(page, "main form[method=post]", status=400)
        assert_error_summary_focused(page)
        assert_accessible(page, "the handover without a successor")

        page.select_option("#id_successor_all", str(world.process_leader.pk))
        page.select_option("#id_successor_newsletters", str(world.communicator.pk))
        page.check("#id_deactivate")
        submit(page, "main form[method=post]", status=200)
        assert page.url.endswith(reverse("organisations:person_detail", args=[person.pk]))
        assert_accessible(page, "the person handed over and deactivated")

        person.refresh_from_db()
        assert not person.is_active
        assert not holdings_of(person).must_move
        for idea in leaver.ideas:
            idea.refresh_from_db()
            assert idea.owner == world.process_leader
            assert idea.timeline.filter(kind=TimelineEntry.Kind.OWNER_CHANGED).exists()

        visit(page, reverse("handover:person", args=[person.pk]))
        assert page.locator("#nothing-held").is_visible()
        assert_accessible(page, "the handover page with nothing held")

        visit(page, reverse("handover:orphans"))
        assert page.locator("#no-leavers").is_visible()
