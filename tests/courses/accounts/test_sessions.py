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


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_deactivating_a_trainer_ends_their_sessions_for_good(
    settings, engine, client, django_capture_on_commit_callbacks
):
    """Django only refuses an inactive account's sessions; reactivated, the old ones worked again."""
    from django.test import Client

    from courses.people import services as people_services
    from tests.factories import CoordinatorFactory, ServicePointFactory, TrainerFactory

    settings.SESSION_ENGINE = engine
    point = ServicePointFactory()
    coordinator = CoordinatorFactory(service_points=[point])
    trainer = TrainerFactory(service_point=point)
    other = TrainerFactory(service_point=point)
    phone, laptop, neighbour = Client(), Client(), Client()
    phone.force_login(trainer)
    laptop.force_login(trainer)
    neighbour.force_login(other)
    assert phone.get("/dashboard/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        people_services.trainer_deactivate(user=trainer, by=coordinator)
    people_services.trainer_activate(user=trainer, by=coordinator)

    for device in (phone, laptop):
        assert device.get("/dashboard/").status_code == 302  # to the sign-in page
    assert neighbour.get("/dashboard/").status_code == 200
    assert Session.objects.count() == 1
