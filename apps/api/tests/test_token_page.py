"""The token page: the list of one's own tokens, making one (its secret shown once, with
a warning), a form with errors keeping what was typed (400), and revoking (one's own
only; another person's token answers 404)."""

from django.urls import reverse

from apps.api.models import ApiToken
from apps.api.services import api_token_create

PAGE = "/api/tokens/"


def test_the_page_address_and_the_link_from_the_settings(client, world):
    assert reverse("api_tokens:list") == PAGE
    client.force_login(world.employee)
    settings_page = client.get(reverse("accounts:preferences")).content.decode()
    assert f'href="{PAGE}"' in settings_page


def test_anonymous_visitors_go_to_the_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_empty_page(client, world):
    client.force_login(world.employee)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["tokens"] == []
    assert 'id="new-token"' not in response.content.decode()


def test_making_a_token_shows_it_once(client, world):
    client.force_login(world.employee)
    response = client.post(PAGE, {"name": "Mitt skript", "expires_in": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.employee)
    secret = response.context["secret"]
    html = response.content.decode()
    assert f'value="{secret}"' in html
    assert 'id="new-token-panel"' in html
    assert token.name == "Mitt skript"
    assert (token.expires_at - token.created_at).days == 30
    # The form is empty again, ready for another token.
    assert response.context["form"].is_bound is False
    # The secret works (a role-less account: published similar ideas only), and is
    # never shown again.
    answer = client.post(
        "/api/v1/ideas/similar",
        '{"title": "Matsvinn"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    again = client.get(PAGE).content.decode()
    assert secret not in again
    assert token.prefix in again


def test_a_token_that_never_expires(client, world):
    client.force_login(world.employee)
    client.post(PAGE, {"name": "Evig", "expires_in": "never"})
    assert ApiToken.objects.get(user=world.employee).expires_at is None


def test_a_form_with_errors_keeps_what_was_typed(client, world):
    client.force_login(world.employee)
    response = client.post(PAGE, {"name": "Mitt skript", "expires_in": "forever"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'value="Mitt skript"' in html
    assert not ApiToken.objects.exists()
    response = client.post(PAGE, {"name": "", "expires_in": "30"})
    assert response.status_code == 400
    assert "Ge nyckeln ett namn" in str(response.context["form"].errors)


def test_the_list_shows_only_ones_own_tokens(client, world):
    api_token_create(user=world.coach, name="Coachens skript")
    api_token_create(user=world.employee, name="Eget skript")
    client.force_login(world.employee)
    html = client.get(PAGE).content.decode()
    assert "Eget skript" in html
    assert "Coachens skript" not in html


def test_revoking_ones_own_token(client, world):
    token, secret = api_token_create(user=world.employee, name="Gammalt")
    client.force_login(world.employee)
    response = client.post(reverse("api_tokens:revoke", kwargs={"token_id": token.pk}))
    assert response.status_code == 302
    assert response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    html = client.get(PAGE).content.decode()
    assert "Gammalt" in html
    assert reverse("api_tokens:revoke", kwargs={"token_id": token.pk}) not in html
    client.logout()
    refused = client.get("/api/v1/ideas", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401


def test_another_persons_token_does_not_exist(client, world):
    token, _secret = api_token_create(user=world.coach, name="Coachens")
    client.force_login(world.process_leader)
    url = reverse("api_tokens:revoke", kwargs={"token_id": token.pk})
    assert client.post(url).status_code == 404
    assert client.post(reverse("api_tokens:revoke", kwargs={"token_id": 99999})).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_is_a_post(client, world):
    token, _secret = api_token_create(user=world.employee, name="Skript")
    client.force_login(world.employee)
    url = reverse("api_tokens:revoke", kwargs={"token_id": token.pk})
    assert client.get(url).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
