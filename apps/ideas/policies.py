"""Who may see and do what with an idea. Every rule about ideas lives here.

A rule that says no makes the view answer 404, the same as for an idea that does not
exist, so nobody learns what they may not see.
"""

from apps.organisations.selectors import Access


def can_view(access: Access, idea) -> bool:
    """Coaches of the idea's municipality, process leaders of its consortium, and
    managers of its unit see the idea."""
    return (
        idea.municipality_id in access.coach_municipalities
        or idea.consortium_id in access.process_leader_consortia
        or (idea.unit_id is not None and idea.unit_id in access.manager_units)
    )


def can_work(access: Access, idea) -> bool:
    """Coaches of the municipality and process leaders work on the idea: notes, messages,
    owner, tags, files. A manager only reads."""
    return (
        idea.municipality_id in access.coach_municipalities
        or idea.consortium_id in access.process_leader_consortia
    )


def can_read_internal(access: Access, idea) -> bool:
    """Internal notes are for the people who work the idea."""
    return can_work(access, idea)


def can_be_owner(access: Access, idea) -> bool:
    """An idea's owner must be able to work on it."""
    return can_work(access, idea)


def may_use_workspace(access: Access) -> bool:
    """The board and the list are for coaches, process leaders and managers."""
    return bool(
        access.coach_municipalities or access.process_leader_consortia or access.manager_units
    )


def can_link(access: Access, idea) -> bool:
    """Linking an idea to a similar one is work on the idea: its municipality's coaches
    and the process leaders. The other idea need only be in the actor's similarity
    scope (`selectors.similarity_scope`), since coaches see similar ideas of every
    municipality."""
    return can_work(access, idea)


def can_unlink(access: Access, link) -> bool:
    """Either side's workers may remove a link: it sits on both ideas' pages and
    timelines, and the coaches of the other idea must be able to undo a link they find
    wrong without asking the municipality that made it. Removing it is recorded on both
    timelines, so nothing is lost."""
    return can_work(access, link.idea_a) or can_work(access, link.idea_b)
