"""Pre-test and post-test: marking them, completion, where the trainer is sent first, the learning
gain (pages and API), and the editor's checks."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import selectors, services
from courses.assessments import LearningGain
from courses.models import AssessmentRole, Enrolment, LessonPage, QuizAttempt
from tests.courses.api_helpers import bearer, token_for
from tests.courses.assessment_helpers import assessed_course
from tests.courses.learning_helpers import quiz_submit
from tests.factories import (
    TrainerFactory,
    build_course,
    half_right_answers,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def enrolled(built, trainer=None):
    trainer = trainer or TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    return trainer


def progress_of(trainer, built) -> selectors.CourseProgress:
    return selectors.course_progress(enrolment=Enrolment.objects.get(trainer=trainer, course=built.course))


def test_the_outline_names_the_pre_test_and_the_post_test():
    built = assessed_course()
    outline = selectors.course_outline(course=built.course)
    assert (outline.pre_test_id, outline.post_test_id) == (built.pre, built.post)
    # the pre-test's lesson and quiz are not part of the completion rule; the post-test's are
    assert built.lessons[0].pk not in outline.required_lesson_ids
    assert outline.quiz_ids == [built.quiz, built.post]
    plain = build_course(slug="tanpa-tes")
    plain_outline = selectors.course_outline(course=plain.course)
    assert (plain_outline.pre_test_id, plain_outline.post_test_id) == (None, None)


def test_a_course_completes_without_the_pre_test():
    built = assessed_course()
    trainer = enrolled(built)
    for lesson in built.lessons[1:]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    quiz_submit(trainer=trainer, quiz_id=built.quiz, answers=right_answers(built.quiz))
    result = quiz_submit(trainer=trainer, quiz_id=built.post, answers=right_answers(built.post))
    assert result.course_completed
    assert progress_of(trainer, built).percent == 100


def test_a_failed_pre_test_never_holds_completion_back():
    built = assessed_course()
    trainer = enrolled(built)
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=wrong_answers(built.pre))
    for lesson in built.lessons[1:]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    quiz_submit(trainer=trainer, quiz_id=built.quiz, answers=right_answers(built.quiz))
    assert quiz_submit(
        trainer=trainer, quiz_id=built.post, answers=right_answers(built.post)
    ).course_completed


def test_the_post_test_counts_like_every_quiz():
    built = assessed_course()
    trainer = enrolled(built)
    for lesson in built.lessons:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=right_answers(built.pre))
    quiz_submit(trainer=trainer, quiz_id=built.quiz, answers=right_answers(built.quiz))
    assert Enrolment.objects.get(trainer=trainer).completed_at is None
    assert not quiz_submit(
        trainer=trainer, quiz_id=built.post, answers=wrong_answers(built.post)
    ).course_completed
    progress = progress_of(trainer, built)
    assert not progress.rule_met
    assert progress.next_lesson.id == built.lessons[4].pk  # back to the post-test
    assert quiz_submit(
        trainer=trainer, quiz_id=built.post, answers=right_answers(built.post)
    ).course_completed


def test_the_pre_test_comes_first_until_learning_begins():
    built = assessed_course()
    trainer = enrolled(built)
    progress = progress_of(trainer, built)
    assert progress.pre_test_due
    assert progress.next_lesson.id == built.lessons[0].pk
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=wrong_answers(built.pre))
    progress = progress_of(trainer, built)
    assert not progress.pre_test_due
    assert progress.next_lesson.id == built.lessons[1].pk  # the pre-test's lesson is never "to do"

    late = enrolled(built)
    services.lesson_complete(trainer=late, lesson=built.lessons[1])
    # learning has begun: a pre-test now would measure nothing
    assert not progress_of(late, built).pre_test_due
    assert progress_of(late, built).next_lesson.id == built.lessons[2].pk


def test_learning_gain_is_the_first_pre_test_against_the_best_post_test():
    built = assessed_course()
    trainer = enrolled(built)
    assert progress_of(trainer, built).learning_gain == LearningGain(pre=None, post=None)
    now = timezone.now()
    quiz_submit(
        trainer=trainer, quiz_id=built.pre, answers=half_right_answers(built.pre), at=now - timedelta(hours=3)
    )
    quiz_submit(
        trainer=trainer, quiz_id=built.pre, answers=right_answers(built.pre), at=now - timedelta(hours=2)
    )
    gain = progress_of(trainer, built).learning_gain
    assert (gain.pre, gain.post, gain.gain) == (50, None, None)
    quiz_submit(
        trainer=trainer, quiz_id=built.post, answers=right_answers(built.post), at=now - timedelta(hours=1)
    )
    quiz_submit(trainer=trainer, quiz_id=built.post, answers=wrong_answers(built.post), at=now)
    gain = progress_of(trainer, built).learning_gain
    assert (gain.pre, gain.post, gain.gain) == (50, 100, 50)


def test_an_offline_pre_test_attempt_sent_late_but_made_first_is_the_pre_test_score():
    built = assessed_course()
    trainer = enrolled(built)
    now = timezone.now()
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=right_answers(built.pre), at=now)
    # made earlier on the phone, received after
    quiz_submit(
        trainer=trainer, quiz_id=built.pre, answers=wrong_answers(built.pre), at=now - timedelta(days=1)
    )
    assert progress_of(trainer, built).learning_gain.pre == 0


def test_a_negative_gain_is_shown_as_it_is():
    assert LearningGain(pre=100, post=50).gain == -50


# --- what the trainer sees -------------------------------------------------------------------------


def test_the_dashboard_sends_a_new_trainer_to_the_pre_test(client):
    built = assessed_course()
    trainer = enrolled(built)
    client.force_login(trainer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Kerjakan tes awal" in page
    assert built.lessons[0].url in page


def test_the_dashboard_and_course_page_show_the_trainers_own_gain(client):
    built = assessed_course()
    trainer, other = enrolled(built), enrolled(built)
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=half_right_answers(built.pre))
    quiz_submit(trainer=trainer, quiz_id=built.post, answers=right_answers(built.post))
    quiz_submit(trainer=other, quiz_id=built.pre, answers=wrong_answers(built.pre))
    client.force_login(trainer)
    for url in (reverse("dashboard"), built.course.url):
        page = client.get(url).content.decode()
        assert "Tes awal: <strong>50</strong>" in page
        assert "Tes akhir: <strong>100</strong>" in page
        assert "Peningkatan: <strong>+50 poin</strong>" in page
    client.force_login(other)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Tes awal: <strong>0</strong>" in page
    assert "Tes akhir" not in page and "Peningkatan" not in page


def test_lesson_counts_are_of_required_lessons_on_the_dashboard_and_in_the_api(client):
    # 5 lessons: lesson 0 is the pre-test's and lesson 3 is optional, so 3 are required.
    built = assessed_course(optional_lessons=(3,))
    trainer = enrolled(built)
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=right_answers(built.pre))
    for lesson in (built.lessons[0], built.lessons[1], built.lessons[3]):
        services.lesson_complete(trainer=trainer, lesson=lesson)
    progress = progress_of(trainer, built)
    assert (progress.lessons_done, progress.lessons_total) == (1, 3)
    # 1 of 3 lessons and 0 of 2 quizzes (the pre-test is not one of them)
    assert progress.percent == 20

    client.force_login(trainer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 dari 3 pelajaran" in page
    assert "dari 5 pelajaran" not in page
    client.logout()
    mine = client.get(f"/api/v1/me/progress/{built.course.pk}", **bearer(token_for(trainer))).json()
    assert (mine["lessons_done"], mine["lessons_total"], mine["percent"]) == (1, 3, 20)
    listed = client.get("/api/v1/me/progress", **bearer(token_for(trainer))).json()
    assert (listed[0]["lessons_done"], listed[0]["lessons_total"]) == (1, 3)

    for lesson in built.lessons[1:]:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    progress = progress_of(trainer, built)
    assert (progress.lessons_done, progress.lessons_total) == (3, 3)


def test_the_api_gives_the_test_ids_and_only_the_callers_own_scores(client):
    built = assessed_course()
    plain = build_course(slug="tanpa-tes")
    trainer, other = enrolled(built), enrolled(built)
    quiz_submit(trainer=trainer, quiz_id=built.pre, answers=wrong_answers(built.pre))
    quiz_submit(trainer=trainer, quiz_id=built.post, answers=half_right_answers(built.post))

    courses = {item["id"]: item for item in client.get("/api/v1/courses", **bearer(token_for(other))).json()}
    assert courses[str(built.course.pk)]["pre_test_id"] == built.pre
    assert courses[str(built.course.pk)]["post_test_id"] == built.post
    assert courses[str(plain.course.pk)]["pre_test_id"] is None
    assert courses[str(plain.course.pk)]["post_test_id"] is None
    # the tests are quizzes like the others, through the same endpoint
    assert client.get(f"/api/v1/quizzes/{built.pre}", **bearer(token_for(other))).status_code == 200

    mine = client.get(f"/api/v1/me/progress/{built.course.pk}", **bearer(token_for(trainer))).json()
    assert (mine["pre_test_score"], mine["post_test_score"], mine["learning_gain"]) == (0, 50, 50)
    theirs = client.get(f"/api/v1/me/progress/{built.course.pk}", **bearer(token_for(other))).json()
    assert (theirs["pre_test_score"], theirs["post_test_score"], theirs["learning_gain"]) == (
        None,
        None,
        None,
    )


# --- the editor's checks -----------------------------------------------------------------------------


def test_a_pre_or_post_test_lesson_must_hold_exactly_one_quiz():
    built = build_course(modules=1, lessons=2, quiz_lessons=(1,))
    lesson = built.lessons[0]  # no quiz
    lesson.assessment_role = AssessmentRole.PRE_TEST
    with pytest.raises(ValidationError) as refused:
        lesson.full_clean()
    assert "tepat satu kuis" in str(refused.value.message_dict["assessment_role"])


def test_a_course_has_at_most_one_pre_test_and_one_post_test():
    built = assessed_course()
    other_quiz_lesson = LessonPage.objects.get(pk=built.lessons[2].pk)
    other_quiz_lesson.assessment_role = AssessmentRole.PRE_TEST
    with pytest.raises(ValidationError) as refused:
        other_quiz_lesson.full_clean()
    assert "sudah punya tes awal" in str(refused.value.message_dict["assessment_role"])
    # the post-test lesson itself may be saved again, and another course may have its own
    LessonPage.objects.get(pk=built.lessons[4].pk).full_clean()
    second = build_course(slug="kedua", quiz_lessons=(0,))
    second.lessons[0].assessment_role = AssessmentRole.PRE_TEST
    second.lessons[0].full_clean()


def test_the_admin_refuses_a_second_pre_test_in_a_new_lesson(client):
    from tests.factories import AdminFactory

    built = assessed_course()
    client.force_login(AdminFactory())
    module = built.modules[1]
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", module.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Tes awal kedua",
        "slug": "tes-awal-kedua",
        "intro": "",
        "estimated_minutes": "10",
        "required": "on",
        "assessment_role": AssessmentRole.PRE_TEST,
        "body-count": "0",
        "comment_notifications": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert "sudah punya tes awal" in page
    assert "tepat satu kuis" in page
    assert not LessonPage.objects.filter(slug="tes-awal-kedua").exists()


def test_a_copied_lesson_does_not_copy_its_role():
    built = assessed_course()
    copy = built.lessons[0].copy(
        to=built.modules[1], update_attrs={"slug": "salinan-tes-awal", "title": "Salinan"}, keep_live=True
    )
    assert copy.specific.assessment_role == AssessmentRole.NONE
    assert selectors.course_outline(course=built.course).pre_test_id == built.pre
    assert QuizAttempt.objects.count() == 0
