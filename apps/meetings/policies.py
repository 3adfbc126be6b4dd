"""Who may do what with meetings and action items. Every rule about them lives here.

A rule that says no makes the view answer 404, the same as for something that does not
exist. A participant's private link is a capability: whoever holds it may read the
meeting's time options and answer for that participant, until they are taken off the
meeting; it opens nothing else (not the idea).
"""

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access


def can_see(access: Access, meeting) -> bool:
    """Whoever sees the idea sees its meetings (they are on its timeline too)."""
    return idea_policies.can_view(access, meeting.idea)


def can_organise(access: Access, idea) -> bool:
    """Those who work the idea organise its meetings: its municipality's coaches and the
    process leaders."""
    return idea_policies.can_work(access, idea)


def can_manage(access: Access, meeting) -> bool:
    """Options, participants, booking, moving, cancelling, notes and action items: those
    who work the idea, not only the person who started the poll, so that a colleague can
    take over when the organiser is away."""
    return can_organise(access, meeting.idea)


def may_change_time(meeting) -> bool:
    """A cancelled meeting stays cancelled; a new poll is started instead."""
    return meeting.status != meeting.Status.CANCELLED


def link_opens(participant) -> bool:
    return participant.revoked_at is None


def may_answer(participant) -> bool:
    """Answers are taken while the poll is open."""
    return link_opens(participant) and participant.meeting.is_open


def can_be_action_owner(access: Access, idea) -> bool:
    """An action item is owned by someone who works the idea."""
    return idea_policies.can_work(access, idea)


def can_complete(access: Access, item) -> bool:
    """The owner marks their item done; so may anyone who works the idea (the owner may
    have left)."""
    return item.owner_id == access.user_id or idea_policies.can_work(access, item.idea)
