"""Production: everything from the environment; refuses to start without a secret key or BASE_URL."""

import os

from django.core.exceptions import ImproperlyConfigured

# Served over https only (BASE_URL must be https): browsers keep to https for a year unless
# SECURE_HSTS_SECONDS says otherwise (0 turns it off). Preload stays its own opt-in, HSTS_PRELOAD=1.
os.environ.setdefault("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))

from lms.logs import logging_config  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import LOG_LEVEL, MIDDLEWARE, STORAGES, env_list  # noqa: E402

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

# QR codes, verification links and e-mails need the public https address: `check` (and so
# `migrate` and `check --deploy`), gunicorn and the worker refuse to go on without one (lms.checks).
BASE_URL_REQUIRED = True
# The host names this site answers to: no default here (lms.E004 when empty or "*").
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
ALLOWED_HOSTS_REQUIRED = True
# Sign-in lock-outs and rate limits counted per process are no limits: the cache must be shared by
# every web process (CACHE_URL=redis://…; lms.E005 for a local-memory, dummy or file cache).
SHARED_CACHE_REQUIRED = True
# One JSON object per line on stdout, with the request id (lms.logs); LOG_FORMAT=text for people.
LOGGING = logging_config(log_format=os.environ.get("LOG_FORMAT", "json"), level=LOG_LEVEL)

# The application server serves the static files (compressed, with hashed names, from
# `manage.py collectstatic`); in development runserver serves them itself, and tests fetch none.
# WhiteNoise goes right after SecurityMiddleware, as its documentation asks.
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_security], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "lms.staticfiles.IncrementalCompressedManifestStorage"},
}
STATIC_BROTLI_QUALITY = int(os.environ.get("STATIC_BROTLI_QUALITY", "11"))

# Frames stay SAMEORIGIN (not DENY): Wagtail's live preview shows the page in a same-origin iframe.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
