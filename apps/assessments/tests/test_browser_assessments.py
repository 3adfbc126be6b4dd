"""axe-core (WCAG 2.1 A and AA) on every assessment page, in its empty, filled and error
states, and the score form used with the keyboard alone. Where a form comes back with
errors, the error summary has the focus."""

import pytest
from django.urls import reverse

from apps.core.tests.browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    press_and_wait,
    tab_to,
)

from .helpers import criteria, idea_in_assess, open_round, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def assert_summary_focused(page) -> None:
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def test_opening_a_round_and_the_criteria_pages(browser, live_server, world):
    idea = idea_in_assess(world)
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.process_leader)
        detail = reverse("ideas:detail", kwargs={"reference": idea.reference})
        visit(page, detail)
        assert_accessible(page, "idea page without rounds")
        visit(page, reverse("assessments:round_new", kwargs={"reference": idea.reference}))
        assert_accessible(page, "open a round")
        submit(page, "main form [type=submit]")
        assert_summary_focused(page)
        assert_accessible(page, "open a round with errors")
        visit(page, reverse("assessments:criteria"))
        assert_accessible(page, "criteria")
        visit(page, reverse("assessments:criterion_new"))
        assert_accessible(page, "new criterion")
        submit(page, "main form [type=submit]")
        assert_summary_focused(page)
        assert_accessible(page, "new criterion with errors")


def test_the_assessor_scores_with_the_keyboard(browser, live_server, world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee, world.other_coach], blind=True)
    first = criteria(world)[0]
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.employee)
        visit(page, reverse("assessments:mine"))
        assert_accessible(page, "my assessments")
        round_url = reverse("assessments:round", kwargs={"round_id": round_.pk})
        visit(page, round_url)
        assert_accessible(page, "the round, blind, before scoring")
        # Hand in with nothing chosen: the errors come back, focused.
        tab_to(page, "button[name=hand_in]")
        press_and_wait(page)
        assert_summary_focused(page)
        assert_accessible(page, "the round with score errors")
        # Choose a score with the keyboard: Tab into the first group, arrows within it.
        round_first = round_.criteria.get(source=first)
        tab_to(page, f"input[name=score_{round_first.pk}]")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        checked = page.locator(f"input[name=score_{round_first.pk}]:checked").get_attribute("value")
        assert checked in {"2", "3"}
        tab_to(page, "button[name=draft]")
        press_and_wait(page)
        assert page.locator(f"input[name=score_{round_first.pk}]:checked").count() == 1
        assert_accessible(page, "the round with a draft")
    score_all(round_, world.employee, [4] * 8)
    score_all(round_, world.other_coach, [2] * 8, notes={0: "Oklart"})
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.employee)
        visit(page, round_url)
        assert_accessible(page, "the round after handing in, with results")


def test_the_idea_page_with_rounds_and_the_decision_error(browser, live_server, world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee])
    score_all(round_, world.employee, [3] * 8, notes={2: "Går att göra."})
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.process_leader)
        visit(page, reverse("ideas:detail", kwargs={"reference": idea.reference}))
        assert_accessible(page, "idea page with an open round and the decision form")
        visit(page, reverse("assessments:round", kwargs={"round_id": round_.pk}))
        assert_accessible(page, "round page for the process leader")
        closed = page.locator("#id_decision-to_stage option", has_text="Avslutad")
        page.select_option("#id_decision-to_stage", closed.get_attribute("value"))
        submit(page, "form[action$='/decision/'] [type=submit]")
        assert_summary_focused(page)
        assert_accessible(page, "round page with a decision error")
