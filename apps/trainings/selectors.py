"""Every read about trainings. Two functions here are contracts other apps use:
`upcoming_sessions` (newsletters) and `participation_by_municipality` (statistics)."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.organisations.models import Organisation
from apps.organisations.selectors import Access, access_for

from . import policies
from .models import Course, Registration, Session

REGISTERED = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def _with_counts(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Seats taken and the waiting line's length, in the same query as the sessions."""
    return sessions.annotate(
        registered_total=Count("registrations", filter=Q(registrations__status=REGISTERED)),
        waiting_total=Count("registrations", filter=Q(registrations__status=WAITING)),
    )


# --- Contracts ------------------------------------------------------------------------------


def upcoming_sessions(*, consortium_id: int, limit: int = 5) -> list[Session]:
    """The consortium's next sessions that are not cancelled, soonest first.

    For public use (the newsletter's "upcoming trainings" block): only offered courses.
    Each session has `course` loaded and its `seats_left` costs no query.
    """
    sessions = Session.objects.filter(
        course__consortium_id=consortium_id,
        course__is_active=True,
        cancelled_at__isnull=True,
        starts_at__gt=timezone.now(),
    ).select_related("course")
    return list(_with_counts(sessions).order_by("starts_at", "pk")[:limit])


def _moment(value: date | datetime, *, end: bool) -> datetime:
    """A date bound as the first moment of that day (or of the day after, for an end),
    in the site's time zone; a datetime is used as it is."""
    if isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value
    return timezone.make_aware(datetime.combine(day, time.min))


def participation_by_municipality(
    *,
    consortium_ids: Iterable[int],
    municipality_ids: Iterable[int] | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
) -> list[dict]:
    """Training participation per municipality, for sessions starting in [start, end].

    Dates are whole days, both inclusive (a datetime is taken as the exact moment).
    One dict per municipality with at least one registration, ordered by name:
    `municipality_id`, `municipality` (its name), `registered` (registrations not
    cancelled: seats and waiting places; a cancelled session cancels its registrations),
    `attended` (registrations marked attended) and `people` (distinct persons who
    attended at least once).
    """
    registrations = Registration.objects.filter(
        session__course__consortium_id__in=list(consortium_ids)
    ).exclude(status=CANCELLED)
    if municipality_ids is not None:
        registrations = registrations.filter(municipality_id__in=list(municipality_ids))
    if start is not None:
        registrations = registrations.filter(session__starts_at__gte=_moment(start, end=False))
    if end is not None:
        if isinstance(end, datetime):
            registrations = registrations.filter(session__starts_at__lte=end)
        else:
            registrations = registrations.filter(session__starts_at__lt=_moment(end, end=True))
    rows = (
        registrations.values("municipality_id", "municipality__name")
        .annotate(
            # Named apart from the model's `attended` field, which the filters read.
            registered_total=Count("pk"),
            attended_total=Count("pk", filter=Q(attended=True)),
            people_total=Count("user_id", filter=Q(attended=True), distinct=True),
        )
        .order_by("municipality__name", "municipality_id")
    )
    return [
        {
            "municipality_id": row["municipality_id"],
            "municipality": row["municipality__name"],
            "registered": row["registered_total"],
            "attended": row["attended_total"],
            "people": row["people_total"],
        }
        for row in rows
    ]


# --- Pages ------------------------------------------------------------------------------------


def _courses_visible_q(access: Access) -> Q:
    """Offered courses are public; those who run a consortium's trainings also see its
    courses that are no longer offered."""
    visible = Q(is_active=True)
    if access.is_superuser:
        return Q()
    managed = policies.managed_consortia(access)
    if managed:
        visible |= Q(consortium_id__in=managed)
    return visible


def courses_visible_to(user) -> QuerySet[Course]:
    """The course list: each course with its consortium and its number of coming sessions."""
    access = access_for(user)
    now = timezone.now()
    return (
        Course.objects.filter(_courses_visible_q(access))
        .select_related("consortium")
        .annotate(
            upcoming_total=Count(
                "sessions",
                filter=Q(sessions__starts_at__gt=now, sessions__cancelled_at__isnull=True),
            )
        )
        .order_by("title", "pk")
    )


def course_for_user(user, course_id: int) -> Course:
    """One course, or 404 whether it is missing or not shown to this person."""
    course = (
        Course.objects.filter(_courses_visible_q(access_for(user)), pk=course_id)
        .select_related("consortium")
        .first()
    )
    if course is None:
        raise Http404
    return course


def course_for_manager(user, course_id: int) -> Course:
    """A course this person runs, or 404."""
    course = course_for_user(user, course_id)
    if not policies.can_manage_course(access_for(user), course):
        raise Http404
    return course


def sessions_of(course: Course, *, include_past: bool = False) -> list[Session]:
    """The course's sessions with their seat counts; past ones only when asked."""
    sessions = course.sessions.all()
    if not include_past:
        sessions = sessions.filter(ends_at__gt=timezone.now())
    return list(_with_counts(sessions).order_by("starts_at", "pk"))


