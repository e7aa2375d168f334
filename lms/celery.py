"""Celery app. No CELERY_BROKER_URL: kombu's filesystem transport (one machine, no server)."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

from lms.logs import celery_signals_connect

# Production unless told otherwise, like lms.wsgi: `celery -A lms worker` on a server must never
# run with development settings. `make run`, `make worker`, the tests and the benchmarks name
# their settings module explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Logs as Django's LOGGING says (JSON lines in production), with the id of the request behind a task.
celery_signals_connect()


def filesystem_broker_folders_create() -> None:
    """Create the embedded broker's folders (idempotent); a no-op for Redis."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@worker_init.connect
def _worker_init(**kwargs) -> None:
    filesystem_broker_folders_create()
    _production_require()


@beat_init.connect
def _beat_init(**kwargs) -> None:
    _production_require()


def _production_require() -> None:
    """A worker writes QR codes and e-mail links, and counts limits in the cache: under production
    settings it (and beat) does not start without a public https BASE_URL, ALLOWED_HOSTS and a
    shared cache (lms.checks). SystemExit, since Celery only logs exceptions raised by signal
    receivers."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    django.setup()
    from lms.checks import production_require

    try:
        production_require()
    except ImproperlyConfigured as error:
        raise SystemExit(f"ERROR: {error}") from error
