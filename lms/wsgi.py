import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve links to the wrong address (lms.checks).
from lms.checks import base_url_require  # noqa: E402

base_url_require()
