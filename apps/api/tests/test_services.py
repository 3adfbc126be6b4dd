"""The token services: making one (the secret once, an email to the owner, the rules on
names, expiry and how many), revoking one (own tokens only, once)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.api.models import ApiToken
from apps.api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from apps.core import testing
from apps.notifications.models import OutboxEmail


def test_a_new_token_tells_its_owner_by_email(world):
    token, secret = api_token_create(user=world.coach, name="Rapport")
    assert secret.startswith("sluss_") and len(secret) > 40
    email = OutboxEmail.objects.get(recipient=world.coach.email)
    assert token.prefix in email.body
    assert secret not in email.body + email.subject
    assert "/api/tokens/" in email.body


def test_the_email_is_sent_by_the_worker(transactional_db):
    user = testing.make_user("Tina Token", email="tina@skovde.se")
    _token, secret = api_token_create(user=user, name="Rapport")
    testing.run_worker()
    assert [m.to for m in mail.outbox] == [["tina@skovde.se"]]
    assert secret not in mail.outbox[0].body


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_reasonable_name(world, name):
    with pytest.raises(ValidationError) as raised:
        api_token_create(user=world.coach, name=name)
    assert "name" in raised.value.error_dict
    assert not ApiToken.objects.exists()


def test_a_token_expires_in_the_future_and_within_two_years(world):
    now = timezone.now()
    for expires_at in (now - timedelta(minutes=1), now + timedelta(days=800)):
        with pytest.raises(ValidationError):
            api_token_create(user=world.coach, name="Skript", expires_at=expires_at)
    token, _secret = api_token_create(
        user=world.coach, name="Skript", expires_at=now + timedelta(days=30)
    )
    assert token.expires_at == now + timedelta(days=30)


def test_a_person_holds_a_bounded_number_of_working_tokens(world):
    for number in range(MAX_ACTIVE_TOKENS):
        token, _secret = api_token_create(user=world.coach, name=f"Skript {number}")
    with pytest.raises(ValidationError):
        api_token_create(user=world.coach, name="En till")
    # A revoked token no longer counts.
    api_token_revoke(user=world.coach, token_id=token.pk)
    api_token_create(user=world.coach, name="En till")


def test_a_closed_account_gets_no_token(world):
    world.employee.is_active = False
    world.employee.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        api_token_create(user=world.employee, name="Skript")


def test_revoking_is_for_the_owner_and_happens_once(world):
    token, _secret = api_token_create(user=world.coach, name="Skript")
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=world.other_coach, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None
    first = api_token_revoke(user=world.coach, token_id=token.pk).revoked_at
    assert first is not None
    again = api_token_revoke(user=world.coach, token_id=token.pk, now=first + timedelta(days=1))
    assert again.revoked_at == first


def test_revoking_a_token_that_does_not_exist(world):
    with pytest.raises(PermissionDenied):
        api_token_revoke(user=world.coach, token_id=987654)
