"""Site-wide request middleware.

ChosenLanguageMiddleware: Indonesian first. The interface language is the one the user chose, else
Indonesian. Django's LocaleMiddleware would follow the browser's Accept-Language header, so a
phone set to English would get English although the programme's language is Indonesian.

UnsafeInputRejectMiddleware: input no handler can store is refused once, here.

TextGZipMiddleware: HTML, JSON and other text gzip-compressed for slow links."""

import json

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from lms.views import API_PREFIX, DATABASE_DOWN_ERRORS, database_unavailable, error_response


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database does not answer (stopped, restarting, unreachable)
    gets the 503 page, or JSON under /api/, with Retry-After, instead of a server error, logged as
    one warning (lms.views.database_unavailable). A middleware failing the same way reaches
    handler500, which answers the same 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN_ERRORS):
            return None
        return database_unavailable(request, exception)


class UnsafeInputRejectMiddleware:
    """Refuse, once for the whole site, input that no handler can store: a NUL character (U+0000)
    in the path, the query string, a cookie, a header, a form field or a JSON body, and a form
    body that cannot be parsed (e.g. multipart/form-data without a boundary).

    PostgreSQL cannot hold U+0000 in text, so such input would otherwise fail deep inside a query
    (a sign-in, a search in the admin) with a server error. Answers 400: JSON in the API's error
    format under /api/, a short page elsewhere. Nothing is read beyond what Django parses anyway,
    except a JSON body, which is scanned as bytes and decoded only when it holds an escaped NUL."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            unsafe = self._has_nul(request)
        except RequestDataTooBig:
            # Not decided here: the view (or the API's handler) answers with its own 413.
            unsafe = False
        except (MultiPartParserError, BadRequest, UnicodeDecodeError):
            return self._refuse(
                request,
                code="malformed",
                message=_(
                    "Format data yang dikirim tidak dapat dibaca. Periksa jenis kontennya (Content-Type)."
                ),
            )
        if unsafe:
            return self._refuse(
                request,
                code="nul_character",
                message=_("Data yang dikirim mengandung karakter NUL (U+0000) yang tidak diizinkan."),
            )
        return self.get_response(request)

    def _has_nul(self, request) -> bool:
        if "\x00" in request.path or "\x00" in request.path_info:
            return True
        if any(_has_nul_in(key) or _has_nul_in(value) for key, value in request.GET.lists()):
            return True
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            return True
        if any("\x00" in str(value) for key, value in request.META.items() if key.startswith("HTTP_")):
            return True
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return False
        content_type = request.content_type or ""
        api = request.path_info.startswith(API_PREFIX)
        if api:
            # The API reads every body as JSON, whatever its content type says. Reading it first
            # also keeps it readable after the form below is parsed.
            if _json_body_has_nul(request.body):
                return True
        elif content_type.endswith("json"):
            return _json_body_has_nul(request.body)
        if content_type in self.FORM_TYPES:
            return any(_has_nul_in(key) or _has_nul_in(value) for key, value in request.POST.lists())
        return False

    def _refuse(self, request, *, code: str, message: str):
        # The site's one error answer: JSON under /api/, the branded 400 page elsewhere.
        return error_response(
            request,
            status=400,
            code=code,
            detail=message,
            title=_("Permintaan tidak valid"),
            message=message,
        )


def _has_nul_in(value) -> bool:
    if isinstance(value, list):
        return any(_has_nul_in(item) for item in value)
    return isinstance(value, str) and "\x00" in value


def _json_has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any("\x00" in key or _json_has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(item) for item in value)
    return False


def _json_body_has_nul(body: bytes) -> bool:
    """A raw NUL byte, or a JSON string that decodes to one. The common body has neither escape
    and costs one scan; only a body holding the escape sequence is decoded (its `\\\\u0000` may be
    an escaped backslash followed by "u0000", which is harmless text)."""
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:
        return False
    try:
        return _json_has_nul(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: the API answers that itself


class TextGZipMiddleware(GZipMiddleware):
    """gzip for the responses that shrink: HTML, JSON, CSV, text (a lesson page's 9 KB of HTML
    travels as about 3 KB), never PDFs, images or ZIPs, which are compressed already.

    BREACH (guessing a secret in a compressed page from its size) needs a secret repeated in the
    body next to text the attacker controls. Django masks the CSRF token afresh on every response,
    and its GZipMiddleware pads each response with a random length (Heal The BREACH), which is why
    compressing HTML in the application is acceptable here; session ids travel only in cookies."""

    COMPRESSIBLE_TYPES = (
        "text/",
        "application/json",
        "application/javascript",
        "application/xml",
        "image/svg+xml",
    )

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(self.COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
