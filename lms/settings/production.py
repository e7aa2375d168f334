"""Production: everything from the environment; refuses to start without a secret key or BASE_URL."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

# QR codes, verification links and e-mails need the public https address: `check` (and so
# `migrate` and `check --deploy`), gunicorn and the worker refuse to go on without one (lms.checks).
BASE_URL_REQUIRED = True

# Frames stay SAMEORIGIN (not DENY): Wagtail's live preview shows the page in a same-origin iframe.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
