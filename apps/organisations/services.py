"""Every write to organisations, people and roles, made by administrators.

Each write is one transaction that checks the rule in policies.py first. A rule that says
"not yours" raises PermissionDenied (views have already answered 404 by then); a refused
change raises ValidationError with a message for the administrator.

Audit: role grants and revocations and a person's deactivation reach the audit log
(apps.audit) through its signals on Membership and User, whoever makes the change, so these
services do not call `audit_record` for them (that would record each event twice). The
other administrative writes here (organisations added, changed, deactivated; people added;
leave dates) have no kind in the audit log yet; `_record` writes them to the standard log
at INFO, naming actor, target, role and organisation.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.handover.selectors import Holdings, holdings_of

from . import policies
from .models import Membership, Organisation, Role
from .selectors import (
    access_for,
    consortium_ids_of,
    open_ideas_in,
    open_ideas_owned_by,
    other_active_administrators,
)

logger = logging.getLogger(__name__)


def _record(event: str, *, actor: User, target: object, role: str = "", organisation=None):
    """Write an administrative change the audit log has no kind for to the standard log."""
    logger.info(
        "%s: actor=%s (id %s) target=%s role=%s organisation=%s (id %s)",
        event,
        actor.email,
        actor.pk,
        target,
        role or "-",
        organisation.name if organisation is not None else "-",
        organisation.pk if organisation is not None else "-",
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _forget_access(*users: User) -> None:
    """Drop the per-request role cache that access_for keeps on user objects."""
    for user in users:
        user.__dict__.pop("_sluss_access", None)


def _unique_slug(parent: Organisation, name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "organisation"
    siblings = Organisation.objects.filter(parent=parent)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    taken = set(siblings.values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _check_name_free(parent: Organisation, name: str, *, exclude_pk: int | None = None) -> None:
    siblings = Organisation.objects.filter(parent=parent, name__iexact=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise ValidationError(
            {"name": _("%(parent)s already has a part with this name.") % {"parent": parent}}
        )


# --- Organisations ----------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    parent: Organisation,
    name: str,
    employee_count: int | None = None,
) -> Organisation:
    """Add a municipality to a consortium, or a unit under a municipality or unit.

    The kind follows from the parent. Only municipalities carry an employee count.
    """
    _require(policies.can_add_child(access_for(actor), parent))
    kind = policies.child_kind(parent)
    name = name.strip()
    _check_name_free(parent, name)
    organisation = Organisation(
        kind=kind,
        parent=parent,
        name=name,
        slug=_unique_slug(parent, name),
        employee_count=employee_count if kind == Organisation.Kind.MUNICIPALITY else None,
    )
    organisation.full_clean()
    organisation.save()
    _record("organisation added", actor=actor, target=organisation, organisation=parent)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    employee_count: int | None = None,
) -> Organisation:
    """Rename a municipality or unit; a municipality's employee count changes too."""
    _require(policies.can_edit_organisation(access_for(actor), organisation))
    name = name.strip()
    _check_name_free(organisation.parent, name, exclude_pk=organisation.pk)
    organisation.name = name
    if organisation.kind == Organisation.Kind.MUNICIPALITY:
        organisation.employee_count = employee_count
    organisation.full_clean()
    organisation.save(update_fields=["name", "employee_count"])
    _record("organisation changed", actor=actor, target=organisation, organisation=organisation)
    return organisation


