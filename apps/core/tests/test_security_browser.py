"""The Content-Security-Policy breaks nothing in a real Chromium: no page reports a
violation (the browser logs one for every blocked inline script, style or handler), and
htmx still works under it (similar ideas appear while typing on the public form)."""

import pytest

from apps.core.testing import submit_idea
from apps.core.tests.browser import chromium, log_in, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def watch_violations(page) -> list[str]:
    """Collect what the browser says about the policy: console messages and the DOM's
    securitypolicyviolation events (the latter also catch blocked inline styles)."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective"
        " + ' ' + (e.blockedURI || 'inline')); });"
    )
    return seen


def test_public_pages_run_without_a_policy_violation(browser, live_server, world):
    with new_page(browser, live_server.url) as page:
        seen = watch_violations(page)
        for path in ("/", "/submit/", "/accessibility/", "/accounts/login/", "/solutions/public/"):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert "default-src 'self'" in response.headers["content-security-policy"]
        assert seen == []


def test_the_policy_would_be_noticed(browser, live_server, world):
    """The watcher itself works: an inline style set by a script is reported."""
    with new_page(browser, live_server.url) as page:
        seen = watch_violations(page)
        page.goto("/")
        page.evaluate(
            "() => { const s = document.createElement('style');"
            " s.textContent = 'body{color:red}'; document.head.appendChild(s); }"
        )
        page.wait_for_timeout(200)
        assert seen, "an inline <style> should have been blocked and reported"


def test_htmx_works_under_the_policy_on_the_idea_form(browser, live_server, world):
    submit_idea(world.skovde, title="Cykelpool för hemtjänsten")
    with new_page(browser, live_server.url) as page:
        seen = watch_violations(page)
        page.goto("/submit/")
        with page.expect_response(lambda r: r.url.endswith("/submit/similar/")) as answer:
            page.fill("[name=title]", "Cykelpool för hemtjänsten i Skövde")
            page.fill("[name=need]", "Personalen kör bil korta sträckor.")
            page.locator("button[name=check_similar]").click()
        assert answer.value.status == 200
        assert page.evaluate("typeof window.htmx") == "object"
        assert seen == []


def test_logged_in_pages_run_without_a_policy_violation(browser, live_server, world):
    idea = submit_idea(world.skovde)
    with new_page(browser, live_server.url) as page:
        seen = watch_violations(page)
        log_in(page, live_server.url, world.coach)
        for path in ("/start/", "/workspace/board/", f"/workspace/ideas/{idea.reference}/"):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
        assert seen == []
