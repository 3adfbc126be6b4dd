"""Publishing an idea to the showcase in a real Chromium, with axe-core (WCAG 2.1 A/AA) on
every page and state visited.

The communicator finds a consented idea in the workspace, writes its story (first with an
empty headline), previews it, publishes it; an anonymous visitor then finds it in the list,
by search and by area, and reads it. Elements are found by id, name and URL, so the test
holds in both languages.
"""

import pytest
from django.urls import reverse

from apps.core import testing
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas.models import TimelineEntry
from apps.showcase.models import ShowcaseEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, button_selector: str, *, status: int) -> None:
    with page.expect_navigation() as navigation:
        page.locator(button_selector).first.click()
    assert navigation.value is not None
    assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def test_a_communicator_publishes_a_story_that_the_public_then_finds(browser, live_server, world):
    idea = testing.submit_idea(
        world.skovde, consent_to_publish=True, submitter_name="Sigrid Särskildnamn"
    )
    edit_url = reverse("showcase:edit", args=[idea.pk])
    preview_url = reverse("showcase:preview", args=[idea.pk])

    with new_page(browser, live_server.url) as page:
        visit(page, reverse("showcase:list"))
        assert_accessible(page, "the public showcase, empty")

        log_in(page, live_server.url, world.communicator)
        visit(page, reverse("showcase:workspace"))
        assert_accessible(page, "the workspace")
        page.click(f"a[href='{edit_url}']")
        page.wait_for_url(f"**{edit_url}")
        assert_accessible(page, "the empty story form")

        page.fill("#id_lead", "Återbrukade möbler sparar pengar och miljö.")
        page.fill("#id_story", "Vaktmästarna i Skövde började laga gamla stolar.")
        page.fill("#id_results", "300 stolar lagade, 450 000 kronor sparade.")
        page.select_option("#id_category", "administration")
        submit(page, "button[name=action][value=save]", status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator("#error-summary a[href='#id_headline']").count() == 1
        assert page.input_value("#id_story") == "Vaktmästarna i Skövde började laga gamla stolar."
        assert_accessible(page, "the story form with an empty headline")

        page.fill("#id_headline", "Stolar som fick ett nytt liv")
        submit(page, "button[name=action][value=save]", status=200)
        page.wait_for_url(f"**{preview_url}")
        assert page.locator("#story-headline").inner_text() == "Stolar som fick ett nytt liv"
        assert "Särskildnamn" not in page.content()
        assert ShowcaseEntry.objects.get(idea=idea).approved_at is None
        assert_accessible(page, "the preview of a draft")

        submit(page, "button[name=action][value=publish]", status=200)
        page.wait_for_url(f"**{preview_url}")
        entry = ShowcaseEntry.objects.get(idea=idea)
        assert entry.is_published
        assert idea.timeline.filter(kind=TimelineEntry.Kind.SHOWCASE_PUBLISHED).count() == 1
        assert page.locator("button[name=action][value=withdraw]").count() == 1
        assert_accessible(page, "the preview of a published story")

    with new_page(browser, live_server.url) as page:
        visit(page, reverse("showcase:list"))
        assert page.locator(f"a[href='{entry.get_absolute_url()}']").count() == 1
        assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
        assert_accessible(page, "the public showcase with a story")

        page.fill("#id_q", "STOLAR")
        page.select_option("#id_category", "administration")
        submit(page, "form[role=search] [type=submit]", status=200)
        assert page.locator(f"a[href='{entry.get_absolute_url()}']").count() == 1
        assert_accessible(page, "the showcase, searched")

        page.fill("#id_q", "finns inte alls")
        submit(page, "form[role=search] [type=submit]", status=200)
        assert page.locator(f"a[href='{entry.get_absolute_url()}']").count() == 0
        assert_accessible(page, "the showcase, nothing found")

        visit(page, entry.get_absolute_url())
        assert page.locator("h1").inner_text() == "Stolar som fick ett nytt liv"
        assert "Särskildnamn" not in page.content()
        assert idea.reference not in page.content()
        assert_accessible(page, "the public story")
