"""Authentication for /api/v1/: bearer tokens (Wagtail's APIToken) and the browser session with CSRF.

Every router that needs a signed-in user imports `api_auth`:

    from courses.api_auth import api_auth
    router = Router(auth=api_auth)

A request with a bearer token is judged by the token alone: a wrong or revoked token is refused
even when the browser also sends a session cookie. A request without one falls back to the session,
and then an unsafe method (POST, PUT, PATCH, DELETE) must carry the CSRF token.

A token is valid while it is not revoked, its user is active, and it is younger than
`API_TOKEN_LIFETIME_DAYS` (the rule is `BearerTokenAuth.authenticate`, and nowhere else). Tokens
are revoked on request (`DELETE /api/v1/auth/token`), and all of a user's tokens when the
password changes or the account is deactivated (`api_tokens_revoke`, called by
courses.receivers on every save of a user).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from wagtail.api.v3.auth import BearerTokenAuth as WagtailBearerTokenAuth
from wagtail.models import APIToken

API_TOKEN_NAME_MAX_LENGTH = 100


class BearerTokenAuth(WagtailBearerTokenAuth):
    """`Authorization: Bearer <token>` against `wagtail.models.APIToken`.

    One query (the token with its user). Refused: a token that cannot exist (wrong prefix,
    length or checksum, checked before touching the database), a revoked or expired one, an
    inactive user. A refusal sets `request.user` to anonymous, so a session cookie never rescues
    a bad token. For a valid token it returns the APIToken (ninja keeps it as `request.auth`) and
    sets `request.user`; `last_used_at` is written at most once a minute
    (`WAGTAILAPI_TOKEN_LAST_USED_INTERVAL`). Other views that accept tokens call
    `bearer_auth.authenticate(request, token)` and treat None as "not signed in".
    """

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        api_token = None
        if APIToken.validate_token_format(token):
            api_token = (
                APIToken.objects.select_related("user")
                .filter(
                    key_hash__in=APIToken.candidate_key_hashes(token),
                    revoked_at__isnull=True,
                    created__gt=timezone.now() - api_token_lifetime(),
                )
                .first()
            )
        if api_token is None or not api_token.user.is_active:
            request.user = AnonymousUser()
            return None
        request.user = api_token.user
        self._touch_last_used(api_token)
        return api_token


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


def api_token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


def api_token_expires_at(*, api_token: APIToken) -> datetime:
    """When the token stops being accepted (unless revoked earlier)."""
    return api_token.created + api_token_lifetime()


def api_tokens_revoke(*, user) -> int:
    """Revoke every token of the user that is not revoked yet; returns how many. Idempotent:
    revoked tokens keep their first `revoked_at`."""
    return APIToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def issue_token_name(request: HttpRequest, requested: str | None) -> str:
    """A label for the token in the admin's token list: the client's own name, or its User-Agent."""
    name = (requested or "").strip() or request.headers.get("User-Agent", "").strip() or "API"
    return f"API: {name}"[:API_TOKEN_NAME_MAX_LENGTH]


bearer_auth = BearerTokenAuth()
session_auth = SessionAuthCSRF()

# Token first, so that a mobile client never needs a CSRF token; then the browser session.
api_auth = [bearer_auth, session_auth]
