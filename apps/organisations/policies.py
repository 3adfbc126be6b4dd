"""Who may change organisations, people and roles, and when a change is refused.

Administrators hold Role.ADMINISTRATOR in a consortium and manage everything inside it; a
superuser administers every consortium. A `can_*` rule that says no makes the view answer
404, the same as for something that does not exist, so nobody learns what they may not see.
A `*_refusal` rule returns the message that explains why an allowed person still cannot
make a particular change (or None when the change may go ahead).
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Membership, Organisation, Role
from .selectors import Access


def may_administer(access: Access) -> bool:
    """The organisation and people pages are for administrators and superusers."""
    return access.administers


def administers_consortium(access: Access, consortium_id: int | None) -> bool:
    """Superusers administer every consortium; administrators their own."""
    if consortium_id is None:
        return False
    return access.is_superuser or consortium_id in access.administrator_consortia


def can_manage_organisation(access: Access, organisation: Organisation) -> bool:
    """An administrator manages their consortium and every organisation inside it."""
    return administers_consortium(access, organisation.consortium_id_or_self)


def child_kind(parent: Organisation) -> str:
    """What is added under `parent`: municipalities under a consortium, units below that."""
    if parent.kind == Organisation.Kind.CONSORTIUM:
        return Organisation.Kind.MUNICIPALITY
    return Organisation.Kind.UNIT


def can_add_child(access: Access, parent: Organisation) -> bool:
    """Municipalities and units are added under active organisations one manages."""
    return parent.is_active and can_manage_organisation(access, parent)


def can_edit_organisation(access: Access, organisation: Organisation) -> bool:
    """Municipalities (name, employees) and units (name) are edited; the consortium is not."""
    return organisation.kind != Organisation.Kind.CONSORTIUM and can_manage_organisation(
        access, organisation
    )


def can_deactivate_organisation(access: Access, organisation: Organisation) -> bool:
    """An active municipality or unit may be deactivated; a consortium may not."""
    return organisation.is_active and can_edit_organisation(access, organisation)


def organisation_deactivation_refusal(
    organisation: Organisation, open_idea_references: list[str]
) -> str | None:
    """A municipality with open ideas stays active: its coaches would lose the ideas."""
    if organisation.kind == Organisation.Kind.MUNICIPALITY and open_idea_references:
        return _(
            "%(name)s still has open ideas: %(references)s. Close them or move them on "
            "before the municipality is deactivated."
        ) % {"name": organisation.name, "references": ", ".join(open_idea_references)}
    return None


def can_grant_in(access: Access, organisation: Organisation) -> bool:
    """Roles are granted in active organisations of the administrator's consortium."""
    return organisation.is_active and can_manage_organisation(access, organisation)


def can_revoke(access: Access, membership: Membership) -> bool:
    """Any role held inside the administrator's consortium may be revoked."""
    return can_manage_organisation(access, membership.organisation)


def revoke_refusal(
    membership: Membership, *, holder_is_active: bool, other_active_administrators: int
) -> str | None:
    """A consortium always keeps at least one active administrator."""
    if (
        membership.role == Role.ADMINISTRATOR
        and holder_is_active
        and other_active_administrators == 0
    ):
        return _(
            "%(person)s is the last administrator of %(consortium)s. Make someone else "
            "administrator first, then revoke this role."
        ) % {"person": membership.user, "consortium": membership.organisation}
    return None


def coach_revoke_refusal(membership: Membership, *, open_ideas_owned_there: int) -> str | None:
    """A coach role is not taken from someone who still owns open ideas of that
    municipality: they could no longer work them, and nothing may be left without an
    owner who can. The ideas are handed over first (issue 7, handover)."""
    if membership.role != Role.COACH or not open_ideas_owned_there:
        return None
    return ngettext(
        "%(person)s owns %(count)s open idea in %(municipality)s. Hand it over first "
        "(Handover, on the person's page), then revoke this role.",
        "%(person)s owns %(count)s open ideas in %(municipality)s. Hand them over first "
        "(Handover, on the person's page), then revoke this role.",
        open_ideas_owned_there,
    ) % {
        "person": membership.user,
        "count": open_ideas_owned_there,
        "municipality": membership.organisation,
    }


def can_see_person(access: Access, consortium_ids: Iterable[int]) -> bool:
    """A person is managed by the administrators of every consortium they hold a role in;
    a person with no role anywhere is seen only by superusers."""
    return access.is_superuser or bool(set(consortium_ids) & access.administrator_consortia)


def person_deactivation_refusal(
    access: Access,
    *,
    actor_id: int,
    person,
    consortium_ids: Iterable[int],
    last_administrator_of: list[str],
    held: str,
) -> str | None:
    """Why a person may not be deactivated, or None.

    Deactivation is global, so an administrator deactivates only people whose roles all
    lie in consortia they administer; nobody deactivates themselves; a consortium keeps
    an administrator; and nothing can be left without an owner (DESIGN.md §1, item 3),
    so a person who holds anything that must move (apps/handover/selectors.py) hands it
    over first; `held` names what they hold, empty when nothing.
    """
    if actor_id == person.pk:
        return _("You cannot deactivate yourself.")
    if not access.is_superuser and not set(consortium_ids) <= access.administrator_consortia:
        return _(
            "%(person)s also holds roles in another consortium. Ask its administrators to "
            "revoke those roles first."
        ) % {"person": person}
    if last_administrator_of:
        return _(
            "%(person)s is the last administrator of %(consortia)s. Make someone else "
            "administrator first."
        ) % {"person": person, "consortia": ", ".join(last_administrator_of)}
    if held:
        return _(
            "%(person)s still holds %(held)s. Nothing can be left without an owner, so "
            "hand these over to a successor first."
        ) % {"person": person, "held": held}
    return None
