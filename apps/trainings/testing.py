"""Builders for trainings tests; they go through the services, as production does."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import Course, Registration, Session


def make_course(world, *, title: str = "Innovationsledarskap", actor=None) -> Course:
    return services.course_create(
        actor=actor or world.communicator,
        consortium=world.consortium,
        title=title,
        description="Att leda förändring i kommunen.",
        topic=Course.Topic.INNOVATION_LEADERSHIP,
        audience="Chefer",
    )


def make_session(
    course: Course,
    actor,
    *,
    seats: int = 10,
    days: int = 14,
    place: str = "Stadshuset, Skövde",
    online_link: str = "",
) -> Session:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return services.session_create(
        actor=actor,
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place=place,
        online_link=online_link,
        seats=seats,
    )


def register(user, session: Session, municipality, unit=None) -> Registration:
    return services.registration_create(
        actor=user, session=session, municipality=municipality, unit=unit
    )


def move_to_past(session: Session, *, days: int = 2) -> Session:
    """Let a session have happened (services refuse to create one in the past)."""
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days)
    Session.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    session.refresh_from_db()
    return session
