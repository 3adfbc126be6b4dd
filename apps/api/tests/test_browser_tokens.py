"""The token page in a real Chromium, by keyboard, with axe-core (WCAG 2.1 A/AA) in its
empty, created, error and revoked states; the token copied from the page then opens the
API.

Elements are found by id and name, so the test holds in both languages.
"""

import pytest

from apps.api.models import ApiToken
from apps.core.tests.browser import (
    assert_accessible,
    chromium,
    log_in,
    new_page,
    press_and_wait,
    tab_to,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def test_make_copy_and_revoke_a_token(browser, live_server, world, client):
    with new_page(browser, live_server.url) as page:
        log_in(page, live_server.url, world.coach)

        # From the settings to the empty page.
        page.goto("/accounts/preferences/")
        tab_to(page, "a[href='/api/tokens/']")
        press_and_wait(page)
        assert page.locator("#new-token").count() == 0
        assert page.locator("table").count() == 0
        assert_accessible(page, "token page, no tokens")

        # Sent without a name: the errors, focused, and the choice kept.
        page.select_option("#id_expires_in", "365")
        tab_to(page, "main form.stack [type=submit]")
        press_and_wait(page)
        assert page.evaluate("document.activeElement.id") == "error-summary"
        assert page.locator("#error-summary a[href='#id_name']").count() == 1
        assert page.locator("#id_expires_in").input_value() == "365"
        assert not ApiToken.objects.exists()
        assert_accessible(page, "token page, with errors")

        # Made: shown once, with the warning, focused for a screen reader.
        type_into(page, "#id_name", "Rapport till styrgruppen")
        tab_to(page, "main form.stack [type=submit]")
        press_and_wait(page)
        token = ApiToken.objects.get()
        assert token.name == "Rapport till styrgruppen"
        assert page.evaluate("document.activeElement.id") == "new-token-panel"
        secret = page.locator("#new-token").input_value()
        assert secret.startswith(token.prefix)
        assert page.locator("table tbody tr").count() == 1
        assert_accessible(page, "token page, a token just made")

        # The copied token opens the API.
        response = client.get("/api/v1/ideas", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200

        # Seen again, the secret is gone; revoking by keyboard.
        page.goto("/api/tokens/")
        assert secret not in page.content()
        tab_to(page, f"form[action='/api/tokens/{token.pk}/revoke/'] button")
        press_and_wait(page)
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert page.locator(f"form[action='/api/tokens/{token.pk}/revoke/']").count() == 0
        assert_accessible(page, "token page, token revoked")
        response = client.get("/api/v1/ideas", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 401
