"""Every write to API tokens: making one (the secret is shown once), revoking one, and
noting when one was last used."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.links import hash_token
from apps.notifications.services import email_enqueue

from . import policies
from .models import ApiToken

#: Every token begins with this, so a leaked one is easy to recognise (and to search for
#: in code and logs) as a Sluss token.
TOKEN_PREFIX = "sluss_"  # noqa: S105 - a public marker, not a secret
#: How many characters of the token stay visible, to recognise it in the list.
VISIBLE_CHARACTERS = len(TOKEN_PREFIX) + 6
#: Tokens a person may hold at once that are neither revoked nor expired.
MAX_ACTIVE_TOKENS = 20
#: A token's last use is written at most this often: a program polling the API should
#: not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
#: The longest a token may be made to last.
MAX_LIFETIME = timedelta(days=366 * 2)


def new_token_secret() -> str:
    """A fresh token: the prefix and 240 random bits, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a personal access token for `user`. Returns the token and its secret; the
    secret is not stored (only its hash) and cannot be shown again. The owner is told by
    email, so a token they did not make does not go unnoticed."""
    now = now or timezone.now()
    if not policies.may_have_tokens(user):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you can recognise it.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name can be at most 100 characters long.")})
    if expires_at is not None and expires_at <= now:
        raise ValidationError({"expires_at": _("The token must expire in the future.")})
    if expires_at is not None and expires_at > now + MAX_LIFETIME:
        raise ValidationError({"expires_at": _("A token can last at most two years.")})
    # Lock the owner's row so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(
        expires_at__lte=now
    )
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(count)d tokens in use. Revoke one you no longer need first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    secret = new_token_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:VISIBLE_CHARACTERS],
        created_at=now,
        expires_at=expires_at,
    )
    email_enqueue(
        recipient=user.email,
        template="api_token_created",
        context={"user": user, "token": token},
        language=user.preferred_language or "sv",
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke one of the user's own tokens; it stops working at once. Revoking a token
    that is already revoked changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or not policies.owns_token(user, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_record_use(*, token: ApiToken, now: datetime | None = None) -> None:
    """Note that the token was just used, at most once per LAST_USED_RESOLUTION.

    A request within the minute writes nothing and opens no transaction (on SQLite that
    would take the write lock); otherwise one conditional UPDATE in its own transaction,
    so two requests at once write the same minute.
    """
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).exclude(
            last_used_at__gt=now - LAST_USED_RESOLUTION
        ).update(last_used_at=now)
    token.last_used_at = now
