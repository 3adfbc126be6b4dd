"""The private calendar feed: a user's booked meetings (organised or attended) as an
iCalendar file a calendar program subscribes to, behind a secret address that can be
renewed or turned off, and that answers 404 when wrong."""

import icalendar
import pytest
from django.urls import reverse

from apps.meetings import services
from apps.meetings.testing import idea_in, make_meeting

pytestmark = pytest.mark.django_db


def _book(meeting, actor):
    services.meeting_book(meeting=meeting, actor=actor, option=meeting.options.first())
    meeting.refresh_from_db()
    return meeting


def test_the_feed_lists_the_user_s_booked_meetings(client, world):
    idea = idea_in(world.skovde)
    attended = _book(
        make_meeting(idea, world.coach, title="Deltar", users=[world.process_leader]),
        world.coach,
    )
    organised = _book(make_meeting(idea, world.process_leader, title="Ordnar"), world.coach)
    make_meeting(idea, world.coach, title="Bara en omröstning", users=[world.process_leader])
    cancelled = _book(
        make_meeting(idea, world.coach, title="Inställt", users=[world.process_leader]),
        world.coach,
    )
    services.meeting_cancel(meeting=cancelled, actor=world.coach)
    removed = _book(
        make_meeting(idea, world.coach, title="Borttagen", users=[world.process_leader]),
        world.coach,
    )
    services.participant_remove(
        participant=removed.participants.get(user=world.process_leader), actor=world.coach
    )
    _book(make_meeting(idea, world.coach, title="Någon annans"), world.coach)

    token = services.calendar_feed_reset(user=world.process_leader).access_token
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    assert "METHOD" not in calendar  # a published calendar, not an invitation
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Deltar", "Ordnar"}
    assert str(events["Deltar"]["UID"]) == attended.uid
    assert str(events["Ordnar"]["UID"]) == organised.uid
    assert events["Deltar"]["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert events["Deltar"].decoded("DTSTART") == attended.booked_start
    # For people in the sluice, the event leads to the idea and the meeting's page.
    description = str(events["Deltar"]["DESCRIPTION"])
    assert idea.reference in description
    assert description.endswith(reverse("meetings:detail", args=[attended.pk]))


def test_an_empty_feed_is_still_a_calendar(client, world):
    token = services.calendar_feed_reset(user=world.employee).access_token
    response = client.get(reverse("meetings:feed", args=[token]))
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    assert calendar["VERSION"] == "2.0" and not calendar.walk("VEVENT")


def test_a_wrong_renewed_stopped_or_deactivated_feed_does_not_exist(client, world):
    first = services.calendar_feed_reset(user=world.coach).access_token
    url = reverse("meetings:feed", args=[first])
    assert client.get(url).status_code == 200
    for wrong in (first[:-1] + ("A" if first[-1] != "A" else "B"), first.lower(), "x"):
        assert client.get(reverse("meetings:feed", args=[wrong])).status_code == 404
    second = services.calendar_feed_reset(user=world.coach).access_token
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:feed", args=[second])).status_code == 200
    world.coach.is_active = False
    world.coach.save()
    assert client.get(reverse("meetings:feed", args=[second])).status_code == 404
    world.coach.is_active = True
    world.coach.save()
    services.calendar_feed_stop(user=world.coach)
    assert client.get(reverse("meetings:feed", args=[second])).status_code == 404


def test_the_feed_is_made_renewed_and_turned_off_from_my_tasks(client, world):
    client.force_login(world.coach)
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert 'id="feed-url"' not in page
    response = client.post(reverse("meetings:feed_reset"))
    assert response.status_code == 302
    page = client.get(reverse("meetings:tasks")).content.decode()
    address = page.split('id="feed-url" value="', 1)[1].split('"', 1)[0]
    assert address.endswith(".ics") and "/meetings/feed/" in address
    path = address[address.index("/meetings/feed/") :]
    assert client.get(path).status_code == 200
    client.post(reverse("meetings:feed_reset"))
    assert client.get(path).status_code == 404
    client.post(reverse("meetings:feed_stop"))
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert 'id="feed-url"' not in page
