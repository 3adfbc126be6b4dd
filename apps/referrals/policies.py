"""Who may do what with referrals and the register of outside actors. Every rule here.

A rule that says no makes the view answer 404, the same as for something that does not
exist. The recipient's private link is a capability: whoever holds it may read what was
shared and answer, until it is revoked or expires; it opens nothing else.
"""

from datetime import datetime

from apps.ideas import policies as idea_policies
from apps.organisations.selectors import Access


def may_use_register(access: Access) -> bool:
    """The register of outside actors is for those who refer ideas: the coaches of the
    consortium's municipalities and its process leaders."""
    return access.works_ideas


def can_manage_actor(register_consortia: frozenset[int], actor) -> bool:
    """Anyone who may use a consortium's register may add to it and correct it; the
    register is shared, so a coach of Hjo keeps the entries a coach of Skövde made."""
    return actor.consortium_id in register_consortia


def can_send(access: Access, idea) -> bool:
    """Those who work the idea refer it: its municipality's coaches, the process leaders."""
    return idea_policies.can_work(access, idea)


def can_see(access: Access, referral) -> bool:
    """Whoever sees the idea sees its referrals and their answers (they are on its
    timeline too)."""
    return idea_policies.can_view(access, referral.idea)


def can_handle(access: Access, referral) -> bool:
    """Replying to the recipient and withdrawing the referral: those who work the idea."""
    return idea_policies.can_work(access, referral.idea)


def can_revoke(access: Access, referral) -> bool:
    return can_handle(access, referral) and referral.revoked_at is None


def link_opens(referral, now: datetime | None = None) -> bool:
    """The private link opens the referral until it is revoked or expires."""
    return referral.revoked_at is None and not referral.is_expired(now)


def may_see_overdue(access: Access) -> bool:
    """The list of overdue referrals is for those who work ideas."""
    return access.works_ideas
