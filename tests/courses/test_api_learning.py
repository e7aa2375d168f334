"""The learning endpoints: courses, quizzes, enrolment, completion, attempts and progress."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.models import Enrolment, LessonProgress, QuizAttempt
from tests.courses.api_helpers import bearer, token_for
from tests.factories import (
    EXPLANATION,
    ImageFactory,
    TrainerFactory,
    build_course,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    return build_course(slug="pendampingan", lessons=3, modules=2, quiz_lessons=(0, 1))


@pytest.fixture
def trainer():
    return TrainerFactory(username="andi")


@pytest.fixture
def api(trainer):
    """A client signed in with a bearer token, as a phone app would be."""
    client = Client(enforce_csrf_checks=True)
    client.defaults.update(bearer(token_for(trainer)))
    return client


def post(client, url, data=None):
    return client.post(url, data if data is not None else {}, content_type="application/json")


def enrol(api, built):
    return post(api, f"/api/v1/courses/{built.course.pk}/enrol")


def assert_no_answers(payload, built_courses):
    """No correct flag, no explanation key, no explanation text anywhere in a JSON payload."""

    def walk(node):
        if isinstance(node, dict):
            assert "correct" not in node and "explanation" not in node, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    text = str(payload)
    assert "Penjelasan rahasia" not in text
    assert EXPLANATION.split("{")[0] not in text


# ---------------------------------------------------------------------------------------------
# Courses and quizzes
# ---------------------------------------------------------------------------------------------


def test_courses_lists_published_courses_with_modules_lessons_and_quiz_ids(api, built):
    draft = build_course(slug="draf")
    draft.course.unpublish()
    response = api.get("/api/v1/courses")
    assert response.status_code == 200
    courses = response.json()
    assert [course["slug"] for course in courses] == ["pendampingan"]
    course = courses[0]
    assert course["id"] == str(built.course.pk)
    assert course["enrolled"] is False
    assert course["url"].startswith("http://testserver/")
    assert [module["title"] for module in course["modules"]] == ["Modul 1", "Modul 2"]
    lessons = [lesson for module in course["modules"] for lesson in module["lessons"]]
    assert [lesson["id"] for lesson in lessons] == [str(lesson.pk) for lesson in built.lessons]
    assert lessons[0]["quiz_ids"] == [built.quiz_ids[0]]
    assert lessons[2]["quiz_ids"] == []
    assert all(isinstance(lesson["id"], str) and lesson["required"] for lesson in lessons)
    assert_no_answers(courses, [built])


def test_courses_hides_courses_behind_a_view_restriction(api, built):
    PageViewRestriction.objects.create(page=built.course, restriction_type=PageViewRestriction.LOGIN)
    assert api.get("/api/v1/courses").json() == []
    assert post(api, f"/api/v1/courses/{built.course.pk}/enrol").status_code == 404


def test_courses_marks_the_courses_i_am_enrolled_in(api, built):
    enrol(api, built)
    assert api.get("/api/v1/courses").json()[0]["enrolled"] is True


def test_quiz_has_questions_and_choices_with_ids_but_no_answers(api, built):
    quiz_id = built.quiz_ids[0]
    response = api.get(f"/api/v1/quizzes/{quiz_id}")
    assert response.status_code == 200
    quiz = response.json()
    assert quiz["id"] == quiz_id
    assert quiz["lesson_id"] == str(built.lessons[0].pk)
    assert quiz["course_id"] == str(built.course.pk)
    assert quiz["pass_mark"] == 70
    assert [question["id"] for question in quiz["questions"]] == [f"{quiz_id}-q1", f"{quiz_id}-q2"]
    assert [choice["id"] for choice in quiz["questions"][0]["choices"]] == [
        f"{quiz_id}-q1-a",
        f"{quiz_id}-q1-b",
    ]
    assert quiz["questions"][1]["kind"] == "multiple"
    assert_no_answers(quiz, [built])


def test_quiz_of_a_course_i_am_not_enrolled_in_is_readable(api, built):
    # Quizzes are public content without answers; only attempts need an enrolment.
    assert api.get(f"/api/v1/quizzes/{built.quiz_ids[0]}").status_code == 200


@pytest.mark.parametrize("quiz_id", ["00000000-0000-0000-0000-000000000000", "x" * 65, "q1", " "])
def test_unknown_quiz_is_404(api, built, quiz_id):
    response = api.get(f"/api/v1/quizzes/{quiz_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


def test_quiz_of_an_unpublished_lesson_or_course_is_404(api, built, trainer):
    enrol(api, built)
    built.lessons[0].unpublish()
    assert api.get(f"/api/v1/quizzes/{built.quiz_ids[0]}").status_code == 404
    assert post(api, f"/api/v1/quizzes/{built.quiz_ids[0]}/attempts", {"answers": {}}).status_code == 404
    # A course taken offline while its lessons stay live hides them too.
    type(built.course).objects.filter(pk=built.course.pk).update(live=False)
    assert api.get(f"/api/v1/quizzes/{built.quiz_ids[1]}").status_code == 404
    assert post(api, f"/api/v1/lessons/{built.lessons[1].pk}/complete").status_code == 404
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.exists()


# ---------------------------------------------------------------------------------------------
# Enrolment and completion
# ---------------------------------------------------------------------------------------------


def test_enrolment_is_idempotent(api, built, trainer):
    first = enrol(api, built)
    second = enrol(api, built)
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json()
    body = first.json()
    assert body["course_id"] == str(built.course.pk)
    assert body["percent"] == 0
    assert body["lessons_total"] == 3 and body["quizzes_total"] == 2
    assert body["next_lesson_id"] == str(built.lessons[0].pk)
    assert Enrolment.objects.filter(trainer=trainer).count() == 1


def test_enrolling_in_a_closed_course_is_refused_and_stores_nothing(api, trainer):
    closed = build_course(slug="tutup", open_for_enrolment=False)
    response = enrol(api, closed)
    assert response.status_code == 403
    assert response.json()["code"] == "enrolment_closed"
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("course_id", ["999999", "abc", "-1", "1e3"])
def test_enrolling_in_an_unknown_course_is_404(api, course_id):
    assert post(api, f"/api/v1/courses/{course_id}/enrol").status_code == 404


def test_enrolling_in_a_draft_course_or_a_lesson_id_is_404(api, built):
    draft = build_course(slug="draf")
    draft.course.unpublish()
    assert post(api, f"/api/v1/courses/{draft.course.pk}/enrol").status_code == 404
    assert post(api, f"/api/v1/courses/{built.lessons[0].pk}/enrol").status_code == 404
    assert not Enrolment.objects.exists()


def test_completing_a_lesson_twice_keeps_one_record_and_returns_progress(api, built, trainer):
    enrol(api, built)
    url = f"/api/v1/lessons/{built.lessons[0].pk}/complete"
    first = post(api, url)
    second = post(api, url)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    progress = first.json()
    assert progress["lessons_done"] == 1
    # 3 required lessons + 2 quizzes: one of five parts of the rule is met.
    assert progress["percent"] == 20
    assert progress["next_lesson_id"] == str(built.lessons[0].pk)  # its quiz is not passed yet
    assert LessonProgress.objects.filter(enrolment__trainer=trainer).count() == 1


def test_completing_a_lesson_of_a_course_i_am_not_enrolled_in_is_403_and_stores_nothing(api, built):
    response = post(api, f"/api/v1/lessons/{built.lessons[0].pk}/complete")
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda belum terdaftar di kursus ini.", "code": "not_enrolled"}
    assert not LessonProgress.objects.exists()


def test_completing_an_unknown_or_unpublished_lesson_is_404(api, built):
    enrol(api, built)
    built.lessons[2].unpublish()
    for lesson_id in [built.lessons[2].pk, built.course.pk, built.modules[0].pk, 999999, "x"]:
        assert post(api, f"/api/v1/lessons/{lesson_id}/complete").status_code == 404
    assert not LessonProgress.objects.exists()


# ---------------------------------------------------------------------------------------------
# Attempts
# ---------------------------------------------------------------------------------------------


def test_attempt_is_scored_on_the_server(api, built, trainer):
    enrol(api, built)
    quiz_id = built.quiz_ids[0]
    answers = right_answers(quiz_id)
    answers[f"{quiz_id}-q2"] = [f"{quiz_id}-q2-a"]  # half of a multiple-choice answer is wrong
    response = post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": answers, "score": 100})
    assert response.status_code == 201
    result = response.json()
    assert result["score"] == 50
    assert result["passed"] is False
    assert result["pass_mark"] == 70
    assert [(item["question_id"], item["correct"]) for item in result["results"]] == [
        (f"{quiz_id}-q1", True),
        (f"{quiz_id}-q2", False),
    ]
    # Not passed and attempts left: no explanation nor correct choices yet (the course's default).
    assert [(item["explanation"], item["correct_choice_ids"]) for item in result["results"]] == [
        ("", None)
    ] * 2
    assert result["attempts_left"] == 2 and result["next_attempt_at"] is None
    attempt = QuizAttempt.objects.get()
    assert str(attempt.pk) == result["attempt_id"]
    assert attempt.score == 50 and attempt.enrolment.trainer == trainer


def test_failed_then_passed_quiz_counts_the_best_attempt(api, built):
    enrol(api, built)
    quiz_id = built.quiz_ids[0]
    assert (
        post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": wrong_answers(quiz_id)}).json()["passed"]
        is False
    )
    passed = post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": right_answers(quiz_id)})
    assert passed.json()["score"] == 100 and passed.json()["passed"] is True
    progress = api.get(f"/api/v1/me/progress/{built.course.pk}").json()
    assert progress["quizzes_passed"] == 1
    attempts = api.get(f"/api/v1/quizzes/{quiz_id}/attempts").json()
    assert [attempt["score"] for attempt in attempts] == [100, 0]


def test_completing_everything_completes_the_course(api, built):
    enrol(api, built)
    for lesson in built.lessons:
        post(api, f"/api/v1/lessons/{lesson.pk}/complete")
    for quiz_id in built.quiz_ids:
        post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": right_answers(quiz_id)})
    progress = api.get("/api/v1/me/progress").json()[0]
    assert progress["percent"] == 100
    assert progress["completed_at"] is not None
    assert progress["next_lesson_id"] is None


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"{q}-q1": ["{q}-q1-z"], "{q}-q2": ["{q}-q2-a"]}, "answers.{q}-q1"),  # unknown choice
        ({"{q}-q1": ["{q}-q1-a"], "{q}-q2": ["{q}-q2-a"], "q9": ["x"]}, "answers.q9"),  # unknown question
        ({"{q}-q1": ["{q}-q1-a"]}, "answers.{q}-q2"),  # unanswered question
        ({"{q}-q1": ["{q}-q1-a", "{q}-q1-b"], "{q}-q2": ["{q}-q2-a"]}, "answers.{q}-q1"),  # two for single
        ({"{q}-q1": [], "{q}-q2": ["{q}-q2-a"]}, "answers.{q}-q1"),  # empty
    ],
)
def test_unknown_or_incomplete_answers_are_422_per_field_and_store_nothing(api, built, answers, field):
    enrol(api, built)
    quiz_id = built.quiz_ids[0]
    answers = {
        key.format(q=quiz_id): [item.format(q=quiz_id) for item in value] for key, value in answers.items()
    }
    response = post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": answers})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert field.format(q=quiz_id) in body["errors"]
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "answers", "Wajib diisi."),
        ({"answers": "c1"}, "answers", "Harus berupa objek."),
        ({"answers": {"q1": "c1"}}, "answers.q1", "Harus berupa daftar."),
        ({"answers": {"q1": [1]}}, "answers.q1.0", "Harus berupa teks."),
        ([], "answers", "Wajib diisi."),
    ],
)
def test_malformed_answers_are_422_with_an_indonesian_field_message(api, built, body, field, message):
    enrol(api, built)
    response = post(api, f"/api/v1/quizzes/{built.quiz_ids[0]}/attempts", body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "Periksa kembali data yang dikirim."
    assert response.json()["errors"][field] == message
    assert not QuizAttempt.objects.exists()


def test_unparseable_json_is_422(api, built):
    enrol(api, built)
    response = api.post(
        f"/api/v1/quizzes/{built.quiz_ids[0]}/attempts", "{answers:", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"body": "JSON tidak valid."}
    assert not QuizAttempt.objects.exists()


def test_attempt_at_a_quiz_of_a_course_i_am_not_enrolled_in_is_403_and_stores_nothing(api, built):
    quiz_id = built.quiz_ids[0]
    response = post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": right_answers(quiz_id)})
    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"
    assert not QuizAttempt.objects.exists()


def test_attempts_beyond_the_quiz_maximum_are_409_and_store_nothing(api):
    limited = build_course(slug="terbatas", max_attempts=1)
    enrol(api, limited)
    quiz_id = limited.quiz_ids[0]
    url = f"/api/v1/quizzes/{quiz_id}/attempts"
    assert post(api, url, {"answers": wrong_answers(quiz_id)}).status_code == 201
    response = post(api, url, {"answers": right_answers(quiz_id)})
    assert response.status_code == 409
    assert response.json()["code"] == "attempts_exhausted"
    assert QuizAttempt.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Progress, and what is not mine
# ---------------------------------------------------------------------------------------------


def test_my_progress_lists_each_enrolled_course(api, built):
    other = build_course(slug="lain", lessons=2, quiz_lessons=())
    enrol(api, built)
    enrol(api, other)
    post(api, f"/api/v1/lessons/{other.lessons[0].pk}/complete")
    response = api.get("/api/v1/me/progress")
    assert response.status_code == 200
    by_slug = {item["slug"]: item for item in response.json()}
    assert set(by_slug) == {"pendampingan", "lain"}
    assert by_slug["lain"] | {"enrolled_at": None} == {
        "course_id": str(other.course.pk),
        "slug": "lain",
        "title": "Kursus lain",
        "percent": 50,
        "lessons_done": 1,
        "lessons_total": 2,
        "quizzes_passed": 0,
        "quizzes_total": 0,
        "modules_done": 0,
        "modules_total": 1,
        "next_lesson_id": str(other.lessons[1].pk),
        "enrolled_at": None,
        "completed_at": None,
        "pre_test_score": None,
        "post_test_score": None,
        "learning_gain": None,
    }


def test_trainer_b_never_sees_trainer_a_objects(api, built):
    enrol(api, built)
    post(api, f"/api/v1/lessons/{built.lessons[0].pk}/complete")
    quiz_id = built.quiz_ids[0]
    attempt_id = post(api, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": right_answers(quiz_id)}).json()[
        "attempt_id"
    ]

    other = Client()
    other.defaults.update(bearer(token_for(TrainerFactory(username="budi"))))
    assert other.get("/api/v1/me/progress").json() == []
    mine_missing = other.get(f"/api/v1/me/progress/{built.course.pk}")
    nothing_there = other.get("/api/v1/me/progress/999999")
    assert mine_missing.status_code == nothing_there.status_code == 404
    assert mine_missing.json() == nothing_there.json()
    assert other.get(f"/api/v1/me/attempts/{attempt_id}").status_code == 404
    assert (
        other.get("/api/v1/me/attempts/999999").json()
        == other.get(f"/api/v1/me/attempts/{attempt_id}").json()
    )
    assert other.get(f"/api/v1/quizzes/{quiz_id}/attempts").json() == []
    assert other.get("/api/v1/courses").json()[0]["enrolled"] is False
    # And A still reads their own.
    assert api.get(f"/api/v1/me/attempts/{attempt_id}").json()["score"] == 100


def _progress_queries(lessons: int) -> int:
    # Lessons with images: reading their quiz ids must not load each lesson's images.
    built = build_course(
        slug=f"kursus-{lessons}",
        lessons=lessons,
        modules=5,
        quiz_lessons=range(min(lessons, 5)),
        image=ImageFactory(),
    )
    trainer = TrainerFactory(username=f"pelatih{lessons}")
    client = Client()
    client.defaults.update(bearer(token_for(trainer)))
    post(client, f"/api/v1/courses/{built.course.pk}/enrol")
    for lesson in built.lessons[::2]:
        post(client, f"/api/v1/lessons/{lesson.pk}/complete")
    for quiz_id in built.quiz_ids[:2]:
        post(client, f"/api/v1/quizzes/{quiz_id}/attempts", {"answers": right_answers(quiz_id)})
    client.get("/api/v1/me/progress")  # warm caches (site root paths, token last-used time)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me/progress")
    assert response.status_code == 200
    assert response.json()[0]["lessons_total"] == lessons
    return len(queries)


def test_progress_query_count_does_not_grow_with_the_number_of_lessons():
    assert _progress_queries(5) == _progress_queries(50)


def _courses_queries(lessons: int) -> int:
    build_course(
        slug=f"kursus-{lessons}",
        lessons=lessons,
        modules=5,
        quiz_lessons=range(min(lessons, 5)),
        image=ImageFactory(),
    )
    client = Client()
    client.defaults.update(bearer(token_for(TrainerFactory(username=f"pelatih{lessons}"))))
    client.get("/api/v1/courses")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/courses").status_code == 200
    return len(queries)


def test_courses_query_count_does_not_grow_with_the_number_of_lessons():
    small = _courses_queries(5)
    assert _courses_queries(50) == small
