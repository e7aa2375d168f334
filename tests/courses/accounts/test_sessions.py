"""Expired sign-in sessions are deleted on a schedule, whichever engine keeps them."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from courses.accounts.sessions import sessions_expired_clear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_expired_sessions_go_and_are_counted(settings, engine):
    # cached_db (with CACHE_URL) keeps them in the database too: they are deleted and counted.
    settings.SESSION_ENGINE = engine
    now = timezone.now()
    Session.objects.create(session_key="lama" * 8, session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="baru" * 8, session_data="", expire_date=now + timedelta(days=1))
    assert sessions_expired_clear() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["baru" * 8]