def session_for_user(user, session_id: int) -> Session:
    """One session of a course shown to this person, or 404."""
    session = (
        _with_counts(
            Session.objects.filter(
                pk=session_id,
                course__in=Course.objects.filter(_courses_visible_q(access_for(user))),
            )
        )
        .select_related("course", "course__consortium")
        .first()
    )
    if session is None:
        raise Http404
    return session


def session_for_manager(user, session_id: int) -> Session:
    """A session of a course this person runs, or 404."""
    session = session_for_user(user, session_id)
    if not policies.can_manage_course(access_for(user), session.course):
        raise Http404
    return session


def registration_of(user, session: Session) -> Registration | None:
    """The person's active registration on the session, if any."""
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(session=session, user=user).exclude(status=CANCELLED).first()


def waiting_place(registration: Registration) -> int | None:
    """Where in the waiting line a waiting registration stands (1 = next to move up)."""
    if registration.status != WAITING:
        return None
    ahead = Registration.objects.filter(session_id=registration.session_id, status=WAITING).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registrations_of_user(user) -> list[Registration]:
    """The person's own registrations (never anyone else's), coming ones first, each
    waiting one with its `place` in line."""
    registrations = list(
        Registration.objects.filter(user=user)
        .exclude(status=CANCELLED)
        .select_related("session", "session__course", "municipality", "unit")
        .order_by("-session__ends_at", "pk")
    )
    waiting = [r for r in registrations if r.status == WAITING]
    lines: dict[int, list[int]] = {}
    if waiting:
        # One query for every waiting line the person stands in, not one per line.
        for row in (
            Registration.objects.filter(
                session_id__in={r.session_id for r in waiting}, status=WAITING
            )
            .order_by("created_at", "pk")
            .values_list("session_id", "pk")
        ):
            lines.setdefault(row[0], []).append(row[1])
    for registration in registrations:
        registration.place = (
            lines[registration.session_id].index(registration.pk) + 1
            if registration.status == WAITING
            else None
        )
    now = timezone.now()
    registrations.sort(key=lambda r: (r.session.ends_at < now, r.session.starts_at))
    return registrations


def registration_for_owner(user, registration_id: int) -> Registration:
    """One of the person's own registrations, or 404."""
    registration = (
        Registration.objects.filter(pk=registration_id, user=user)
        .select_related("session", "session__course")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def participants_of(session: Session) -> dict[str, list[Registration]]:
    """The participant list and the waiting line of a session, for those who run it."""
    rows = (
        Registration.objects.filter(session=session)
        .exclude(status=CANCELLED)
        .select_related("user", "municipality", "unit", "marked_by")
        .order_by("created_at", "pk")
    )
    lists: dict[str, list[Registration]] = {"registered": [], "waiting": []}
    for row in rows:
        lists["registered" if row.status == REGISTERED else "waiting"].append(row)
    return lists


def participation_by_unit(
    *, consortium_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> list[dict]:
    """Like `participation_by_municipality`, one row per municipality and unit (unit None
    for people who named no unit)."""
    registrations = Registration.objects.filter(
        session__course__consortium_id__in=list(consortium_ids)
    ).exclude(status=CANCELLED)
    if start is not None:
        registrations = registrations.filter(session__starts_at__gte=_moment(start, end=False))
    if end is not None:
        registrations = registrations.filter(session__starts_at__lt=_moment(end, end=True))
    rows = (
        registrations.values("municipality_id", "municipality__name", "unit_id", "unit__name")
        .annotate(
            # Named apart from the model's `attended` field, which the filters read.
            registered_total=Count("pk"),
            attended_total=Count("pk", filter=Q(attended=True)),
            people_total=Count("user_id", filter=Q(attended=True), distinct=True),
        )
        # "No unit" first on both databases (they sort NULL differently by default).
        .order_by(
            "municipality__name",
            "municipality_id",
            F("unit__name").asc(nulls_first=True),
            "unit_id",
        )
    )
    return [
        {
            "municipality_id": row["municipality_id"],
            "municipality": row["municipality__name"],
            "unit_id": row["unit_id"],
            "unit": row["unit__name"],
            "registered": row["registered_total"],
            "attended": row["attended_total"],
            "people": row["people_total"],
        }
        for row in rows
    ]


def municipalities_for_registration(*, consortium_id: int) -> QuerySet[Organisation]:
    """The municipalities of the course's consortium (anyone may take part for theirs)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, is_active=True, consortium_id=consortium_id
    ).order_by("name")


def units_for_registration(*, consortium_id: int) -> QuerySet[Organisation]:
    """The units of the consortium's municipalities, grouped by municipality."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.UNIT, is_active=True, consortium_id=consortium_id
        )
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def registration_defaults(user) -> dict:
    """The municipality and unit to prefill from the person's roles: a manager's unit
    (and its municipality), else the municipality of a coach."""
    from apps.organisations.models import Membership

    memberships = (
        Membership.objects.filter(user=user, organisation__is_active=True)
        .select_related("organisation")
        .order_by("pk")
    )
    for membership in memberships:
        organisation = membership.organisation
        if organisation.kind == Organisation.Kind.UNIT:
            return {"municipality": organisation.municipality_id, "unit": organisation.pk}
    for membership in memberships:
        if membership.organisation.kind == Organisation.Kind.MUNICIPALITY:
            return {"municipality": membership.organisation_id}
    return {}
