"""The weekly digest: exactly the overdue items of the hand-built scenario (frozen at
Monday 23 June 2031, 09:00), once per ISO week, from Monday 07:00, in each person's
language; and sent by the real worker."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from apps.core.testing import run_worker
from apps.followup import services, tasks
from apps.followup.models import DigestRecord
from apps.notifications.models import OutboxEmail

from . import scenario as sc

SECTIONS = {
    # The heading that opens each section in the email (English).
    "Ideas past their stage's target time": "past_target",
    "Ideas without activity for": "stale",
    "Overdue action items": "action_items",
    "Overdue referrals": "referrals",
}


def parse(body: str) -> dict[str, set[str]]:
    """The items an email lists, per section: each item line is "- <reference> <text>";
    ideas are named by reference, action items by their title, referrals by the idea's
    reference."""
    found: dict[str, set[str]] = {key: set() for key in SECTIONS.values()}
    section = None
    for line in body.splitlines():
        for heading, key in SECTIONS.items():
            if line.startswith(heading):
                section = key
        match = re.match(r"- (\S+) (.*?): ", line)
        if match and section:
            reference, text = match.groups()
            found[section].add(text if section == "action_items" else reference)
    return found


def digests() -> dict[str, OutboxEmail]:
    return {e.recipient: e for e in OutboxEmail.objects.filter(kind="weekly_digest")}


def english(*users):
    for user in users:
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])


@pytest.mark.django_db
def test_the_digest_lists_exactly_the_overdue_items(world):
    scene = sc.build(world)
    english(world.coach, world.other_coach, world.process_leader, scene.sara)
    assert services.send_weekly_digest(now=sc.NOW) == 4
    sent = digests()
    people = {
        "coach": world.coach,
        "sara": scene.sara,
        "other_coach": world.other_coach,
        "process_leader": world.process_leader,
    }
    assert set(sent) == {user.email for user in people.values()}
    for who, user in people.items():
        email = sent[user.email]
        assert parse(email.body) == scene.expected(who), who
        total = sum(len(items) for items in scene.expected(who).values())
        assert email.subject == f"Needs attention this week: {total} items in the innovation sluice"
        assert "/follow-up/" in email.body
    coach_email = sent[world.coach.email].body
    assert "11 working days in Received, target 10" in coach_email
    assert "last activity 1 May 2031" in coach_email
    assert "due 19 June 2031" in coach_email
    assert "answer by 20 June 2031" in coach_email
    # Everyone else (no coach or process leader role) got nothing.
    assert not {world.manager.email, world.communicator.email, world.employee.email} & set(sent)


@pytest.mark.django_db
def test_once_per_iso_week(world):
    sc.build(world)
    assert services.send_weekly_digest(now=sc.NOW) == 4
    # Later the same week (and the very end of it): nothing more.
    assert services.send_weekly_digest(now=sc.NOW + timedelta(hours=3)) == 0
    assert services.send_weekly_digest(now=sc.at(sc.date(2031, 6, 29), 23)) == 0
    assert OutboxEmail.objects.filter(kind="weekly_digest").count() == 4
    # Every coach and process leader has this week recorded, with or without an email.
    records = DigestRecord.objects.filter(week_start=sc.date(2031, 6, 23))
    assert records.filter(emailed=True).count() == 4
    assert records.count() == 4
    # The next week: again.
    assert services.send_weekly_digest(now=sc.NOW + timedelta(days=7)) == 4


@pytest.mark.django_db
def test_not_before_monday_seven(world):
    sc.build(world)
    monday_early = sc.at(sc.date(2031, 6, 23), 6)
    assert services.send_weekly_digest(now=monday_early) == 0
    assert not DigestRecord.objects.exists()
    # Late in the week (the worker was down on Monday): it goes out then.
    assert services.send_weekly_digest(now=sc.at(sc.date(2031, 6, 26), 14)) == 4


@pytest.mark.django_db
def test_nothing_to_report_sends_nothing_and_records_the_week(world):
    # No ideas at all: the coaches and the process leader have a quiet week.
    assert services.send_weekly_digest(now=sc.NOW) == 0
    assert not OutboxEmail.objects.filter(kind="weekly_digest").exists()
    assert DigestRecord.objects.filter(emailed=False).count() == 3
    # Ideas that stall by Wednesday bring no mid-week "weekly" digest to those whose
    # (quiet) week is recorded; Sara, a coach only since then, gets hers.
    scene = sc.build(world)
    assert services.send_weekly_digest(now=sc.NOW + timedelta(days=2)) == 1
    assert set(digests()) == {scene.sara.email}


@pytest.mark.django_db
def test_the_digest_is_in_swedish_by_default(world):
    sc.build(world)
    services.send_weekly_digest(now=sc.NOW)
    body = digests()[world.coach.email].body
    assert "19 juni 2031" in body  # dates in the recipient's language


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_digest(world):
    scene = sc.build(world)
    run_worker()  # the scenario's own emails (referrals, action items)
    mail.outbox.clear()
    tasks.send_weekly_digest.enqueue(now=sc.NOW.isoformat())
    run_worker()
    expected = [world.coach, world.other_coach, world.process_leader, scene.sara]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in expected)
    # The next day, the worker runs it again: nothing new.
    tasks.send_weekly_digest.enqueue(now=(sc.NOW + timedelta(days=1)).isoformat())
    run_worker()
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_digest_send_claims_the_week_once(world):
    # The record is the claim: a second call (another worker, the same moment) finds it
    # through the unique constraint and sends nothing.
    sc.build(world)
    assert services.digest_send(user=world.coach, now=sc.NOW) is True
    assert services.digest_send(user=world.coach, now=sc.NOW + timedelta(minutes=1)) is False
    assert OutboxEmail.objects.filter(kind="weekly_digest").count() == 1
    assert DigestRecord.objects.get(user=world.coach).items == 5
