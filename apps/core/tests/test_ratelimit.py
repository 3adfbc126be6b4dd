"""Rate limits on logins, one-time codes, the public idea form and private links.

Acceptance (issue 7): the 6th failed login within a minute is refused for that account
and for that address. Refusals answer 429 with a page of their own.
"""

import uuid

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import testing
from apps.core.security import PRIVATE_LINK_URL_NAMES, rate_limit_hit
from apps.core.testing import PASSWORD
from apps.core.tests.matrix import build_scene

LOGIN = "/accounts/login/"


def fail_login(client, email: str, address: str):
    return client.post(LOGIN, {"login": email, "password": "wrong-password"}, REMOTE_ADDR=address)


def assert_refused(response) -> None:
    assert response.status_code == 429
    assert _("Too many attempts") in response.content.decode()
    assert "Content-Security-Policy" in response.headers


@pytest.fixture
def other_employee(world):
    return testing.make_user("Ulla Annan", email="ulla@skovde.se")


@pytest.mark.django_db
def test_the_sixth_failed_login_within_a_minute_is_refused_even_with_the_right_password(
    client, world
):
    for _attempt in range(5):
        response = fail_login(client, "coach@skovde.se", "10.0.0.1")
        assert response.status_code == 200  # the form again, with its error
    refused = client.post(
        LOGIN, {"login": "coach@skovde.se", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert_refused(refused)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_same_account_from_another_address_is_refused_too(client, world):
    for number in range(5):
        assert fail_login(client, "coach@skovde.se", f"10.0.1.{number}").status_code == 200
    assert_refused(fail_login(client, "coach@skovde.se", "10.0.2.99"))
    # The key is the account, whatever its letter case.
    assert_refused(fail_login(client, "Coach@Skovde.se", "10.0.2.98"))


@pytest.mark.django_db
def test_another_account_from_the_same_address_is_refused_too(client, world, other_employee):
    for _attempt in range(5):
        assert fail_login(client, "coach@skovde.se", "10.0.3.1").status_code == 200
    refused = client.post(
        LOGIN, {"login": "ulla@skovde.se", "password": PASSWORD}, REMOTE_ADDR="10.0.3.1"
    )
    assert_refused(refused)


@pytest.mark.django_db
def test_another_account_from_another_address_still_logs_in(client, world, other_employee):
    for _attempt in range(5):
        fail_login(client, "coach@skovde.se", "10.0.4.1")
    response = client.post(
        LOGIN, {"login": "ulla@skovde.se", "password": PASSWORD}, REMOTE_ADDR="10.0.4.2"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_employee.pk)


@pytest.mark.django_db
def test_successful_logins_do_not_use_up_the_allowance(client, world):
    for _attempt in range(8):
        response = client.post(
            LOGIN, {"login": "coach@skovde.se", "password": PASSWORD}, REMOTE_ADDR="10.0.5.1"
        )
        assert response.status_code == 302
        client.post("/accounts/logout/")


def request_code(client, email: str, address: str):
    # A fresh browser each time: a session with a code pending goes on to that code, and
    # someone hammering the form would not keep their cookies either.
    client.cookies.clear()
    return client.post("/accounts/login/code/", {"email": email}, REMOTE_ADDR=address)


def code_refused(response) -> bool:
    """allauth refuses a code request with the form again and its error."""
    if response.status_code == 302:
        return False
    assert response.status_code == 200
    from allauth.account.adapter import get_adapter

    error = str(get_adapter().error_messages["too_many_login_attempts"])
    assert error in [str(e) for e in response.context["form"].errors["email"]]
    return True


@pytest.mark.django_db
def test_one_time_codes_are_limited_per_address(client, world):
    refused = [code_refused(request_code(client, f"n{n}@skovde.se", "10.0.6.1")) for n in range(11)]
    assert refused == [False] * 10 + [True]


@pytest.mark.django_db
def test_one_time_codes_are_limited_per_email_address(client, world):
    refused = [
        code_refused(request_code(client, "coach@skovde.se", f"10.0.7.{n}")) for n in range(4)
    ]
    assert refused == [False] * 3 + [True]
    assert len(mail.outbox) == 3


def submission(world, number: int) -> dict:
    return {
        "municipality": world.skovde.pk,
        "title": f"Cykelpool nummer {number}",
        "need": "Personalen kör bil korta sträckor mellan enheterna.",
        "solution": "Elcyklar att låna vid varje enhet.",
        "submitter_name": "Ida Idébärare",
        "submitter_email": "ida@example.se",
        "submission_token": str(uuid.uuid4()),
    }


@pytest.mark.django_db
def test_the_public_idea_form_takes_ten_ideas_a_minute_from_one_address(client, world):
    from apps.ideas.models import Idea

    url = reverse("ideas:submit")
    for number in range(10):
        response = client.post(url, submission(world, number), REMOTE_ADDR="10.0.8.1")
        assert response.status_code == 302, response.content.decode()[:2000]
    assert_refused(client.post(url, submission(world, 10), REMOTE_ADDR="10.0.8.1"))
    assert Idea.objects.count() == 10
    # Reading the form is never limited, and another address may still hand in.
    assert client.get(url, REMOTE_ADDR="10.0.8.1").status_code == 200
    assert client.post(url, submission(world, 11), REMOTE_ADDR="10.0.8.2").status_code == 302


@pytest.mark.django_db
def test_guessing_private_links_is_stopped_and_the_real_link_then_waits_too(client, world):
    scene = build_scene(world)
    for number in range(20):
        url = reverse("ideas:submitter_page", kwargs={"token": f"guess-{number}"})
        assert client.get(url, REMOTE_ADDR="10.0.9.1").status_code == 404
    real = reverse("ideas:submitter_page", kwargs={"token": scene.token})
    assert_refused(client.get(real, REMOTE_ADDR="10.0.9.1"))
    # The submitter at another address is not affected.
    assert client.get(real, REMOTE_ADDR="10.0.9.2").status_code == 200


@pytest.mark.django_db
def test_a_private_link_is_limited_per_address(client, world, settings):
    settings.SLUSS_RATE_LIMITS = {**settings.SLUSS_RATE_LIMITS, "private_link": "3/60"}
    scene = build_scene(world)
    real = reverse("ideas:submitter_page", kwargs={"token": scene.token})
    assert [client.get(real, REMOTE_ADDR="10.0.10.1").status_code for _n in range(3)] == [200] * 3
    assert_refused(client.get(real, REMOTE_ADDR="10.0.10.1"))


def test_every_private_link_route_is_a_real_url_name():
    from apps.core.tests.matrix import project_patterns

    names = {pattern.key for pattern in project_patterns()}
    # The newsletter's links are still being built beside this; the others must exist.
    assert names >= {n for n in PRIVATE_LINK_URL_NAMES if not n.startswith("newsletters:")}
    # And every route with a token in it is guarded (a new private link is not forgotten).
    with_token = {p.key for p in project_patterns() if "token" in p.params}
    assert with_token <= PRIVATE_LINK_URL_NAMES, with_token - PRIVATE_LINK_URL_NAMES


@pytest.mark.django_db
def test_a_window_opens_again_when_it_has_passed(settings):
    settings.SLUSS_RATE_LIMITS = {"probe": "2/60"}
    cache.clear()
    assert rate_limit_hit(action="probe", who="a", now=600.0)
    assert rate_limit_hit(action="probe", who="a", now=601.0)
    assert not rate_limit_hit(action="probe", who="a", now=602.0)
    assert rate_limit_hit(action="probe", who="b", now=602.0)
    assert rate_limit_hit(action="probe", who="a", now=660.0)
