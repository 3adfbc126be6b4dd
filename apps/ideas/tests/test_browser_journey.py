"""The whole journey of one idea, keyboard only, in a real Chromium, with axe on every page.

An anonymous employee hands in an idea (first with errors, then right), the receipt
email holds the private link, a coach of the municipality logs in through the real login
page, finds the idea on the board and moves it on with a message, and the submitter's
link then shows the new stage and the message.

No mouse: every control is reached with Tab (which proves it is in the tab order) and
used with typing, Enter, Space and the arrow keys. Elements are found by id and name,
and the assertions are on data (reference number, stage names from the Stage rows, the
message text), so the test does not depend on the wording of the translations.
"""

import re

import pytest
from django.core import mail

from apps.core.testing import PASSWORD, run_worker
from apps.core.tests.browser import (
    active_element_matches,
    assert_accessible,
    choose_with_arrows,
    chromium,
    describe_focus,
    new_page,
    press_and_wait,
    tab_to,
    type_into,
)
from apps.ideas.models import Idea
from apps.workflow.models import Stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBMITTER_EMAIL = "ida.idebarare@skovde.se"
TITLE = "Föräldrautbildning på webben"
NEED = "Föräldrar saknar stöd om barns psykiska ohälsa."
SOLUTION = "En webbaserad föräldrautbildning som alla kommuner kan använda."
SUBMITTER_NAME = "Ida Idébärare"
MESSAGE = "Hej Ida! Vi ses på tisdag och skärper idén tillsammans."


@pytest.fixture(scope="module")
def browser():
    # One browser for the module; the submitter and the coach get a context each.
    with chromium() as launched:
        yield launched


def assert_focused(page, selector: str) -> None:
    assert active_element_matches(page, selector), (
        f"expected focus on {selector!r}, it is on {describe_focus(page)}"
    )


def input_value(page, selector: str) -> str:
    return page.locator(selector).input_value()


