"""allauth adapters: accounts are created by administrators or by municipal SSO, never by
self sign-up with a password, and outgoing account email goes through the outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        # An employee who signs in through their municipality's identity provider gets an
        # account; roles are still granted by an administrator.
        return bool(settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"])
