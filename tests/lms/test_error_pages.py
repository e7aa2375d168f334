"""Site-wide error pages: Indonesian by default, English when chosen, branded, light, a way home;
JSON in the API's error format under /api/. The test settings run with DEBUG off, as production."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from lms import views

ERROR_URLS = "tests.lms.error_urls"


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = ERROR_URLS


@pytest.fixture
def client_500():
    # As in production: the exception becomes the 500 page instead of failing the test.
    return Client(raise_request_exception=False)


def _assert_light_branded_page(html: str) -> None:
    assert "TOT Purna PMI" in html
    assert "/static/css/site.css" in html
    assert "<script" not in html
    assert "@font-face" not in html and "fonts.googleapis" not in html
    assert 'href="/"' in html  # a way home


@pytest.mark.django_db
def test_an_unknown_page_is_a_branded_indonesian_404_with_a_way_home(client):
    response = client.get("/tidak-ada-halaman-ini/")
    html = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in html
    assert "Halaman tidak ditemukan" in html
    assert "Not Found" not in html
    _assert_light_branded_page(html)
    assert 'href="/accounts/login/"' in html  # signed out: sign in


@pytest.mark.django_db
def test_the_404_page_offers_the_dashboard_to_a_signed_in_trainer(client, trainer):
    client.force_login(trainer)
    html = client.get("/tidak-ada/").content.decode()
    assert 'href="/dashboard/"' in html
    assert 'href="/accounts/login/"' not in html


@pytest.mark.django_db
def test_the_404_page_follows_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_a_crash_is_a_branded_indonesian_500(error_urls, client_500):
    response = client_500.get("/test-errors/crash/?x=1")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'lang="id"' in html and "Terjadi kesalahan pada server" in html
    assert "Server Error" not in html
    _assert_light_branded_page(html)
    assert 'href="/test-errors/crash/?x=1"' in html  # a GET may be tried again


@pytest.mark.django_db
def test_the_500_page_after_a_post_does_not_offer_to_send_it_again(error_urls, client_500):
    html = client_500.post("/test-errors/crash/").content.decode()
    assert "/test-errors/crash/" not in html


def test_the_500_page_renders_without_the_database():
    # No django_db mark: any query, session or user lookup would fail this test.
    request = RequestFactory().get("/kursus/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = views.server_error(request)
    assert response.status_code == 500
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_is_a_branded_indonesian_403(error_urls, client):
    response = client.get("/test-errors/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in html and "403 Forbidden" not in html
    _assert_light_branded_page(html)


@pytest.mark.django_db
def test_a_malformed_request_is_a_branded_indonesian_400(error_urls, client):
    response = client.get("/test-errors/suspicious/")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak valid" in html and "Bad Request" not in html
    _assert_light_branded_page(html)


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_explains_the_expired_form(client):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        "/accounts/login/",
        {"username": "sari", "password": "x"},
        HTTP_REFERER="http://testserver/accounts/login/",
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "Sesi formulir kedaluwarsa" in html
    assert "CSRF verification failed" not in html
    assert 'href="http://testserver/accounts/login/"' in html  # back to the form
    _assert_light_branded_page(html)


@pytest.mark.django_db
def test_the_csrf_page_never_links_back_to_another_site(client):
    csrf_client = Client(enforce_csrf_checks=True)
    html = csrf_client.post("/accounts/login/", {}, HTTP_REFERER="https://jahat.example/").content.decode()
    assert "jahat.example" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/tidak-ada", 404, "not_found"),
        ("/api/tidak-ada/", 404, "not_found"),
        ("/api/v1/test-errors/crash/", 500, "server_error"),
        ("/api/v1/test-errors/forbidden/", 403, "forbidden"),
        ("/api/v1/test-errors/suspicious/", 400, "bad_request"),
    ],
)
def test_errors_under_the_api_are_json_in_the_api_format(error_urls, client_500, url, status, code):
    response = client_500.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"] and set(body) == {"detail", "code"}
