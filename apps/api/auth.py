"""How the API knows who is calling: a personal access token, or the browser session of
someone signed in to the pages.

A request that presents a token is judged by that token alone: a bad, revoked or expired
token answers 401 even if a session cookie came along. Without an Authorization header,
a signed-in session is accepted (the same person with the same roles as on the pages;
a POST then needs Django's CSRF token, as every form does).
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from . import policies, selectors, services

#: Longer than any token we make; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 200

MISSING = (
    "Authentication required: send a personal access token as "
    "'Authorization: Bearer <token>' (make one under 'API tokens' in your settings)."
)
WRONG_SCHEME = "Send the token as 'Authorization: Bearer <token>'."
UNKNOWN = "The token is not valid. Check that it was copied whole, or make a new one."
REVOKED = "The token has been revoked."
EXPIRED = "The token has expired."
ACCOUNT_CLOSED = "The token's account is closed."


class TokenRefused(AuthenticationError):
    """A token was presented and does not open the API; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class PersonalAccessToken(HttpBearer):
    """`Authorization: Bearer <token>` with one of our personal access tokens."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is None:
            return None  # the session may still be signed in
        scheme, _space, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise TokenRefused(WRONG_SCHEME)
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            raise TokenRefused(MISSING)
        if len(token) > MAX_TOKEN_LENGTH or "\x00" in token:
            raise TokenRefused(UNKNOWN)
        api_token = selectors.api_token_by_secret(token)
        if api_token is None:
            raise TokenRefused(UNKNOWN)
        now = timezone.now()
        if not policies.token_opens(api_token, now):
            if api_token.revoked_at is not None:
                raise TokenRefused(REVOKED)
            if api_token.is_expired(now):
                raise TokenRefused(EXPIRED)
            raise TokenRefused(ACCOUNT_CLOSED)
        services.api_token_record_use(token=api_token, now=now)
        request.api_token = api_token
        return api_token.user


class SignedInSession(APIKeyCookie):
    """The session of someone signed in to the pages. Django's CSRF check applies to
    unsafe methods, but only when there is a signed-in session to protect: an anonymous
    POST is told to authenticate (401), not that a CSRF token is missing."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None
