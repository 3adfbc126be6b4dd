"""The "needs attention" selector and page: exactly the hand-worked items of the
scenario for each person, Swedish working days (holidays and eves) in the targets, the
stale-days setting, scope, and query counts that stay flat as the data grows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import testing
from apps.followup.selectors import attention_items
from apps.ideas.models import Idea

from . import scenario as sc

pytestmark = pytest.mark.django_db


def listed(attention) -> dict[str, set[str]]:
    return {
        "past_target": {row.idea.reference for row in attention.past_target},
        "stale": {row.idea.reference for row in attention.stale},
        "action_items": {row.item.title for row in attention.action_items},
        "referrals": {row.idea.reference for row in attention.referrals},
    }


@pytest.fixture
def scene(world):
    return sc.build(world)


@pytest.mark.parametrize("who", ["coach", "sara", "other_coach", "process_leader"])
def test_each_person_gets_exactly_their_items(scene, who):
    user = scene.sara if who == "sara" else getattr(scene.world, who)
    attention = attention_items(user, sc.NOW)
    assert listed(attention) == scene.expected(who)
    assert attention.total == sum(len(v) for v in scene.expected(who).values())


@pytest.mark.parametrize("who", ["communicator", "administrator", "manager", "employee"])
def test_other_roles_get_nothing(scene, who):
    assert attention_items(getattr(scene.world, who), sc.NOW).total == 0


def test_targets_count_swedish_working_days(scene):
    rows = {
        row.idea.reference: row for row in attention_items(scene.world.coach, sc.NOW).past_target
    }
    a = rows[scene.ideas["A"].reference]
    # From Wednesday 4 June: 12 weekdays to 23 June, less nationaldagen and midsommarafton.
    assert (a.working_days, a.target_days, a.over_by) == (11, 10, 1)
    assert scene.ideas["B"].reference not in rows  # 10 working days: not past 10
    # The furthest past its target comes first.
    assert next(iter(rows)) == scene.ideas["E"].reference


def test_the_stale_days_setting(scene, settings):
    settings.SLUSS_STALE_DAYS = 60
    assert not attention_items(scene.world.coach, sc.NOW).stale
    settings.SLUSS_STALE_DAYS = 2
    stale = {row.idea.reference for row in attention_items(scene.world.coach, sc.NOW).stale}
    # Every open idea of the coach's scope has been quiet since 20 June at least.
    assert stale == {scene.ideas[k].reference for k in ("A", "B", "C", "E")}


def test_an_idea_moved_on_leaves_the_list(scene):
    idea = scene.ideas["A"]
    Idea.objects.filter(pk=idea.pk).update(stage_entered_at=sc.NOW - timedelta(hours=1))
    refs = {row.idea.reference for row in attention_items(scene.world.coach, sc.NOW).past_target}
    assert idea.reference not in refs


def test_the_page_lists_the_items_with_counts(client, scene, monkeypatch):
    monkeypatch.setattr(
        "apps.followup.views.attention_items", lambda user: attention_items(user, sc.NOW)
    )
    client.force_login(scene.world.coach)
    response = client.get(reverse("followup:attention"))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("A", "C", "E"):
        assert scene.ideas[key].reference in page
    for key in ("B", "D", "F", "G"):
        assert scene.ideas[key].reference not in page
    assert "Ring Ida om testet" in page and "Boka lokal i Hjo" not in page
    assert (
        reverse("referrals:detail", kwargs={"referral_id": scene.referrals["overdue"].pk}) in page
    )
    assert reverse("followup:attention") in page  # the menu item
    assert 'aria-current="page"' in page


def test_the_page_has_an_empty_state(client, world):
    client.force_login(world.other_coach)
    response = client.get(reverse("followup:attention"))
    assert response.status_code == 200
    assert response.context["attention"].total == 0


def test_the_menu_shows_the_page_only_to_coaches_and_process_leaders(client, world):
    url = reverse("followup:attention")
    for user, shown in (
        (world.coach, True),
        (world.process_leader, True),
        (world.manager, False),
        (world.communicator, False),
        (world.employee, False),
    ):
        client.force_login(user)
        page = client.get(reverse("core:start")).content.decode()
        assert (f'href="{url}"' in page) is shown, user


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("followup:attention"))
    assert response.status_code == 200
    return len(captured)


def test_page_queries_stay_flat_as_data_grows(client, world, monkeypatch):
    monkeypatch.setattr(
        "apps.followup.views.attention_items", lambda user: attention_items(user, sc.NOW)
    )
    sc.build(world)
    few = _queries(client, world.process_leader)
    for municipality in (world.skovde, world.hjo):
        for _ in range(4):
            made = testing.submit_idea(municipality)
            Idea.objects.filter(pk=made.pk).update(
                stage_entered_at=sc.at(sc.date(2031, 1, 2)),
                last_activity_at=sc.at(sc.date(2031, 1, 2)),
                owner=world.coach if municipality == world.skovde else world.other_coach,
            )
    sc.build(world)  # a second scenario: more items of every kind
    many = _queries(client, world.process_leader)
    assert many == few, f"{few} queries with few items, {many} with many"
