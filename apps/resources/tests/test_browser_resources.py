"""The resource library in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page
and state visited.

The communicator adds a method handbook (first with a file that only pretends to be a
PDF), uploads a second version, and looks at the edit and archive pages; an anonymous
visitor then finds the handbook in the public list and by search, downloads it, and
finds no trace of an internal template.

Elements are found by id, name and URL, so the test holds in both languages.
"""

import pytest
from django.urls import reverse

from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.resources.models import Resource, Visibility
from apps.resources.testing import PDF_BYTES, make_resource

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


def a_file(name: str, body: bytes, mime: str = "application/pdf") -> dict:
    return {"name": name, "mimeType": mime, "buffer": body}


def test_a_communicator_publishes_a_handbook_that_the_public_finds(browser, live_server, world):
    internal = make_resource(
        world.consortium,
        world.process_leader,
        title="Intern mall för handbokens workshop",
        visibility=Visibility.INTERNAL,
    )

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.communicator)
        visit(page, reverse("resources:library"))
        assert_accessible(page, "the library, as its keeper")

        page.click(f"a[href='{reverse('resources:new')}']")
        page.wait_for_url(f"**{reverse('resources:new')}")
        assert_accessible(page, "the new resource form")
        page.fill("#id_title", "Metodhandbok för tjänstedesign")
        page.fill("#id_description", "Intervjuer, kundresor och prototyper steg för steg.")
        page.select_option("#id_category", "handbook")
        page.check("#id_visibility_0")
        page.fill("#id_change_note", "Första utgåvan.")
        page.set_input_files("#id_file", a_file("handbok.pdf", b"<html>not a pdf</html>"))
        submit(page, "main form", status=400)
        assert page.locator("#error-summary").is_visible()
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator("#id_file_error").is_visible()
        assert page.input_value("#id_title") == "Metodhandbok för tjänstedesign"
        assert page.input_value("#id_change_note") == "Första utgåvan."
        assert page.is_checked("#id_visibility_0")
        assert_accessible(page, "the new resource form with a bad file")
        assert not Resource.objects.filter(title__startswith="Metodhandbok").exists()

        page.set_input_files("#id_file", a_file("handbok.pdf", PDF_BYTES))
        submit(page, "main form", status=200)
        handbook = Resource.objects.get(title="Metodhandbok för tjänstedesign")
        assert page.url.endswith(reverse("resources:detail", args=[handbook.pk]))
        assert page.locator("#version-1").count() == 1
        assert_accessible(page, "the new handbook's page")

        page.click("#upload-version")
        page.wait_for_url(f"**{reverse('resources:new_version', args=[handbook.pk])}")
        assert_accessible(page, "the new version form")
        page.set_input_files("#id_file", a_file("handbok-2026.pdf", PDF_BYTES + b"% v2\n"))
        page.fill("#id_change_note", "Nya exempel från Hjo.")
        submit(page, "main form", status=200)
        assert page.locator("#version-2").count() == 1
        assert page.locator("#version-1").count() == 1
        current = reverse("resources:download", args=[handbook.pk, 2])
        assert page.get_attribute("#download-current", "href") == current
        assert_accessible(page, "the handbook with two versions")

        visit(page, reverse("resources:edit", args=[handbook.pk]))
        assert_accessible(page, "the edit form")
        visit(page, reverse("resources:archive", args=[handbook.pk]))
        assert_accessible(page, "the archive page")
        visit(page, reverse("resources:library") + "?visibility=internal&archived=on")
        assert_accessible(page, "the archived resources, filtered")

    assert list(handbook.versions.order_by("number").values_list("number", flat=True)) == [1, 2]

    with new_page(browser, live_server.url) as page:
        visit(page, reverse("resources:library"))
        handbook_link = f"main a[href='{reverse('resources:detail', args=[handbook.pk])}']"
        internal_link = f"main a[href='{reverse('resources:detail', args=[internal.pk])}']"
        assert page.locator(handbook_link).count() == 1
        assert page.locator(internal_link).count() == 0
        assert page.locator("#id_visibility").count() == 0
        assert_accessible(page, "the public library")

        page.fill("#id_q", "tjanstedesign")
        submit(page, "form[role=search]", status=200)
        assert page.locator(handbook_link).count() == 1
        assert_accessible(page, "the public library, searched")

        page.fill("#id_q", "workshop")
        submit(page, "form[role=search]", status=200)
        assert page.locator(handbook_link).count() == 0
        assert page.locator(internal_link).count() == 0
        assert_accessible(page, "the public library, nothing found")

        visit(page, reverse("resources:detail", args=[handbook.pk]))
        assert page.locator("#upload-version").count() == 0
        assert_accessible(page, "the public handbook page")
        with page.expect_download() as download:
            page.click("#download-current")
        assert download.value.suggested_filename == "handbok-2026.pdf"

        visit(page, reverse("resources:detail", args=[internal.pk]), status=404)
        response = page.request.get(reverse("resources:download", args=[internal.pk, 1]))
        assert response.status == 404
