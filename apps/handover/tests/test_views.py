"""The handover page, the refusal on the deactivation page, the leave date and the report."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.services import user_deactivate
from apps.core import testing
from apps.handover.selectors import holdings_of
from apps.ideas import services as idea_services
from apps.organisations.models import Role

from .scenario import make_leaver

pytestmark = pytest.mark.django_db


def test_the_deactivation_page_refuses_and_links_to_the_handover(client, world):
    leaver = make_leaver(world)
    client.force_login(world.administrator)
    url = reverse("organisations:person_deactivate", args=[leaver.person.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("handover:person", args=[leaver.person.pk]).encode() in page.content
    assert leaver.ideas[0].reference.encode() in page.content
    refused = client.post(url)
    assert refused.status_code == 400
    leaver.person.refresh_from_db()
    assert leaver.person.is_active


def test_the_handover_page_lists_every_group_and_hands_over(client, world):
    leaver = make_leaver(world)
    client.force_login(world.administrator)
    url = reverse("handover:person", args=[leaver.person.pk])
    page = client.get(url)
    assert page.status_code == 200
    for kind in ("ideas", *leaver.objects):
        assert f'id="holdings-{kind}"'.encode() in page.content, kind
        assert f'name="successor_{kind}"'.encode() in page.content, kind

    empty = client.post(url, {"deactivate": "on"})
    assert empty.status_code == 400
    assert _("Choose who takes these over.").encode() in empty.content

    done = client.post(url, {"successor_all": world.process_leader.pk, "deactivate": "on"})
    assert done.status_code == 302
    assert done["Location"] == reverse("organisations:person_detail", args=[leaver.person.pk])
    leaver.person.refresh_from_db()
    assert not leaver.person.is_active
    assert not holdings_of(leaver.person).must_move


def test_a_refused_successor_keeps_what_was_chosen(client, world):
    leaver = make_leaver(world)
    client.force_login(world.administrator)
    url = reverse("handover:person", args=[leaver.person.pk])
    page = client.post(
        url,
        {
            "successor_all": world.other_coach.pk,
            "successor_newsletters": world.communicator.pk,
            "deactivate": "on",
        },
    )
    assert page.status_code == 400
    form = page.context["form"]
    assert "successor_ideas" in form.errors
    assert form["successor_all"].value() == str(world.other_coach.pk)
    assert form["successor_newsletters"].value() == str(world.communicator.pk)
    assert form["deactivate"].value() is True
    leaver.person.refresh_from_db()
    assert leaver.person.is_active


def test_the_leave_date_is_set_on_the_person_page(client, world):
    leaver = make_leaver(world)
    client.force_login(world.administrator)
    url = reverse("organisations:person_leave_date", args=[leaver.person.pk])
    day = timezone.localdate() + timedelta(days=20)
    assert client.post(url, {"leaves_on": day.isoformat()}).status_code == 302
    leaver.person.refresh_from_db()
    assert leaver.person.leaves_on == day
    bad = client.post(url, {"leaves_on": "the 32nd"})
    assert bad.status_code == 400
    assert b"the 32nd" in bad.content
    assert client.post(url, {"leaves_on": ""}).status_code == 302
    leaver.person.refresh_from_db()
    assert leaver.person.leaves_on is None
    page = client.get(reverse("organisations:person_detail", args=[leaver.person.pk]))
    assert b'id="handover-link"' in page.content


def test_the_report_lists_ideas_without_an_active_owner_and_people_leaving(client, world):
    no_owner = testing.submit_idea(world.skovde)
    gone = testing.make_user("Gunnar Gått", (Role.COACH, world.hjo), email="gunnar@hjo.se")
    left_behind = testing.submit_idea(world.hjo)
    idea_services.idea_assign_owner(idea=left_behind, actor=gone, owner=gone)
    # An owner deactivated around the handover rules (e.g. by an older release).
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    owned = testing.submit_idea(world.skovde)
    idea_services.idea_assign_owner(idea=owned, actor=world.coach, owner=world.coach)
    leaver = make_leaver(world)
    leaver.person.leaves_on = timezone.localdate() + timedelta(days=10)
    leaver.person.save(update_fields=["leaves_on"])

    client.force_login(world.process_leader)
    page = client.get(reverse("handover:orphans"))
    assert page.status_code == 200
    listed = {idea.reference for ideas in page.context["municipalities"].values() for idea in ideas}
    assert no_owner.reference in listed and left_behind.reference in listed
    assert owned.reference not in listed and leaver.ideas[0].reference not in listed
    assert [h.person for h in page.context["leavers"]] == [leaver.person]
    assert page.context["leavers"][0].counts["ideas"] == 2
    assert f'id="orphans-{world.hjo.pk}"'.encode() in page.content
    detail = reverse("ideas:detail", args=[left_behind.reference]).encode()
    assert detail in page.content  # process leaders assign the owner there

    client.force_login(world.administrator)
    page = client.get(reverse("handover:orphans"))
    assert left_behind.reference.encode() in page.content
    assert detail not in page.content  # administrators would get 404 there


def test_another_consortium_sees_nothing(client, world):
    other = testing.make_consortium("Annat förbund", prefix="ANN")
    town = testing.make_municipality(other, "Annanstad")
    testing.submit_idea(town)
    admin = testing.make_user("Annan Admin", (Role.ADMINISTRATOR, other), email="a@ann.se")
    leader = testing.make_user("Annan Ledare", (Role.PROCESS_LEADER, other), email="l@ann.se")
    leaver = make_leaver(world)
    client.force_login(admin)
    assert client.get(reverse("handover:person", args=[leaver.person.pk])).status_code == 404
    client.force_login(leader)
    page = client.get(reverse("handover:orphans"))
    assert all(m.consortium_id == other.pk for m in page.context["municipalities"])


def _report_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("handover:orphans")).status_code == 200
    return len(queries)


def _leaving(person) -> None:
    person.leaves_on = timezone.localdate() + timedelta(days=5)
    person.save(update_fields=["leaves_on"])


def test_the_report_queries_stay_flat(client, world):
    testing.submit_idea(world.skovde)
    _leaving(make_leaver(world).person)
    client.force_login(world.process_leader)
    few = _report_queries(client)
    for municipality in (world.skovde, world.hjo, world.skovde, world.hjo):
        testing.submit_idea(municipality)
    for number in range(3):
        _leaving(make_leaver(world, name=f"Leaver {number}", email=f"l{number}@skovde.se").person)
    assert len(client.get(reverse("handover:orphans")).context["leavers"]) == 4
    assert _report_queries(client) == few


def test_a_person_deactivated_outside_the_handover_shows_in_the_report(client, world):
    idea = testing.submit_idea(world.skovde)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    idea_services.idea_assign_owner(idea=idea, actor=world.coach, owner=None)
    user_deactivate(user=world.coach)
    client.force_login(world.administrator)
    page = client.get(reverse("handover:orphans"))
    assert idea.reference.encode() in page.content
