"""Exact query counts of the trainer's hot pages and actions, for a signed-in trainer half-way
through a course shaped like the demo one (modules, lessons with an image, quizzes).

A changed count fails with the list of queries: raise or lower the pin on purpose, never by habit."""

import pytest
from django.urls import reverse

from courses import services
from tests.courses.api_helpers import bearer, token_for
from tests.courses.learning_helpers import quiz_submit
from tests.factories import (
    ImageFactory,
    TrainerFactory,
    build_course,
    half_right_answers,
    right_answers,
)
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

# With the shared content cache (courses.content_cache) warm: the site, its root page, the view
# restrictions, course outlines and a lesson's ancestors come from it (LESSON_CACHE=0, everything
# from the database: 15, 10, 10, 10, 10, 10, 4, 4, 5).
# A trainer's pages no longer read the user's permissions (two queries) for Wagtail's userbar after
# the first page of a sign-in (courses.templatetags.learning.editor_userbar).
LESSON_PAGE = 6  # with the trainer's open quiz draws (one query)
DASHBOARD = 7
LESSON_COMPLETE_FORM = 8
LESSON_COMPLETE_API = 9
QUIZ_SUBMIT_FORM = 9  # with the open draw
QUIZ_SUBMIT_API = 9  # with the open draw
QUIZ_DETAIL_API = 6  # an enrolled trainer's attempts left: enrolment, outline, attempts
MY_PROGRESS_API = 3
COURSES_API = 4


@pytest.fixture
def half_way(client):
    """A 2-module, 6-lesson course with an image in every lesson and a quiz ending each module; the
    trainer has done the first module (its quiz passed) and tried nothing of the second."""
    built = build_course(modules=2, lessons=6, quiz_lessons=(2, 5), image=ImageFactory())
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    for lesson in built.lessons[:3]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    first_quiz = built.quiz_ids[0]
    quiz_submit(trainer=trainer, quiz_id=first_quiz, answers=half_right_answers(first_quiz))
    quiz_submit(trainer=trainer, quiz_id=first_quiz, answers=right_answers(first_quiz))
    client.force_login(trainer)
    # Warm what every later request finds cached: the site's root paths, renditions, templates.
    assert client.get(built.lessons[5].url).status_code == 200
    api = bearer(token_for(trainer))
    assert client.get("/api/v1/me/progress", **api).status_code == 200  # writes the token's last use
    return built, client, api


def test_lesson_page(half_way):
    built, client, _api = half_way
    with assert_database_query_count(LESSON_PAGE, label="halaman pelajaran"):
        response = client.get(built.lessons[5].url)
    assert response.status_code == 200


def test_dashboard(half_way):
    _built, client, _api = half_way
    with assert_database_query_count(DASHBOARD, label="dasbor"):
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200


def test_lesson_completion_through_the_form(half_way):
    built, client, _api = half_way
    with assert_database_query_count(LESSON_COMPLETE_FORM, label="tandai selesai"):
        response = client.post(reverse("lesson_complete", args=[built.lessons[3].pk]))
    assert response.status_code == 302


def test_lesson_completion_through_the_api(half_way):
    built, client, api = half_way
    with assert_database_query_count(LESSON_COMPLETE_API, label="API tandai selesai"):
        response = client.post(f"/api/v1/lessons/{built.lessons[3].pk}/complete", **api)
    assert response.status_code == 200


def test_quiz_submission_through_the_form(half_way):
    built, client, _api = half_way
    quiz_id = built.quiz_ids[1]
    answers = {f"q-{question}": choices for question, choices in half_right_answers(quiz_id).items()}
    with assert_database_query_count(QUIZ_SUBMIT_FORM, label="kirim kuis"):
        response = client.post(reverse("quiz_attempt_create", kwargs={"quiz_id": quiz_id}), answers)
    assert response.status_code == 302


def test_quiz_submission_through_the_api(half_way):
    built, client, api = half_way
    quiz_id = built.quiz_ids[1]
    with assert_database_query_count(QUIZ_SUBMIT_API, label="API kirim kuis"):
        response = client.post(
            f"/api/v1/quizzes/{quiz_id}/attempts",
            {"answers": half_right_answers(quiz_id)},
            content_type="application/json",
            **api,
        )
    assert response.status_code == 201


def test_quiz_through_the_api(half_way):
    built, client, api = half_way
    with assert_database_query_count(QUIZ_DETAIL_API, label="API kuis"):
        response = client.get(f"/api/v1/quizzes/{built.quiz_ids[1]}", **api)
    assert response.status_code == 200


def test_my_progress_through_the_api(half_way):
    _built, client, api = half_way
    with assert_database_query_count(MY_PROGRESS_API, label="API kemajuan saya"):
        response = client.get("/api/v1/me/progress", **api)
    assert response.status_code == 200


def test_courses_through_the_api(half_way):
    _built, client, api = half_way
    with assert_database_query_count(COURSES_API, label="API kursus"):
        response = client.get("/api/v1/courses", **api)
    assert response.status_code == 200
