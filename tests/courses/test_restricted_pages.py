"""Lessons, modules and courses that a trainer may not see (behind a Wagtail view restriction, or
unpublished) cannot be enrolled in, completed or answered through the page forms or the API sync."""

import uuid

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from courses.models import CoursePage, Enrolment, LessonProgress, QuizAttempt, SyncEvent
from tests.courses.api_helpers import bearer, token_for
from tests.factories import build_course, right_answers

pytestmark = pytest.mark.django_db

# The body of the course's only lesson (see tests.factories.build_course).
LESSON_BODY = "Isi pelajaran 1.1."


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


def _restrict_to_group(page) -> Group:
    group = Group.objects.create(name=f"Pilot {page.pk}")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return group


def _sync(api, *events):
    return api.post("/api/v1/me/sync", {"events": list(events)}, content_type="application/json")


def _lesson_event(lesson_id) -> dict:
    return {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(lesson_id)}


def _quiz_event(quiz_id, answers) -> dict:
    return {"id": str(uuid.uuid4()), "type": "quiz_attempt", "quiz_id": quiz_id, "answers": answers}


def _form_answers(quiz_id: str) -> dict[str, list[str]]:
    return {f"q-{question}": choices for question, choices in right_answers(quiz_id).items()}


def test_sync_cannot_complete_a_lesson_behind_a_view_restriction(api, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    _restrict_to_group(built.lessons[0])
    response = _sync(api, _lesson_event(built.lessons[0].pk))
    assert response.json()["results"][0]["status"] == "rejected"
    assert not LessonProgress.objects.exists()
    assert not SyncEvent.objects.exists()


def test_sync_cannot_submit_a_quiz_of_a_lesson_behind_a_view_restriction(api, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    _restrict_to_group(built.modules[0])
    quiz_id = built.quiz_ids[0]
    response = _sync(api, _quiz_event(quiz_id, right_answers(quiz_id)))
    assert response.json()["results"][0]["status"] == "rejected"
    assert not QuizAttempt.objects.exists()


def test_sync_cannot_complete_a_lesson_of_an_unpublished_course(api, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    CoursePage.objects.filter(pk=built.course.pk).update(live=False)
    quiz_id = built.quiz_ids[0]
    response = _sync(api, _lesson_event(built.lessons[0].pk), _quiz_event(quiz_id, right_answers(quiz_id)))
    assert [item["status"] for item in response.json()["results"]] == ["rejected", "rejected"]
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()


def test_page_form_cannot_complete_a_lesson_behind_a_view_restriction(browser, built, trainer):
    lesson = built.lessons[0]
    Enrolment.objects.create(trainer=trainer, course=built.course)
    _restrict_to_group(lesson)
    assert browser.get(lesson.url).status_code in (302, 403)  # Wagtail's own answer
    response = browser.post(f"/learn/lessons/{lesson.pk}/complete/")
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_page_form_quiz_of_a_restricted_lesson_neither_shows_the_lesson_nor_stores(browser, built, trainer):
    Enrolment.objects.create(trainer=trainer, course=built.course)
    _restrict_to_group(built.modules[0])
    quiz_id = built.quiz_ids[0]
    # Invalid answers used to render the lesson itself, bypassing the restriction.
    invalid = browser.post(f"/learn/quizzes/{quiz_id}/attempts/", {})
    assert invalid.status_code == 404
    assert LESSON_BODY not in invalid.content.decode()
    valid = browser.post(f"/learn/quizzes/{quiz_id}/attempts/", _form_answers(quiz_id))
    assert valid.status_code == 404
    assert not QuizAttempt.objects.exists()


def test_page_form_cannot_enrol_in_a_course_behind_a_view_restriction(browser, built):
    _restrict_to_group(built.course)
    response = browser.post(f"/learn/courses/{built.course.pk}/enrol/")
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_members_of_the_restricting_group_still_learn(browser, built, trainer):
    group = _restrict_to_group(built.course)
    trainer.groups.add(group)
    quiz_id = built.quiz_ids[0]
    assert browser.post(f"/learn/courses/{built.course.pk}/enrol/").status_code == 302
    assert browser.post(f"/learn/lessons/{built.lessons[0].pk}/complete/").status_code == 302
    response = browser.post(f"/learn/quizzes/{quiz_id}/attempts/", _form_answers(quiz_id))
    assert response.status_code == 302
    assert LessonProgress.objects.count() == 1
    assert QuizAttempt.objects.get().passed
