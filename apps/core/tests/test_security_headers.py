"""Every HTML response carries the security headers (issue 7, item 4).

Content-Security-Policy without 'unsafe-inline' and with frame-ancestors 'none', HSTS on
HTTPS in production, nosniff, Referrer-Policy, and no-store on pages for logged-in people
and on private links. The pages are all the GET rows of the permission matrix.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.tests.matrix import LOGGED_IN, MATRIX, build_scene

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def parse_csp(header: str) -> dict[str, str]:
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value.strip()
    return directives


def assert_security_headers(response, *, what: str, private: bool) -> None:
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    assert parse_csp(csp) == EXPECTED_CSP, f"{what}: {csp}"
    assert "unsafe-inline" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "same-origin", what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    if private:
        assert "no-store" in response.headers.get("Cache-Control", ""), (
            f"{what}: Cache-Control {response.headers.get('Cache-Control')!r}"
        )


def get_rows():
    return sorted(name for name, route in MATRIX.items() if route.method in ("get", "get+post"))


@pytest.mark.parametrize("actor", ["anonymous", "submitter", "coach", "administrator"])
def test_every_html_page_of_the_matrix_carries_the_security_headers(client, world, actor):
    scene = build_scene(world)
    # A page that fails must still fail with the headers; the failure is another test's.
    client.raise_request_exception = False
    if actor in LOGGED_IN:
        client.force_login(getattr(world, actor))
    html_pages = 0
    for name in get_rows():
        url = reverse(name, kwargs=MATRIX[name].kwargs(scene))
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html_pages += 1
        private = actor in LOGGED_IN or scene.token in url
        assert_security_headers(
            response, what=f"GET {name} as {actor} ({response.status_code})", private=private
        )
    # Guards against a loop that silently checked nothing.
    assert html_pages > 20


def test_error_pages_carry_the_headers_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response, what="404", private=False)


def test_a_private_link_page_is_not_stored(client, world):
    scene = build_scene(world)
    response = client.get(reverse("ideas:submitter_page", kwargs={"token": scene.token}))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_for_an_anonymous_visitor_is_not_marked_private(client, db):
    # no-store is for what is personal; the front page may be cached.
    response = client.get(reverse("core:home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_logged_in_page_is_not_stored(client, world):
    client.force_login(world.coach)
    response = client.get(reverse("core:start"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_hsts_is_sent_over_https_with_the_production_value(client, db, settings):
    """The base settings switch HSTS on only when DEBUG is off (tests import them with
    DEBUG on), so the production value is set here; SecurityMiddleware then sends it on
    every HTTPS response, and never over plain HTTP (RFC 6797)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("core:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get(reverse("core:home")).headers


def test_the_htmx_indicator_styles_come_from_our_css_not_an_inline_style(client, db):
    page = client.get(reverse("core:home")).content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "sluss.css").read_text()
    assert ".htmx-indicator" in css


# --- Nothing inline in any template -------------------------------------------------------

#: What a CSP without 'unsafe-inline' blocks: script and style elements without a source,
#: style attributes, event-handler attributes, and javascript: URLs.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *sorted((base / "apps").glob("*/templates"))]
    return [
        path
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.suffix in {".html", ".svg"}
        and "email" not in path.parts  # emails are not pages; no CSP applies to them
    ]


def test_no_template_has_inline_scripts_styles_or_handlers():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{text.count(chr(10), 0, match.start()) + 1}: "
        f"{match.group(0)}"
        for path in _templates()
        for text in [path.read_text()]
        for match in INLINE.finditer(text)
    ]
    assert len(_templates()) > 20
    assert not found, "Inline code the Content-Security-Policy blocks:\n" + "\n".join(found)


def test_the_inline_pattern_catches_what_it_must():
    for bad in (
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color:red">',
        '<button onclick="x()">',
        '<a href="javascript:x()">',
    ):
        assert INLINE.search(bad), bad
    for good in ('<script src="/static/x.js" defer></script>', '<p class="styled">'):
        assert not INLINE.search(good), good
