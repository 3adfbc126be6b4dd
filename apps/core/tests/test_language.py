"""Swedish first: the browser's language does not switch the service, a choice does."""

import pytest


@pytest.mark.django_db
def test_swedish_even_when_the_browser_prefers_english(client):
    response = client.get("/submit/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_with_the_language_button_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/submit/"})
    assert response.status_code == 302
    response = client.get("/submit/")
    assert response["Content-Language"] == "en"
    assert "Hand in an idea" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_swedish(client):
    client.cookies["sluss_language"] = "xx"
    assert client.get("/")["Content-Language"] == "sv"
