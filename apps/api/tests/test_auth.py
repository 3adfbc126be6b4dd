"""Token authentication: what a request without, with a wrong, revoked or expired token,
or with the token of a closed account gets (401 JSON with a clear sentence, never a
500), and that a good token works and notes its last use at most once a minute."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.api import auth
from apps.api.models import ApiToken
from apps.api.services import api_token_create, api_token_revoke
from apps.core import testing

LIST = "/api/v1/ideas"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def coach_token(world):
    testing.submit_idea(world.skovde)
    return api_token_create(user=world.coach, name="Skript")


def assert_refused(response, message: str) -> None:
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": {"code": "unauthorized", "message": message, "fields": {}}}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_good_token_opens_the_api(client, coach_token):
    _token, secret = coach_token
    response = client.get(LIST, headers=bearer(secret))
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_no_token_and_no_session_is_told_what_to_send(client, coach_token):
    assert_refused(client.get(LIST), auth.MISSING)
    assert_refused(client.post("/api/v1/ideas/similar", {}), auth.MISSING)
    assert_refused(client.get(LIST, headers={"Authorization": "Bearer "}), auth.MISSING)


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Token abc", "bearer-but-not", "x" * 5000, ""],
)
def test_another_scheme_is_refused(client, coach_token, header):
    response = client.get(LIST, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["message"] in {auth.WRONG_SCHEME, auth.MISSING}


@pytest.mark.parametrize(
    "wrong",
    ["sluss_not-a-real-token", "ärligt-talat", "a" * 201, "sluss_\x00"],
)
def test_a_wrong_token_is_refused(client, coach_token, wrong):
    assert_refused(client.get(LIST, headers=bearer(wrong)), auth.UNKNOWN)


def test_a_token_with_a_character_changed_is_refused(client, coach_token):
    _token, secret = coach_token
    changed = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert_refused(client.get(LIST, headers=bearer(changed)), auth.UNKNOWN)


def test_a_revoked_token_is_refused(client, world, coach_token):
    token, secret = coach_token
    api_token_revoke(user=world.coach, token_id=token.pk)
    assert_refused(client.get(LIST, headers=bearer(secret)), auth.REVOKED)


def test_an_expired_token_is_refused(client, world):
    token, secret = api_token_create(
        user=world.coach, name="Kort", expires_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(LIST, headers=bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused(client.get(LIST, headers=bearer(secret)), auth.EXPIRED)


def test_the_token_of_a_closed_account_is_refused(client, world, coach_token):
    _token, secret = coach_token
    world.coach.is_active = False
    world.coach.save(update_fields=["is_active"])
    assert_refused(client.get(LIST, headers=bearer(secret)), auth.ACCOUNT_CLOSED)


def test_a_bad_token_is_refused_even_beside_a_signed_in_session(client, world, coach_token):
    # The token decides: a program that sends a revoked token must learn it, not be let
    # in quietly by a browser cookie that happens to come along.
    client.force_login(world.coach)
    assert client.get(LIST).status_code == 200
    assert_refused(client.get(LIST, headers=bearer("sluss_wrong")), auth.UNKNOWN)


def test_a_signed_in_session_must_send_the_csrf_token_to_post(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.coach)
    response = browser.post(
        "/api/v1/ideas/similar", {"title": "Föräldrar"}, content_type="application/json"
    )
    assert response.status_code == 403
    # Without a session, the same POST is simply unauthenticated.
    assert Client(enforce_csrf_checks=True).post("/api/v1/ideas/similar").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client, world, coach_token):
    token, secret = coach_token
    assert token.last_used_at is None
    client.get(LIST, headers=bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, headers=bearer(secret))
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first
    # A minute later the next request writes again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(seconds=61))
    client.get(LIST, headers=bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_only_the_hash_of_the_token_is_stored(world):
    token, secret = api_token_create(user=world.coach, name="Skript")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(value) for value in stored.values()}
    assert secret.startswith(stored["prefix"])
    assert len(stored["prefix"]) < len(secret) / 3
