"""Authentication for /api/v1/: bearer tokens (Wagtail's APIToken) and the browser session with CSRF.

Every router that needs a signed-in user imports `api_auth`:

    from courses.api_auth import api_auth
    router = Router(auth=api_auth)

A request with a bearer token is judged by the token alone: a wrong or revoked token is refused
even when the browser also sends a session cookie. A request without one falls back to the session,
and then an unsafe method (POST, PUT, PATCH, DELETE) must carry the CSRF token.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from wagtail.api.v3.auth import BearerTokenAuth as WagtailBearerTokenAuth
from wagtail.models import APIToken

API_TOKEN_NAME_MAX_LENGTH = 100


class BearerTokenAuth(WagtailBearerTokenAuth):
    """`Authorization: Bearer <token>` against `wagtail.models.APIToken`.

    Wagtail's class looks the digest up (one query with the user), refuses revoked tokens and
    inactive users, and writes `last_used_at` at most once a minute
    (`WAGTAILAPI_TOKEN_LAST_USED_INTERVAL`). Here a token that cannot exist (wrong prefix,
    length or checksum) is refused before touching the database. `request.auth` is the APIToken.
    """

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not APIToken.validate_token_format(token):
            # Same effect as Wagtail's own refusal: no fallback to the session cookie.
            request.user = AnonymousUser()
            return None
        return super().authenticate(request, token)


class SessionAuthCSRF(SessionAuth):
    """The Django session of the browser; unsafe methods need the CSRF token.

    Unlike ninja's SessionAuth, an anonymous request is answered 401 (not signed in) rather than
    403 (CSRF), and the CSRF failure message is in the user's language."""

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(403, _("Pemeriksaan CSRF gagal. Muat ulang halaman lalu coba lagi."))
        return user


def issue_token_name(request: HttpRequest, requested: str | None) -> str:
    """A label for the token in the admin's token list: the client's own name, or its User-Agent."""
    name = (requested or "").strip() or request.headers.get("User-Agent", "").strip() or "API"
    return f"API: {name}"[:API_TOKEN_NAME_MAX_LENGTH]


bearer_auth = BearerTokenAuth()
session_auth = SessionAuthCSRF()

# Token first, so that a mobile client never needs a CSRF token; then the browser session.
api_auth = [bearer_auth, session_auth]
