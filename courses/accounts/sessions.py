"""Sign-in sessions kept in the database (the db engine, or cached_db with CACHE_URL: read through
the shared cache), shared by every web process."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_expired_clear() -> int:
    """Delete the sessions that have expired (Django never does by itself: the table grows with
    every visit); returns how many went. Idempotent. Run on a schedule by Celery beat."""
    engine = import_module(settings.SESSION_ENGINE)
    # cached_db (with CACHE_URL) keeps every session in the database too: deleted and counted here.
    if engine.__name__ not in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }:
        engine.SessionStore.clear_expired()  # each engine has its own way (a cache expires by itself)
        return 0
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
