import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve without a public https BASE_URL, ALLOWED_HOSTS
# and a shared cache (lms.checks).
from lms.checks import production_require  # noqa: E402

production_require()
