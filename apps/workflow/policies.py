"""Who may change the process, and who may make a given move."""

from apps.organisations.selectors import Access

from .models import Transition


def can_edit_process(access: Access, consortium_id: int) -> bool:
    """Process leaders edit their consortium's stages and allowed moves."""
    return consortium_id in access.process_leader_consortia


def may_make_move(
    access: Access, transition: Transition, *, municipality_id: int, consortium_id: int
) -> bool:
    """A move is allowed to a role that the transition names, held over this idea."""
    if transition.process_leader_may and consortium_id in access.process_leader_consortia:
        return True
    return transition.coach_may and municipality_id in access.coach_municipalities