def _descendant_ids(organisation: Organisation) -> list[int]:
    ids: list[int] = []
    frontier = [organisation.pk]
    while frontier:
        frontier = list(
            Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


@transaction.atomic
def organisation_deactivate(*, actor: User, organisation: Organisation) -> int:
    """Deactivate a municipality or unit together with the units below it.

    Roles held there stop counting (access_for ignores inactive organisations) and the
    public form no longer offers them. A municipality with open ideas is refused. Returns
    how many organisations were deactivated.
    """
    _require(policies.can_deactivate_organisation(access_for(actor), organisation))
    refusal = policies.organisation_deactivation_refusal(
        organisation, list(open_ideas_in(organisation).values_list("reference", flat=True))
    )
    if refusal:
        raise ValidationError(refusal)
    ids = [organisation.pk, *_descendant_ids(organisation)]
    count = Organisation.objects.filter(pk__in=ids, is_active=True).update(is_active=False)
    organisation.is_active = False
    _forget_access(actor)
    _record("organisation deactivated", actor=actor, target=organisation, organisation=organisation)
    return count


# --- Roles ------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: User, person: User, role: str, organisation: Organisation) -> Membership:
    """Give a person a role in an organisation of the administrator's consortium.

    The organisation must be of the kind the role is held in (Membership.clean):
    coaches in a municipality, managers in a unit, the central roles in the consortium.
    """
    _require(policies.can_grant_in(access_for(actor), organisation))
    if not person.is_active:
        raise ValidationError(
            _("%(person)s is deactivated and cannot be given a role.") % {"person": person}
        )
    membership = Membership(user=person, organisation=organisation, role=role)
    membership.full_clean(validate_constraints=False)
    if Membership.objects.filter(user=person, organisation=organisation, role=role).exists():
        raise ValidationError(
            _("%(person)s already holds this role in %(organisation)s.")
            % {"person": person, "organisation": organisation}
        )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:  # granted at the same moment by someone else
        raise ValidationError(
            _("%(person)s already holds this role in %(organisation)s.")
            % {"person": person, "organisation": organisation}
        ) from error
    _forget_access(person, actor)
    _record(
        "role granted",
        actor=actor,
        target=person.email,
        role=membership.role,
        organisation=organisation,
    )
    return membership


@transaction.atomic
def role_revoke(*, actor: User, membership: Membership) -> None:
    """Take a role away. The last active administrator of a consortium cannot be removed."""
    _require(policies.can_revoke(access_for(actor), membership))
    if membership.role == Role.ADMINISTRATOR:
        # Lock the consortium's administrator rows so that two administrators revoking
        # each other at the same moment cannot leave it with none.
        list(
            Membership.objects.select_for_update().filter(
                organisation_id=membership.organisation_id, role=Role.ADMINISTRATOR
            )
        )
    refusal = policies.revoke_refusal(
        membership,
        holder_is_active=membership.user.is_active,
        other_active_administrators=other_active_administrators(membership),
    )
    if refusal is None and membership.role == Role.COACH and membership.user.is_active:
        # A process leader of the consortium may own ideas there without the coach role.
        holder = access_for(membership.user)
        owned_there = open_ideas_owned_by(membership.user).filter(
            municipality_id=membership.organisation_id
        )
        if membership.organisation.consortium_id in holder.process_leader_consortia:
            owned_there = owned_there.none()
        refusal = policies.coach_revoke_refusal(
            membership, open_ideas_owned_there=owned_there.count()
        )
    if refusal:
        raise ValidationError(refusal)
    membership.delete()
    _forget_access(membership.user, actor)
    _record(
        "role revoked",
        actor=actor,
        target=membership.user.email,
        role=membership.role,
        organisation=membership.organisation,
    )


# --- People -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonAdded:
    person: User
    membership: Membership
    created: bool


@transaction.atomic
def person_add(
    *,
    actor: User,
    full_name: str,
    email: str,
    role: str,
    organisation: Organisation,
) -> PersonAdded:
    """Add a person with their first role in the administrator's consortium.

    A new account gets no usable password: the person logs in by a one-time code or
    sets a password through "forgot password". When the address already has an active
    account (for instance someone who signed in through their municipality), that
    account is given the role instead of a second one being made.
    """
    _require(policies.can_grant_in(access_for(actor), organisation))
    existing = User.objects.filter(email__iexact=account_services.normalise_email(email)).first()
    if existing is not None and not existing.is_active:
        raise ValidationError({"email": _("This address belongs to a deactivated account.")})
    person = existing or account_services.user_create(email=email, full_name=full_name)
    membership = role_grant(actor=actor, person=person, role=role, organisation=organisation)
    if existing is None:
        _record("person added", actor=actor, target=person.email, organisation=organisation)
    return PersonAdded(person=person, membership=membership, created=existing is None)


@dataclass(frozen=True)
class DeactivationCheck:
    """What stands in the way of deactivating a person, for the confirmation page."""

    refusal: str | None
    holdings: Holdings


def person_deactivation_check(*, actor: User, person: User) -> DeactivationCheck:
    """Read-only: would `person_deactivate` go ahead, and what do they still hold?"""
    access = access_for(actor)
    consortium_ids = consortium_ids_of(person)
    _require(policies.can_see_person(access, consortium_ids))
    last_of = []
    if person.is_active:
        for membership in Membership.objects.filter(
            user=person, role=Role.ADMINISTRATOR
        ).select_related("organisation", "user"):
            if other_active_administrators(membership) == 0:
                last_of.append(membership.organisation.name)
    holdings = holdings_of(person)
    refusal = policies.person_deactivation_refusal(
        access,
        actor_id=actor.pk,
        person=person,
        consortium_ids=consortium_ids,
        last_administrator_of=last_of,
        held=holdings.summary(),
    )
    return DeactivationCheck(refusal=refusal, holdings=holdings)


@transaction.atomic
def person_deactivate(*, actor: User, person: User) -> User:
    """Deactivate a person: they can no longer log in and their roles stop counting.

    Refused for oneself, for someone who also holds roles in another consortium, for the
    last administrator of a consortium, and for anyone who still holds something that
    must move (open ideas, assessments, referrals, meetings, action items, adoptions…),
    since nothing can be left without an owner: apps.handover hands it over first, and
    calls this in the same transaction when asked to deactivate too.
    """
    # Lock the administrator rows the last-administrator check reads.
    list(
        Membership.objects.select_for_update().filter(
            role=Role.ADMINISTRATOR,
            organisation__in=Membership.objects.filter(user=person, role=Role.ADMINISTRATOR).values(
                "organisation_id"
            ),
        )
    )
    check = person_deactivation_check(actor=actor, person=person)
    if check.refusal:
        raise ValidationError(check.refusal)
    account_services.user_deactivate(user=person)
    _forget_access(person)
    _record("person deactivated", actor=actor, target=person.email)
    return person


@transaction.atomic
def person_set_leave_date(*, actor: User, person: User, leaves_on: date | None) -> User:
    """Set (or clear) the day a person leaves. Nothing happens automatically on that day:
    the reminders of apps.handover ask for the handover, an administrator makes it."""
    _require(policies.can_see_person(access_for(actor), consortium_ids_of(person)))
    if not person.is_active:
        raise ValidationError(
            {"leaves_on": _("%(person)s is already deactivated.") % {"person": person}}
        )
    person.leaves_on = leaves_on
    person.save(update_fields=["leaves_on"])
    _record("leave date set", actor=actor, target=person.email, role=str(leaves_on or "-"))
    return person
