"""Meeting pages: forms that come back with status 400, their error summary and the values
typed; what readers and organisers see; the idea page's section in a fixed number of
queries; tenancy beyond the permission matrix."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core import testing
from apps.core.tests.matrix import MATRIX, build_scene
from apps.meetings import services
from apps.meetings.models import ActionItem, Meeting
from apps.meetings.testing import days_ahead, idea_in, make_meeting
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role

pytestmark = pytest.mark.django_db


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_starting_a_poll_from_the_idea_page(client, world):
    idea = idea_in(world.skovde)
    client.force_login(world.coach)
    page = client.get(reverse("ideas:detail", args=[idea.reference])).content.decode()
    new_url = reverse("meetings:new", args=[idea.reference])
    assert f'href="{new_url}"' in page
    response = client.post(
        new_url,
        {
            "title": "Planera testet",
            "duration_minutes": "45",
            "location": "Rum 3",
            "video_link": "meet.example.se/abc",
            "option_1_date": _day(7),
            "option_1_time": "09:00",
            "option_2_date": _day(8),
            "option_2_time": "13:30",
            "users": [world.process_leader.pk],
            "submitters": [idea.submitters.get().pk],
            "guest_1_name": "Anna Expert",
            "guest_1_email": "anna@his.se",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.video_link == "https://meet.example.se/abc"
    assert meeting.organiser == world.coach and meeting.duration_minutes == 45
    starts = [timezone.localtime(o.start) for o in meeting.options.all()]
    assert [(s.date().isoformat(), s.strftime("%H:%M")) for s in starts] == [
        (_day(7), "09:00"),
        (_day(8), "13:30"),
    ]
    assert meeting.participants.count() == 3
    assert OutboxEmail.objects.filter(kind="meeting_poll").count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "Planera testet" in page and "Anna Expert" in page


def test_the_poll_form_comes_back_with_its_errors_and_values(client, world):
    idea = idea_in(world.skovde)
    client.force_login(world.coach)
    response = client.post(
        reverse("meetings:new", args=[idea.reference]),
        {
            "title": "",
            "duration_minutes": "60",
            "option_1_date": _day(7),
            "option_1_time": "",
            "option_2_date": "igår",
            "option_2_time": "10:00",
            "option_3_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "option_3_time": "10:00",
            "guest_1_name": "Anna Expert",
            "guest_1_email": "inte-en-adress",
            "guest_2_name": "",
            "guest_2_email": "bo@almi.se",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    for field in ("title", "option_1_time", "option_2_date", "guest_1_email", "guest_2_name"):
        assert f'href="#id_{field}"' in page, field
    assert 'value="inte-en-adress"' in page and 'value="Anna Expert"' in page
    assert f'value="{_day(7)}"' in page
    assert not Meeting.objects.exists()
    # A time that has passed is refused by the service, on the first time row.
    response = client.post(
        reverse("meetings:new", args=[idea.reference]),
        {
            "title": "Möte",
            "duration_minutes": "60",
            "option_1_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "option_1_time": "10:00",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_option_1_date"' in response.content.decode()


def test_a_time_the_clocks_skip_is_refused(client, world):
    idea = idea_in(world.skovde)
    client.force_login(world.coach)
    year = timezone.localdate().year + 1
    # The last Sunday of March: 02:30 does not exist in Sweden.
    day = max(
        timezone.datetime(year, 3, d).date()
        for d in range(25, 32)
        if timezone.datetime(year, 3, d).weekday() == 6
    )
    response = client.post(
        reverse("meetings:new", args=[idea.reference]),
        {
            "title": "Natt",
            "duration_minutes": "60",
            "option_1_date": day.isoformat(),
            "option_1_time": "02:30",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_option_1_time"' in response.content.decode()


@pytest.fixture
def meeting(world) -> Meeting:
    idea = idea_in(world.skovde, unit=world.skovde_unit)
    return make_meeting(
        idea,
        world.coach,
        starts=[days_ahead(7, 9), days_ahead(8, 13)],
        users=[world.process_leader],
        guests=[("Anna Expert", "anna@his.se")],
    )


def test_a_reader_sees_the_meeting_without_its_forms(client, world, meeting):
    services.meeting_save_notes(
        meeting=meeting, actor=world.coach, notes="Bra möte.", decisions="Kör."
    )
    client.force_login(world.manager)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bra möte." in page and "Kör." in page
    assert "<form" not in page.split("</header>", 1)[1].replace('action="/i18n/setlang/"', "")
    assert "anna@his.se" not in page  # addresses are for the organisers


def test_the_best_time_is_marked_in_words_and_booking_it_sends_invitations(client, world, meeting):
    first, second = meeting.options.order_by("start")
    for participant in meeting.participants.all():
        services.participant_answer(
            participant=participant, answers={first.pk: "maybe", second.pk: "yes"}
        )
    client.force_login(world.process_leader)
    client.cookies["sluss_language"] = "en"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    best_row = page.split(f'id="option-{second.pk}"', 1)[1].split("</tr>", 1)[0]
    other_row = page.split(f'id="option-{first.pk}"', 1)[1].split("</tr>", 1)[0]
    # Not by colour alone: the words "Best time" and the time in bold.
    assert '<span class="tag">Best time</span>' in best_row and "<strong>" in best_row
    assert "Best time" not in other_row and "<strong>" not in other_row
    response = client.post(reverse("meetings:book", args=[meeting.pk]), {"option": second.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.BOOKED and meeting.booked_start == second.start
    booked = OutboxEmail.objects.filter(kind="meeting_booked")
    assert {e.recipient for e in booked} == {"pl@skaraborg.se", "anna@his.se", "coach@skovde.se"}
    # Booking an option of another meeting does not exist.
    other = make_meeting(meeting.idea, world.coach)
    response = client.post(
        reverse("meetings:book", args=[meeting.pk]), {"option": other.options.first().pk}
    )
    assert response.status_code == 404


def test_the_meeting_page_forms_come_back_with_their_errors(client, world, meeting):
    client.force_login(world.coach)
    cases = [
        ("meetings:add_options", {"add-option_1_date": _day(9)}, "id_add-option_1_time"),
        ("meetings:invite", {"invite-guest_1_email": "bo@almi.se"}, "id_invite-guest_1_name"),
        (
            "meetings:add_action_item",
            {"item-title": "Ring", "item-owner": world.other_coach.pk, "item-due_date": "x"},
            "id_item-owner",
        ),
        (
            "meetings:add_action_item",
            {"item-title": "", "item-owner": world.coach.pk, "item-due_date": _day(3)},
            "id_item-title",
        ),
    ]
    for name, data, field in cases:
        response = client.post(reverse(name, args=[meeting.pk]), data)
        assert response.status_code == 400, name
        page = response.content.decode()
        assert page.count('id="error-summary"') == 1
        assert f'href="#{field}"' in page, (name, field)
        for value in data.values():
            if isinstance(value, str) and value not in ("x",):
                assert f'value="{value}"' in page or value in page, (name, value)
    # Inviting someone already invited says so.
    response = client.post(
        reverse("meetings:invite", args=[meeting.pk]),
        {"invite-guest_1_name": "Anna", "invite-guest_1_email": "anna@his.se"},
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_notes_and_an_action_item_from_the_meeting_page(client, world, meeting):
    client.force_login(world.coach)
    response = client.post(
        reverse("meetings:notes", args=[meeting.pk]),
        {"notes-notes": "Alla kom.", "notes-decisions": "Testa i vår."},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("meetings:add_action_item", args=[meeting.pk]),
        {
            "item-title": "Boka lokal",
            "item-owner": world.process_leader.pk,
            "item-due_date": _day(3),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.meeting, item.owner, item.created_by) == (
        meeting,
        world.process_leader,
        world.coach,
    )
    page = client.get(reverse("ideas:detail", args=[meeting.idea.reference])).content.decode()
    assert "Boka lokal" in page and "Alla kom." in page and "Testa i vår." in page


def test_edit_and_cancel_pages(client, world, meeting):
    client.force_login(world.coach)
    url = reverse("meetings:edit", args=[meeting.pk])
    response = client.post(url, {"title": "", "video_link": "inte en länk"})
    assert response.status_code == 400
    assert 'value="inte en länk"' in response.content.decode()
    response = client.post(url, {"title": "Nytt namn", "location": "Biblioteket"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location) == ("Nytt namn", "Biblioteket")
    cancel = reverse("meetings:cancel", args=[meeting.pk])
    assert client.get(cancel).status_code == 200
    assert client.post(cancel, {"message": "Sjuk."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    # A cancelled meeting is read, not changed.
    assert client.get(cancel).status_code == 404
    assert client.get(url).status_code == 404
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:book", args=[meeting.pk]) not in page


def test_a_process_leader_of_another_consortium_finds_no_meeting(client, world, meeting):
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    leader = testing.make_user("Lena Annan", (Role.PROCESS_LEADER, elsewhere))
    client.force_login(leader)
    scene = build_scene(world)
    make_meeting(scene.idea, world.coach)
    for name, route in MATRIX.items():
        if not name.startswith("meetings:") or name in ("meetings:tasks",):
            continue
        if not {"meeting_id", "reference", "item_id"} & set(route.kwargs(scene)):
            continue
        url = reverse(name, kwargs=route.kwargs(scene))
        for method, _outcome in route.probes("process_leader"):
            response = getattr(client, method)(url, route.data(scene) if method == "post" else {})
            assert response.status_code == 404, f"{method} {name}"


def test_the_idea_page_runs_as_many_queries_with_many_meetings_as_with_one(client, world):
    short = idea_in(world.skovde, unit=world.skovde_unit)
    long = idea_in(world.skovde, unit=world.skovde_unit)
    make_meeting(short, world.coach, users=[world.process_leader])
    for n in range(6):
        meeting = make_meeting(
            long,
            world.coach,
            title=f"Möte {n}",
            users=[world.process_leader],
            guests=[(f"Gäst {n}", f"gast{n}@example.se")],
        )
        if n % 2:
            services.meeting_book(
                meeting=meeting, actor=world.coach, option=meeting.options.first()
            )
        services.action_item_add(
            idea=long,
            meeting=meeting,
            actor=world.coach,
            title=f"Uppgift {n}",
            owner=world.process_leader,
            due_date=timezone.localdate() + timedelta(days=n),
        )
    for person in (world.coach, world.manager):
        client.force_login(person)
        url_short = reverse("ideas:detail", args=[short.reference])
        client.get(url_short)
        with CaptureQueriesContext(connection) as few:
            client.get(url_short)
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("ideas:detail", args=[long.reference]))
        assert response.status_code == 200
        assert len(few) == len(many), person
        page = response.content.decode()
        assert page.count('id="meeting-') == 6


def test_my_tasks_lists_my_open_items_and_my_meetings(client, world, meeting):
    today = timezone.localdate()
    mine = services.action_item_add(
        idea=meeting.idea,
        meeting=meeting,
        actor=world.coach,
        title="Skriv inbjudan",
        owner=world.process_leader,
        due_date=today,
    )
    services.action_item_add(
        idea=meeting.idea,
        actor=world.coach,
        title="Någon annans",
        owner=world.coach,
        due_date=today,
    )
    client.force_login(world.process_leader)
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert "Skriv inbjudan" in page and "Någon annans" not in page
    # Invited to the poll: a link to answer with their own private link.
    link = meeting.participants.get(user=world.process_leader).access_token
    assert reverse("meetings:answer", args=[link]) in page
    response = client.post(reverse("meetings:action_item_done", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.done_by == world.process_leader
    page = client.get(reverse("meetings:tasks")).content.decode()
    assert f'id="item-{mine.pk}"' not in page
    # Someone who neither owns it nor works the idea: it does not exist for them.
    client.force_login(world.manager)
    other = services.action_item_add(
        idea=meeting.idea, actor=world.coach, title="X", owner=world.coach, due_date=today
    )
    assert client.post(reverse("meetings:action_item_done", args=[other.pk])).status_code == 404
    client.force_login(world.other_coach)
    assert client.post(reverse("meetings:action_item_done", args=[other.pk])).status_code == 404


def test_the_meeting_and_answer_pages_cost_the_same_for_many_participants(client, world):
    small = make_meeting(
        idea_in(world.skovde),
        world.coach,
        users=[world.process_leader],
        guests=[("Ett", "ett@example.se")],
    )
    large = make_meeting(
        idea_in(world.skovde),
        world.coach,
        starts=[days_ahead(7 + n, 9) for n in range(6)],
        users=[world.process_leader],
        guests=[(f"Gäst {n}", f"gast{n}@example.se") for n in range(10)],
    )
    for participant in large.participants.all()[:8]:
        services.participant_answer(
            participant=participant, answers={o.pk: "yes" for o in large.options.all()}
        )
    services.action_item_add(
        idea=large.idea,
        meeting=large,
        actor=world.coach,
        title="Ring",
        owner=world.coach,
        due_date=timezone.localdate(),
    )

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(world.coach)
    client.get(reverse("meetings:detail", args=[small.pk]))
    assert queries(reverse("meetings:detail", args=[small.pk])) == queries(
        reverse("meetings:detail", args=[large.pk])
    )
    client.logout()
    few = small.participants.first().access_token
    many = large.participants.last().access_token
    client.get(reverse("meetings:answer", args=[few]))
    assert queries(reverse("meetings:answer", args=[few])) == queries(
        reverse("meetings:answer", args=[many])
    )


def test_the_forms_offer_only_people_not_yet_invited(client, world, meeting):
    client.force_login(world.coach)
    page = client.get(reverse("meetings:new", args=[meeting.idea.reference])).content.decode()
    offered = {f'name="users" value="{u.pk}"' in page for u in (world.coach,)}
    assert offered == {False}  # not the organiser themself
    assert f'name="users" value="{world.process_leader.pk}"' in page
    assert f'name="users" value="{world.manager.pk}"' in page  # manages the idea's unit
    assert f'name="users" value="{world.other_coach.pk}"' not in page
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'name="invite-users" value="{world.process_leader.pk}"' not in page  # invited
    assert f'name="invite-users" value="{world.manager.pk}"' in page
    submitter = meeting.idea.submitters.get()
    assert f'name="invite-submitters" value="{submitter.pk}"' in page
    assert "Outside participant" in page or "Extern" in page or "outside" in page.lower()
