"""The accessibility statement (tillgänglighetsredogörelse) and its report form."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from apps.core import testing
from apps.core.accessibility_report import ANSWER_WITHIN_WORKING_DAYS
from apps.core.tests.browser import assert_accessible, chromium, new_page
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_the_statement_has_what_digg_s_model_asks_for(client, settings):
    settings.SLUSS_ACCESSIBILITY_EMAIL = "tillganglighet@skaraborg.se"
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    for section in (
        "status-of-compliance",
        "known-problems",
        "other-ways",
        "report-a-problem",
        "supervision",
        "how-tested",
    ):
        assert f'id="{section}"' in page, section
    assert f'action="{reverse("core:accessibility_report")}"' in page
    assert 'name="problem"' in page
    assert "mailto:tillganglighet@skaraborg.se" in page
    assert "https://www.digg.se/" in page
    assert str(ANSWER_WITHIN_WORKING_DAYS) in page


@pytest.mark.django_db
def test_without_a_contact_address_only_the_form_is_offered(client, settings):
    settings.SLUSS_ACCESSIBILITY_EMAIL = ""
    assert "mailto:" not in client.get(reverse("core:accessibility")).content.decode()


@pytest.mark.django_db
def test_a_report_is_emailed_to_the_consortium_administrators(client, world):
    response = client.post(
        reverse("core:accessibility_report"),
        {
            "problem": "Kalendern går inte att använda med skärmläsare.",
            "page": "/meetings/",
            "municipality": world.hjo.pk,
            "name": "Stina Syn",
            "email": "stina@hjo.se",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:accessibility")
    emails = list(OutboxEmail.objects.filter(kind="accessibility_report"))
    assert [e.recipient for e in emails] == [world.administrator.email]
    assert "Kalendern går inte att använda med skärmläsare." in emails[0].body
    assert "stina@hjo.se" in emails[0].body
    assert "Hjo" in emails[0].body


@pytest.mark.django_db
def test_a_report_from_another_consortium_s_municipality_goes_to_its_own_administrators(
    client, world
):
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    uddevalla = testing.make_municipality(elsewhere, "Uddevalla", 4000)
    other_admin = testing.make_user("Alva Annan", (Role.ADMINISTRATOR, elsewhere))
    client.post(
        reverse("core:accessibility_report"),
        {"problem": "Fokus syns inte.", "municipality": uddevalla.pk},
    )
    recipients = OutboxEmail.objects.filter(kind="accessibility_report")
    assert list(recipients.values_list("recipient", flat=True)) == [other_admin.email]
    # Without a municipality, every consortium's administrators hear of it.
    client.post(reverse("core:accessibility_report"), {"problem": "Fokus syns inte."})
    assert set(recipients.values_list("recipient", flat=True)) == {
        other_admin.email,
        world.administrator.email,
    }


@pytest.mark.django_db
def test_a_report_without_a_problem_is_shown_again_with_what_was_typed(client, world):
    response = client.post(
        reverse("core:accessibility_report"),
        {"problem": "", "name": "Stina Syn", "email": "inte-en-adress"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert _("Describe the problem you found.") in page
    assert 'value="Stina Syn"' in page
    assert not OutboxEmail.objects.filter(kind="accessibility_report").exists()


@pytest.mark.django_db
def test_a_report_comes_back_escaped(client, world):
    response = client.post(
        reverse("core:accessibility_report"),
        {"problem": PAYLOAD, "email": "inte-en-adress", "page": PAYLOAD},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert PAYLOAD not in page
    assert escape(PAYLOAD) in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statement_and_its_form_states_are_accessible(live_server, world):
    with chromium() as browser, new_page(browser, live_server.url) as page:
        page.goto("/accessibility/")
        assert_accessible(page, "accessibility statement")
        with page.expect_navigation():
            page.locator("form[action='/accessibility/report/'] [type=submit]").click()
        assert page.locator("#error-summary").is_visible()
        assert_accessible(page, "accessibility statement, report with errors")
        page.fill("[name=problem]", "Knappen syns inte i mörkt läge.")
        with page.expect_navigation():
            page.locator("form[action='/accessibility/report/'] [type=submit]").click()
        assert page.url.endswith("/accessibility/")
        assert page.locator("#status .message").count() == 1
        assert_accessible(page, "accessibility statement, report sent")
