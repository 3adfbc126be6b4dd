"""Who follows up what. Every rule about the follow-up lives here."""

from apps.organisations.selectors import Access


def may_follow_up(access: Access) -> bool:
    """The "needs attention" page and the weekly digest are for idea coaches (the ideas
    they own, and the new ideas of their municipality nobody owns yet) and for process
    leaders (every idea of their consortium)."""
    return bool(access.coach_municipalities or access.process_leader_consortia)
