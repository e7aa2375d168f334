"""Offline sync: each event is applied once; replays change nothing; rejected events store nothing."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import CoursePage, Enrolment, LessonProgress, QuizAttempt, SyncEvent
from tests.courses.api_helpers import bearer, token_for
from tests.factories import TrainerFactory, build_course, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return build_course(slug="pendampingan", lessons=3, quiz_lessons=(0,))


@pytest.fixture
def trainer():
    return TrainerFactory(username="andi")


@pytest.fixture
def api(trainer):
    client = Client()
    client.defaults.update(bearer(token_for(trainer)))
    return client


def sync(api, events):
    return api.post("/api/v1/me/sync", {"events": events}, content_type="application/json")


def recent() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def lesson_event(lesson, at="2021-06-05T09:30:00+07:00"):
    return {"id": str(uuid.uuid4()), "type": "lesson_completed", "at": at, "lesson_id": str(lesson.pk)}


def quiz_event(built, answers=None):
    quiz_id = built.quiz_ids[0]
    return {
        "id": str(uuid.uuid4()),
        "type": "quiz_attempt",
        "at": "2021-06-05T09:40:00+07:00",
        "quiz_id": quiz_id,
        "answers": answers if answers is not None else right_answers(quiz_id),
    }


def test_a_batch_is_applied_once_and_a_replay_changes_nothing(api, built, trainer):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    events = [lesson_event(built.lessons[0]), lesson_event(built.lessons[1]), quiz_event(built)]
    first = sync(api, events)
    assert first.status_code == 200
    body = first.json()
    assert (body["applied"], body["duplicate"], body["rejected"]) == (3, 0, 0)
    assert [item["id"] for item in body["results"]] == [event["id"] for event in events]
    assert body["results"][2]["detail"] == "Nilai 100"
    completed = LessonProgress.objects.get(lesson=built.lessons[0])
    assert completed.completed_at.isoformat() == "2021-06-05T02:30:00+00:00"

    replay = sync(api, events).json()
    assert (replay["applied"], replay["duplicate"], replay["rejected"]) == (0, 3, 0)
    assert {item["status"] for item in replay["results"]} == {"duplicate"}
    assert LessonProgress.objects.count() == 2
    assert QuizAttempt.objects.count() == 1
    assert SyncEvent.objects.filter(trainer=trainer).count() == 3
    assert api.get("/api/v1/me/progress").json()[0]["lessons_done"] == 2


def test_the_same_event_twice_in_one_batch_is_applied_once(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    event = quiz_event(built)
    statuses = [item["status"] for item in sync(api, [event, event]).json()["results"]]
    assert statuses == ["applied", "duplicate"]
    assert QuizAttempt.objects.count() == 1


def test_events_for_a_course_i_am_not_enrolled_in_are_rejected_and_store_nothing(api, built):
    body = sync(api, [lesson_event(built.lessons[0]), quiz_event(built)]).json()
    assert [item["status"] for item in body["results"]] == ["rejected", "rejected"]
    assert all("belum terdaftar" in item["detail"] for item in body["results"])
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()
    assert not SyncEvent.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_rejected_event_can_be_sent_again_once_its_cause_is_fixed(api, built):
    event = lesson_event(built.lessons[0])
    assert sync(api, [event]).json()["results"][0]["status"] == "rejected"
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    assert sync(api, [event]).json()["results"][0]["status"] == "applied"


def test_a_bad_event_is_rejected_with_its_reason_and_the_rest_of_the_batch_applies(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    quiz_id = built.quiz_ids[0]
    good = lesson_event(built.lessons[0])
    bad = [
        {"id": "bukan-uuid", "type": "lesson_completed", "lesson_id": str(built.lessons[1].pk)},
        {"id": str(uuid.uuid4()), "type": "tidak_dikenal"},
        {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": "999999"},
        lesson_event(built.lessons[1], at="2999-01-01T00:00:00+07:00"),
        quiz_event(built, answers={f"{quiz_id}-q1": ["tidak-ada"]}),
    ]
    body = sync(api, [*bad, good]).json()
    assert [item["status"] for item in body["results"]] == ["rejected"] * 5 + ["applied"]
    details = [item["detail"] for item in body["results"][:5]]
    assert details[0] == "Id kejadian harus UUID."
    assert details[1] == "Jenis kejadian tidak dikenal."
    assert details[2] == "Pelajaran tidak ditemukan."
    assert details[3] == "Waktu kejadian ada di masa depan."
    assert "Pilihan tidak dikenal." in details[4]
    assert LessonProgress.objects.count() == 1
    assert not QuizAttempt.objects.exists()
    assert SyncEvent.objects.count() == 1


def test_a_malformed_batch_is_422_and_stores_nothing(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    response = sync(api, [lesson_event(built.lessons[0]), {"type": "lesson_completed", "at": "kemarin"}])
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["events.1.id"] == "Wajib diisi."
    assert errors["events.1.at"].startswith("Harus berupa waktu ISO 8601")
    assert not LessonProgress.objects.exists()
    assert not SyncEvent.objects.exists()
    assert api.post("/api/v1/me/sync", {}, content_type="application/json").json()["errors"] == {
        "events": "Wajib diisi."
    }


def test_a_batch_has_a_size_limit(api):
    events = [{"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": "1"}] * 501
    response = sync(api, events)
    assert response.status_code == 422
    assert response.json()["errors"]["events"] == "Terlalu banyak butir (maksimal 500)."


def test_sync_events_of_two_trainers_do_not_collide(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    event = lesson_event(built.lessons[0])
    assert sync(api, [event]).json()["applied"] == 1
    other = Client()
    other.defaults.update(bearer(token_for(TrainerFactory(username="budi"))))
    other.post(f"/api/v1/courses/{built.course.pk}/enrol")
    # Same client-made id from another trainer: theirs, applied for them, not "duplicate".
    assert sync(other, [event]).json()["results"][0]["status"] == "applied"
    assert LessonProgress.objects.count() == 2


def test_an_event_dated_out_of_range_is_rejected_and_the_rest_of_the_batch_applies(api, built, trainer):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    quiz = quiz_event(built)
    events = [
        lesson_event(built.lessons[0], at="0001-01-01T00:00:00+23:59"),
        {**quiz, "at": "9999-12-31T23:59:59-23:59"},
        lesson_event(built.lessons[1], at=recent()),
    ]
    response = sync(api, events)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["status"] for item in results] == ["rejected", "rejected", "applied"]
    assert (
        results[0]["detail"] == results[1]["detail"] == "Waktu kejadian di luar rentang yang dapat diterima."
    )
    assert list(LessonProgress.objects.values_list("lesson", flat=True)) == [built.lessons[1].pk]
    assert not QuizAttempt.objects.exists()
    assert SyncEvent.objects.filter(trainer=trainer).count() == 1
    # Sent again (as a client that did not get the answer would): the good event is a duplicate.
    replay = sync(api, events).json()
    assert [item["status"] for item in replay["results"]] == ["rejected", "rejected", "duplicate"]


def test_an_event_dated_before_the_course_was_published_is_rejected(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    published = timezone.now() - timedelta(days=2)
    CoursePage.objects.filter(pk=built.course.pk).update(first_published_at=published)
    too_early = lesson_event(built.lessons[0], at=(published - timedelta(days=30)).isoformat())
    on_time = lesson_event(built.lessons[1], at=(published + timedelta(hours=1)).isoformat())
    results = sync(api, [too_early, on_time]).json()["results"]
    assert [item["status"] for item in results] == ["rejected", "applied"]
    assert results[0]["detail"] == "Waktu kejadian lebih awal daripada terbitnya kursus."
    assert list(LessonProgress.objects.values_list("lesson", flat=True)) == [built.lessons[1].pk]


def test_an_event_dated_far_in_the_future_is_rejected(api, built):
    api.post(f"/api/v1/courses/{built.course.pk}/enrol")
    results = sync(api, [lesson_event(built.lessons[0], at="9999-12-31T23:59:59+00:00")]).json()["results"]
    assert results[0] == {**results[0], "status": "rejected", "detail": "Waktu kejadian ada di masa depan."}
    assert not LessonProgress.objects.exists()
