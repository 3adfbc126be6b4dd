"""Builders for tests of meetings. They go through the real services, so a test's data
is made the way production makes it."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.core import testing
from apps.ideas.models import Idea

from . import services
from .models import Meeting


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A wall-clock moment in the sluice's time zone."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def days_ahead(days: int, hour: int = 10, minute: int = 0) -> datetime:
    return at(timezone.localdate() + timedelta(days=days), hour, minute)


def idea_in(municipality, **overrides) -> Idea:
    return testing.submit_idea(municipality, **overrides)


def make_meeting(
    idea: Idea,
    organiser,
    *,
    starts: list[datetime] | None = None,
    users=(),
    submitters=(),
    guests=(),
    **fields,
) -> Meeting:
    """A poll on the idea, with three times next week unless told otherwise."""
    values = {"title": "Planera testet", "duration_minutes": 60, "location": "Stadshuset, rum 3"}
    values.update(fields)
    if starts is None:
        starts = [days_ahead(7, 9), days_ahead(8, 13), days_ahead(9, 15)]
    return services.meeting_create(
        idea=idea,
        actor=organiser,
        starts=starts,
        users=users,
        submitters=submitters,
        guests=[services.Guest(*g) if isinstance(g, tuple) else g for g in guests],
        **values,
    )
