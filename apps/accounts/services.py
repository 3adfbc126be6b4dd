"""Writes to people's own settings."""

from django.db import transaction

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
