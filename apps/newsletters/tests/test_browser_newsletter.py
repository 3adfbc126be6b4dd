"""A newsletter from subscription to unsubscription, in a real Chromium with axe-core
(WCAG 2.1 A/AA) on every page and state visited.

A reader subscribes (first with a bad address) and confirms; the communicator composes an
issue with a text block (first left empty) and a published showcase entry, previews it,
sends a test and sends it; the worker delivers it; the archive shows it; the reader
unsubscribes through the link in the email. Elements are found by id, name and URL, so
the test holds in both languages.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.core.testing import run_worker
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.newsletters.models import Newsletter, Subscriber
from apps.notifications.models import OutboxEmail
from apps.showcase.testing import entry_for

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


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_reader_subscribes_a_communicator_sends_and_the_reader_unsubscribes(
    browser, live_server, world, settings
):
    settings.SITE_URL = live_server.url
    entry = entry_for(world, publish=True, headline="Stolar som fick ett nytt liv")

    with new_page(browser, live_server.url) as reader:
        visit(reader, reverse("newsletters:archive"))
        assert_accessible(reader, "the archive, empty")
        reader.click(f"a[href='{reverse('newsletters:subscribe')}']")
        reader.wait_for_url(f"**{reverse('newsletters:subscribe')}")
        assert_accessible(reader, "the subscribe form")
        reader.fill("#id_email", "lasare@exempel")
        submit(reader, "form.stack button[type=submit]", status=400)
        # The summary takes focus from a script after load; on a busy machine that can
        # come a moment after the page is there, so wait for it (fails if it never does).
        reader.wait_for_function(
            "document.activeElement && document.activeElement.id === 'error-summary'",
            timeout=10_000,
        )
        assert reader.locator("#error-summary a[href='#id_email']").count() == 1
        assert reader.input_value("#id_email") == "lasare@exempel"
        assert_accessible(reader, "the subscribe form with a bad address")
        reader.fill("#id_email", "lasare@example.se")
        submit(reader, "form.stack button[type=submit]", status=200)
        reader.wait_for_url(f"**{reverse('newsletters:subscribe_sent')}")
        assert_accessible(reader, "the answer after subscribing")

        confirmation = OutboxEmail.objects.get(kind="newsletter_confirm")
        confirm_url = re.search(r"https?://\S+/confirm/\S+/", confirmation.body).group(0)
        visit(reader, _path(confirm_url))
        assert reader.locator("#subscription-state").get_attribute("data-state") == "pending"
        assert_accessible(reader, "the confirmation page")
        submit(reader, "main form button[type=submit]", status=200)
        assert reader.locator("#subscription-state").get_attribute("data-state") == "confirmed"
        assert_accessible(reader, "the subscription confirmed")

    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.communicator)
        visit(page, reverse("newsletters:manage"))
        assert_accessible(page, "the composer's list, empty")
        page.click(f"a[href='{reverse('newsletters:new')}']")
        page.wait_for_url(f"**{reverse('newsletters:new')}")
        submit(page, "form.stack button[type=submit]", status=400)
        assert page.locator("#error-summary a[href='#id_subject']").count() == 1
        assert_accessible(page, "a new issue without a subject")
        page.fill("#id_subject", "Nyheter från slussen")
        page.fill("#id_intro", "Välkommen till det första numret.")
        submit(page, "form.stack button[type=submit]", status=200)
        newsletter = Newsletter.objects.get()
        edit_url = reverse("newsletters:edit", kwargs={"newsletter_id": newsletter.pk})
        page.wait_for_url(f"**{edit_url}")
        assert_accessible(page, "the empty draft")

        submit(page, "#add-text button[type=submit]", status=400)
        assert page.locator("#error-summary a[href='#id_text-text']").count() == 1
        assert_accessible(page, "the draft with an empty text block")
        page.fill("#id_text-text", "Vi har lagat 300 stolar i år.")
        submit(page, "#add-text button[type=submit]", status=200)
        page.check(f"#add-showcase input[value='{entry.pk}']")
        submit(page, "#add-showcase button[type=submit]", status=200)
        assert page.locator(".newsletter-block").count() == 2
        assert_accessible(page, "the draft with two blocks")

        preview_url = reverse("newsletters:preview", kwargs={"newsletter_id": newsletter.pk})
        page.click(f"main a[href='{preview_url}']")
        page.wait_for_url(f"**{preview_url}")
        assert "Stolar som fick ett nytt liv" in page.locator("#preview-html").inner_text()
        assert_accessible(page, "the preview")
        page.locator("details.newsletter-text summary").click()
        assert "Vi har lagat 300 stolar" in page.locator("#preview-text").inner_text()
        assert_accessible(page, "the preview with the text version open")
        send_test_url = reverse("newsletters:send_test", kwargs={"newsletter_id": newsletter.pk})
        submit(page, f"form[action='{send_test_url}'] button", status=200)
        assert_accessible(page, "the preview after a test was sent")

        send_url = reverse("newsletters:send", kwargs={"newsletter_id": newsletter.pk})
        page.click(f"main a[href='{send_url}']")
        page.wait_for_url(f"**{send_url}")
        assert_accessible(page, "the send page")
        submit(page, "main form button[type=submit]", status=200)
        page.wait_for_url(f"**{preview_url}")
        assert page.locator("#send-state").get_attribute("data-status") == "sending"
        assert_accessible(page, "the issue being sent")

    mail.outbox.clear()
    run_worker()
    tests = [m for m in mail.outbox if m.to == [world.communicator.email]]
    (issue,) = [
        m for m in mail.outbox if m.to == ["lasare@example.se"] and m.subject == newsletter.subject
    ]
    assert len(tests) == 1 and "List-Unsubscribe" not in tests[0].extra_headers
    subscriber = Subscriber.objects.get()
    assert issue.extra_headers["List-Unsubscribe"] == f"<{subscriber.unsubscribe_url()}>"
    assert Newsletter.objects.get().status == Newsletter.Status.SENT

    with new_page(browser, live_server.url) as reader:
        visit(reader, reverse("newsletters:archive"))
        assert_accessible(reader, "the archive with one issue")
        reader.click(f"#issues a[href='{newsletter.get_absolute_url()}']")
        reader.wait_for_url(f"**{newsletter.get_absolute_url()}")
        assert "Stolar som fick ett nytt liv" in reader.locator("#issue-content").inner_text()
        assert_accessible(reader, "an issue in the archive")

        unsubscribe_url = re.search(r"https?://\S+/unsubscribe/\S+/", issue.body).group(0)
        visit(reader, _path(unsubscribe_url))
        assert_accessible(reader, "the unsubscribe page")
        submit(reader, "main form button[type=submit]", status=200)
        assert reader.locator("#subscription-state").get_attribute("data-state") == "unsubscribed"
        assert_accessible(reader, "unsubscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
