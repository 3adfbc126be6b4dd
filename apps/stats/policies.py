"""Who may see which statistics. Every rule of the statistics pages is here.

A rule that says no makes the view answer 404, the same as for something that does not
exist; pages behind a login send anonymous visitors to the login page first.

The dashboard belongs to everyone holding a role in a consortium (coach, manager, process
leader, communicator, administrator): it shows aggregates of the consortia they belong to
(`selectors.dashboard_consortium_ids`), never a single idea or person. An account without a
role is not known to belong to any consortium and sees the public statistics only.
"""

from apps.organisations.selectors import Access


def may_see_dashboard(access: Access) -> bool:
    """Any role, in any consortium, opens the dashboard; a superuser sees every one."""
    return access.is_superuser or bool(access.roles)


def may_filter_by(allowed_ids: frozenset[int], wanted_id: int | None) -> bool:
    """A filter may only name an organisation the reader may see; naming another one is
    answered like naming one that does not exist."""
    return wanted_id is None or wanted_id in allowed_ids
