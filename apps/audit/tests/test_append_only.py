"""The database itself refuses to change or delete audit events, on SQLite and PostgreSQL;
the one change it lets through is the pseudonymisation of an identity."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.audit.models import AuditEvent, AuditIdentity
from apps.audit.services import audit_pseudonymise_person, audit_record


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_raw_update_and_delete_of_an_event_are_refused(world):
    event = audit_record(kind="login", actor=world.coach, object_repr="kept")
    with pytest.raises(DatabaseError):
        raw("UPDATE audit_auditevent SET object_repr = 'changed' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        raw("UPDATE audit_auditevent SET actor_id = NULL WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM audit_auditevent")
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.object_repr == "kept"
    assert event.actor is not None


@pytest.mark.django_db
def test_raw_changes_of_an_identity_other_than_pseudonymising_are_refused(world):
    identity = audit_record(kind="login", actor=world.coach).actor
    with pytest.raises(DatabaseError):
        raw("UPDATE audit_auditidentity SET label = 'someone else' WHERE id = %s", [identity.pk])
    with pytest.raises(DatabaseError):
        raw("DELETE FROM audit_auditidentity WHERE id = %s", [identity.pk])
    with pytest.raises(DatabaseError):
        raw(
            "UPDATE audit_auditidentity SET user_id = %s WHERE id = %s",
            [world.other_coach.pk, identity.pk],
        )
    identity.refresh_from_db()
    assert world.coach.email in identity.label
    # Pseudonymising is allowed once; afterwards the pseudonym is fixed as well.
    raw(
        "UPDATE audit_auditidentity SET label = 'Person 1', pseudonymised_at = %s WHERE id = %s",
        [timezone.now(), identity.pk],
    )
    with pytest.raises(DatabaseError):
        raw("UPDATE audit_auditidentity SET label = 'Cecilia' WHERE id = %s", [identity.pk])
    identity.refresh_from_db()
    assert identity.label == "Person 1"


@pytest.mark.django_db
def test_the_pseudonymise_service_passes_the_triggers(world):
    audit_record(kind="login", actor=world.coach)
    assert audit_pseudonymise_person(user=world.coach, label="Person 9") == 1
    assert AuditIdentity.objects.get(user=world.coach).label == "Person 9"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_closes_the_triggers_again(world):
    audit_record(kind="login", actor=world.coach)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_flush_in_progress")
        assert cursor.fetchone()[0] == 0
