"""Every write about trainings. Each is one transaction; the emails it causes (with their
calendar invitations) go to the outbox and are sent by the worker once it commits.

Seats are counted under a lock on the session's row (`select_for_update`; on SQLite every
write transaction is IMMEDIATE and so runs alone), so two people taking the last seat at
once get one seat and one waiting place, and a freed seat goes to exactly one person.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import ical, policies
from .models import Course, Registration, Session

REGISTERED = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


def _require_manage(actor: User, course: Course) -> None:
    if not policies.can_manage_course(access_for(actor), course):
        raise PermissionDenied


def _lock(session: Session) -> Session:
    """The session's row, locked until the transaction ends, with fresh seat counts."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__consortium")
        .get(pk=session.pk)
    )


def _email(registration: Registration, template: str, *, attachment: dict | None = None, **ctx):
    user = registration.user
    email_enqueue(
        recipient=user.email,
        template=template,
        context={
            "registration": registration,
            "session": registration.session,
            "course": registration.session.course,
            "person": user,
            **ctx,
        },
        language=user.preferred_language or "sv",
        kind=template,
        attachments=[attachment] if attachment else None,
    )


# --- Courses ----------------------------------------------------------------------------------


def _clean_course(title: str, topic: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the course a title.")})
    if topic not in Course.Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})
    return title


@transaction.atomic
def course_create(
    *,
    actor: User,
    consortium: Organisation,
    title: str,
    description: str,
    topic: str,
    audience: str,
    is_active: bool = True,
) -> Course:
    """A communicator or process leader adds a course to their consortium's trainings."""
    course = Course(consortium=consortium)
    _require_manage(actor, course)
    course.title = _clean_course(title, topic)
    course.description = description.strip()
    course.topic = topic
    course.audience = audience.strip()
    course.is_active = is_active
    course.created_by = actor
    course.save()
    return course


@transaction.atomic
def course_update(
    *,
    actor: User,
    course: Course,
    title: str,
    description: str,
    topic: str,
    audience: str,
    is_active: bool,
) -> Course:
    """Change a course's description, or stop offering it (its sessions stay)."""
    _require_manage(actor, course)
    course.title = _clean_course(title, topic)
    course.description = description.strip()
    course.topic = topic
    course.audience = audience.strip()
    course.is_active = is_active
    course.save()
    return course


# --- Sessions ---------------------------------------------------------------------------------


def _clean_session(
    *,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    seats: int,
    registration_closes_at: datetime | None,
) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if not place.strip() and not online_link.strip():
        errors["place"] = _("Give a place, an online link, or both.")
    if seats < 1:
        errors["seats"] = _("A session needs at least one seat.")
    if registration_closes_at and registration_closes_at > starts_at:
        errors["registration_closes_at"] = _("Registration must close before the session starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(
    *,
    actor: User,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    seats: int,
    registration_closes_at: datetime | None = None,
) -> Session:
    """Add a session to a course."""
    _require_manage(actor, course)
    _clean_session(
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        seats=seats,
        registration_closes_at=registration_closes_at,
    )
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A new session must start in the future.")})
    return Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        seats=seats,
        registration_closes_at=registration_closes_at,
    )


def _promote_waiting(session: Session, *, now: datetime) -> list[Registration]:
    """Give the free seats to the first in the waiting line; each is told, with the
    invitation. The caller holds the session's lock."""
    free = session.seats - session.registrations.filter(status=REGISTERED).count()
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=WAITING)
        .select_related("user")
        .order_by("created_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = REGISTERED
        registration.promoted_at = now
        registration.sequence += 1
        registration.session = session
        registration.save(update_fields=["status", "promoted_at", "sequence"])
        _email(
            registration,
            "trainings_promoted",
            attachment=ical.invitation_attachment(registration, now=now),
        )
    return promoted


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: Session,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    seats: int,
    registration_closes_at: datetime | None = None,
) -> Session:
    """Change a session. Everyone with a seat gets the updated invitation when the time
    or place changes; more seats move people up from the waiting line."""
    _require_manage(actor, session.course)
    locked = _lock(session)
    if locked.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    _clean_session(
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        seats=seats,
        registration_closes_at=registration_closes_at,
    )
    taken = locked.registrations.filter(status=REGISTERED).count()
    if seats < taken:
        raise ValidationError(
            {
                "seats": _("%(count)s people already have a seat; give at least as many seats.")
                % {"count": taken}
            }
        )
    moved = (locked.starts_at, locked.ends_at, locked.place, locked.online_link) != (
        starts_at,
        ends_at,
        place.strip(),
        online_link.strip(),
    )
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.place, locked.online_link = place.strip(), online_link.strip()
    locked.seats = seats
    locked.registration_closes_at = registration_closes_at
    if moved:
        locked.sequence += 1
    locked.save()
    now = timezone.now()
    if moved:
        for registration in locked.registrations.filter(status=REGISTERED).select_related("user"):
            registration.sequence += 1
            registration.save(update_fields=["sequence"])
            registration.session = locked
            _email(
                registration,
                "trainings_session_changed",
                attachment=ical.invitation_attachment(registration, now=now),
            )
    _promote_waiting(locked, now=now)
    return locked


