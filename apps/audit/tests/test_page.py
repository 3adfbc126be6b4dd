"""The audit log page and its CSV export: scoping, filters, pagination, query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import audit_record
from apps.audit.views import PAGE_SIZE
from apps.core import testing
from apps.organisations.models import Role

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")


@pytest.fixture
def elsewhere(world):
    """Another consortium with its own coach and administrator."""
    consortium = testing.make_consortium("Fyrbodal", prefix="FYR")
    uddevalla = testing.make_municipality(consortium, "Uddevalla")
    coach = testing.make_user("Ulla Uddevalla", (Role.COACH, uddevalla), email="ulla@uddevalla.se")
    admin = testing.make_user("Fia Fyrbodal", (Role.ADMINISTRATOR, consortium), email="fia@fyr.se")
    return consortium, coach, admin


def shown_ids(response) -> set[int]:
    return {event.pk for event in response.context["page"].object_list}


def test_an_administrator_sees_their_consortium_and_its_people_not_another(
    client, world, elsewhere
):
    consortium, other_coach, _ = elsewhere
    ours = audit_record(kind="export", actor=world.process_leader, organisation=world.consortium)
    our_person = audit_record(kind="login", actor=world.coach, subject_user=world.coach)
    theirs = audit_record(kind="export", actor=other_coach, organisation=consortium)
    their_person = audit_record(kind="login", actor=other_coach, subject_user=other_coach)
    anonymous_refusal = audit_record(kind="access_denied", detail={"status": 429})
    client.force_login(world.administrator)
    response = client.get(LOG)
    assert response.status_code == 200
    shown = shown_ids(response)
    assert {ours.pk, our_person.pk} <= shown
    assert not shown & {theirs.pk, their_person.pk, anonymous_refusal.pk}


def test_a_superuser_sees_everything(client, world, elsewhere):
    _, other_coach, _ = elsewhere
    theirs = audit_record(kind="login", actor=other_coach)
    system = audit_record(kind="retention_run")
    superuser = testing.make_user("Super", email="root@example.se")
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    assert {theirs.pk, system.pk} <= shown_ids(client.get(LOG))


@pytest.mark.parametrize("actor", ["coach", "process_leader", "communicator", "employee"])
def test_everyone_else_gets_404(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(LOG).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, world):
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_filters_by_kind_person_and_period(client, world):
    login = audit_record(kind="login", actor=world.coach, subject_user=world.coach)
    export = audit_record(kind="export", actor=world.process_leader, organisation=world.skovde)
    other_login = audit_record(kind="login", actor=world.manager, subject_user=world.manager)
    client.force_login(world.administrator)
    assert shown_ids(client.get(LOG, {"kind": "login"})) >= {login.pk, other_login.pk}
    assert export.pk not in shown_ids(client.get(LOG, {"kind": "login"}))
    by_person = shown_ids(client.get(LOG, {"person": "COACH@skovde"}))
    assert login.pk in by_person
    assert not by_person & {export.pk, other_login.pk}
    today = timezone.localdate()
    assert export.pk in shown_ids(client.get(LOG, {"start": today, "end": today}))
    tomorrow = today + timedelta(days=1)
    assert shown_ids(client.get(LOG, {"start": tomorrow})) == set()


def test_bad_filters_come_back_with_status_400_and_what_was_typed(client, world):
    client.force_login(world.administrator)
    response = client.get(LOG, {"start": "igår", "person": "cecilia", "kind": "nonsense"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"start", "kind"}
    assert 'value="cecilia"' in response.content.decode()
    ends_before = client.get(LOG, {"start": "2026-03-02", "end": "2026-03-01"})
    assert ends_before.status_code == 400
    assert "end" in ends_before.context["form"].errors


def test_pagination(client, world):
    for _ in range(PAGE_SIZE + 3):
        audit_record(kind="export", organisation=world.consortium)
    client.force_login(world.administrator)
    first = client.get(LOG, {"kind": "export"})
    second = client.get(LOG, {"kind": "export", "page": 2})
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert len(second.context["page"].object_list) == 3
    assert not shown_ids(first) & shown_ids(second)


def test_the_page_costs_the_same_queries_with_few_and_many_events(client, world):
    client.force_login(world.administrator)
    audit_record(kind="login", actor=world.coach, organisation=world.consortium)
    client.get(LOG)  # warm the session and the per-request caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(LOG).status_code == 200
    for person in (world.coach, world.manager, world.process_leader, world.communicator):
        for kind in ("login", "export", "access_denied"):
            audit_record(kind=kind, actor=person, subject_user=person, organisation=world.skovde)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LOG).status_code == 200
    assert len(many) == len(few)


def test_the_csv_export_holds_the_filtered_events_and_is_itself_recorded(client, world):
    audit_record(kind="login", actor=world.coach, subject_user=world.coach)
    audit_record(kind="export", actor=world.process_leader, object_repr="=HYPERLINK(1)")
    client.force_login(world.administrator)
    response = client.get(EXPORT, {"kind": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2  # the header and the one export (the login is filtered out)
    assert world.process_leader.email in rows[1][2]
    assert rows[1][5] == "'=HYPERLINK(1)"  # a formula is neutralised
    [recorded] = AuditEvent.objects.filter(kind="export", detail__view="audit:export")
    assert recorded.actor.user == world.administrator


def test_the_csv_export_with_bad_filters_is_refused_with_the_form(client, world):
    client.force_login(world.administrator)
    response = client.get(EXPORT, {"start": "nej"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(kind="export").exists()
