"""axe-core (WCAG 2.1 A and AA) on every page a user can reach, in every state that matters.

The keyboard journey (apps/ideas/tests/test_browser_journey.py) covers the idea form, its
error state, the receipt and the submitter's page on the way. This module visits the rest:
the public pages, the login and password pages, each role's workspace pages with their
empty, filled, htmx-swapped and form-error states, the administration pages, and a few
pages again in English. Where a form comes back with errors, the error summary must
also have the focus.

Mouse clicks and `fill` are fine here: what is tested is the page, not the way there.
Elements are found by id and name, not by visible text, so the tests hold in both
languages and whatever the translation catalogue says.
"""

import re

import pytest
from playwright.sync_api import expect

from apps.core import testing
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas.models import Idea
from apps.workflow.models import Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    # One browser for the whole module; each test opens its own context (own cookies).
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    """Open a path and check the answer's status before axe looks at the page."""
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit_form(page, form_selector: str, *, skip_browser_checks: bool = False) -> None:
    """Submit a form through its submit button and wait for the answer page.

    skip_browser_checks turns off the browser's own checks (`required`, type=email), so
    the server's error state is reached, as it is by browsers that do not check.
    """
    form = page.locator(form_selector).first
    if skip_browser_checks:
        form.evaluate("(form) => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()


def assert_error_summary_focused(page) -> None:
    """The page came back with errors: the summary is shown and has the focus."""
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_public_pages(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        visit(page, "/")
        assert_accessible(page, "home")
        visit(page, "/accessibility/")
        assert_accessible(page, "accessibility statement")
        visit(page, "/submit/")
        assert_accessible(page, "idea form")
        # The login page links to sign-up, which is closed: that page is reachable too.
        visit(page, "/accounts/signup/")
        assert_accessible(page, "sign-up closed")
        # What does not exist, or what a role may not see, answers 404.
        visit(page, "/follow/no-such-link/", status=404)
        assert_accessible(page, "not found")


def test_login_pages_and_their_error_states(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        visit(page, "/accounts/login/")
        assert_accessible(page, "login")
        page.fill("[name=login]", world.coach.email)
        page.fill("[name=password]", "not-the-password")
        submit_form(page, "form[action='/accounts/login/']")
        assert page.url.endswith("/accounts/login/")
        assert_error_summary_focused(page)
        assert_accessible(page, "login, wrong password")

        visit(page, "/accounts/login/code/")
        assert_accessible(page, "login by code")
        submit_form(page, "main form", skip_browser_checks=True)
        assert_error_summary_focused(page)
        assert_accessible(page, "login by code, empty email")
        page.fill("[name=email]", world.coach.email)
        submit_form(page, "main form")
        assert page.url.endswith("/accounts/login/code/confirm/"), page.url
        assert_accessible(page, "login by code, enter the code")
        page.fill("[name=code]", "WRONG1")
        submit_form(page, "main form")
        assert_error_summary_focused(page)
        assert_accessible(page, "login by code, wrong code")

        visit(page, "/accounts/password/reset/")
        assert_accessible(page, "password reset")
        submit_form(page, "main form", skip_browser_checks=True)
        assert_error_summary_focused(page)
        assert_accessible(page, "password reset, empty email")
        page.fill("[name=email]", world.coach.email)
        submit_form(page, "main form")
        assert page.url.endswith("/accounts/password/reset/done/"), page.url
        assert_accessible(page, "password reset, email sent")


def test_password_change_page(browser, live_server, world):
    """Linked from the preferences page; its rules list must stay linked to the field."""
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        visit(page, "/accounts/password/change/")
        assert_accessible(page, "password change")
        rules = page.locator("#id_password1_hint")
        assert rules.locator("li").count() > 0
        assert "id_password1_hint" in page.get_attribute("#id_password1", "aria-describedby")
        submit_form(page, "main form", skip_browser_checks=True)
        assert_error_summary_focused(page)
        assert_accessible(page, "password change, sent empty")


def test_coach_pages_empty(browser, live_server, world):
    """A coach in a municipality without ideas: start page, empty board, empty list."""
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        visit(page, "/start/")
        assert_accessible(page, "coach start page")
        visit(page, "/workspace/board/")
        assert page.locator(".card").count() == 0
        assert_accessible(page, "empty board")
        visit(page, "/workspace/ideas/")
        assert page.locator("#results table").count() == 0
        assert_accessible(page, "empty list of ideas")
        visit(page, "/accounts/preferences/")
        assert_accessible(page, "preferences")


def test_coach_pages_with_ideas(browser, live_server, world):
    first = testing.submit_idea(world.skovde, title="Föräldrautbildning på webben")
    testing.submit_idea(world.skovde, title="Digital medicinpåminnelse")
    closed = Stage.objects.get(consortium=world.consortium, key="closed")
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        visit(page, "/workspace/ideas/")
        assert page.locator("#results tbody tr").count() == 2
        assert_accessible(page, "list of ideas with results")

        # Filtering swaps the results in place (htmx); that state is checked too.
        page.fill("#id_q", "xyzzyxyzzy")
        page.keyboard.press("Enter")
        expect(page.locator("#results .result-count")).to_contain_text("0")
        assert page.locator("#results table").count() == 0
        # The count is announced through the page's one status region, refilled out of band.
        expect(page.locator("#status")).to_contain_text("0")
        assert page.locator("#status").count() == 1
        assert_accessible(page, "list of ideas, filter matching nothing (htmx)")

        visit(page, "/workspace/ideas/?q=xyzzyxyzzy")
        assert page.locator("#results table").count() == 0
        assert_accessible(page, "list of ideas, filter matching nothing")

        visit(page, "/workspace/board/")
        assert page.locator(f"#card-{first.reference}").count() == 1
        assert_accessible(page, "board with ideas")

        # A move on the board swaps the board in place (htmx). The keyboard user's focus
        # must not fall back to the top of the page: it stays on the card's button.
        page.select_option(f"#move-{first.reference}", str(capture.pk))
        page.focus(f"#move-button-{first.reference}")
        page.keyboard.press("Enter")
        column = page.locator(f"section[aria-labelledby='col-{capture.pk}']")
        expect(column.locator(f"#card-{first.reference}")).to_be_visible()
        assert Idea.objects.get(pk=first.pk).stage == capture
        assert page.evaluate("document.activeElement.id") == f"move-button-{first.reference}"
        # The outcome is announced in the status region that was on the page from the start.
        expect(page.locator("#status")).to_contain_text(first.reference)
        assert page.locator("#status").count() == 1
        assert_accessible(page, "board after a move (htmx)")

        visit(page, f"/workspace/ideas/{first.reference}/")
        assert_accessible(page, "idea page")

        # Closing needs a reason: without one the page comes back with its error state.
        page.select_option("#id_to_stage", str(closed.pk))
        submit_form(page, "form[action$='/move/']")
        assert_error_summary_focused(page)
        assert Idea.objects.get(pk=first.pk).stage == capture
        assert_accessible(page, "idea page, closing without a reason")


def test_my_ideas_empty_and_filled(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.employee)
        visit(page, "/my-ideas/")
        assert page.locator("main table").count() == 0
        assert_accessible(page, "my ideas, none yet")
        visit(page, "/start/")
        assert_accessible(page, "employee start page")

        testing.submit_idea(world.skovde, submitter_email=world.employee.email)
        visit(page, "/my-ideas/")
        assert page.locator("main table tbody tr").count() == 1
        assert_accessible(page, "my ideas, one idea")


def test_process_pages_for_a_process_leader(browser, live_server, world):
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.process_leader)
        visit(page, "/process/")
        assert_accessible(page, "process page")

        # The transition form sent empty comes back with its errors.
        submit_form(page, "form[action$='/process/moves/']")
        assert_error_summary_focused(page)
        assert_accessible(page, "process page, move form errors")

        visit(page, f"/process/stages/{capture.pk}/")
        assert_accessible(page, "stage edit page")
        page.fill("#id_name_sv", "")
        submit_form(page, "main form")
        assert_error_summary_focused(page)
        assert_accessible(page, "stage edit page, errors")

        visit(page, "/process/stages/new/")
        assert_accessible(page, "new stage page")


def test_administration_pages(browser, live_server, world):
    """The administrator's organisations and people pages, with their form errors."""
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.administrator)
        visit(page, "/start/")
        assert_accessible(page, "administrator start page")
        visit(page, "/organisations/")
        assert_accessible(page, "organisations overview")

        visit(page, f"/organisations/{world.consortium.pk}/new/")
        assert_accessible(page, "new municipality")
        submit_form(page, "main form")
        assert_error_summary_focused(page)
        assert_accessible(page, "new municipality, errors")
        visit(page, f"/organisations/{world.skovde.pk}/edit/")
        assert_accessible(page, "edit municipality")
        visit(page, f"/organisations/{world.skovde_unit.pk}/deactivate/")
        assert_accessible(page, "deactivate unit")

        visit(page, "/organisations/people/")
        assert page.locator("main table tbody tr").count() > 0
        assert_accessible(page, "people")
        visit(page, "/organisations/people/?q=xyzzyxyzzy")
        assert page.locator("main table").count() == 0
        assert_accessible(page, "people, search matching nothing")
        visit(page, "/organisations/people/new/")
        assert_accessible(page, "new person")
        submit_form(page, "main form")
        assert_error_summary_focused(page)
        assert_accessible(page, "new person, errors")

        visit(page, f"/organisations/people/{world.coach.pk}/")
        assert_accessible(page, "person")
        submit_form(page, "form[action$='/roles/']")
        assert_error_summary_focused(page)
        assert_accessible(page, "person, role form errors")
        visit(page, f"/organisations/people/{world.coach.pk}/deactivate/")
        assert_accessible(page, "deactivate person")


def test_submitter_pages_receipt_and_reply_error(browser, live_server, world):
    """Hand in through the form, then the receipt, the private page and its error state."""
    with new_page(browser, live_server.url) as page:
        visit(page, "/submit/")
        page.fill("#id_title", "Samåkning till hemtjänsten")
        page.fill("#id_need", "Personalen kör ensamma mellan brukarna.")
        page.fill("#id_solution", "En enkel samåkningstavla.")
        page.select_option("#id_municipality", str(world.skovde.pk))
        page.fill("#id_submitter_name", "Sara Sjuksköterska")
        page.fill("#id_submitter_email", "sara@skovde.se")
        submit_form(page, "main form")
        assert page.url.endswith("/submit/receipt/")
        assert_accessible(page, "receipt")

        idea = Idea.objects.get(title="Samåkning till hemtjänsten")
        token = idea.submitters.get(is_primary=True).access_token
        visit(page, f"/follow/{token}/")
        assert_accessible(page, "submitter page")
        # The idea as handed in sits in a closed <details>; axe skips hidden content.
        page.locator("main details > summary").click()
        assert_accessible(page, "submitter page, idea shown")

        submit_form(page, "main form[enctype]")
        assert_error_summary_focused(page)
        assert_accessible(page, "submitter page, empty reply")

        page.fill("#id_body", "Jag kan visa hur det fungerar i dag.")
        submit_form(page, "main form[enctype]")
        assert page.locator(".messages").is_visible()
        assert_accessible(page, "submitter page, reply sent")


def test_pages_in_english(browser, live_server, world):
    """Switch language with the header's button, then check a few pages once more."""
    idea = testing.submit_idea(world.skovde)
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        visit(page, "/start/")
        assert page.locator("html").get_attribute("lang") == "sv"
        with page.expect_navigation():
            page.locator("form.language button[name=language][value=en]").click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert re.search(r"/start/$", page.url)
        assert_accessible(page, "start page in English")
        visit(page, "/workspace/board/")
        assert_accessible(page, "board in English")
        visit(page, f"/workspace/ideas/{idea.reference}/")
        assert page.locator(".stage-name").inner_text().strip() == idea.stage.name_en
        assert_accessible(page, "idea page in English")
        visit(page, "/submit/")
        submit_form(page, "main form")
        assert_error_summary_focused(page)
        assert_accessible(page, "idea form errors in English")
