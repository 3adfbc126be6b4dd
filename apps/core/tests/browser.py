"""Shared helpers for the Playwright browser tests.

Every browser test drives the system's own Chromium (/usr/bin/chromium, never a
downloaded browser) headless, and checks each page and state it visits with axe-core's
WCAG 2.1 A and AA rules through `assert_accessible`.

The helpers are plain functions and context managers rather than fixtures, so that each
test module can declare its own module-scoped `browser` fixture (one browser per module
keeps the suite quick) without importing fixtures by name.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from importlib import import_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from apps.core import testing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The rule sets the Swedish accessibility law points to: WCAG 2.1 level A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A failing step should fail within seconds, not Playwright's default 30 s.
TIMEOUT_MS = 10_000

_axe = Axe()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Launch the system Chromium headless with the project's flags; close it afterwards."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def new_page(browser: Browser, base_url: str, *, locale: str = "sv-SE") -> Iterator[Page]:
    """A page in a fresh context (its own cookies, so its own session).

    The browser speaks Swedish like the users we serve; the site's language is Swedish
    unless the person switches to English with the header's button.
    """
    context: BrowserContext = browser.new_context(base_url=base_url, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def assert_accessible(page: Page, state: str = "") -> None:
    """Run axe-core with the WCAG 2.1 A and AA rules on the page as it is now.

    Fails listing every violation: its rule id, help text and the target of each node,
    so the failure message alone says what to fix and where.
    """
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"] + _duplicate_ids(page)
    if not violations:
        return
    lines = [f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url} {state}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    pytest.fail("\n".join(lines), pytrace=False)


def _duplicate_ids(page: Page) -> list[dict]:
    """Ids used more than once, in axe's violation shape.

    axe 4.12 runs only `duplicate-id-aria` under the WCAG tags (the general rules went
    with WCAG 4.1.1), but a repeated id still breaks label `for`, fragment links and
    htmx targets, so we keep checking it ourselves.
    """
    duplicates = page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll('[id]')) {
                if (!el.id) continue;
                seen.set(el.id, (seen.get(el.id) || []).concat([el.outerHTML.slice(0, 160)]));
            }
            return [...seen].filter(([, els]) => els.length > 1);
        }"""
    )
    if not duplicates:
        return []
    return [
        {
            "id": "duplicate-id (own check)",
            "impact": "serious",
            "help": "id attribute values must be unique",
            "nodes": [{"target": [f"#{id_}"], "html": " | ".join(els)} for id_, els in duplicates],
        }
    ]


def active_element_matches(page: Page, selector: str) -> bool:
    """Whether the focused element is (one of) the element(s) the selector finds."""
    return page.evaluate(
        "(sel) => { const a = document.activeElement;"
        " return !!a && a !== document.body && a.matches(sel); }",
        selector,
    )


def describe_focus(page: Page) -> str:
    """A short description of the focused element, for failure messages."""
    return page.evaluate(
        "() => { const a = document.activeElement; if (!a) return 'nothing';"
        " return a.outerHTML.slice(0, 160); }"
    )


def tab_to(page: Page, selector: str, max_presses: int = 200) -> None:
    """Press Tab until the focused element matches the selector; fail if it never does.

    This is how a keyboard user reaches a control, and it proves the control is in the
    tab order (a control only reachable by mouse fails here).
    """
    for _ in range(max_presses):
        if active_element_matches(page, selector):
            return
        page.keyboard.press("Tab")
    if not active_element_matches(page, selector):
        pytest.fail(
            f"Tab never reached {selector!r} in {max_presses} presses on {page.url}",
            pytrace=False,
        )


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to a text field and type into it, as a keyboard user would."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_with_arrows(page: Page, selector: str, wanted: str | re.Pattern) -> None:
    """Tab to a closed <select> and move its choice with the arrow keys to `wanted`.

    `wanted` is the option's value (a string) or a pattern for its text. Home first, so
    the walk starts at the first option whatever was chosen before.
    """
    tab_to(page, selector)
    page.keyboard.press("Home")
    count = page.locator(selector).evaluate("(el) => el.options.length")
    for _ in range(count + 1):
        value, text = page.locator(selector).evaluate(
            "(el) => [el.value, el.selectedOptions[0] ? el.selectedOptions[0].text : '']"
        )
        if (isinstance(wanted, str) and value == wanted) or (
            isinstance(wanted, re.Pattern) and wanted.search(text)
        ):
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"No option {wanted!r} in {selector!r} on {page.url}", pytrace=False)


def press_and_wait(page: Page, key: str = "Enter") -> None:
    """Press a key that submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def log_in(page: Page, base_url: str, user) -> None:
    """Give the page's context a logged-in session for `user`, without the login form.

    For pages that are not about logging in: a session made the way Django's login()
    makes it, set as the session cookie. The journey logs in through the real form.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base_url}]
    )


PASSWORD = testing.PASSWORD
