"""Hardening that applies across the apps: no-store for private pages, rate limits.

Other apps' views stay as they are: this middleware recognises the doors it guards by
their URL names. Logins and one-time codes are counted by allauth itself
(`ACCOUNT_RATE_LIMITS` in settings); the refusal page is shared (templates `429.html`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

#: Pages reached through a private link (a capability in the URL, no account): the
#: submitter's follow page, an outside expert's referral, a meeting participant's answer,
#: a newsletter subscriber's confirm and unsubscribe links.
PRIVATE_LINK_URL_NAMES = frozenset(
    {
        "ideas:submitter_page",
        "ideas:submitter_attachment",
        "referrals:respond",
        "referrals:respond_file",
        "meetings:feed",
        "meetings:answer",
        "meetings:answer_ics",
        "meetings:answer_availability",
        "newsletters:confirm",
        "newsletters:unsubscribe",
    }
)

#: The public idea form; only handing in (POST) counts.
IDEA_SUBMIT_URL_NAMES = frozenset({"ideas:submit"})


@dataclass(frozen=True)
class Rate:
    """At most `count` hits within `seconds`."""

    count: int
    seconds: int

    @classmethod
    def parse_many(cls, text: str) -> list[Rate]:
        rates = []
        for part in text.split(","):
            count, seconds = part.strip().split("/")
            rates.append(cls(int(count), int(seconds)))
        return rates


def client_address(request: HttpRequest) -> str:
    """The visitor's address the way allauth counts it (honours the trusted proxy count),
    so that every limit of the system agrees on who the visitor is."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address at all: count such visitors together
        return "unknown"


def rate_limit_hit(*, action: str, who: str, now: float | None = None) -> bool:
    """Count one hit of `who` on `action`; False when one of its rates is exceeded.

    Fixed windows in the shared cache: a window's counter is created with `add` (atomic
    on every backend) and then incremented. A refused hit still counts, so hammering on
    does not open the door sooner.
    """
    rates = Rate.parse_many(settings.SLUSS_RATE_LIMITS[action])
    now = time.time() if now is None else now
    allowed = True
    for rate in rates:
        window = int(now // rate.seconds)
        key = f"sluss:rl:{action}:{rate.count}/{rate.seconds}:{who}:{window}"
        cache.add(key, 0, timeout=rate.seconds + 1)
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 1)
            hits = 1
        if hits > rate.count:
            allowed = False
    return allowed


def rate_limit_exceeded(*, action: str, who: str) -> bool:
    """Whether `who` is already over a limit of `action`, without counting a hit."""
    now = time.time()
    for rate in Rate.parse_many(settings.SLUSS_RATE_LIMITS[action]):
        key = f"sluss:rl:{action}:{rate.count}/{rate.seconds}:{who}:{int(now // rate.seconds)}"
        if (cache.get(key) or 0) >= rate.count:
            return True
    return False


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The refusal: status 429, a page that says to wait, and when to try again."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


class SecurityMiddleware:
    """No-store on pages for logged-in people and on private links; rate limits on the
    public idea form and on private links.

    Placed after the authentication middleware (it reads `request.user`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        url_name = _url_name(request)
        is_private_link = url_name in PRIVATE_LINK_URL_NAMES
        if is_private_link and response.status_code == 404:
            # A miss on a private link is what guessing tokens looks like.
            rate_limit_hit(action="private_link_miss", who=client_address(request))
        user = getattr(request, "user", None)
        if is_private_link or (user is not None and user.is_authenticated):
            # Nothing personal stays in the browser's or a proxy's cache for the next
            # person at a shared computer.
            add_never_cache_headers(response)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        url_name = _url_name(request)
        if url_name in IDEA_SUBMIT_URL_NAMES and request.method == "POST":
            if not rate_limit_hit(action="idea_submit", who=client_address(request)):
                return too_many_requests(request)
        elif url_name in PRIVATE_LINK_URL_NAMES:
            who = client_address(request)
            if rate_limit_exceeded(action="private_link_miss", who=who):
                return too_many_requests(request)
            if not rate_limit_hit(action="private_link", who=who):
                return too_many_requests(request)
        return None


def _url_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None
