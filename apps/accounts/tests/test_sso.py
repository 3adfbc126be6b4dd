"""Municipal single sign-on is prepared through configuration alone."""

import pytest


@pytest.mark.django_db
def test_a_configured_openid_connect_provider_appears_on_the_login_page(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "skovde",
                    "name": "Skövde kommun",
                    "client_id": "sluss",
                    "secret": "not-a-real-secret",
                    "settings": {"server_url": "https://idp.skovde.example/realms/staff"},
                }
            ]
        }
    }
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Skövde kommun" in response.content.decode()
    assert "/accounts/oidc/skovde/login/" in response.content.decode()


@pytest.mark.django_db
def test_without_configuration_no_provider_is_offered(client):
    response = client.get("/accounts/login/")
    assert "/accounts/oidc/" not in response.content.decode()