def test_idea_journey_keyboard_only(browser, live_server, world):
    received = Stage.objects.get(consortium=world.consortium, key="received")
    capture = Stage.objects.get(consortium=world.consortium, key="capture")

    with (
        new_page(browser, live_server.url) as submitter,
        new_page(browser, live_server.url) as coach,
    ):
        # --- The employee opens the form; the skip link is the first stop. --------------
        submitter.goto("/submit/")
        submitter.keyboard.press("Tab")
        assert_focused(submitter, "a.skip-link")
        submitter.keyboard.press("Enter")
        assert_focused(submitter, "main#main")
        assert_accessible(submitter, "idea form")

        # --- Sent empty: the error summary is shown and takes the focus. -----------------
        tab_to(submitter, "main form button[type=submit]")
        press_and_wait(submitter)
        assert submitter.locator("#error-summary").is_visible()
        assert_focused(submitter, "#error-summary")
        assert submitter.locator("#error-summary a[href='#id_title']").count() == 1
        assert Idea.objects.count() == 0
        assert_accessible(submitter, "idea form, sent empty")

        # The summary's first link leads to the field it is about.
        submitter.keyboard.press("Tab")
        assert_focused(submitter, "#error-summary a[href='#id_title']")
        submitter.keyboard.press("Enter")
        assert_focused(submitter, "#id_title")

        # --- Filled in, but with a mistyped email address. ------------------------------
        submitter.keyboard.type(TITLE)
        type_into(submitter, "#id_need", NEED)
        type_into(submitter, "#id_solution", SOLUTION)
        choose_with_arrows(submitter, "#id_municipality", str(world.skovde.pk))
        type_into(submitter, "#id_submitter_name", SUBMITTER_NAME)
        type_into(submitter, "#id_submitter_email", "ida.idebarare.skovde.se")
        tab_to(submitter, "#id_consent_to_publish")
        submitter.keyboard.press("Space")
        assert submitter.locator("#id_consent_to_publish").is_checked()
        tab_to(submitter, "main form button[type=submit]")
        press_and_wait(submitter)

        assert_focused(submitter, "#error-summary")
        assert submitter.locator("#error-summary a").count() == 1
        assert submitter.locator("#error-summary a[href='#id_submitter_email']").count() == 1
        # What was typed before is still there.
        assert input_value(submitter, "#id_title") == TITLE
        assert input_value(submitter, "#id_need") == NEED
        assert input_value(submitter, "#id_solution") == SOLUTION
        assert input_value(submitter, "#id_municipality") == str(world.skovde.pk)
        assert input_value(submitter, "#id_submitter_name") == SUBMITTER_NAME
        assert submitter.locator("#id_consent_to_publish").is_checked()
        assert_accessible(submitter, "idea form, wrong email address")

        # --- Corrected and handed in. --------------------------------------------------
        tab_to(submitter, "#id_submitter_email")
        submitter.keyboard.press("ControlOrMeta+A")
        submitter.keyboard.type(SUBMITTER_EMAIL)
        tab_to(submitter, "main form button[type=submit]")
        press_and_wait(submitter)

        assert submitter.url.endswith("/submit/receipt/")
        idea = Idea.objects.get(submitters__email=SUBMITTER_EMAIL)
        assert idea.title == TITLE
        assert idea.municipality == world.skovde
        assert idea.stage == received
        assert idea.consent_to_publish
        assert submitter.locator(".reference").inner_text().strip() == idea.reference
        assert_accessible(submitter, "receipt")

        # --- The receipt email, sent by the real worker, holds the private link. --------
        run_worker()
        receipts = [m for m in mail.outbox if m.to == [SUBMITTER_EMAIL]]
        assert len(receipts) == 1
        assert idea.reference in receipts[0].subject + receipts[0].body
        link = re.search(r"https?://\S+(/follow/[^/\s]+/)", receipts[0].body)
        assert link, receipts[0].body
        follow_path = link.group(1)

        submitter.goto(follow_path)
        assert submitter.locator(".stage-name").inner_text().strip() == received.name_sv
        assert_accessible(submitter, "submitter page, just handed in")

        # --- The coach logs in through the real login page. ----------------------------
        coach.goto("/accounts/login/")
        type_into(coach, "[name=login]", world.coach.email)
        type_into(coach, "[name=password]", PASSWORD)
        press_and_wait(coach)
        assert coach.url.endswith("/start/"), coach.url
        assert_accessible(coach, "coach start page")

        # --- Finds the idea on the board. ----------------------------------------------
        tab_to(coach, "header nav a[href='/workspace/board/']")
        press_and_wait(coach)
        card = f"#card-{idea.reference}"
        assert coach.locator(card).count() == 1
        assert_accessible(coach, "board")

        tab_to(coach, f"{card} h3 a")
        press_and_wait(coach)
        assert coach.url.endswith(f"/workspace/ideas/{idea.reference}/")
        assert_accessible(coach, "idea page")

        # --- Moves it on to Fånga with a message to the submitter. -----------------------
        choose_with_arrows(coach, "#id_to_stage", str(capture.pk))
        type_into(coach, "#id_message", MESSAGE)
        tab_to(coach, "form[action$='/move/'] button[type=submit]")
        press_and_wait(coach)

        assert coach.url.endswith(f"/workspace/ideas/{idea.reference}/")
        assert coach.locator(".stage-name").inner_text().strip() == capture.name_sv
        idea.refresh_from_db()
        assert idea.stage == capture
        assert_accessible(coach, "idea page after the move")

        # --- The submitter's link shows the new stage and the message. -----------------
        submitter.goto(follow_path)
        assert submitter.locator(".stage-name").inner_text().strip() == capture.name_sv
        assert MESSAGE in submitter.locator(".timeline").inner_text()
        assert_accessible(submitter, "submitter page after the move")

        # The submitter is also told by email, with the message.
        run_worker()
        told = [m for m in mail.outbox if m.to == [SUBMITTER_EMAIL]]
        assert len(told) == 2
        assert MESSAGE in told[1].body
        assert follow_path in told[1].body
