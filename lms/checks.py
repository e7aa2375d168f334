"""Project-wide system checks (registered by the courses app, the first installed app)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}  # noqa: S104


def base_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Where BASE_URL is required (production), it must be an explicit public https address:
    every QR code, verification link and e-mail is built from it, and a wrong one cannot be taken
    back from printed certificates. Read-only."""
    if not getattr(settings, "BASE_URL_REQUIRED", False):
        return []
    url = settings.BASE_URL
    hint = _("Contoh: BASE_URL=https://tot.contoh.go.id (alamat publik situs, tanpa garis miring di akhir).")
    if not url:
        return [
            checks.Error(
                _(
                    "BASE_URL belum diatur. Kode QR, tautan verifikasi sertifikat dan tautan di e-mail "
                    "dibuat dari alamat ini."
                ),
                hint=hint,
                id="lms.E001",
            )
        ]
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme != "https" or not host or parts.query or parts.fragment:
        return [
            checks.Error(
                _("BASE_URL harus berupa alamat https lengkap, bukan %(url)r.") % {"url": url},
                hint=hint,
                id="lms.E002",
            )
        ]
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return [
            checks.Error(
                _("BASE_URL menunjuk ke komputer ini (%(host)s); orang lain tidak dapat membukanya.")
                % {"host": host},
                hint=hint,
                id="lms.E003",
            )
        ]
    return []


def base_url_require() -> None:
    """Raise ImproperlyConfigured when base_url_check finds an error: for a process that serves
    without running Django's system checks (gunicorn through lms.wsgi). No side effects."""
    from django.core.exceptions import ImproperlyConfigured

    errors = base_url_check()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
