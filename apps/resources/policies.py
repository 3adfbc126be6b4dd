"""Who may do what in the resource library. Every rule of the app is here.

A rule that says no makes the view answer 404, the same as for something that does not
exist; a file download follows the rule of its resource.

Who belongs to a consortium (`apps.spread.selectors.catalogue_consortium_ids`): everyone
holding a role in it, and role-less employees who have handed in an idea there while
logged in. They see its internal resources; everyone, also without an account, sees the
public ones. The communicators and process leaders of the consortium keep its library:
they add, edit, upload new versions, archive and restore, and also see what is archived.
"""

from apps.organisations.selectors import Access


def managed_consortia(access: Access) -> frozenset[int]:
    """The consortia whose library the user keeps."""
    return access.communicator_consortia | access.process_leader_consortia


def may_manage_any(access: Access) -> bool:
    return bool(managed_consortia(access))


def can_manage(access: Access, resource) -> bool:
    return resource.consortium_id in managed_consortia(access)


def can_see(access: Access, member_of: frozenset[int], resource) -> bool:
    """Keepers see everything of their library; others see what is not archived and
    either public or of a consortium they belong to."""
    if can_manage(access, resource):
        return True
    if resource.archived_at is not None:
        return False
    return resource.is_public or resource.consortium_id in member_of


def sees_internal(member_of: frozenset[int]) -> bool:
    """Whether the library may show this user anything beyond the public resources."""
    return bool(member_of)
