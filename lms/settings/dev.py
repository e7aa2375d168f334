"""Local development (`make run`): DEBUG on, a throw-away secret, console e-mail."""

import os

os.environ.setdefault("DEBUG", "1")

from lms.devserver import served_base_url  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = ["*"]
# Links carry the address being served: BASE_URL from the environment (`make run` sets it for the
# web server and the worker), else the address a running `make run` recorded (for a command started
# in another terminal), else runserver's default.
BASE_URL = BASE_URL or served_base_url() or "http://127.0.0.1:8000"  # noqa: F405
WAGTAILADMIN_BASE_URL = BASE_URL
