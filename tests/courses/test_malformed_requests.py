"""Odd input to the learning endpoints: ids that only look like numbers, ids too large for the
database, and API bodies over the upload limit get a clear answer, never a crash or a half write."""

import uuid

import pytest
from django.test import Client

from courses.models import Enrolment, LessonProgress, SyncEvent
from tests.courses.api_helpers import bearer, token_for
from tests.factories import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return build_course(modules=1, lessons=1, quiz_lessons=(0,))


@pytest.fixture
def browser(trainer):
    client = Client()
    client.force_login(trainer)
    return client


@pytest.fixture
def api(trainer):
    return Client(**bearer(token_for(trainer)))


def _sync(api, *events):
    return api.post("/api/v1/me/sync", {"events": list(events)}, content_type="application/json")


def _lesson_event(lesson_id) -> dict:
    return {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(lesson_id)}


# "²" is a digit to str.isdigit() but not a number to int().
@pytest.mark.parametrize("path", ["/api/v1/lessons/%C2%B2/complete", "/api/v1/courses/%C2%B2/enrol"])
def test_api_superscript_digit_id_is_not_found_not_a_crash(api, built, path):
    response = api.post(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/me/attempts/%C2%B2", "/api/v1/me/progress/%C2%B2"])
def test_api_superscript_digit_id_in_reads_is_not_found(api, built, path):
    response = api.get(path)
    assert response.status_code == 404


def test_sync_superscript_digit_lesson_id_is_rejected_not_a_crash(api, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    response = _sync(api, _lesson_event("²"))
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"
    assert not SyncEvent.objects.exists()


def test_sync_huge_lesson_id_is_rejected_not_a_crash(api, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    response = _sync(api, _lesson_event("9" * 20))
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"


def test_html_huge_ids_are_not_found(browser, built):
    big = "9" * 25
    assert browser.post(f"/learn/lessons/{big}/complete/").status_code == 404
    assert browser.post(f"/learn/courses/{big}/enrol/").status_code == 404
    assert browser.get(f"/learn/attempts/{big}/").status_code == 404


def test_api_body_over_the_upload_limit_is_a_json_error_in_indonesian(api, built, trainer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    Enrolment.objects.create(trainer=trainer, course=built.course)
    events = [_lesson_event(built.lessons[0].pk) for _ in range(200)]
    response = _sync(api, *events)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert "terlalu besar" in body["detail"]
    assert not SyncEvent.objects.exists()
    assert not LessonProgress.objects.exists()
