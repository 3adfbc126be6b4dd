"""Logging in: password (argon2), one-time code by email, logout, password reset."""

import re

import pytest
from django.core import mail

from apps.core.testing import PASSWORD


def test_passwords_are_hashed_with_argon2():
    """The configured first hasher (conftest swaps in a fast one for other tests)."""
    from importlib import import_module

    configured = import_module("sluss.settings").PASSWORD_HASHERS
    assert configured[0] == "apps.accounts.hashers.SlussArgon2PasswordHasher"
    from apps.accounts.hashers import SlussArgon2PasswordHasher

    # argon2-cffi must be installed for the hasher to work at all.
    encoded = SlussArgon2PasswordHasher().encode("x", "saltsaltsalt")
    assert SlussArgon2PasswordHasher().verify("x", encoded)


@pytest.mark.django_db
def test_login_with_email_and_password_then_logout(world, client):
    response = client.post("/accounts/login/", {"login": "coach@skovde.se", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/start/"
    assert client.get("/start/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/start/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(world, client):
    response = client.post("/accounts/login/", {"login": "coach@skovde.se", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_a_one_time_code_sent_by_email(world, client):
    response = client.post("/accounts/login/code/", {"email": "coach@skovde.se"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["coach@skovde.se"]
    code = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", message.body, re.MULTILINE).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/start/").status_code == 200


@pytest.mark.django_db
def test_password_reset_sends_a_link(world, client):
    response = client.post("/accounts/password/reset/", {"email": "coach@skovde.se"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["coach@skovde.se"]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_nobody_can_sign_up_with_a_password(client):
    """Accounts come from administrators or municipal SSO, never from self sign-up."""
    client.post(
        "/accounts/signup/",
        {
            "email": "intruder@example.se",
            "password1": "a-Long-passw0rd!",
            "password2": "a-Long-passw0rd!",
        },
    )
    from apps.accounts.models import User

    assert not User.objects.filter(email="intruder@example.se").exists()


@pytest.mark.django_db
def test_the_forgot_password_link_comes_after_the_password_box_and_the_button(client):
    # Keyboard users tab through the page in source order: box, button, then the way out.
    page = client.get("/accounts/login/").content.decode()
    password_box = page.index('name="password"')
    button = page.index('type="submit"', password_box)
    forgot = page.index('href="/accounts/password/reset/"')
    assert password_box < button < forgot
