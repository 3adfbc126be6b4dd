"""Importing in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every state: the empty
upload page, its error state, the dry-run report of bad rows, the dry run of a good file,
the import waiting and under way, and done (reached by htmx polling, announced in the
status region).

Elements are found by id and name, and assertions are on data, so the test holds in
both languages whatever the translation catalogue says.
"""

import pytest

from apps.core.testing import run_worker
from apps.core.tests.browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    press_and_wait,
    tab_to,
)
from apps.ideas.models import Idea
from apps.imports.models import ImportJob
from apps.imports.progress import progress_write
from apps.imports.testing import csv_bytes, many_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(autouse=True)
def _no_embeddings(settings):
    # The worker would also embed every imported idea (the search work's task).
    settings.SLUSS_SEMANTIC_SEARCH = False


def choose_file(page, name: str, data: bytes) -> None:
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def send_form(page) -> None:
    tab_to(page, "form[enctype] button[type=submit]")
    press_and_wait(page)


def test_upload_dry_run_confirm_and_progress(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.process_leader)

        response = page.goto("/import/")
        assert response is not None and response.status == 200
        assert page.locator("table caption").count() >= 1
        assert_accessible(page, "upload page, empty")

        # No file chosen: the error summary, focused, links to the field.
        send_form(page)
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator('#error-summary a[href="#id_file"]').count() == 1
        assert_accessible(page, "upload page, no file")

        # A file with two bad rows: every one reported by its row number; nothing kept.
        bad = [*many_rows(5, ["Skövde"]), ["Idé", "Text", "Skovde"], ["", "Text", "Hjo"]]
        choose_file(page, "ideer.csv", csv_bytes(bad))
        send_form(page)
        report = page.locator("#report li")
        assert report.count() == 2
        assert report.nth(0).inner_text() == "Rad 7: kommunen ”Skovde” finns inte"
        assert "8" in report.nth(1).inner_text()
        assert not ImportJob.objects.exists()
        assert_accessible(page, "dry-run report with bad rows")

        # A good file: the dry run's report and the confirm step.
        choose_file(page, "ideer.csv", csv_bytes(many_rows(120, ["Skövde", "hjo"])))
        send_form(page)
        job = ImportJob.objects.get()
        assert page.url.endswith(f"/import/{job.pk}/")
        assert "120" in page.locator("#dry-run-title").locator("..").inner_text()
        assert Idea.objects.count() == 0
        assert_accessible(page, "dry run of a good file")

        tab_to(page, f'form[action="/import/{job.pk}/start/"] button')
        press_and_wait(page)
        job.refresh_from_db()
        assert job.status == "queued"
        assert page.locator("#progress-title").is_visible()
        assert_accessible(page, "waiting for the worker")

        # How far it has come, as the worker records it (see progress.py).
        progress_write(job.pk, phase="checking", done=60, total=120)
        page.reload()
        assert page.locator("progress").get_attribute("value") == "60"
        assert_accessible(page, "under way")

        # The worker imports; the page's polling shows the outcome without a reload.
        run_worker()
        page.locator("#done-title").wait_for(timeout=10_000)
        assert "120" in page.locator("#done-title").inner_text()
        assert "120" in page.locator("#status").inner_text()  # announced politely
        assert Idea.objects.count() == 120
        assert_accessible(page, "done")