@transaction.atomic
def session_cancel(*, actor: User, session: Session, message: str = "") -> Session:
    """Cancel a session: every registration ends, and everyone registered or waiting is
    told (those with a seat with the calendar cancellation)."""
    _require_manage(actor, session.course)
    locked = _lock(session)
    if locked.is_cancelled:
        return locked
    now = timezone.now()
    locked.cancelled_at = now
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "sequence"])
    for registration in locked.registrations.exclude(status=CANCELLED).select_related("user"):
        had_seat = registration.status == REGISTERED
        registration.status = CANCELLED
        registration.cancelled_at = now
        registration.sequence += 1
        registration.save(update_fields=["status", "cancelled_at", "sequence"])
        registration.session = locked
        _email(
            registration,
            "trainings_session_cancelled",
            attachment=ical.invitation_attachment(registration, cancel=True, now=now)
            if had_seat
            else None,
            message=message.strip(),
        )
    return locked


# --- Registrations ----------------------------------------------------------------------------


def registration_open(session: Session, *, now: datetime) -> bool:
    """Whether people may still sign up: not cancelled, not started, not closed."""
    if session.is_cancelled or session.starts_at <= now:
        return False
    return session.registration_closes_at is None or now < session.registration_closes_at


@transaction.atomic
def registration_create(
    *,
    actor: User,
    session: Session,
    municipality: Organisation,
    unit: Organisation | None = None,
) -> Registration:
    """Sign the person up: a seat if one is free (with the calendar invitation), else a
    place at the end of the waiting line (and an email saying which)."""
    if not policies.can_register(access_for(actor)):
        raise PermissionDenied
    locked = _lock(session)
    now = timezone.now()
    if not registration_open(locked, now=now):
        raise ValidationError(_("Registration for this session is closed."))
    if municipality.kind != Organisation.Kind.MUNICIPALITY or not municipality.is_active:
        raise ValidationError({"municipality": _("Choose a municipality.")})
    if municipality.consortium_id != locked.course.consortium_id:
        raise ValidationError(
            {"municipality": _("This training is for the municipalities of its consortium.")}
        )
    if unit is not None and (
        unit.kind != Organisation.Kind.UNIT or unit.municipality_id != municipality.pk
    ):
        raise ValidationError({"unit": _("Choose a unit of the municipality you chose.")})
    if Registration.objects.filter(session=locked, user=actor).exclude(status=CANCELLED).exists():
        raise ValidationError(_("You are already signed up for this session."))
    taken = locked.registrations.filter(status=REGISTERED).count()
    status = REGISTERED if taken < locked.seats else WAITING
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=locked, user=actor, municipality=municipality, unit=unit, status=status
            )
    except IntegrityError as error:
        # The same person sending the form twice at once: the constraint keeps one.
        raise ValidationError(_("You are already signed up for this session.")) from error
    registration.session = locked
    if status == REGISTERED:
        _email(
            registration,
            "trainings_registered",
            attachment=ical.invitation_attachment(registration, now=now),
        )
    else:
        place = locked.registrations.filter(status=WAITING).count()
        registration.place = place
        _email(registration, "trainings_waiting", place=place)
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    """The person gives up their seat or waiting place. A freed seat goes at once to the
    first in the waiting line, who is told and invited."""
    if registration.user_id != actor.pk:
        raise PermissionDenied
    locked = _lock(registration.session)
    registration = (
        Registration.objects.select_for_update().select_related("user").get(pk=registration.pk)
    )
    registration.session = locked
    if registration.status == CANCELLED:
        return registration
    now = timezone.now()
    if locked.starts_at <= now:
        # Once it has begun the registration is the record of who came (attendance).
        raise ValidationError(
            _("The session has started; the registration can no longer be cancelled.")
        )
    had_seat = registration.status == REGISTERED
    registration.status = CANCELLED
    registration.cancelled_at = now
    registration.sequence += 1
    registration.save(update_fields=["status", "cancelled_at", "sequence"])
    _email(
        registration,
        "trainings_cancelled",
        attachment=ical.invitation_attachment(registration, cancel=True, now=now)
        if had_seat
        else None,
    )
    if had_seat and not locked.is_cancelled:
        _promote_waiting(locked, now=now)
    return registration


@transaction.atomic
def attendance_mark(*, actor: User, session: Session, attendance: dict[int, bool | None]) -> int:
    """Mark who attended (True), who did not (False), or clear a mark (None), for
    registrations with a seat on the session. Returns how many marks changed."""
    _require_manage(actor, session.course)
    if session.is_cancelled:
        raise ValidationError(_("This session is cancelled."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be marked once the session has started."))
    now = timezone.now()
    changed = 0
    rows = Registration.objects.select_for_update().filter(
        session=session, status=REGISTERED, pk__in=list(attendance)
    )
    for registration in rows:
        value = attendance[registration.pk]
        if registration.attended is value:
            continue
        registration.attended = value
        registration.marked_by = actor if value is not None else None
        registration.marked_at = now if value is not None else None
        registration.save(update_fields=["attended", "marked_by", "marked_at"])
        changed += 1
    return changed
