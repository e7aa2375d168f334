"""Helpers for the API tests: bearer tokens. Users and courses come from ``tests.factories``."""

from wagtail.models import APIToken


def token_for(user) -> str:
    _token, plaintext = APIToken.create_token(user=user, name="uji")
    return plaintext


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
