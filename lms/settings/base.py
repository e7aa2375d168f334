"""Base settings: production-safe. Everything that differs per machine comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from lms.logs import logging_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Absolute links (QR codes, e-mails) are built from BASE_URL, never from the request's Host header.
# No default here: production must set it (system check lms.E001); development falls back to the
# address `make run` serves (lms.settings.dev).
BASE_URL = os.environ.get("BASE_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
# Production sets this: a missing, plain-http or loopback BASE_URL is then an error.
BASE_URL_REQUIRED = False

INSTALLED_APPS = [
    "courses",
    "certificates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # The API's interactive docs (/api/v1/docs) from django-ninja's own static files, not a CDN.
    "ninja",
    "csp",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id (lms.logs).
    "lms.logs.RequestIdMiddleware",
    # /healthz answers before the host check, the HTTPS redirect and the session (lms.health).
    "lms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # HTML and JSON gzip-compressed for trainers on slow links (lms.middleware; static files are
    # compressed by WhiteNoise, which production puts before this and so answers first).
    "lms.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.ChosenLanguageMiddleware",
    # A database that does not answer: a 503 page or JSON with Retry-After, not a server error.
    "lms.middleware.DatabaseUnavailableMiddleware",
    # Before anything reads the session, the user or a form: refuses NUL characters and bodies
    # that cannot be parsed, in the language just chosen.
    "lms.middleware.UnsafeInputRejectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The Wagtail site and its root page from the cache: three queries less on every page.
    "courses.middleware.CachedSiteMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so that lms/templates can replace a widget's template
# (Wagtail's date pickers without an inline script, for the Content-Security-Policy).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "lms.wsgi.application"

# DATABASE_URL unset or empty: a SQLite file next to manage.py; postgres://… uses psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after the database restarts,
        # the next request reconnects instead of failing on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default takes concurrent writers (threads of the web server, the Celery worker).
    # IMMEDIATE: a transaction takes the write lock when it begins, so a writer waits its turn (up
    # to `timeout` seconds) instead of failing with "database is locked" when a read transaction
    # tries to become a write one. WAL: readers go on while one writes; NORMAL sync is safe in WAL.
    SQLITE_TIMEOUT = int(os.environ.get("SQLITE_TIMEOUT", "20"))  # seconds a writer waits its turn
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_TIMEOUT,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                f"PRAGMA busy_timeout={SQLITE_TIMEOUT * 1000};"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "courses.accounts.backends.EmailOrUsernameBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
# A failed CSRF check explains itself in the user's language (an expired form, not an attack).
CSRF_FAILURE_VIEW = "lms.views.csrf_failure"

# Languages: Indonesian first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# Our own catalogue first; then Indonesian for the Wagtail admin strings Wagtail's id_ID lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "lms" / "wagtail_locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Certificate PDFs live outside MEDIA_ROOT and are served only by a permission-checked view.
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "certificates": {"BACKEND": "certificates.storage.PrivateFileSystemStorage"},
    # Uploaded trainer spreadsheets (personal data): kept out of MEDIA_ROOT as certificates are.
    "private": {"BACKEND": "certificates.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Several machines need one store for uploads and one for private files: either a shared volume
# mounted at MEDIA_ROOT / PRIVATE_MEDIA_ROOT on each ("filesystem", the default), or an
# S3-compatible bucket through django-storages ("s3": AWS_STORAGE_BUCKET_NAME, and
# AWS_S3_ENDPOINT_URL for MinIO and the like; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()
PRIVATE_STORAGE = os.environ.get("PRIVATE_STORAGE", "filesystem").strip().lower()
if "s3" in {MEDIA_STORAGE, PRIVATE_STORAGE}:
    _s3 = {
        "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "file_overwrite": False,
    }
    if MEDIA_STORAGE == "s3":
        # Public uploads (images, documents) under media/: plain URLs unless AWS_QUERYSTRING_AUTH=1
        # (signed URLs expire, and pages holding them may be cached longer).
        STORAGES["default"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "location": "media",
                "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            },
        }
    if PRIVATE_STORAGE == "s3":
        # Certificate PDFs and trainer spreadsheets under private/ (or a bucket of their own).
        _private = {
            "BACKEND": "certificates.storage_s3.PrivateS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME") or _s3["bucket_name"],
                "location": "private",
            },
        }
        STORAGES["certificates"] = STORAGES["private"] = _private
# Documents always go through Wagtail's view, which checks collection privacy, whatever the storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Trainer import (courses.people.imports): the largest spreadsheet accepted and its data rows.
TRAINER_IMPORT_MAX_BYTES = int(os.environ.get("TRAINER_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
TRAINER_IMPORT_MAX_ROWS = int(os.environ.get("TRAINER_IMPORT_MAX_ROWS", 10_000))

WAGTAIL_SITE_NAME = "TOT LMS"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "odt", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Smaller than Wagtail's defaults: these images go to phones on paid data.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp", "gif": "webp"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# E-mail: console by default, SMTP from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TOT LMS <noreply@localhost>")
if os.environ.get("EMAIL_HOST") and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# Celery: with no CELERY_BROKER_URL an embedded filesystem broker needs no server.
CELERY_DATA_DIR = Path(os.environ.get("CELERY_DATA_DIR", BASE_DIR / "var" / "celery"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
else:
    # Redis hands a task that was taken but not acknowledged (its worker died) to another worker
    # after this many seconds. It must exceed the longest task: one certificate chunk
    # (CERTIFICATES_BATCH_CHUNK_SIZE trainers, about 1 s at 50) or one trainer import (seconds),
    # so 5 minutes leaves a wide margin and a killed chunk is redone within minutes, not Redis's
    # default hour. Workers look for such tasks every 10 s (kombu's default: every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300")),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
# A broker that does not answer fails a publish within seconds (the caller says so and rolls back;
# see lms.queue) instead of kombu retrying for a long time while a request waits.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Celery beat (one process for the whole site: `make serve`, Procfile's `beat`): periodic clean-up.
CELERY_BEAT_SCHEDULE = {
    "sessions-expired-clear": {
        "task": "courses.tasks.sessions_expired_clear",
        "schedule": int(os.environ.get("SESSIONS_CLEAR_SECONDS", 6 * 3600)),
    },
}
# Trainers per certificate-batch task: one WeasyPrint document and one transaction each.
CERTIFICATES_BATCH_CHUNK_SIZE = int(os.environ.get("CERTIFICATES_BATCH_CHUNK_SIZE", "50"))

# Sign-in lock-out (courses.accounts.sign_in_limits), counted per account whatever its spelling and per
# client address. The address limits are higher: a service point's trainers share one NAT'd address.
SIGN_IN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ACCOUNT_FAILURE_LIMIT", "5"))
SIGN_IN_IP_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_IP_FAILURE_LIMIT", "60"))
# Different accounts one address may fail against before it is locked (password spraying).
SIGN_IN_IP_ACCOUNT_LIMIT = int(os.environ.get("SIGN_IN_IP_ACCOUNT_LIMIT", "20"))
SIGN_IN_LOCKOUT_MINUTES = int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15"))
# Password-reset e-mails per address and requests per client address in one window.
PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("PASSWORD_RESET_EMAIL_LIMIT", "3"))
PASSWORD_RESET_IP_LIMIT = int(os.environ.get("PASSWORD_RESET_IP_LIMIT", "20"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("PASSWORD_RESET_WINDOW_MINUTES", "60"))
# Wagtail's own reset form (/admin/password_reset/) would e-mail any account with no limit: editors
# and coordinators reset theirs through the limited page above, as trainers do.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Bearer tokens of /api/v1/ expire this many days after they were issued.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "30"))
# A trainer's invitation link (to set the first password) works this many days, once.
TRAINER_INVITATION_DAYS = int(os.environ.get("TRAINER_INVITATION_DAYS", "7"))
# The longest wait after failed quiz attempts in a row (the wait doubles each time; courses.quiz_policy).
QUIZ_RETRY_WAIT_CAP_MINUTES = int(os.environ.get("QUIZ_RETRY_WAIT_CAP_MINUTES", str(24 * 60)))

# The demo accounts' password (`manage.py seed_demo`); empty: the documented demo password.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")

CACHES = {
    "default": {
        "BACKEND": "lms.cache.SharedClientRedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.environ.get("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Sessions stay in the database (they survive a Redis restart) and are read through the shared
# cache when there is one: a signed-in page reads Redis instead of PostgreSQL.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("CACHE_URL")
    else "django.contrib.sessions.backends.db"
)
# Lesson pages: what every reader sees alike (outline, rendered body, ancestors) comes from the
# cache above, keyed by a content version that every edit moves on (courses.content_cache).
# LESSON_CACHE=0 builds everything from the database on every request (to compare, bench/load.py).
LESSON_CACHE = env_bool("LESSON_CACHE", True)
CONTENT_CACHE_SECONDS = int(os.environ.get("CONTENT_CACHE_SECONDS", "600"))

# Security headers: safe by default; HTTPS-only flags follow SECURE_SSL_REDIRECT.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Asking browsers to hard-code HTTPS for the domain (hstspreload.org) is hard to undo: its own opt-in.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client, for the
# sign-in lock-out and the rate limits (lms.client_address); none: the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Content-Security-Policy on every response (django-csp). Scripts only from this site's own files:
# no inline script, no event-handler attribute, no eval. Styles allow 'unsafe-inline' because the
# Wagtail admin and the server-drawn SVG charts use style attributes; an injected style cannot run
# code. Video embeds in lessons come from the hosts in CSP_FRAME_SOURCES; uploads served from
# another host (an S3-compatible bucket) need that host in CSP_MEDIA_SOURCES.
CSP_FRAME_SOURCES = env_list(
    "CSP_FRAME_SOURCES", "https://www.youtube.com,https://www.youtube-nocookie.com,https://player.vimeo.com"
)
CSP_MEDIA_SOURCES = env_list("CSP_MEDIA_SOURCES")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'report-sample'"],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_SOURCES],
        "media-src": [SELF, *CSP_MEDIA_SOURCES],
        "font-src": [SELF],
        # The offline copy of a course fetches its images and handouts (courses/offline).
        "connect-src": [SELF, *CSP_MEDIA_SOURCES],
        "frame-src": [SELF, *CSP_FRAME_SOURCES],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # As X_FRAME_OPTIONS: only this site frames its pages (Wagtail's live preview).
        "frame-ancestors": [SELF],
    },
}

# The admin calls no outside host: no Gravatar pictures (initials instead), no check for new
# Wagtail releases, no "what's new" banner linking to wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# Plain lines on stderr by default; LOG_FORMAT=json (production's default): one JSON object a line on
# stdout. Either way each line carries the request id (lms.logs).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = logging_config(log_format=os.environ.get("LOG_FORMAT", "text"), level=LOG_LEVEL)
