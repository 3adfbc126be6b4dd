"""Similar ideas and links in a real Chromium, keyboard only, with axe on every state.

An employee types an idea on the public form and, while typing, sees a similar idea that
Hjo has published, without losing the focus or a letter; then a coach of Skövde opens an
idea, finds Hjo's similar idea on its page, links the two as the same idea, sees the
link listed, tries a bad reference, and removes the link again.
"""

import pytest

from apps.core.testing import submit_idea
from apps.core.tests.browser import (
    active_element_matches,
    assert_accessible,
    chromium,
    describe_focus,
    log_in,
    new_page,
    press_and_wait,
    tab_to,
    type_into,
)
from apps.ideas.models import IdeaLink
from apps.spread import services as spread_services
from apps.spread.testing import make_solution, spreadable_idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED_TITLE = "Föräldrautbildning på nätet"
TYPED_TITLE = "Föräldrautbildning på webben"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _publish_in_hjo(world):
    idea = spreadable_idea(
        world.hjo,
        world.process_leader,
        consent_to_publish=True,
        title="Webbkurs för föräldrar",
        submitter_name="Hugo Hjobo",
        submitter_email="hugo@hjo.se",
    )
    solution = make_solution(
        idea,
        world.other_coach,
        title=PUBLISHED_TITLE,
        summary="En webbaserad föräldrautbildning om barns psykiska hälsa.",
    )
    spread_services.solution_approve_publication(actor=world.communicator, solution=solution)
    return idea


def test_typing_an_idea_shows_a_similar_published_idea(browser, live_server, world):
    _publish_in_hjo(world)
    with new_page(browser, live_server.url) as page:
        page.goto("/submit/")
        assert_accessible(page, "idea form, nothing typed")

        type_into(page, "#id_title", TYPED_TITLE)
        results = page.locator("#similar-ideas .card")
        results.first.wait_for()
        assert PUBLISHED_TITLE in results.first.inner_text()
        assert "Hjo" in results.first.inner_text()
        assert "Hugo" not in page.locator("#similar-ideas").inner_text()
        # The status region announced it; the focus and the text stayed where they were.
        assert page.locator("#status").inner_text().strip()
        assert active_element_matches(page, "#id_title"), describe_focus(page)
        assert page.locator("#id_title").input_value() == TYPED_TITLE

        # Typing on in the next field keeps everything too.
        type_into(page, "#id_need", "Föräldrar behöver stöd.")
        page.wait_for_timeout(900)  # past the debounce, and the answer swapped in
        assert active_element_matches(page, "#id_need"), describe_focus(page)
        assert page.locator("#id_title").input_value() == TYPED_TITLE
        assert page.locator("#id_need").input_value() == "Föräldrar behöver stöd."
        assert PUBLISHED_TITLE in page.locator("#similar-ideas").inner_text()
        assert_accessible(page, "idea form with a similar idea shown")

        # The check button asks again in place (no new page) and keeps the focus.
        page.evaluate("document.querySelector('#similar-ideas').innerHTML = ''")
        tab_to(page, "button[name=check_similar]")
        page.keyboard.press("Enter")
        page.locator("#similar-ideas .card").first.wait_for()
        assert page.url.endswith("/submit/")
        assert active_element_matches(page, "button[name=check_similar]"), describe_focus(page)
        assert page.locator("#id_need").input_value() == "Föräldrar behöver stöd."


