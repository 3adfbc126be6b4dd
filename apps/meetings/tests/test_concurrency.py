"""Concurrency: organisers booking, moving and cancelling one meeting at the same moment
never lose a change. Each write locks the meeting's row, so the calendar SEQUENCE of the
emails that go out is unique and rising, and nothing is booked after a cancellation.

Real threads with their own connections, released together against committed data, on
SQLite and PostgreSQL alike (see apps/ideas/tests/test_concurrency.py).
"""

import icalendar
import pytest
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.ideas.models import TimelineEntry
from apps.ideas.tests.test_concurrency import run_together
from apps.meetings import services
from apps.meetings.models import Meeting, TimeOption
from apps.meetings.testing import days_ahead, idea_in, make_meeting
from apps.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=True)


def _meeting(world, times: int) -> Meeting:
    idea = idea_in(world.skovde)
    return make_meeting(
        idea,
        world.coach,
        starts=[days_ahead(7 + n, 10) for n in range(times)],
        guests=[("Anna Expert", "anna@his.se")],
    )


def _sequences(kind: str) -> list[int]:
    found = []
    for email in OutboxEmail.objects.filter(kind=kind, recipient="anna@his.se"):
        [event] = icalendar.Calendar.from_ical(email.attachments[0]["content"]).walk("VEVENT")
        found.append(event["SEQUENCE"])
    return sorted(found)


def test_bookings_at_once_become_one_booking_and_ordered_moves(world):
    meeting = _meeting(world, times=4)
    options = list(meeting.options.order_by("start"))
    people = [world.coach.pk, world.process_leader.pk]

    def book(number: int):
        return services.meeting_book(
            meeting=Meeting.objects.select_related("idea", "organiser").get(pk=meeting.pk),
            actor=User.objects.get(pk=people[number % 2]),
            option=TimeOption.objects.get(pk=options[number].pk),
        )

    _results, errors = run_together(book, count=4)
    assert not errors, errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.BOOKED and meeting.sequence == 3
    assert _sequences("meeting_booked") == [0]
    assert _sequences("meeting_moved") == [1, 2, 3]
    entries = meeting.idea.timeline.filter(kind=TimelineEntry.Kind.MEETING_BOOKED)
    assert entries.count() == 4


def test_a_cancellation_and_bookings_at_once_never_book_a_cancelled_meeting(world):
    meeting = _meeting(world, times=3)
    options = list(meeting.options.order_by("start"))

    def act(number: int):
        fresh = Meeting.objects.select_related("idea", "organiser").get(pk=meeting.pk)
        actor = User.objects.get(pk=world.coach.pk)
        if number == 0:
            return services.meeting_cancel(meeting=fresh, actor=actor)
        return services.meeting_book(
            meeting=fresh, actor=actor, option=TimeOption.objects.get(pk=options[number - 1].pk)
        )

    _results, errors = run_together(act, count=4)
    assert all(isinstance(e, ValidationError) for e in errors), errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    sent = _sequences("meeting_booked") + _sequences("meeting_moved")
    cancelled = _sequences("meeting_cancelled")
    # Whatever was booked before the cancellation has lower sequences; the cancellation
    # (if the meeting had been booked) carries the highest.
    assert len(set(sent)) == len(sent)
    if sent:
        assert cancelled == [max(sent) + 1] == [meeting.sequence]
    else:
        assert cancelled == []
