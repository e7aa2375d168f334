"""Production: everything from the environment; refuses to start without a secret key or BASE_URL."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

# QR codes, verification links and e-mails need the public https address: `check` (and so
# `migrate` and `check --deploy`), gunicorn and the worker refuse to go on without one (lms.checks).
BASE_URL_REQUIRED = True

# The application server serves the static files (compressed, with hashed names, from
# `manage.py collectstatic`); in development runserver serves them itself, and tests fetch none.
# WhiteNoise goes right after SecurityMiddleware, as its documentation asks.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Frames stay SAMEORIGIN (not DENY): Wagtail's live preview shows the page in a same-origin iframe.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
