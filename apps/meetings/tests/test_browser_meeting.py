"""Finding a time in a real Chromium, with axe-core (WCAG 2.1 A/AA) on every page and
state visited.

A coach starts a poll from the idea page and invites two colleagues and the submitter;
the submitter answers through the private link from the email, without an account; the
two colleagues answer logged in (one finds the poll on "My tasks"). The coach sees the
best time marked in words, books it, and every participant's email with the calendar
invitation (invite.ics) goes out through the real worker. Then notes, an action item,
"My tasks" and the calendar feed.

Elements are found by id, name and form action, and assertions are on data, so the test
holds in both languages whatever the translation catalogue says.
"""

import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from apps.core.testing import run_worker
from apps.core.tests.browser import assert_accessible, chromium, log_in, new_page
from apps.ideas.models import TimelineEntry
from apps.meetings.models import ActionItem, Meeting
from apps.meetings.testing import idea_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Planera testet på Ekbackens förskola"


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def visit(page, path: str, *, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}"


def submit(page, form_selector: str, *, status: int | None = None) -> None:
    """Press the form's submit button and wait for the answer page (and its status)."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("[type=submit]").first.click()
    if status is not None:
        assert navigation.value is not None
        assert navigation.value.status == status, f"{page.url} answered {navigation.value.status}"


def assert_error_summary_focused(page) -> None:
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"


def answer(page, values: list[str], state: str) -> None:
    """Answer each time (in order) on a participant's page, and send."""
    groups = page.locator("main fieldset")
    assert groups.count() == len(values)
    for n, value in enumerate(values):
        groups.nth(n).locator(f"input[value={value}]").check()
    submit(page, "main form", status=200)
    assert page.locator("#status").inner_text().strip()
    assert_accessible(page, state)


