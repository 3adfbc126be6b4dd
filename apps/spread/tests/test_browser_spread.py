"""Adopting a solution in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page and
state visited.

Hjo's coach finds a Skövde solution in the catalogue, adopts it (first forgetting the
owner), plans a benefit for Hjo (first typing the baseline in words) and records a
measurement (first with a date in the future); the totals page then shows Hjo's value.
Skövde's coach sees the adoption on the idea page. Anyone sees the published solution.

Elements are found by id, name and URL, so the test holds in both languages.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas.models import TimelineEntry
from apps.spread.models import Adoption, Measurement
from apps.spread.testing import solution_in

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


def test_hjo_adopts_a_skovde_solution_and_records_a_measurement(browser, live_server, world):
    solution = solution_in(world, consent=True, approved=True, title="Digitala nycklar")
    today = timezone.localdate()

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.other_coach)
        visit(page, reverse("spread:catalogue"))
        assert_accessible(page, "the catalogue")
        page.fill("#id_q", "nycklar")
        submit(page, "form[role=search]", status=200)
        assert page.locator(f"a[href='{reverse('spread:solution', args=[solution.pk])}']").count()
        assert_accessible(page, "the catalogue, searched")

        page.click(f"a[href='{reverse('spread:solution', args=[solution.pk])}']")
        page.wait_for_url(f"**{reverse('spread:solution', args=[solution.pk])}")
        assert_accessible(page, "the solution")
        assert (
            page.locator(f"a[href='{reverse('spread:solution_edit', args=[solution.pk])}']").count()
            == 0
        )

        page.click(f"a[href='{reverse('spread:adopt', args=[solution.pk])}']")
        page.wait_for_url(f"**{reverse('spread:adopt', args=[solution.pk])}")
        assert_accessible(page, "the adopt form")
        page.select_option("#id_owner", "")
        page.fill("#id_note", "Hemtjänsten i Hjo centrum först.")
        submit(page, "main form", status=400)
        assert_error_summary_focused(page)
        assert page.input_value("#id_note") == "Hemtjänsten i Hjo centrum först."
        assert_accessible(page, "the adopt form with an error")
        page.select_option("#id_owner", str(world.other_coach.pk))
        submit(page, "main form", status=200)
        adoption = Adoption.objects.get()
        assert adoption.municipality == world.hjo
        assert page.url.endswith(reverse("spread:adoption", args=[adoption.pk]))
        assert_accessible(page, "the new adoption")

        page.click(f"a[href='{reverse('spread:adoption_benefit_new', args=[adoption.pk])}']")
        page.wait_for_url("**/benefits/new/")
        assert_accessible(page, "the benefit form")
        page.fill("#id_description", "Kortare restid i hemtjänsten.")
        page.fill("#id_indicator", "Restid per besök")
        page.fill("#id_unit", "minuter")
        page.fill("#id_baseline", "trettio")
        page.fill("#id_target", "20")
        page.fill("#id_how_measured", "Tidrapporten en vecka i månaden.")
        page.fill("#id_value_per_unit_sek", "12,5")
        page.fill("#id_hours_per_unit", "0,25")
        submit(page, "main form", status=400)
        assert_error_summary_focused(page)
        assert page.input_value("#id_indicator") == "Restid per besök"
        assert_accessible(page, "the benefit form with an error")
        page.fill("#id_baseline", "30")
        submit(page, "main form", status=200)
        benefit = adoption.benefits.get()
        assert benefit.municipality == world.hjo
        assert_accessible(page, "the new benefit")

        page.click(f"a[href='{reverse('spread:measure', args=[benefit.pk])}']")
        page.wait_for_url(f"**{reverse('spread:measure', args=[benefit.pk])}")
        assert_accessible(page, "the measurement form")
        page.fill("#id_measured_on", (today + timedelta(days=2)).isoformat())
        page.fill("#id_value", "22")
        submit(page, "main form", status=400)
        assert_error_summary_focused(page)
        assert page.input_value("#id_value") == "22"
        assert_accessible(page, "the measurement form with an error")
        page.fill("#id_measured_on", today.isoformat())
        submit(page, "main form", status=200)
        assert Measurement.objects.get().value == Decimal("22")
        # 8 minutes of 10 towards the target: 80 %, 100 kr and 2 hours.
        assert "80 %" in page.locator("main").inner_text()
        assert_accessible(page, "the benefit, measured")

        visit(page, reverse("spread:totals"))
        assert "100,00" in page.locator("main").inner_text()
        assert_accessible(page, "the totals")

    assert solution.idea.timeline.filter(kind=TimelineEntry.Kind.ADOPTED).exists()
    assert solution.idea.timeline.filter(kind=TimelineEntry.Kind.BENEFIT_MEASURED).exists()

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        visit(page, reverse("ideas:detail", args=[solution.idea.reference]))
        assert page.locator(f"a[href='{reverse('spread:adoption', args=[adoption.pk])}']").count()
        assert_accessible(page, "the idea page with its spreading section")
        visit(page, reverse("spread:adoption", args=[adoption.pk]))
        assert page.locator("[name='stage-stage']").count() == 0
        assert_accessible(page, "the adoption, read-only for Skövde")

    with new_page(browser, live_server.url) as page:
        visit(page, reverse("spread:public_catalogue"))
        assert_accessible(page, "the public catalogue")
        visit(page, reverse("spread:public_detail", args=[solution.pk]))
        assert "Hjo" in page.locator("main").inner_text()
        assert_accessible(page, "the public solution")
