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


# --- What the API's endpoints read, always scoped like the pages ------------------------------


def stage_consortium_ids(user) -> set[int]:
    """The consortia whose process the user may read: those they hold any role in."""
    from apps.organisations.selectors import access_for, workspace_consortium_ids

    access = access_for(user)
    return (
        workspace_consortium_ids(access)
        | set(access.communicator_consortia)
        | set(access.administrator_consortia)
    )


def stages_for_user(user):
    """The active stages of the user's consortia, in process order, with the consortium
    joined in; none for an account without a role."""
    from apps.workflow.selectors import stages_of_consortia

    return stages_of_consortia(stage_consortium_ids(user)).select_related("consortium")


def transitions_for_stages(stage_ids):
    """The active moves out of the given stages, keyed by the stage they leave."""
    from apps.workflow.models import Transition

    moves: dict[int, list] = {}
    for transition in Transition.objects.filter(
        from_stage_id__in=stage_ids, to_stage__is_active=True
    ).select_related("to_stage"):
        moves.setdefault(transition.from_stage_id, []).append(transition)
    return moves


def municipalities_with_units():
    """Every active municipality, as the public idea form offers them (an idea can be
    handed in to any of them), with the consortium joined in."""
    from apps.organisations.selectors import municipalities_for_submission

    return municipalities_for_submission()


def units_of(municipality_ids) -> dict[int, list]:
    """The active units of the given municipalities, by municipality, in name order."""
    from apps.organisations.selectors import units_for_submission

    units: dict[int, list] = {}
    for unit in units_for_submission().filter(municipality_id__in=municipality_ids):
        units.setdefault(unit.municipality_id, []).append(unit)
    return units


def timeline_for_user(user, reference: str):
    """An idea's timeline as the user's pages show it, oldest first: the whole of it for
    those who work the idea, without internal notes for those who only read it (a
    manager), and the submitter-visible entries for the account that handed it in. 404
    for anyone else, and for an idea that does not exist."""
    from apps.ideas import policies as idea_policies
    from apps.ideas.selectors import (
        idea_for_user,
        idea_timeline,
        ideas_of_submitter_user,
    )
    from apps.organisations.selectors import access_for

    try:
        idea = idea_for_user(user, reference)
    except Http404:
        pass
    else:
        internal = idea_policies.can_read_internal(access_for(user), idea)
        return idea_timeline(idea, internal=internal)
    idea = ideas_of_submitter_user(user).filter(reference=reference).first()
    if idea is None:
        raise Http404
    return idea_timeline(idea, for_submitter=True)
