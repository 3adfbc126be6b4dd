"""The privacy pages in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page and
state: the notice, a person's own download, and an administrator's lookup (with its error),
erasure overview, missing confirmation, refusal and the erasure itself.

Elements are found by id, name and URL, so the test holds in both languages.
"""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from apps.core import testing
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas import services as idea_services
from apps.ideas.models import Submitter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, button: str, *, status: int) -> None:
    with page.expect_navigation() as navigation:
        page.click(button)
    assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def test_the_notice_and_a_persons_own_download(browser, live_server, world):
    person = testing.make_user("Lena Ladda", email="lena@skovde.se")
    testing.submit_idea(world.skovde, user=person, submitter_email="lena@skovde.se")
    with new_page(browser, live_server.url) as page:
        visit(page, reverse("privacy:notice"))
        assert_accessible(page, "the privacy notice, anonymous")
        log_in(page, live_server.url, person)
        visit(page, reverse("privacy:my_data"))
        assert_accessible(page, "the own-data page")
        with page.expect_download() as download_info:
            page.click("#download-my-data")
        with open(download_info.value.path(), "rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        assert "README.txt" in archive.namelist()
        assert json.loads(archive.read("accounts_user.json"))[0]["email"] == "lena@skovde.se"


def test_an_administrator_erases_a_submitter_and_is_refused_for_a_coach(
    browser, live_server, world
):
    testing.submit_idea(world.skovde, submitter_name="Per Radera", submitter_email="per@hjo.se")
    owned = testing.submit_idea(world.skovde)
    idea_services.idea_assign_owner(idea=owned, actor=world.coach, owner=world.coach)
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.administrator)
        visit(page, reverse("privacy:retention"))
        assert_accessible(page, "the retention rules")
        visit(page, reverse("privacy:people"))
        assert_accessible(page, "the person lookup")
        page.fill("#id_email", "ingen@example.se")
        submit(page, "main form [type=submit]", status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#id_email_error").is_visible()
        assert page.input_value("#id_email") == "ingen@example.se"
        assert_accessible(page, "the person lookup with an unknown address")

        page.fill("#id_email", "per@hjo.se")
        submit(page, "main form [type=submit]", status=200)
        assert page.locator("#erasure-overview").is_visible()
        assert_accessible(page, "the erasure confirmation")
        with page.expect_download() as download_info:
            page.click("#export-person")
        assert download_info.value.suggested_filename.endswith(".zip")
        submit(page, "#erase-person", status=400)
        assert page.locator("#error-summary").is_visible()
        assert_accessible(page, "the erasure confirmation without the box ticked")
        page.check("#id_confirm")
        submit(page, "#erase-person", status=200)
        assert not Submitter.objects.filter(email="per@hjo.se").exists()
        assert_accessible(page, "after the erasure")

        visit(page, reverse("privacy:people"))
        page.fill("#id_email", world.coach.email)
        submit(page, "main form [type=submit]", status=200)
        assert page.locator("#erasure-refused").is_visible()
        assert page.locator("#erase-person").count() == 0
        assert_accessible(page, "the refusal: the coach still owns an idea")
