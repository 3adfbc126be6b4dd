"""Every kind the audit app records by itself: through the real login form, real pages and
the organisations services, with the middleware and signals switched on in settings."""

import pytest
from django.urls import reverse

from apps.accounts.services import user_deactivate
from apps.audit.models import AuditEvent
from apps.core.testing import PASSWORD, submit_idea
from apps.organisations import services as organisation_services
from apps.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).select_related("actor", "subject"))


def test_a_login_through_the_form_is_recorded_with_address_and_browser(client, world):
    response = client.post(
        LOGIN,
        {"login": world.coach.email, "password": PASSWORD},
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    assert response.status_code == 302
    [event] = events(AuditEvent.Kind.LOGIN)
    assert event.actor.user == world.coach
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"


def test_a_failed_login_is_recorded_for_the_account_it_named(client, world):
    response = client.post(LOGIN, {"login": world.coach.email, "password": "wrong-password"})
    assert response.status_code == 200
    [event] = events(AuditEvent.Kind.LOGIN_FAILED)
    assert event.actor is None
    assert event.subject.user == world.coach
    assert event.detail == {"known_account": True}


def test_a_failed_login_with_an_unknown_address_keeps_what_was_typed(client, world):
    client.post(LOGIN, {"login": "nobody@example.se", "password": "wrong-password"})
    [event] = events(AuditEvent.Kind.LOGIN_FAILED)
    assert event.subject.user is None
    assert event.subject.label == "nobody@example.se"


def test_a_logout_is_recorded(client, world):
    client.force_login(world.coach)
    client.post(reverse("account_logout"))
    [event] = events(AuditEvent.Kind.LOGOUT)
    assert event.actor.user == world.coach


def test_a_404_to_a_logged_in_person_on_a_real_view_is_an_access_denial(client, world):
    idea = submit_idea(world.skovde)
    client.force_login(world.other_coach)  # Hjo's coach may not see a Skövde idea
    url = reverse("ideas:detail", kwargs={"reference": idea.reference})
    assert client.get(url).status_code == 404
    [event] = events(AuditEvent.Kind.ACCESS_DENIED)
    assert event.actor.user == world.other_coach
    assert event.detail["status"] == 404
    assert event.detail["view"] == "ideas:detail"
    assert event.object_repr == url
    assert not events(AuditEvent.Kind.IDEA_VIEWED)


def test_a_refused_private_link_is_recorded_without_its_token(client, world):
    client.force_login(world.coach)
    token = "a-private-link-token-that-must-not-reach-the-log"
    url = reverse("ideas:submitter_page", kwargs={"token": token})
    assert client.get(url).status_code == 404
    [event] = events(AuditEvent.Kind.ACCESS_DENIED)
    assert token not in event.object_repr and token not in str(event.detail)
    assert event.object_repr == url.replace(token, "[token]")


def test_404s_that_are_dead_links_are_not_recorded(client, world):
    # No view at all, a missing static file, and an anonymous visitor guessing.
    client.force_login(world.coach)
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    client.logout()
    assert client.get(reverse("ideas:detail", kwargs={"reference": "X-1"})).status_code in (
        302,
        404,
    )
    assert not events(AuditEvent.Kind.ACCESS_DENIED)


def test_a_rate_limited_refusal_is_recorded(client, world, settings):
    for _ in range(6):
        response = client.post(LOGIN, {"login": world.coach.email, "password": "wrong"})
    assert response.status_code == 429
    refusals = events(AuditEvent.Kind.ACCESS_DENIED)
    assert [event.detail["status"] for event in refusals] == [429]


def test_viewing_an_idea_with_personal_data_is_recorded(client, world):
    idea = submit_idea(world.skovde)
    client.force_login(world.coach)
    assert client.get(reverse("ideas:detail", kwargs={"reference": idea.reference})).status_code
    [event] = events(AuditEvent.Kind.IDEA_VIEWED)
    assert event.actor.user == world.coach
    assert event.object_repr == idea.reference
    assert event.organisation_id == world.consortium.pk
    assert event.detail["view"] == "ideas:detail"


def test_an_ordinary_page_records_nothing(client, world):
    client.force_login(world.coach)
    before = AuditEvent.objects.count()
    assert client.get(reverse("ideas:list")).status_code == 200
    assert AuditEvent.objects.count() == before


def test_an_export_is_recorded(client, world):
    client.force_login(world.process_leader)
    url = reverse("stats:export", kwargs={"slug": "funnel", "fmt": "csv"})
    assert client.get(url).status_code == 200
    [event] = events(AuditEvent.Kind.EXPORT)
    assert event.actor.user == world.process_leader
    assert event.detail["view"] == "stats:export"


def test_role_grant_and_revoke_through_the_services_are_recorded(world):
    membership = organisation_services.role_grant(
        actor=world.administrator, person=world.employee, role=Role.COACH, organisation=world.hjo
    )
    [granted] = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_GRANTED, subject__user=world.employee
    )
    # No request: the change is recorded as made by the system, for the person, in the consortium.
    assert granted.actor is None
    assert granted.organisation_id == world.consortium.pk
    assert granted.detail == {"role": Role.COACH, "organisation_id": world.hjo.pk}
    organisation_services.role_revoke(actor=world.administrator, membership=membership)
    [revoked] = AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_REVOKED)
    assert revoked.subject.user == world.employee


def test_a_role_granted_on_the_page_names_the_administrator(client, world):
    client.force_login(world.administrator)
    response = client.post(
        reverse("organisations:role_grant", kwargs={"person_id": world.manager.pk}),
        {"role": Role.COACH, "organisation": world.hjo.pk},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.manager, role=Role.COACH).exists()
    [granted] = AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_GRANTED, subject__user=world.manager, detail__role=Role.COACH
    )
    assert granted.actor.user == world.administrator


def test_deactivating_a_person_is_recorded_once(world):
    user_deactivate(user=world.employee)
    user_deactivate(user=world.employee)  # already inactive: nothing new happened
    [event] = events(AuditEvent.Kind.PERSON_DEACTIVATED)
    assert event.subject.user == world.employee


def test_an_ordinary_save_of_an_active_person_costs_no_query(world, django_assert_num_queries):
    world.employee.full_name = "Erik Andersson"
    with django_assert_num_queries(1):  # the UPDATE itself
        world.employee.save()


def test_deleting_an_account_with_roles_keeps_the_log(world):
    coach_id = world.coach.pk
    world.coach.delete()
    # Identities lose their link to the deleted account; the events stay.
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_GRANTED).exists()
    assert not AuditEvent.objects.filter(subject__user_id=coach_id).exists()
