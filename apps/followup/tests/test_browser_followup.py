"""The "needs attention" page in a real Chromium, with axe-core (WCAG 2.1 A/AA), empty
and filled, reached from the menu with the keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core import testing
from apps.core.tests.browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    press_and_wait,
    tab_to,
)
from apps.ideas.models import Idea
from apps.meetings.models import ActionItem
from apps.meetings.services import action_item_add
from apps.referrals.models import Referral
from apps.referrals.testing import send

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def stalled_idea(world) -> Idea:
    """An idea of the coach's, long past its target and quiet, with an overdue action
    item and an overdue referral: one row in every section."""
    idea = testing.submit_idea(world.skovde, title="Föräldrautbildning på webben")
    today = timezone.localdate()
    item = action_item_add(
        idea=idea,
        actor=world.coach,
        title="Ring Ida om testet",
        owner=world.coach,
        due_date=today + timedelta(days=1),
    )
    ActionItem.objects.filter(pk=item.pk).update(due_date=today - timedelta(days=3))
    referral = send(idea, world.coach)
    Referral.objects.filter(pk=referral.pk).update(due_date=today - timedelta(days=2))
    long_ago = timezone.now() - timedelta(days=60)
    Idea.objects.filter(pk=idea.pk).update(
        owner=world.coach, stage_entered_at=long_ago, last_activity_at=long_ago
    )
    return idea


def test_the_page_empty_and_filled(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        response = page.goto("/follow-up/")
        assert response is not None and response.status == 200
        assert page.locator("h1").count() == 1
        assert page.locator("table").count() == 0
        assert_accessible(page, "needs attention, empty")

    idea = stalled_idea(world)
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        page.goto("/")
        # From the menu, with the keyboard.
        tab_to(page, "nav a[href='/follow-up/']")
        press_and_wait(page)
        assert page.url.endswith("/follow-up/")
        assert page.locator("nav a[href='/follow-up/'][aria-current='page']").count() == 1
        assert page.locator("table").count() == 4
        for section in ("past-target", "stale", "action-items", "referrals"):
            rows = page.locator(f"section[aria-labelledby='{section}'] tbody tr")
            assert rows.count() == 1, section
        assert page.locator(f"a[href='/workspace/ideas/{idea.reference}/']").count() == 4
        assert_accessible(page, "needs attention, filled")

    with new_page(browser, live_server.url, locale="en-GB") as page:
        log_in(page, live_server.url, world.process_leader)
        page.goto("/follow-up/")
        assert page.locator("section[aria-labelledby='past-target'] tbody tr").count() == 1
        assert_accessible(page, "needs attention, process leader")
