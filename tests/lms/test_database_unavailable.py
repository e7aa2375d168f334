"""What a request answers when the database does not answer (the exception Django raises then):
503 with Retry-After, the site's page in Indonesian or the API's JSON, never the exception's text.
The same with a real stopped PostgreSQL server: tests/lms/test_faults_database.py."""

import json

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from lms.api.root import api
from lms.middleware import DatabaseUnavailableMiddleware
from lms.views import server_error

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.fixture
def middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


def test_a_page_whose_database_is_down_gets_the_503_page(middleware):
    request = RequestFactory().get("/dashboard/")
    response = middleware.process_exception(request, DOWN)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Layanan sedang tidak tersedia" in body
    assert 'href="/dashboard/"' in body  # "try again" repeats the GET
    assert "Connection refused" not in body and "OperationalError" not in body


def test_an_api_call_whose_database_is_down_gets_json(middleware):
    for exception in (DOWN, InterfaceError("connection already closed")):
        response = middleware.process_exception(RequestFactory().post("/api/v1/me/sync"), exception)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert json.loads(response.content) == {
            "detail": "Basis data sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi.",
            "code": "database_unavailable",
        }


def test_the_api_answers_a_database_error_raised_in_a_handler_with_json():
    response = api.on_exception(RequestFactory().get("/api/v1/me/progress"), DOWN)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content)["code"] == "database_unavailable"


def test_other_errors_are_left_to_the_server_error_page(middleware):
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None


def test_a_database_error_raised_in_a_middleware_reaches_handler500_and_gets_the_503():
    request = RequestFactory().get("/")
    try:
        raise DOWN
    except OperationalError:
        response = server_error(request)  # as Django calls it: inside the except block
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    try:
        raise ValueError("bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_the_page_follows_the_chosen_language():
    request = RequestFactory().get("/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, DOWN)
    assert response.status_code == 503
    assert response["Content-Language"] == "en"
