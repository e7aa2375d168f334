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


def sessions_of_user_end(*, user_id: int) -> int:
    """End every unexpired session signed in as `user_id` (a deactivated account: Django only
    refuses its sessions while it stays inactive, and would accept them again on reactivation).
    Each goes through its engine, so a cached_db session leaves the cache too. Reads every
    unexpired session once (deactivation is rare); returns how many ended. Idempotent."""
    from django.contrib.auth import SESSION_KEY

    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user_id):
            engine.SessionStore(session_key=session.session_key).delete()
            ended += 1
    return ended
