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
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", BASE_DIR / "var" / "test-media"))  # noqa: F405
WAGTAILADMIN_BASE_URL = BASE_URL = "http://testserver"

# A file, not memory, for the SQLite test database: tests that start a real Celery worker process
# hand it this file. One per test process, so parallel runs do not share it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    os.makedirs(BASE_DIR / "var", exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
