"""Project-wide system checks (registered by the courses app, the first installed app)."""

import ipaddress
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


def allowed_hosts_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Where required (production), ALLOWED_HOSTS must name the site's hosts: empty answers nothing,
    "*" accepts any Host header (host-header poisoning). Read-only."""
    if not getattr(settings, "ALLOWED_HOSTS_REQUIRED", False):
        return []
    hint = _("Contoh: ALLOWED_HOSTS=tot.contoh.go.id (dipisahkan koma bila lebih dari satu).")
    if not settings.ALLOWED_HOSTS:
        return [checks.Error(_("ALLOWED_HOSTS belum diatur."), hint=hint, id="lms.E004")]
    if "*" in settings.ALLOWED_HOSTS:
        return [
            checks.Error(
                _('ALLOWED_HOSTS tidak boleh berisi "*": situs akan menerima header Host apa pun.'),
                hint=hint,
                id="lms.E004",
            )
        ]
    return []


PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}


def shared_cache_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Where required (production), the default cache must be one that every process shares:
    sign-in lock-outs and rate limits live there, and counted per process they are no limits
    (three gunicorn workers let three times the limit through). Read-only."""
    if not getattr(settings, "SHARED_CACHE_REQUIRED", False):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            checks.Error(
                _(
                    "Cache %(backend)s tidak dibagi antarproses: batas percobaan masuk dan batas "
                    "permintaan akan dihitung per proses."
                )
                % {"backend": backend.rsplit(".", 1)[-1]},
                hint=_("Atur CACHE_URL=redis://host:6379/1 (sama untuk semua proses web dan worker)."),
                id="lms.E005",
            )
        ]
    return []


def single_machine_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: a SQLite database or the filesystem broker keeps the site on one machine.
    Warnings, not errors: one machine is a valid deployment. Read-only."""
    warnings = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warnings.append(
            checks.Warning(
                _("Basis data SQLite hanya dapat dipakai oleh satu mesin."),
                hint=_("Atur DATABASE_URL=postgres://… untuk beberapa mesin."),
                id="lms.W001",
            )
        )
    if getattr(settings, "CELERY_BROKER_URL", "").startswith("filesystem://"):
        warnings.append(
            checks.Warning(
                _("Broker Celery berbasis berkas hanya dapat dipakai oleh satu mesin."),
                hint=_("Atur CELERY_BROKER_URL=redis://… untuk beberapa mesin."),
                id="lms.W002",
            )
        )
    return warnings


STORAGE_KINDS = {"filesystem", "s3"}


def storage_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """MEDIA_STORAGE and PRIVATE_STORAGE name a known kind, and "s3" a bucket. Read-only."""
    errors = []
    for name in ("MEDIA_STORAGE", "PRIVATE_STORAGE"):
        kind = getattr(settings, name, "filesystem")
        if kind not in STORAGE_KINDS:
            errors.append(
                checks.Error(
                    _("%(name)s=%(kind)r tidak dikenal.") % {"name": name, "kind": kind},
                    hint=_("Pilih filesystem (folder, boleh folder bersama) atau s3."),
                    id="lms.E006",
                )
            )
        elif kind == "s3" and not settings.STORAGES[
            "certificates" if name == "PRIVATE_STORAGE" else "default"
        ]["OPTIONS"].get("bucket_name"):
            errors.append(
                checks.Error(
                    _("%(name)s=s3 tanpa nama bucket.") % {"name": name},
                    hint=_("Atur AWS_STORAGE_BUCKET_NAME (dan AWS_S3_ENDPOINT_URL untuk selain AWS)."),
                    id="lms.E006",
                )
            )
    return errors


def trusted_proxies_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every entry of TRUSTED_PROXIES must be an IP address or network (lms.client_address): a
    wrong one would fail every sign-in and certificate verification. Read-only."""
    wrong = []
    for entry in getattr(settings, "TRUSTED_PROXIES", ()) or ():
        try:
            if entry.strip():
                ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            wrong.append(entry)
    if not wrong:
        return []
    return [
        checks.Error(
            _("TRUSTED_PROXIES berisi %(entries)s, bukan alamat atau jaringan IP.")
            % {"entries": ", ".join(repr(entry) for entry in wrong)},
            hint=_("Contoh: TRUSTED_PROXIES=10.0.0.2,10.1.0.0/16 (proxy di depan server web)."),
            id="lms.E007",
        )
    ]


PRODUCTION_CHECKS = (
    base_url_check,
    allowed_hosts_check,
    shared_cache_check,
    storage_check,
    trusted_proxies_check,
)


def production_require() -> None:
    """Raise ImproperlyConfigured with every error of PRODUCTION_CHECKS: for processes that serve
    without running Django's system checks (gunicorn through lms.wsgi, the Celery worker and beat).
    No side effects."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [error for check in PRODUCTION_CHECKS for error in check()]
    if errors:
        raise ImproperlyConfigured(" ".join(f"{error.id}: {error.msg} {error.hint}" for error in errors))
