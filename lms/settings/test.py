"""Test settings: fast hashing, in-memory cache, eager Celery unless a test runs a real worker."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", BASE_DIR / "var" / "test-media"))  # noqa: F405
WAGTAILADMIN_BASE_URL = BASE_URL = "http://testserver"
AXES_ENABLED = True
