"""Who may do what with API tokens and the API. Every rule here.

The API answers with the same rules as the pages: whatever a user's roles do not let
them see answers 404, the same as something that does not exist.
"""

from datetime import datetime

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access

from .models import ApiToken


def may_have_tokens(user) -> bool:
    """Anyone with an active account may make tokens for themselves: a token opens no more
    than the account's roles do (a role-less account gets only published ideas)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def owns_token(user, token: ApiToken) -> bool:
    """A token is its owner's alone: nobody else sees, names or revokes it."""
    return token.user_id == user.pk


def token_opens(token: ApiToken, now: datetime | None = None) -> bool:
    """A token works while it is neither revoked nor expired and its owner's account is
    open."""
    return token.is_usable(now) and token.user.is_active


def may_list_ideas(access: Access) -> bool:
    """The idea list is for those with a workspace, as on the pages."""
    return idea_policies.may_use_workspace(access)


def handed_in_by(user, idea) -> bool:
    """The account is the idea's main submitter (so may see its receipt again)."""
    return idea.submitters.filter(is_primary=True, user=user).exists()
