"""Reads about organisations and about what the acting user holds where."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import Membership, Organisation, Role


@dataclass(frozen=True)
class Access:
    """Everything a user's roles open, computed once per request.

    Sets of organisation ids per role; policies and selectors read only this, so the
    rules for "who sees what" never query roles twice or in a loop.
    """

    user_id: int | None = None
    coach_municipalities: frozenset[int] = field(default_factory=frozenset)
    manager_units: frozenset[int] = field(default_factory=frozenset)
    process_leader_consortia: frozenset[int] = field(default_factory=frozenset)
    communicator_consortia: frozenset[int] = field(default_factory=frozenset)
    administrator_consortia: frozenset[int] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def works_ideas(self) -> bool:
        """Coaches and process leaders work in the idea workspace."""
        return bool(self.coach_municipalities or self.process_leader_consortia)

    @property
    def roles(self) -> set[str]:
        held = set()
        for role, ids in (
            (Role.COACH, self.coach_municipalities),
            (Role.MANAGER, self.manager_units),
            (Role.PROCESS_LEADER, self.process_leader_consortia),
            (Role.COMMUNICATOR, self.communicator_consortia),
            (Role.ADMINISTRATOR, self.administrator_consortia),
        ):
            if ids:
                held.add(role)
        return held

    @property
    def administers(self) -> bool:
        return self.is_superuser or bool(self.administrator_consortia)


ANONYMOUS_ACCESS = Access()


def access_for(user) -> Access:
    """The roles a user holds, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_ACCESS
    cached = getattr(user, "_sluss_access", None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {role: set() for role in Role.values}
    memberships = Membership.objects.filter(user=user, organisation__is_active=True).values_list(
        "role", "organisation_id"
    )
    for role, organisation_id in memberships:
        by_role[role].add(organisation_id)
    manager_units = set(by_role[Role.MANAGER])
    if manager_units:
        # A manager of a unit also manages the units below it.
        manager_units |= set(
            Organisation.objects.filter(parent_id__in=manager_units).values_list("pk", flat=True)
        )
    access = Access(
        user_id=user.pk,
        coach_municipalities=frozenset(by_role[Role.COACH]),
        manager_units=frozenset(manager_units),
        process_leader_consortia=frozenset(by_role[Role.PROCESS_LEADER]),
        communicator_consortia=frozenset(by_role[Role.COMMUNICATOR]),
        administrator_consortia=frozenset(by_role[Role.ADMINISTRATOR]),
        is_superuser=user.is_superuser,
    )
    user._sluss_access = access
    return access


def municipalities_for_submission() -> QuerySet[Organisation]:
    """Every active municipality, for the public idea form."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, is_active=True)
        .select_related("consortium")
        .order_by("name")
    )


def units_for_submission() -> QuerySet[Organisation]:
    """Every active unit, grouped by municipality on the public form."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.UNIT, is_active=True)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def municipalities_visible_to(user) -> QuerySet[Organisation]:
    """The municipalities whose ideas the user works with (for the list filters)."""
    access = access_for(user)
    return Organisation.objects.filter(
        Q(pk__in=access.coach_municipalities)
        | Q(consortium_id__in=access.process_leader_consortia),
        kind=Organisation.Kind.MUNICIPALITY,
        is_active=True,
    ).order_by("name")


def organisation_tree(user) -> list[dict]:
    """The consortia the user administers, with municipalities, units and role holders."""
    access = access_for(user)
    consortia = Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM)
    if not access.is_superuser:
        consortia = consortia.filter(pk__in=access.administrator_consortia)
    consortia = list(consortia)
    members = Organisation.objects.filter(
        Q(consortium__in=consortia) | Q(pk__in=[c.pk for c in consortia])
    ).order_by("name")
    memberships = (
        Membership.objects.filter(organisation__in=members)
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )
    holders: dict[int, list[Membership]] = {}
    for membership in memberships:
        holders.setdefault(membership.organisation_id, []).append(membership)
    children: dict[int, list[Organisation]] = {}
    for organisation in members:
        if organisation.parent_id:
            children.setdefault(organisation.parent_id, []).append(organisation)

    def node(organisation: Organisation) -> dict:
        return {
            "organisation": organisation,
            "memberships": holders.get(organisation.pk, []),
            "children": [node(child) for child in children.get(organisation.pk, [])],
        }

    return [node(consortium) for consortium in consortia]
