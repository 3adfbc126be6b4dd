"""allauth adapters: accounts are created by administrators or by municipal SSO, never by
self sign-up with a password, and outgoing account email goes through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Refuse a login over the failed-login limit with 429 and a page of its own.

        allauth would show the login form again with an error (status 200); a refusal
        that says "too many requests" in its status lets proxies, monitoring and scripts
        see it for what it is. The limits are ACCOUNT_RATE_LIMITS["login_failed"].
        """
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            from apps.core.security import too_many_requests

            raise ImmediateHttpResponse(too_many_requests(request)) from error


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An employee who signs in through their municipality's identity provider gets an
        # account; roles are still granted by an administrator.
        return bool(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])
