"""The audit log page in a real Chromium, with axe-core (WCAG 2.1 A/AA): filled, filtered
(by keyboard), with an error, and empty after filtering. Elements are found by id and
name, so the test holds in both languages."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.core.tests.browser import (
    assert_accessible,
    choose_with_arrows,
    chromium,
    log_in,
    new_page,
    press_and_wait,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_an_administrator_reads_and_filters_the_log(browser, live_server, world):
    login = audit_record(kind="login", actor=world.coach, subject_user=world.coach)
    refusal = audit_record(
        kind="access_denied", actor=world.other_coach, detail={"status": 404}, object_repr="/x/"
    )
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.administrator)
        response = page.goto(reverse("audit:log"))
        assert response is not None and response.status == 200
        assert page.locator(f"#event-{login.pk}").is_visible()
        assert page.locator(f"#event-{refusal.pk}").is_visible()
        assert_accessible(page, "the audit log, filled")

        choose_with_arrows(page, "#id_kind", AuditEvent.Kind.LOGIN.value)
        type_into(page, "#id_person", "coach@skovde")
        press_and_wait(page)
        assert page.locator(f"#event-{login.pk}").is_visible()
        assert page.locator(f"#event-{refusal.pk}").count() == 0
        assert_accessible(page, "the audit log, filtered")

        response = page.goto(reverse("audit:log") + "?start=nej&person=coach")
        assert response is not None and response.status == 400
        assert page.locator("#error-summary").is_visible()
        assert page.input_value("#id_person") == "coach"
        assert_accessible(page, "the audit log, a bad date")

        response = page.goto(reverse("audit:log") + "?person=nobody-at-all")
        assert response is not None and response.status == 200
        assert page.locator("table").count() == 0
        assert_accessible(page, "the audit log, nothing matches")
