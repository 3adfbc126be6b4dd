"""Sessions and cookies: a new session at login, sessions that end on deactivation and on a
password change, and cookies that scripts cannot read and other sites cannot send."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.services import user_deactivate
from apps.core.testing import PASSWORD

LOGIN = "/accounts/login/"


def log_in(client, email: str = "coach@skovde.se", password: str = PASSWORD):
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, response.status_code
    return response


def reaches_start_page(client) -> bool:
    response = client.get(reverse("core:start"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))
        return False
    assert response.status_code == 200
    return True


@pytest.mark.django_db
def test_the_session_key_changes_at_login(client, world):
    # A session that exists before logging in (e.g. planted by an attacker: fixation).
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    log_in(client)
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"] == str(world.coach.pk)
    # The old key does not reach a logged-in page.
    intruder = Client()
    intruder.cookies["sessionid"] = before
    assert not reaches_start_page(intruder)


@pytest.mark.django_db
def test_a_deactivated_person_s_session_no_longer_reaches_a_logged_in_page(client, world):
    log_in(client, "erik@skovde.se")
    assert reaches_start_page(client)
    user_deactivate(user=world.employee)
    assert not reaches_start_page(client)
    # Nor can they log in again.
    response = client.post(LOGIN, {"login": "erik@skovde.se", "password": PASSWORD})
    assert response["Location"] == reverse("account_inactive")
    assert not reaches_start_page(client)


@pytest.mark.django_db
def test_a_password_change_ends_the_other_sessions_and_keeps_the_one_that_changed_it(world):
    laptop, phone = Client(), Client()
    log_in(laptop)
    log_in(phone)
    new_password = "ett-nytt-Lösenord-2026"
    response = phone.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert reaches_start_page(phone)
    assert not reaches_start_page(laptop)
    log_in(laptop, password=new_password)
    assert reaches_start_page(laptop)


@pytest.mark.django_db
def test_a_password_set_by_the_service_layer_ends_the_sessions_too(client, world):
    log_in(client)
    user = world.coach
    user.set_password("ett-annat-Lösenord-2026")
    user.save()
    assert not reaches_start_page(client)


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_httponly_and_samesite(client, world):
    client.get(LOGIN)  # sets the CSRF cookie
    log_in(client)
    session_cookie = client.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies["csrftoken"]
    assert csrf_cookie["httponly"]
    assert csrf_cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_cookies_are_secure_when_the_settings_say_so(client, world, settings):
    """The base settings make cookies Secure whenever DEBUG is off (production; see
    test_security_deploy.py for the production module itself)."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(LOGIN, secure=True)
    client.post(LOGIN, {"login": "coach@skovde.se", "password": PASSWORD}, secure=True)
    assert client.cookies["sessionid"]["secure"]
    assert client.cookies["csrftoken"]["secure"]