def test_a_coach_links_two_ideas_from_the_idea_page(browser, live_server, world):
    own, in_hjo = _same_idea_in_two_municipalities(world)
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)
        page.goto(f"/workspace/ideas/{own.reference}/")
        # The similar ideas come after the page, in place of the section's link, and the
        # status region says how many were found.
        _similar_loaded(page)
        assert in_hjo.title in page.locator("#similar-ideas").inner_text()
        assert page.locator("#status p.visually-hidden").count() == 1
        assert_accessible(page, "idea page with similar ideas")

        # Link Hjo's idea as the same idea, with the keyboard.
        button = f"#similar-ideas form:has(input[value='{in_hjo.reference}']) button[value='same']"
        tab_to(page, button)
        press_and_wait(page)

        link = IdeaLink.objects.get()
        assert (link.kind, link.created_by) == ("same", world.coach)
        linked = page.locator(f"#link-{link.pk}")
        assert in_hjo.title in linked.inner_text()
        _similar_loaded(page)
        assert in_hjo.title not in page.locator("#similar-ideas").inner_text()
        # The fragment added its announcement without taking away the message of the link.
        assert own.reference in page.locator("#status").inner_text()
        assert_accessible(page, "idea page with a linked idea")

        # A reference that does not exist: the error summary, and what was typed is kept.
        tab_to(page, "#linked-ideas summary")
        page.keyboard.press("Enter")
        type_into(page, "#id_link-other", "SLU-1999-0001")
        tab_to(page, "#linked-ideas form[action$='/links/'] button[type=submit]")
        press_and_wait(page)
        assert page.locator("#error-summary a[href='#id_link-other']").count() == 1
        assert page.locator("#id_link-other").input_value() == "SLU-1999-0001"
        assert_accessible(page, "idea page, link with an unknown reference")

        # Remove the link again.
        tab_to(page, f"#link-{link.pk} button[type=submit]")
        press_and_wait(page)
        assert not IdeaLink.objects.exists()
        assert page.locator(f"#link-{link.pk}").count() == 0
        _similar_loaded(page)
        assert in_hjo.title in page.locator("#similar-ideas").inner_text()
        assert_accessible(page, "idea page after removing the link")


def _same_idea_in_two_municipalities(world):
    """Skövde's idea and Hjo's, the same idea written differently."""
    own = submit_idea(
        world.skovde,
        title="Webbaserad föräldrautbildning",
        need="Föräldrar saknar stöd om barns psykiska ohälsa.",
        solution="En webbaserad föräldrautbildning för alla föräldrar.",
    )
    in_hjo = submit_idea(
        world.hjo,
        title="Föräldrautbildning digitalt",
        need="Föräldrar behöver stöd när barnen mår dåligt.",
        solution="Webbaserad föräldrautbildning.",
    )
    return own, in_hjo


def _similar_loaded(page) -> None:
    """Wait until htmx has put the similar ideas in place of the section's link."""
    page.locator("#similar-results:not([hx-get])").wait_for()


def test_without_javascript_the_similar_ideas_are_a_page_that_links_too(
    browser, live_server, world
):
    own, in_hjo = _same_idea_in_two_municipalities(world)
    with new_page(browser, live_server.url) as page:
        # No htmx, as in a browser without JavaScript (axe still needs the page's own).
        page.route("**/htmx*.js", lambda route: route.abort())
        log_in(page, live_server.url, world.coach)
        page.goto(f"/workspace/ideas/{own.reference}/")
        # Without JavaScript the section holds a link to the list instead of the list.
        assert page.locator("#similar-results a").count() == 1
        assert in_hjo.title not in page.locator("#similar-ideas").inner_text()
        tab_to(page, "#similar-results a")
        press_and_wait(page)
        assert page.url.endswith(f"/workspace/ideas/{own.reference}/similar/")
        assert in_hjo.title in page.locator("#similar-ideas").inner_text()
        assert_accessible(page, "similar ideas as a page of their own")

        card = f"#similar-ideas form:has(input[value='{in_hjo.reference}'])"
        tab_to(page, f"{card} button[value='related']")
        press_and_wait(page)
        link = IdeaLink.objects.get()
        assert (link.kind, link.created_by) == ("related", world.coach)
        assert page.url.endswith(f"/workspace/ideas/{own.reference}/")
        assert in_hjo.title in page.locator(f"#link-{link.pk}").inner_text()
        assert_accessible(page, "idea page without JavaScript, after linking")
