"""Bearer tokens expire after API_TOKEN_LIFETIME_DAYS and end when the password changes (by any
path) or the account is deactivated; `bearer_auth.authenticate` is the one validity rule."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from lms.api.auth import bearer_auth
from tests.courses.api_helpers import bearer, token_for
from tests.factories import PASSWORD, AdminFactory, TrainerFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pelatih-Baru-2024"


def accepted(token: str) -> bool:
    status = Client().get("/api/v1/me/progress", **bearer(token)).status_code
    assert status in (200, 401)
    return status == 200


def age(token: str, days: float) -> None:
    APIToken.objects.filter(key_hash__in=APIToken.candidate_key_hashes(token)).update(
        created=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def andi():
    return TrainerFactory(username="andi", email="andi@example.org")


def test_the_token_response_says_when_the_token_expires(client, andi, settings):
    response = client.post(
        "/api/v1/auth/token", {"username": "andi", "password": PASSWORD}, content_type="application/json"
    )
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    assert settings.API_TOKEN_LIFETIME_DAYS == 30
    assert abs(expires_at - expected) < timedelta(minutes=1)


def test_a_token_is_refused_once_its_lifetime_is_over(andi, settings):
    young, old = token_for(andi), token_for(andi)
    age(young, 29.9)
    age(old, 30.1)
    assert accepted(young)
    assert not accepted(old)
    settings.API_TOKEN_LIFETIME_DAYS = 60
    assert accepted(old)


def test_bearer_auth_returns_the_token_with_its_user_and_none_when_expired(andi):
    token = token_for(andi)
    request = RequestFactory().get("/")
    found = bearer_auth.authenticate(request, token)
    assert found is not None and found.user == andi and request.user == andi
    age(token, 31)
    request = RequestFactory().get("/")
    request.user = andi  # a session cookie does not rescue an expired token
    assert bearer_auth.authenticate(request, token) is None
    assert isinstance(request.user, AnonymousUser)


def test_set_password_and_save_ends_every_token_of_that_user_only(andi):
    phone, tablet = token_for(andi), token_for(andi)
    other = token_for(TrainerFactory())
    andi.set_password(NEW_PASSWORD)
    andi.save()
    assert not accepted(phone) and not accepted(tablet)
    assert accepted(other)
    assert APIToken.objects.filter(user=andi, revoked_at__isnull=True).count() == 0


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(andi):
    token = token_for(andi)
    andi.first_name = "Andi"
    andi.save()
    andi.save(update_fields=["last_login"])
    assert accepted(token)


def test_the_password_change_page_ends_the_tokens(client, andi):
    token = token_for(andi)
    client.force_login(andi)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not accepted(token)


def test_a_password_reset_ends_the_tokens(client, andi, settings):
    token = token_for(andi)
    client.post(reverse("password_reset"), {"email": "andi@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    response = client.get(link.removeprefix(settings.BASE_URL), follow=True)
    confirm_url = response.redirect_chain[-1][0]
    client.post(confirm_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    andi.refresh_from_db()
    assert andi.check_password(NEW_PASSWORD)
    assert not accepted(token)


def test_a_password_set_in_the_wagtail_admin_ends_the_tokens(client, andi):
    token = token_for(andi)
    client.force_login(AdminFactory())
    response = client.post(
        reverse("wagtailusers_users:edit", args=[andi.pk]),
        {
            "username": "andi",
            "email": "andi@example.org",
            "first_name": "Andi",
            "last_name": "Saputra",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    andi.refresh_from_db()
    assert andi.check_password(NEW_PASSWORD)
    assert not accepted(token)


def test_deactivating_the_account_ends_the_tokens_for_good(andi):
    token = token_for(andi)
    andi.is_active = False
    andi.save(update_fields=["is_active"])
    assert not accepted(token)
    andi.is_active = True
    andi.save(update_fields=["is_active"])
    assert not accepted(token)


def test_the_openapi_schema_documents_expiry_and_revocation():
    schema = Client().get("/api/v1/openapi.json").json()
    token_paths = schema["paths"]["/api/v1/auth/token"]
    assert {"post", "delete"} <= set(token_paths)
    assert "post" in schema["paths"]["/api/v1/auth/token/revoke"]
    token_out = schema["components"]["schemas"]["TokenOut"]
    assert token_out["properties"]["expires_at"]["format"] == "date-time"
    assert "expires_at" in token_out["required"]
    assert "429" in token_paths["post"]["responses"]
