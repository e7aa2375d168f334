"""Site-wide error pages (400, 403, 404, 500 and a failed CSRF check).

Pages in the site's language and look, light enough for a phone on paid data (the site's small
stylesheet, no script, no web font), each with a way home. Under /api/ every error is JSON in the
API's format, `{"detail": "<message>", "code": "<code>"}`, because API clients parse the body.

The 500 page renders from a plain context: no context processor, no database, no session, since
whatever failed may be exactly one of those."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"
logger = logging.getLogger("lms.database")
# What Django raises when the database server is down, restarting or unreachable.
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(*, detail: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _language(request: HttpRequest) -> str:
    """The language the user chose (cookie), else Indonesian: read without a session or database."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _stylesheet_url() -> str | None:
    # With the manifest storage, a missing manifest raises: an error page must still render.
    try:
        return static("css/site.css")
    except Exception:  # any storage failure: render unstyled rather than fail
        return None


def _same_site_referer(request: HttpRequest) -> str | None:
    """The page the form came from, when it is one of ours (never an open redirect)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except Exception:  # a disallowed Host header: no link back, still a page
        return None
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return referer
    return None


def _signed_in(request: HttpRequest) -> bool:
    # Reading the user touches the session store; a page that says "not found" must not fail on it.
    try:
        return bool(request.user.is_authenticated)
    except Exception:
        return False


def _render(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    hint: str = "",
    signed_in: bool | None = None,
    retry_url: str | None = None,
    back_url: str | None = None,
) -> HttpResponse:
    """Render errors/page.html from a plain dict: context processors are deliberately not run."""
    language = _language(request)
    with translation.override(language):
        context = {
            "LANGUAGE_CODE": language,
            "status": status,
            "title": title,
            "message": message,
            "hint": hint,
            "signed_in": signed_in,
            "retry_url": retry_url,
            "back_url": back_url,
            "stylesheet": _stylesheet_url(),
            "home_url": "/",
            "login_url": reverse("login"),
            "dashboard_url": reverse("dashboard"),
        }
        html = loader.get_template("errors/page.html").render(context)
    response = HttpResponse(html, status=status)
    response["Content-Language"] = language
    return response


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    title: str,
    message: str,
    hint: str = "",
    **page,
) -> HttpResponse:
    """One error answer for the whole site: JSON in the API's format under /api/ (`detail`, `code`),
    the branded page elsewhere. Messages may be lazy: they are said in the user's language here."""
    with translation.override(_language(request)):
        if _is_api(request):
            return _api_error(detail=str(detail), code=code, status=status)
        return _render(request, status=status, title=title, message=message, hint=hint, **page)


def bad_request(request: HttpRequest, exception=None, template_name: str = "400.html") -> HttpResponse:
    """handler400: a malformed request (e.g. a suspicious header or a broken form body)."""
    return error_response(
        request,
        status=400,
        code="bad_request",
        detail=_("Permintaan tidak valid."),
        title=_("Permintaan tidak valid"),
        message=_("Server tidak dapat memahami permintaan ini."),
        hint=_("Periksa alamatnya atau kembali ke beranda, lalu coba lagi."),
    )


def permission_denied(request: HttpRequest, exception=None, template_name: str = "403.html") -> HttpResponse:
    """handler403: signed in but not allowed, or not signed in where signing in would help."""
    signed_in = _signed_in(request)
    return error_response(
        request,
        status=403,
        code="forbidden",
        detail=_("Anda tidak memiliki akses."),
        title=_("Akses ditolak"),
        message=_("Anda tidak memiliki akses ke halaman ini."),
        hint=_("Jika menurut Anda ini keliru, hubungi koordinator titik layanan Anda.")
        if signed_in
        else _("Mungkin Anda perlu masuk terlebih dahulu."),
        signed_in=signed_in,
    )


def page_not_found(request: HttpRequest, exception=None, template_name: str = "404.html") -> HttpResponse:
    """handler404: one message for "does not exist" and "not yours", so that nothing leaks."""
    return error_response(
        request,
        status=404,
        code="not_found",
        detail=_("Tidak ditemukan."),
        title=_("Halaman tidak ditemukan"),
        message=_("Halaman yang Anda cari tidak ada, sudah dipindahkan, atau bukan untuk akun Anda."),
        hint=_("Periksa kembali alamatnya, atau mulai lagi dari beranda."),
        signed_in=_signed_in(request),
    )


DATABASE_RETRY_AFTER_SECONDS = 30


def database_unavailable(request: HttpRequest, error: Exception | None = None) -> HttpResponse:
    """503 while the database does not answer: a page (or JSON under /api/) that says the site is
    briefly unavailable and nothing of the user's was lost, with Retry-After. Nothing here touches
    the database; the site serves again by itself once it answers (connections are health-checked,
    CONN_HEALTH_CHECKS). Logged as one warning: the cause is known, a traceback per request while
    the database is down would only bury the rest of the log."""
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
    response = error_response(
        request,
        status=503,
        code="database_unavailable",
        detail=_("Basis data sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi."),
        title=_("Layanan sedang tidak tersedia"),
        message=_(
            "Maaf, situs sedang tidak dapat mengambil data. Gangguan ini sementara dan sedang ditangani."
        ),
        hint=_("Kemajuan belajar Anda yang sudah tersimpan tetap aman. Coba lagi dalam beberapa menit."),
        retry_url=request.get_full_path() if request.method == "GET" else None,
    )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # Django would log it again, at ERROR
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: no database, no session, no context processor (any of them may be what failed).
    A database that does not answer, raised outside a view (in a middleware), is a 503 instead."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN_ERRORS):
        return database_unavailable(request, error)
    return error_response(
        request,
        status=500,
        code="server_error",
        detail=_("Terjadi kesalahan pada server. Silakan coba lagi nanti."),
        title=_("Terjadi kesalahan pada server"),
        message=_("Maaf, halaman ini gagal dimuat. Kesalahan sudah dicatat dan akan kami periksa."),
        hint=_("Kemajuan belajar Anda yang sudah tersimpan tetap aman. Coba lagi beberapa saat lagi."),
        # Only a GET is safe to repeat: reloading after a POST would send the form again.
        retry_url=request.get_full_path() if request.method == "GET" else None,
    )


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Every /api/ path no endpoint answers: a JSON 404. Without it Wagtail's catch-all would own
    the path, and CommonMiddleware would first redirect `/api/v1/nothing` to an HTML page."""
    with translation.override(_language(request)):
        return _api_error(detail=str(_("Tidak ditemukan.")), code="not_found", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: mostly a form left open too long or opened before signing in or out
    elsewhere. Nothing was saved; say so, and how to send it again."""
    return error_response(
        request,
        status=403,
        code="forbidden",
        detail=_("Pemeriksaan keamanan formulir gagal (CSRF). Muat ulang lalu kirim lagi."),
        title=_("Sesi formulir kedaluwarsa"),
        message=_(
            "Formulir ini tidak dapat dikirim karena sesinya sudah kedaluwarsa atau Anda baru saja "
            "masuk atau keluar di tab lain. Tidak ada yang tersimpan."
        ),
        hint=_(
            "Kembali ke halaman sebelumnya, muat ulang halaman, lalu kirim formulir lagi. Jika masih "
            "gagal, pastikan cookie tidak diblokir di peramban Anda."
        ),
        back_url=_same_site_referer(request),
    )