def test_a_poll_answered_by_three_and_booked_with_invitations(browser, live_server, world):
    idea = idea_in(world.skovde, unit=world.skovde_unit, submitter_email="ida@skovde.se")
    submitter = idea.submitters.get()
    run_worker()
    mail.outbox.clear()
    day1 = timezone.localdate() + timedelta(days=8)
    day2 = timezone.localdate() + timedelta(days=9)

    with (
        new_page(browser, live_server.url) as coach,
        new_page(browser, live_server.url) as ida,
        new_page(browser, live_server.url) as leader,
        new_page(browser, live_server.url) as manager,
    ):
        log_in(coach, live_server.url, world.coach)

        # --- From the idea page to the poll form. -------------------------------------
        visit(coach, f"/workspace/ideas/{idea.reference}/")
        assert_accessible(coach, "idea page without meetings")
        with coach.expect_navigation():
            coach.locator(f"a[href='/meetings/new/{idea.reference}/']").click()
        assert_accessible(coach, "new poll form")

        # Half filled: the errors, with the focus on their summary and the values kept.
        coach.fill("#id_option_1_date", day1.isoformat())
        coach.fill("#id_guest_1_email", "inte-en-adress")
        submit(coach, "main form", status=400)
        assert_error_summary_focused(coach)
        for field in ("title", "option_1_time", "guest_1_email", "guest_1_name"):
            assert coach.locator(f"#error-summary a[href='#id_{field}']").count() == 1, field
        assert coach.locator("#id_option_1_date").input_value() == day1.isoformat()
        assert_accessible(coach, "new poll form, with errors")

        coach.fill("#id_title", TITLE)
        coach.select_option("#id_duration_minutes", "60")
        coach.fill("#id_location", "Ekbackens förskola, Skövde")
        coach.fill("#id_option_1_time", "09:00")
        coach.fill("#id_option_2_date", day1.isoformat())
        coach.fill("#id_option_2_time", "13:00")
        coach.fill("#id_option_3_date", day2.isoformat())
        coach.fill("#id_option_3_time", "10:00")
        coach.fill("#id_guest_1_email", "")
        coach.check(f"input[name=users][value='{world.process_leader.pk}']")
        coach.check(f"input[name=users][value='{world.manager.pk}']")
        coach.check(f"input[name=submitters][value='{submitter.pk}']")
        submit(coach, "main form", status=200)
        meeting = Meeting.objects.get()
        assert coach.url.endswith(f"/meetings/{meeting.pk}/")
        assert meeting.options.count() == 3 and meeting.participants.count() == 3
        assert_accessible(coach, "meeting page, nobody has answered")

        # An error state on the meeting page: a time without its start.
        coach.fill("#id_add-option_1_date", day2.isoformat())
        submit(coach, "form[action$='/times/']", status=400)
        assert_error_summary_focused(coach)
        assert_accessible(coach, "meeting page, add times with an error")

        # --- The poll's emails go out; the submitter answers through the link. --------
        run_worker()
        [poll] = [m for m in mail.outbox if m.to == ["ida@skovde.se"]]
        link = re.search(r"https?://\S+(/meetings/p/[^/\s]+/)", poll.body)
        assert link, poll.body
        visit(ida, link.group(1))
        assert TITLE in ida.locator("h1").inner_text()
        assert_accessible(ida, "submitter's poll page")
        submit(ida, "main form", status=400)  # nothing chosen
        assert_error_summary_focused(ida)
        assert_accessible(ida, "submitter's poll page, unanswered")
        answer(ida, ["yes", "yes", "no"], "submitter's poll page, answered")

        # --- A colleague finds the poll on "My tasks" and answers logged in. ----------
        log_in(leader, live_server.url, world.process_leader)
        visit(leader, "/meetings/tasks/")
        assert_accessible(leader, "my tasks with a poll to answer")
        own_link = meeting.participants.get(user=world.process_leader).access_token
        with leader.expect_navigation():
            leader.locator(f"a[href='/meetings/p/{own_link}/']").click()
        answer(leader, ["maybe", "yes", "yes"], "colleague's poll page, answered")

        # --- The manager answers through the link in their email, logged in. ---------
        log_in(manager, live_server.url, world.manager)
        [invite] = [m for m in mail.outbox if m.to == [world.manager.email]]
        visit(manager, re.search(r"https?://\S+(/meetings/p/[^/\s]+/)", invite.body).group(1))
        answer(manager, ["no", "yes", "maybe"], "manager's poll page, answered")

        # --- The organiser sees the best time and books it. ---------------------------
        options = list(meeting.options.order_by("start"))
        best = options[1]  # three yes
        visit(coach, f"/meetings/{meeting.pk}/")
        best_row = coach.locator(f"#option-{best.pk}")
        assert best_row.locator(".tag").count() == 1
        assert best_row.locator("strong").count() == 1
        assert coach.locator(f"#option-{options[0].pk} .tag").count() == 0
        assert_accessible(coach, "meeting page, everyone has answered")
        mail.outbox.clear()
        with coach.expect_navigation():
            best_row.locator("button[type=submit]").first.click()
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.BOOKED and meeting.booked_start == best.start
        assert_accessible(coach, "meeting page, booked")

        # --- Every participant's invitation is in the outbox, sent by the worker. ----
        run_worker()
        invited = {m.to[0]: m for m in mail.outbox}
        assert set(invited) == {
            "ida@skovde.se",
            world.process_leader.email,
            world.manager.email,
            world.coach.email,
        }
        for message in invited.values():
            [(filename, content, mimetype)] = message.attachments
            assert filename == "invite.ics"
            assert mimetype.startswith("text/calendar")
            calendar = icalendar.Calendar.from_ical(content)
            assert calendar["METHOD"] == "REQUEST"
            [event] = calendar.walk("VEVENT")
            assert str(event["UID"]) == meeting.uid
            assert event.decoded("DTSTART") == best.start
            assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert idea.timeline.filter(kind=TimelineEntry.Kind.MEETING_BOOKED).count() == 1

        # The submitter's page now shows the booked time and the calendar file.
        visit(ida, link.group(1))
        assert ida.locator(f"a[href='{link.group(1)}invite.ics']").count() == 1
        assert_accessible(ida, "submitter's page, booked")

        # --- Notes, decisions and an action item on the meeting page. ----------------
        coach.fill("#id_notes-notes", "Alla var med. Förskolan vill testa i mars.")
        coach.fill("#id_notes-decisions", "Testet startar vecka 10.")
        submit(coach, "form[action$='/notes/']", status=200)
        submit(coach, "form[action$='/action-items/']", status=400)
        assert_error_summary_focused(coach)
        assert_accessible(coach, "meeting page, empty action item")
        coach.fill("#id_item-title", "Boka lokal för testet")
        coach.select_option("#id_item-owner", str(world.process_leader.pk))
        coach.fill("#id_item-due_date", (timezone.localdate() + timedelta(days=5)).isoformat())
        submit(coach, "form[action$='/action-items/']", status=200)
        item = ActionItem.objects.get()
        assert item.owner == world.process_leader and item.meeting == meeting
        assert_accessible(coach, "meeting page with notes and an action item")
        visit(coach, f"/workspace/ideas/{idea.reference}/")
        assert coach.locator(f"#meeting-{meeting.pk}").count() == 1
        assert "Testet startar vecka 10." in coach.locator(".timeline").inner_text()
        assert_accessible(coach, "idea page with a booked meeting")

        # --- "My tasks": the item is marked done; the calendar feed is made. ---------
        visit(leader, "/meetings/tasks/")
        assert leader.locator(f"#item-{item.pk}").count() == 1
        assert_accessible(leader, "my tasks with an action item")
        submit(leader, f"#item-{item.pk} form", status=200)
        item.refresh_from_db()
        assert item.done_at is not None
        submit(leader, "form[action='/meetings/feed/']", status=200)
        address = leader.locator("#feed-url").input_value()
        assert address.endswith(".ics")
        assert_accessible(leader, "my tasks with the calendar feed")
        feed = leader.request.get(address[address.index("/meetings/feed/") :])
        assert feed.status == 200
        events = icalendar.Calendar.from_ical(feed.text()).walk("VEVENT")
        assert [str(e["UID"]) for e in events] == [meeting.uid]

        # --- Change and cancel: the confirmation pages. ------------------------------
        visit(coach, f"/meetings/{meeting.pk}/edit/")
        assert_accessible(coach, "change the meeting")
        visit(coach, f"/meetings/{meeting.pk}/cancel/")
        assert_accessible(coach, "cancel the meeting, confirm")
        submit(coach, "main form", status=200)
        assert_accessible(coach, "meeting page, cancelled")
        visit(ida, link.group(1))
        assert_accessible(ida, "submitter's page, cancelled")
