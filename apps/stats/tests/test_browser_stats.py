"""The statistics pages in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every state.

A process leader opens the dashboard, filters by municipality and period, sees a chart and
its table, asks for a period that ends before it starts and gets the error summary with
what was typed kept, then downloads an export. Anyone opens the public page.

Elements are found by id, name and URL, so the test holds in both languages.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import testing
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, *, status: int) -> None:
    with page.expect_navigation() as navigation:
        page.locator("#stats-filters [type=submit]").click()
    assert navigation.value is not None
    assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def test_a_process_leader_filters_reads_and_downloads(browser, live_server, world):
    for municipality in (world.skovde, world.skovde, world.hjo):
        testing.submit_idea(municipality)
    today = timezone.localdate()
    start = (today - timedelta(days=30)).isoformat()

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.process_leader)
        visit(page, reverse("stats:dashboard"))
        assert page.locator("svg#chart-funnel[role=img]").is_visible()
        assert_accessible(page, "the dashboard, last 12 months")
        # On paper: charts and tables, no menu, filters or download links.
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()
        assert not page.locator("#stats-filters").is_visible()
        assert not page.locator(".stats-exports").first.is_visible()
        assert page.locator("svg#chart-funnel").is_visible()
        assert page.locator("#statistic-funnel table").is_visible()
        page.emulate_media(media="screen")

        page.select_option("#id_municipality", str(world.skovde.pk))
        page.fill("#id_start", start)
        page.fill("#id_end", today.isoformat())
        submit(page, status=200)
        assert f"municipality={world.skovde.pk}" in page.url
        chart = page.locator("#statistic-ideas-per-1000 svg[role=img]")
        assert chart.is_visible()
        assert chart.locator("rect.stats-bar-rect").count() == 1
        table = page.locator("#statistic-ideas-per-1000 table")
        assert table.locator("tbody tr").count() == 1
        assert table.locator("tbody th[scope=row]").inner_text() == "Skövde"
        assert table.locator("tbody td.num").first.inner_text() == "2"
        assert_accessible(page, "the dashboard filtered by Skövde and a month")

        with page.expect_download() as waiting:
            page.locator(
                f'#statistic-funnel a[href^="{reverse("stats:export", args=["funnel", "xlsx"])}"]'
            ).click()
        download = waiting.value
        assert download.suggested_filename == f"sluss-funnel-{start}-{today.isoformat()}.xlsx"

        page.fill("#id_start", today.isoformat())
        page.fill("#id_end", (today - timedelta(days=1)).isoformat())
        submit(page, status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.locator('#error-summary a[href="#id_end"]').count() == 1
        assert page.input_value("#id_start") == today.isoformat()
        assert page.input_value("#id_municipality") == str(world.skovde.pk)
        assert page.locator("section.statistic").count() == 0
        assert_accessible(page, "the dashboard with a period ending before it starts")
        page.locator('#error-summary a[href="#id_end"]').click()
        assert page.evaluate("document.activeElement.id") == "id_end"


def test_anyone_reads_the_public_statistics(browser, live_server, world):
    testing.submit_idea(world.hjo)
    with new_page(browser, live_server.url) as page:
        visit(page, reverse("stats:public"))
        assert page.locator("svg#chart-funnel[role=img]").is_visible()
        assert page.locator("#statistic-funnel table caption").is_visible()
        assert_accessible(page, "the public statistics")
        page.fill("#id_start", "1999-01-01")
        submit(page, status=400)
        assert page.locator("#error-summary").is_visible()
        assert_accessible(page, "the public statistics with a date out of range")
