import pytest
from django.conf import settings


@pytest.mark.django_db
def test_indonesian_is_served_even_to_a_browser_that_prefers_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_turns_english_on(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get("/accounts/login/")

    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()
    assert "Sign in" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    response = client.get("/accounts/login/")

    assert response["Content-Language"] == "id"
