"""The `pdf_url` that `GET /api/v1/me/certificates` gives downloads with the same bearer token;
nobody else's token (nor a bad, expired or revoked one) gets anything but a 404."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from certificates import services
from tests.courses.api_helpers import bearer
from tests.factories import CoordinatorFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(completed_trainer, course_page):
    return services.certificate_issue(trainer=completed_trainer, course=course_page)


def token_of(user) -> str:
    """A token obtained as a client does: from the token endpoint with username and password."""
    user.set_password("Sandi-Pelatih-2024")
    user.save()
    response = Client().post(
        "/api/v1/auth/token",
        {"username": user.get_username(), "password": "Sandi-Pelatih-2024"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def pdf_url_listed_with(token: str) -> str:
    response = Client().get("/api/v1/me/certificates", **bearer(token))
    assert response.status_code == 200
    [item] = response.json()
    return urlsplit(item["pdf_url"]).path


def test_the_listed_pdf_url_downloads_with_the_same_token(certificate, completed_trainer):
    token = token_of(completed_trainer)
    url = pdf_url_listed_with(token)
    response = Client().get(url, **bearer(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == certificate.pdf_sha256


def test_another_trainers_token_gets_404(certificate, completed_trainer):
    url = pdf_url_listed_with(token_of(completed_trainer))
    other = TrainerFactory(service_point=completed_trainer.trainer_profile.service_point)
    assert Client().get(url, **bearer(token_of(other))).status_code == 404


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer bukan-token", "Basic dXNlcjpwYXNz"],
    ids=["none", "scheme-only", "empty", "garbage", "basic"],
)
def test_no_or_a_malformed_token_gets_404(certificate, completed_trainer, header):
    url = pdf_url_listed_with(token_of(completed_trainer))
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert Client().get(url, **extra).status_code == 404


def test_an_expired_or_revoked_token_gets_404(certificate, completed_trainer, settings):
    token = token_of(completed_trainer)
    url = pdf_url_listed_with(token)
    tokens = APIToken.objects.filter(key_hash__in=APIToken.candidate_key_hashes(token))
    tokens.update(created=timezone.now() - timedelta(days=settings.API_TOKEN_LIFETIME_DAYS + 1))
    assert Client().get(url, **bearer(token)).status_code == 404
    tokens.update(created=timezone.now(), revoked_at=timezone.now())
    assert Client().get(url, **bearer(token)).status_code == 404


def test_a_bad_token_is_not_rescued_by_the_holders_session(certificate, completed_trainer):
    client = Client()
    client.force_login(completed_trainer)
    assert client.get(certificate.download_url).status_code == 200  # the session path still works
    assert client.get(certificate.download_url, **bearer("bukan-token")).status_code == 404


def test_a_coordinators_token_downloads_in_scope_only_and_is_logged(certificate, point):
    from wagtail.models import ModelLogEntry

    mine = CoordinatorFactory(service_points=[point])
    outsider = CoordinatorFactory(service_points=[ServicePointFactory()])
    assert Client().get(certificate.download_url, **bearer(token_of(outsider))).status_code == 404
    assert Client().get(certificate.download_url, **bearer(token_of(mine))).status_code == 200
    assert ModelLogEntry.objects.filter(action="certificates.download", user=mine).count() == 1
