"""The contract other apps call: audit_record and audit_pseudonymise_person."""

import pytest
from django.test import RequestFactory

from apps.audit.models import AppendOnlyError, AuditEvent, AuditIdentity
from apps.audit.services import audit_pseudonymise_person, audit_record

pytestmark = pytest.mark.django_db


def test_record_without_request_names_people_through_identities(world):
    event = audit_record(
        kind=AuditEvent.Kind.HANDOVER,
        actor=world.administrator,
        subject_user=world.coach,
        organisation=world.skovde,
        object_repr="idea SLU-1",
        detail={"ideas": 2},
    )
    event.refresh_from_db()
    assert event.kind == "handover"
    assert event.actor.user == world.administrator
    assert world.administrator.email in event.actor.label
    assert event.subject.user == world.coach
    # Stored as the consortium, for scoping.
    assert event.organisation == world.consortium
    assert event.detail == {"ideas": 2}
    assert event.ip_address is None


def test_record_with_request_takes_actor_address_and_browser(world):
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox " + "x" * 300)
    request.user = world.coach
    event = audit_record(kind="export", request=request, object_repr="statistics")
    assert event.actor.user == world.coach
    assert event.ip_address == "127.0.0.1"
    assert len(event.user_agent) == 200


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        audit_record(kind="made_up")


def test_identity_is_reused_for_the_same_person(world):
    first = audit_record(kind="login", actor=world.coach)
    second = audit_record(kind="logout", actor=world.coach)
    assert first.actor_id == second.actor_id


def test_pseudonymise_rewrites_only_that_persons_identities(world):
    own = audit_record(kind="login", actor=world.coach)
    typed = audit_record(kind="login_failed", subject_label=world.coach.email.upper())
    other = audit_record(kind="login", actor=world.other_coach)
    assert audit_pseudonymise_person(user=world.coach, label="Person 17") == 2
    own.refresh_from_db()
    typed.refresh_from_db()
    other.refresh_from_db()
    assert own.actor.label == "Person 17"
    assert own.actor.pseudonymised_at is not None
    assert typed.subject.label == "Person 17"
    assert other.actor.label != "Person 17"
    # The events themselves did not change.
    assert own.kind == "login"
    assert not AuditIdentity.objects.filter(label__icontains=world.coach.email).exists()


def test_events_refuse_change_and_deletion_through_the_orm(world):
    event = audit_record(kind="login", actor=world.coach)
    event.object_repr = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        event.actor.delete()
    event.refresh_from_db()
    assert event.object_repr == ""
