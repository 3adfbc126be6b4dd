"""Every read of API tokens, scoped to their owner; the lookup behind token auth."""

from django.db.models import QuerySet
from django.http import Http404

from apps.core.links import hash_token

from .models import ApiToken


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones too, to recognise them)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_for_user(user, token_id: int) -> ApiToken:
    """One of the user's own tokens, or 404 whether it is missing or someone else's."""
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def api_token_by_secret(raw_token: str) -> ApiToken | None:
    """The token a request presents, with its owner, by the hash of the secret; None if
    no token has that secret. Whether it still works is `policies.token_opens`."""
    return ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw_token)).first()
