"""A participant's private link: answering without an account (or while logged in as
someone else), the form with its errors, what the page shares and what it does not, and
a link that is wrong, mistyped or revoked answering 404 like one that never existed."""

import pytest
from django.urls import reverse

from apps.meetings import services
from apps.meetings.models import Answer, Meeting
from apps.meetings.testing import days_ahead, idea_in, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world) -> Meeting:
    idea = idea_in(world.skovde, title="Hemlig idé om nattfasta", need="Känsliga detaljer.")
    return make_meeting(
        idea,
        world.coach,
        starts=[days_ahead(7, 9), days_ahead(8, 13)],
        users=[world.process_leader],
        submitters=[idea.submitters.get()],
        guests=[("Anna Expert", "anna@his.se")],
    )


def _link(meeting: Meeting, **who) -> str:
    return reverse("meetings:answer", args=[meeting.participants.get(**who).access_token])


def _input(page: str, element_id: str) -> str:
    """The <input> tag with this id."""
    before, after = page.split(f'id="{element_id}"', 1)
    return "<input" + before.rsplit("<input", 1)[1] + after.split(">", 1)[0]


def _answers(meeting: Meeting, *values: str) -> dict:
    options = meeting.options.order_by("start")
    return {f"option_{o.pk}": v for o, v in zip(options, values, strict=True)}


def test_the_submitter_answers_through_the_link_without_an_account(client, world, meeting):
    submitter = meeting.idea.submitters.get()
    url = _link(meeting, submitter=submitter)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert submitter.name in page and meeting.title in page
    # The page is about the meeting, not the idea: nothing of it is shared.
    assert "Känsliga detaljer." not in page and meeting.idea.reference not in page
    # Nor who the others are.
    assert "Anna Expert" not in page and "Petra Process" not in page
    response = client.post(url, {**_answers(meeting, "yes", "maybe"), "comment": "Helst fm."})
    assert response.status_code == 302 and response["Location"] == url
    participant = meeting.participants.get(submitter=submitter)
    assert participant.comment == "Helst fm." and participant.answered_at
    assert sorted(participant.answers.values_list("value", flat=True)) == ["maybe", "yes"]
    # The answers are shown again, to be changed until the meeting is booked.
    page = client.get(url).content.decode()
    first, second = meeting.options.order_by("start")
    assert "checked" in _input(page, f"id_option_{first.pk}_0")  # yes
    assert "checked" in _input(page, f"id_option_{second.pk}_1")  # if need be
    assert "checked" not in _input(page, f"id_option_{second.pk}_0")
    assert "Helst fm." in page


def test_a_logged_in_colleague_answers_through_the_same_link(client, world, meeting):
    client.force_login(world.process_leader)
    url = _link(meeting, user=world.process_leader)
    assert client.post(url, _answers(meeting, "no", "yes")).status_code == 302
    assert Answer.objects.filter(participant__user=world.process_leader).count() == 2
    # The link is the key, whoever is logged in: the coach may use Anna's link for her
    # (e.g. on the phone with her), and it answers as Anna, not as the coach.
    client.force_login(world.coach)
    assert client.post(_link(meeting, email="anna@his.se"), _answers(meeting, "yes", "yes"))
    assert Answer.objects.filter(participant__email="anna@his.se").count() == 2


def test_an_incomplete_answer_comes_back_with_its_errors_and_values(client, world, meeting):
    url = _link(meeting, email="anna@his.se")
    first, second = meeting.options.order_by("start")
    response = client.post(url, {f"option_{first.pk}": "maybe", "comment": "Kanske."})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert f'href="#id_option_{second.pk}"' in page
    assert f'id="id_option_{second.pk}"' in page  # the fieldset the summary links to
    assert "Kanske." in page
    kept = _input(page, f"id_option_{first.pk}_1")
    assert "checked" in kept and 'value="maybe"' in kept
    assert not Answer.objects.exists()
    response = client.post(url, _answers(meeting, "yes", "sometimes"))
    assert response.status_code == 400
    assert not Answer.objects.exists()


@pytest.mark.parametrize("actor", ["anonymous", "coach"])
def test_a_wrong_or_revoked_link_does_not_exist(client, world, meeting, actor):
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    anna = meeting.participants.get(email="anna@his.se")
    token = anna.access_token
    services.meeting_book(meeting=meeting, actor=world.coach, option=meeting.options.first())
    wrong = [token[:-2] + ("xx" if not token.endswith("xx") else "yy"), token.upper(), "x", ""]
    for bad in wrong[:-1]:
        for name in ("meetings:answer", "meetings:answer_ics"):
            url = reverse(name, args=[bad])
            assert client.get(url).status_code == 404, (name, bad)
            assert client.post(url, {}).status_code in (404, 405), (name, bad)
    assert client.get(reverse("meetings:answer_ics", args=[token])).status_code == 200
    services.participant_remove(participant=anna, actor=world.coach)
    for name in ("meetings:answer", "meetings:answer_ics"):
        url = reverse(name, args=[token])
        assert client.get(url).status_code == 404, name
        assert client.post(url, _answers(meeting, "yes", "yes")).status_code in (404, 405)
    # A submitter's link to follow their idea is no link to the meeting, nor the reverse.
    submitter = meeting.idea.submitters.get()
    assert client.get(reverse("meetings:answer", args=[submitter.access_token])).status_code == 404
    mine = meeting.participants.get(submitter=submitter).access_token
    assert client.get(reverse("ideas:submitter_page", args=[mine])).status_code == 404


def test_once_booked_the_page_shows_the_time_and_the_calendar_file(client, world, meeting):
    url = _link(meeting, email="anna@his.se")
    second = meeting.options.order_by("start").last()
    services.meeting_book(meeting=meeting, actor=world.coach, option=second)
    page = client.get(url).content.decode()
    ics_url = reverse("meetings:answer_ics", args=[url.rstrip("/").rsplit("/", 1)[1]])
    assert ics_url in page
    assert "<form" not in page.split('id="main"', 1)[1]
    # Answering now changes nothing.
    response = client.post(url, _answers(meeting, "no", "no"))
    assert response.status_code == 302
    assert not Answer.objects.exists()
    response = client.get(ics_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "METHOD:REQUEST" in body and meeting.uid in body
    # Cancelled: the page says so, the calendar file is gone.
    services.meeting_cancel(meeting=meeting, actor=world.coach)
    assert client.get(url).status_code == 200
    assert client.get(ics_url).status_code == 404


def test_the_answer_ics_of_an_unbooked_meeting_does_not_exist(client, meeting):
    token = meeting.participants.get(email="anna@his.se").access_token
    assert client.get(reverse("meetings:answer_ics", args=[token])).status_code == 404
