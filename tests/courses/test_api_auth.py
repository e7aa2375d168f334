"""Sign-in to the API: bearer tokens (issue, use, revoke), the browser session with CSRF, 401s."""

import pytest
from django.test import Client
from wagtail.models import APIToken

from tests.courses.api_helpers import bearer, token_for
from tests.factories import PASSWORD, TrainerFactory, build_course

pytestmark = pytest.mark.django_db


def issue(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def test_token_is_issued_for_username_and_for_email_and_authenticates_requests(client):
    trainer = TrainerFactory(username="andi", email="andi@example.org")
    by_name = issue(client, "andi")
    by_email = issue(client, "ANDI@example.org")
    assert by_name.status_code == 200 and by_email.status_code == 200
    token = by_name.json()["token"]
    assert set(by_name.json()) == {"token", "expires_at"}
    assert token != by_email.json()["token"]
    stored = APIToken.objects.filter(user=trainer)
    assert stored.count() == 2
    # Only a digest is stored, never the token itself.
    assert not stored.filter(key_hash=token).exists()

    response = Client().get("/api/v1/me/progress", **bearer(token))
    assert response.status_code == 200
    assert APIToken.objects.get(key_hash__in=APIToken.candidate_key_hashes(token)).last_used_at is not None


def test_wrong_password_is_401_in_indonesian_and_issues_nothing(client):
    TrainerFactory(username="andi")
    response = issue(client, "andi", "salah")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Nama pengguna/e-mail atau kata sandi salah.",
        "code": "invalid_credentials",
    }
    assert issue(client, "tidak-ada", "salah").status_code == 401
    assert not APIToken.objects.exists()


def test_inactive_user_gets_no_token(client):
    trainer = TrainerFactory(username="andi")
    trainer.is_active = False
    trainer.save(update_fields=["is_active"])
    assert issue(client, "andi").status_code == 401


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, settings):
    TrainerFactory(username="andi")
    for _attempt in range(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT):
        assert issue(client, "andi", "salah").status_code in (401, 429)
    response = issue(client, "andi")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out"
    assert "Coba lagi dalam 15 menit" in body["detail"]
    assert response["Content-Type"].startswith("application/json")
    assert not APIToken.objects.exists()


def test_token_body_is_validated_field_by_field(client):
    response = client.post("/api/v1/auth/token", {"username": ""}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"username": "Tidak boleh kosong.", "password": "Wajib diisi."}


def test_revoked_token_is_refused(client):
    token = token_for(TrainerFactory(username="andi"))
    assert client.delete("/api/v1/auth/token", **bearer(token)).status_code == 204
    assert APIToken.objects.get().revoked_at is not None
    response = client.get("/api/v1/me/progress", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_token_can_be_revoked_with_post(client):
    token = token_for(TrainerFactory(username="andi"))
    assert client.post("/api/v1/auth/token/revoke", **bearer(token)).status_code == 204
    assert client.get("/api/v1/courses", **bearer(token)).status_code == 401


def test_revoking_needs_a_token_not_a_session(client):
    trainer = TrainerFactory(username="andi")
    client.force_login(trainer)
    assert client.delete("/api/v1/auth/token").status_code == 401


def test_revoking_one_token_keeps_the_others(client):
    trainer = TrainerFactory(username="andi")
    phone, tablet = token_for(trainer), token_for(trainer)
    client.delete("/api/v1/auth/token", **bearer(phone))
    assert client.get("/api/v1/me/progress", **bearer(tablet)).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer ", "Bearer wagtail_bukan-token", "Bearer wagtail_" + "A" * 33, "Token abc", "Basic YTpi"],
)
def test_malformed_or_unknown_tokens_are_401(client, header):
    TrainerFactory(username="andi")
    response = client.get("/api/v1/me/progress", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_bad_token_is_not_rescued_by_a_session_cookie(client):
    trainer = TrainerFactory(username="andi")
    client.force_login(trainer)
    assert client.get("/api/v1/me/progress").status_code == 200
    assert client.get("/api/v1/me/progress", HTTP_AUTHORIZATION="Bearer wagtail_salah").status_code == 401


ENDPOINTS = [
    ("get", "/api/v1/courses"),
    ("get", "/api/v1/quizzes/{quiz}"),
    ("get", "/api/v1/quizzes/{quiz}/attempts"),
    ("post", "/api/v1/courses/{course}/enrol"),
    ("post", "/api/v1/lessons/{lesson}/complete"),
    ("post", "/api/v1/quizzes/{quiz}/attempts"),
    ("get", "/api/v1/me/progress"),
    ("get", "/api/v1/me/progress/{course}"),
    ("get", "/api/v1/me/attempts/1"),
    ("post", "/api/v1/me/sync"),
    ("delete", "/api/v1/auth/token"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_is_401_without_credentials(client, method, path):
    built = build_course()
    url = path.format(quiz=built.quiz_ids[0], course=built.course.pk, lesson=built.lessons[0].pk)
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Anda perlu masuk terlebih dahulu.", "code": "not_authenticated"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_auth_needs_csrf_for_unsafe_methods_only():
    built = build_course()
    trainer = TrainerFactory(username="andi")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(trainer)

    assert browser.get("/api/v1/courses").status_code == 200
    refused = browser.post(f"/api/v1/courses/{built.course.pk}/enrol")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not trainer.enrolments.exists()

    # As if a page of the site had set the CSRF cookie; the client echoes it in the header.
    csrf = "a" * 32
    browser.cookies["csrftoken"] = csrf
    accepted = browser.post(f"/api/v1/courses/{built.course.pk}/enrol", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201
    assert trainer.enrolments.count() == 1


def test_bearer_requests_need_no_csrf():
    built = build_course()
    token = token_for(TrainerFactory(username="andi"))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/api/v1/courses/{built.course.pk}/enrol", **bearer(token)).status_code == 201


def test_anonymous_unsafe_request_is_401_not_a_csrf_error():
    built = build_course()
    response = Client(enforce_csrf_checks=True).post(f"/api/v1/courses/{built.course.pk}/enrol")
    assert response.status_code == 401
