"""Reads about organisations and about what the acting user holds where."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from apps.accounts.models import User
from apps.ideas.models import Idea

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
    frontier = set(manager_units)
    while frontier:
        # A manager of a unit also manages every unit below it, however deep; one query
        # per level of the tree, which is only a few levels deep.
        frontier = set(
            Organisation.objects.filter(parent_id__in=frontier, kind=Organisation.Kind.UNIT)
            .exclude(pk__in=manager_units)
            .values_list("pk", flat=True)
        )
        manager_units |= frontier
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


def workspace_consortium_ids(access: Access) -> set[int]:
    """The consortia whose process the user works in: led, or holding a coach or manager
    role in one of its municipalities or units (even before any idea has arrived)."""
    local = set(access.coach_municipalities) | set(access.manager_units)
    ids = set(access.process_leader_consortia)
    if local:
        ids |= set(
            Organisation.objects.filter(pk__in=local).values_list("consortium_id", flat=True)
        )
    return ids


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


# --- Administration: organisations and people inside the administrator's consortia -----


def _administered_q(access: Access) -> Q | None:
    """Organisations an administrator manages: their consortia and everything below them.

    None means "nothing"; a superuser gets an empty Q, which matches every organisation.
    """
    if access.is_superuser:
        return Q()
    if not access.administrator_consortia:
        return None
    ids = access.administrator_consortia
    return Q(pk__in=ids) | Q(consortium_id__in=ids)


def organisations_administered_by(user) -> QuerySet[Organisation]:
    """The one scoping function for administration: the organisations this user manages."""
    scope = _administered_q(access_for(user))
    if scope is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(scope)


def organisation_for_admin(user, organisation_id: int) -> Organisation:
    """One organisation the user manages, or 404 whether it is missing or someone else's."""
    organisation = (
        organisations_administered_by(user)
        .select_related("parent", "consortium", "municipality")
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def organisations_for_role_grant(user) -> QuerySet[Organisation]:
    """Active organisations the user manages, in tree order, for the grant-a-role form."""
    return (
        organisations_administered_by(user)
        .filter(is_active=True)
        .select_related("consortium", "municipality", "parent")
        .order_by("consortium__name", "municipality__name", "kind", "name")
    )


def people_administered_by(user, *, search: str = "") -> QuerySet[User]:
    """People holding any role in the user's consortia (a superuser sees everyone), each
    with `scoped_memberships`: only the roles inside those consortia.

    `search` matches part of the email address or the name.
    """
    access = access_for(user)
    scope = _administered_q(access)
    if scope is None:
        return User.objects.none()
    in_scope = Membership.objects.filter(
        organisation__in=Organisation.objects.filter(scope)
    ).select_related("organisation")
    people = User.objects.all()
    if not access.is_superuser:
        people = people.filter(pk__in=in_scope.values("user_id"))
    search = search.strip()
    if search:
        people = people.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=in_scope.order_by("organisation__name", "role"),
            to_attr="scoped_memberships",
        )
    ).order_by("full_name", "email")


def person_for_admin(user, person_id: int) -> User:
    """One person the user manages (with `scoped_memberships`), or 404."""
    person = people_administered_by(user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def membership_for_admin(user, person: User, membership_id: int) -> Membership:
    """One of a person's roles inside the user's consortia, or 404."""
    membership = (
        Membership.objects.filter(
            pk=membership_id,
            user=person,
            organisation__in=organisations_administered_by(user),
        )
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def consortium_ids_of(person: User) -> set[int]:
    """The consortia in which a person holds any role."""
    ids = set()
    for kind, organisation_id, consortium_id in Membership.objects.filter(user=person).values_list(
        "organisation__kind", "organisation_id", "organisation__consortium_id"
    ):
        ids.add(organisation_id if kind == Organisation.Kind.CONSORTIUM else consortium_id)
    return ids


def other_active_administrators(membership: Membership) -> int:
    """How many active people besides this membership's holder administer its consortium."""
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            role=Role.ADMINISTRATOR,
            user__is_active=True,
        )
        .exclude(user_id=membership.user_id)
        .count()
    )


def open_ideas_owned_by(person: User) -> QuerySet[Idea]:
    """Ideas not yet at an outcome whose owner is this person (they block deactivation)."""
    return (
        Idea.objects.filter(owner=person, stage__is_outcome=False)
        .select_related("municipality", "stage")
        .order_by("reference")
    )


def open_ideas_in(organisation: Organisation) -> QuerySet[Idea]:
    """Open ideas handed in for a municipality (they block its deactivation)."""
    return Idea.objects.filter(municipality=organisation, stage__is_outcome=False).order_by(
        "reference"
    )
