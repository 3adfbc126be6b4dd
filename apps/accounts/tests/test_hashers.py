"""The password hasher: Argon2id at OWASP's minimum, and old hashes upgraded on sign-in."""

from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher

from apps.accounts.hashers import SlussArgon2PasswordHasher
from apps.core.testing import PASSWORD

CONFIGURED = import_module("sluss.settings").PASSWORD_HASHERS


def test_the_configured_hasher_is_argon2id_at_owasps_minimum(settings):
    settings.PASSWORD_HASHERS = CONFIGURED
    hasher = get_hasher("default")
    assert isinstance(hasher, SlussArgon2PasswordHasher)
    decoded = hasher.decode(hasher.encode("x", hasher.salt()))
    assert decoded["variety"] == "argon2id"
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19456, 2, 1)


@pytest.mark.django_db
def test_a_hash_with_djangos_old_parameters_still_signs_in_and_is_upgraded(world, client, settings):
    settings.PASSWORD_HASHERS = CONFIGURED
    old = Argon2PasswordHasher()
    user = world.coach
    user.password = old.encode(PASSWORD, old.salt())
    user.save(update_fields=["password"])
    assert old.decode(user.password)["memory_cost"] == 102400

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session

    user.refresh_from_db()
    upgraded = identify_hasher(user.password)
    assert isinstance(upgraded, SlussArgon2PasswordHasher)
    assert not upgraded.must_update(user.password)
    assert upgraded.decode(user.password)["memory_cost"] == 19456

    # The upgraded hash signs in again, and a wrong password is still refused.
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": user.email, "password": "not-the-password"})
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.get(pk=user.pk).password == user.password
