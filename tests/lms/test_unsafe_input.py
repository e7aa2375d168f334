"""Input no handler can store is refused once, at request parsing: a NUL character anywhere
(PostgreSQL cannot hold one in text) and a form body that cannot be parsed. 400, JSON in the API's
format under /api/, a short Indonesian page elsewhere; nothing stored. And every /api/v1/ answer,
a server error included, is JSON in that format with DEBUG off."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from courses.models import Enrolment, LessonProgress, QuizAttempt, SyncEvent
from tests.courses.api_helpers import bearer, token_for
from tests.factories import AdminFactory, TrainerFactory, build_course, right_answers

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Data yang dikirim mengandung karakter NUL (U+0000) yang tidak diizinkan."


@pytest.fixture
def built():
    return build_course(slug="aman", lessons=2, quiz_lessons=(1,))


@pytest.fixture
def trainer(built):
    user = TrainerFactory(username="sinta", password="sandi-yang-panjang-1")
    Enrolment.objects.create(trainer=user, course=built.course)
    return user


@pytest.fixture
def api(trainer):
    client = Client()
    client.defaults.update(bearer(token_for(trainer)))
    return client


def _json_400(response, code: str = "nul_character") -> dict:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    return body


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
)
def test_a_nul_in_the_token_username_is_refused_before_sign_in(client, content_type):
    # The escape is how a JSON body carries it; it reaches the database only once decoded. The
    # API reads a body as JSON whatever its content type says, so the check does too.
    body = '{"username": "sinta\\u0000", "password": "x"}'
    response = client.post("/api/v1/auth/token", body, content_type=content_type)
    assert _json_400(response)["detail"] == NUL_MESSAGE


def test_a_nul_in_the_token_name_is_refused_and_issues_no_token(client, trainer):
    before = APIToken.objects.count()
    payload = {"username": "sinta", "password": "sandi-yang-panjang-1", "name": "HP\x00Sinta"}
    response = client.post("/api/v1/auth/token", json.dumps(payload), content_type="application/json")
    _json_400(response)
    assert APIToken.objects.count() == before


def test_a_raw_nul_byte_in_a_json_body_is_refused(client):
    response = client.post(
        "/api/v1/auth/token", b'{"username": "sinta\x00", "password": "x"}', content_type="application/json"
    )
    _json_400(response)


def test_an_escaped_backslash_before_u0000_is_plain_text_not_a_nul(client, trainer):
    # "\\u0000" in JSON is a backslash followed by "u0000": harmless text, an ordinary wrong password.
    body = '{"username": "sinta\\\\u0000", "password": "x"}'
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_a_quiz_id_in_the_path_is_refused(api, method):
    response = getattr(api, method)("/api/v1/quizzes/abc%00def/attempts", content_type="application/json")
    _json_400(response)


def test_a_nul_in_a_sync_event_is_refused_and_applies_nothing_of_the_batch(api, built, trainer):
    quiz_id = built.quiz_ids[0]
    events = [
        {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(built.lessons[0].pk)},
        {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "quiz_id": quiz_id + "\x00",
            "answers": right_answers(quiz_id),
        },
    ]
    response = api.post("/api/v1/me/sync", json.dumps({"events": events}), content_type="application/json")
    _json_400(response)
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()
    assert not SyncEvent.objects.exists()


def test_a_nul_in_a_query_string_is_refused(api):
    _json_400(api.get("/api/v1/courses?cari=%00"))


def test_a_nul_in_a_sign_in_form_field_is_an_indonesian_page(client, trainer):
    response = client.post(reverse("login"), {"username": "sinta\x00", "password": "x"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/search/?q=%00",
        "/admin/users/?q=%00",
        "/admin/snippets/courses/servicepoint/?q=%00",
    ],
)
def test_admin_searches_with_a_nul_are_refused_with_a_page(client, url):
    client.force_login(AdminFactory())
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_cookie_is_refused(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize("auth", ["bearer", "session"])
def test_a_multipart_body_without_a_boundary_is_a_json_400(trainer, built, auth):
    client = Client(enforce_csrf_checks=auth == "session")
    if auth == "bearer":
        client.defaults.update(bearer(token_for(trainer)))
    else:
        client.force_login(trainer)
    response = client.post(
        f"/api/v1/lessons/{built.lessons[0].pk}/complete", b"--x\r\n", content_type="multipart/form-data"
    )
    _json_400(response, code="malformed")
    assert not LessonProgress.objects.exists()


def test_a_form_page_posted_without_a_boundary_is_a_page_not_a_server_error(client):
    response = client.post(reverse("login"), b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,  # nested deeper than the parser's recursion limit
        '{"events": [' + "9" * 5000 + "]}",  # an integer longer than Python parses
        '{"events": [{"id": 1e999, "type": 18446744073709551616}]}',
    ],
)
def test_deep_or_huge_json_is_a_4xx_json(api, body):
    response = api.post("/api/v1/me/sync", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_an_unexpected_error_in_the_api_is_json_with_debug_off(api, settings, monkeypatch, caplog):
    from courses import services

    def broken(**kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(services, "sync_events_apply", broken)
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.defaults.update(api.defaults)
    response = client.post("/api/v1/me/sync", {"events": []}, content_type="application/json")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Terjadi kesalahan pada server. Silakan coba lagi nanti.",
        "code": "server_error",
    }
    # Logged once, with the traceback.
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
