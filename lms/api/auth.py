"""Authentication for /api/v1/: bearer tokens (Wagtail's APIToken) and the browser session with CSRF,
and the token endpoints (`/auth/token`).

Every router that needs a signed-in user imports `api_auth`:

    from lms.api.auth import api_auth
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

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from wagtail.api.v3.auth import BearerTokenAuth as WagtailBearerTokenAuth
from wagtail.models import APIToken

from lms.api.errors import ErrorOut, ValidationErrorOut

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


# The session remembers the offline device token it issued, so that signing out revokes it.
OFFLINE_DEVICE_SESSION_KEY = "offline_device_token_ids"
OFFLINE_DEVICE_LABEL = "Offline: "


def device_token_issue(*, request: HttpRequest) -> tuple[APIToken, str]:
    """A bearer token for the offline client of this browser and this session: the one token the
    device's queue is sent with. Issuing one revokes the session's earlier device tokens (one
    device, one token); signing out revokes it (`device_tokens_revoke`). Returns the token and
    its plaintext, which is shown once."""
    device_tokens_revoke(session=request.session)
    name = OFFLINE_DEVICE_LABEL + (request.headers.get("User-Agent", "").strip() or "browser")
    api_token, plaintext = APIToken.create_token(user=request.user, name=name[:API_TOKEN_NAME_MAX_LENGTH])
    request.session[OFFLINE_DEVICE_SESSION_KEY] = [api_token.pk]
    return api_token, plaintext


def device_tokens_revoke(*, session) -> int:
    """Revoke the device tokens this session issued (on sign-out); returns how many were still
    valid. Idempotent."""
    token_ids = [
        token_id for token_id in session.get(OFFLINE_DEVICE_SESSION_KEY, []) if isinstance(token_id, int)
    ]
    session.pop(OFFLINE_DEVICE_SESSION_KEY, None)
    if not token_ids:
        return 0
    return APIToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def issue_token_name(request: HttpRequest, requested: str | None) -> str:
    """A label for the token in the admin's token list: the client's own name, or its User-Agent."""
    name = (requested or "").strip() or request.headers.get("User-Agent", "").strip() or "API"
    return f"API: {name}"[:API_TOKEN_NAME_MAX_LENGTH]


bearer_auth = BearerTokenAuth()
session_auth = SessionAuthCSRF()

# Token first, so that a mobile client never needs a CSRF token; then the browser session.
api_auth = [bearer_auth, session_auth]


# ---------------------------------------------------------------------------------------------
# Token endpoints
# ---------------------------------------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=254, description="Username or e-mail address.")
    password: str = Field(min_length=1, max_length=4096)
    name: str | None = Field(
        None, max_length=80, description="Optional device name shown in the token list, e.g. `HP Andi`."
    )

    model_config = {
        "json_schema_extra": {"examples": [{"username": "pelatih@example.org", "password": "rahasia"}]}
    }


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown once; store it safely.")
    expires_at: datetime = Field(
        description="When the token stops being accepted (ISO 8601). It ends earlier if revoked, "
        "when the password changes or is reset, or when the account is deactivated."
    )


class LockedOutOut(ErrorOut):
    retry_after: int = Field(
        description="Seconds until sign-in may be tried again (also the `Retry-After` header)."
    )


router = Router(tags=["auth"])

# The operation ids are those published before these endpoints moved here from courses.api, so
# that clients generated from the schema keep their method names.


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ValidationErrorOut, 429: LockedOutOut},
    summary="Issue a bearer token",
    operation_id="courses_api_token_create",
)
def token_create(request, payload: TokenIn, response: HttpResponse):
    """Exchange a username (or e-mail) and password for a bearer token valid for
    `API_TOKEN_LIFETIME_DAYS` days (`expires_at`). Failed attempts count towards the same sign-in
    lock-out as the sign-in page (per account, whatever its spelling, and per client address):
    while locked, even the right password is answered 429 with `retry_after` seconds and a
    `Retry-After` header."""
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if user is None:
        lockout = getattr(request, "sign_in_lockout", None)
        if lockout is not None:
            response["Retry-After"] = str(lockout.retry_after)
            return 429, {
                "detail": _(
                    "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dikunci "
                    "sementara. Coba lagi dalam %(minutes)d menit atau hubungi koordinator Anda."
                )
                % {"minutes": lockout.minutes},
                "code": "locked_out",
                "retry_after": lockout.retry_after,
            }
        return 401, {
            "detail": _("Nama pengguna/e-mail atau kata sandi salah."),
            "code": "invalid_credentials",
        }
    api_token, plaintext = APIToken.create_token(user=user, name=issue_token_name(request, payload.name))
    # Sets last_login, as a sign-in on the web form does.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return 200, {"token": plaintext, "expires_at": api_token_expires_at(api_token=api_token)}


@router.post(
    "/auth/device-token",
    auth=session_auth,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut},
    summary="Issue this browser's offline token",
    operation_id="auth_device_token_create",
    url_name="auth_device_token_create",
)
def device_token_create(request):
    """For the web app's offline client: a bearer token bound to this browser session (session
    cookie and CSRF token required). It replaces the session's earlier device token and is revoked
    when the session signs out, so a shared phone keeps no valid token of a trainer who left."""
    api_token, plaintext = device_token_issue(request=request)
    return 200, {"token": plaintext, "expires_at": api_token_expires_at(api_token=api_token)}


@router.delete(
    "/auth/token",
    auth=bearer_auth,
    response={204: None, 401: ErrorOut},
    summary="Revoke",
    operation_id="courses_api_token_delete",
)
def token_delete(request):
    """Revoke the bearer token this request is made with (sign out of the device). The user's
    other tokens stay valid."""
    request.auth.revoke()
    return 204, None


@router.post(
    "/auth/token/revoke",
    auth=bearer_auth,
    response={204: None, 401: ErrorOut},
    summary="Revoke (POST)",
    operation_id="courses_api_token_revoke",
)
def token_revoke(request):
    """Same as `DELETE /auth/token`, for clients that cannot send DELETE."""
    request.auth.revoke()
    return 204, None
