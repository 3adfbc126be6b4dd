"""Writes to people: their own settings, and accounts that administrators create and end."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import User


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    full_name: str,
    phone: str,
    preferred_language: str,
    notify_new_idea: bool,
    notify_owner_assigned: bool,
    notify_submitter_message: bool,
) -> User:
    """Save a user's name, phone, email language and email choices."""
    user.full_name = full_name
    user.phone = phone
    user.preferred_language = preferred_language
    user.notify_new_idea = notify_new_idea
    user.notify_owner_assigned = notify_owner_assigned
    user.notify_submitter_message = notify_submitter_message
    user.full_clean(exclude=["password"])
    user.save()
    return user


def normalise_email(email: str) -> str:
    """Email addresses are stored lower-case, as UserManager does."""
    return User.objects.normalize_email(email.strip()).lower()


@transaction.atomic
def user_create(*, email: str, full_name: str) -> User:
    """Create an account for a person an administrator adds.

    The account has no usable password: the person logs in with a one-time code sent to
    their address (/accounts/login/code/) or sets a password through the reset page
    (/accounts/password/reset/). Roles are granted separately.
    """
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email address already exists.")})
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """End a person's access: they can no longer log in, and their roles stop counting.

    Refused while they own open ideas, because nothing can be left without an owner
    (DESIGN.md §1, item 3). Their memberships and history stay for the record.
    """
    # Imported here: the ideas and organisations apps build on accounts, not the reverse.
    from apps.organisations.selectors import open_ideas_owned_by

    locked = User.objects.select_for_update().get(pk=user.pk)
    owned = list(open_ideas_owned_by(locked).values_list("reference", flat=True))
    if owned:
        raise ValidationError(
            _("%(person)s owns open ideas (%(references)s); give them a new owner first.")
            % {"person": locked, "references": ", ".join(owned)}
        )
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active"])
    user.is_active = False
    user.__dict__.pop("_sluss_access", None)
    return locked
