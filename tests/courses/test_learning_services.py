"""The learning domain: enrolment, completion, scoring and the completion rule."""

import pytest

from courses import selectors, services
from courses.models import Enrolment, LessonProgress, QuizAttempt
from courses.signals import course_completed
from tests.courses.learning_helpers import quiz_submit
from tests.factories import TrainerFactory, build_course, half_right_answers, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    received = []

    def receiver(sender, enrolment, trainer, course, **kwargs):
        received.append((trainer.pk, course.pk))

    course_completed.connect(receiver, dispatch_uid="test-learning-completions")
    yield received
    course_completed.disconnect(dispatch_uid="test-learning-completions")


def test_enrolling_twice_keeps_one_enrolment():
    built = build_course()
    trainer = TrainerFactory()
    first, created = services.enrolment_create(trainer=trainer, course=built.course)
    again, created_again = services.enrolment_create(trainer=trainer, course=built.course)
    assert created and not created_again
    assert first.pk == again.pk
    assert Enrolment.objects.filter(trainer=trainer).count() == 1


def test_enrolling_in_a_closed_course_is_refused():
    built = build_course(open_for_enrolment=False)
    trainer = TrainerFactory()
    with pytest.raises(services.EnrolmentClosed):
        services.enrolment_create(trainer=trainer, course=built.course)
    assert not Enrolment.objects.exists()


def test_completing_a_lesson_twice_keeps_one_record():
    built = build_course()
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    first = services.lesson_complete(trainer=trainer, lesson=built.lessons[1])
    completed_at = LessonProgress.objects.get().completed_at
    again = services.lesson_complete(trainer=trainer, lesson=built.lessons[1])
    assert first.lesson_newly_done and not again.lesson_newly_done
    assert LessonProgress.objects.get().completed_at == completed_at
    assert again.course_progress.done_lesson_ids == {built.lessons[1].pk}


def test_a_lesson_of_a_course_not_enrolled_in_cannot_be_completed():
    built = build_course()
    trainer = TrainerFactory()
    with pytest.raises(services.NotEnrolled):
        services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    assert not LessonProgress.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_lesson_of_an_unpublished_course_cannot_be_completed():
    built = build_course()
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    built.course.unpublish()
    lesson = type(built.lessons[0]).objects.get(pk=built.lessons[0].pk)
    assert lesson.live

    with pytest.raises(services.LessonNotFound):
        services.lesson_complete(trainer=trainer, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_a_quiz_of_a_course_not_enrolled_in_cannot_be_submitted():
    built = build_course()
    trainer = TrainerFactory()
    quiz_id = built.quiz_ids[0]
    with pytest.raises(services.NotEnrolled):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    assert not QuizAttempt.objects.exists()


def test_the_server_scores_single_and_multiple_choice_questions():
    built = build_course()
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]

    right = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    assert right.attempt.score == 100 and right.attempt.passed
    assert [result.correct for result in right.results] == [True, True]

    # A multiple-choice question is right only with exactly the right choices: one missing is wrong,
    # and so is one extra wrong choice.
    partial = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    assert partial.attempt.score == 50 and not partial.attempt.passed
    extra = {
        f"{quiz_id}-q1": [f"{quiz_id}-q1-b"],
        f"{quiz_id}-q2": [f"{quiz_id}-q2-a", f"{quiz_id}-q2-b", f"{quiz_id}-q2-c"],
    }
    wrong = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=extra)
    assert wrong.attempt.score == 0
    assert [result.correct for result in wrong.results] == [False, False]


@pytest.mark.parametrize(
    "answers",
    [
        {},  # nothing answered
        {"{q}-q1": ["{q}-q1-a"]},  # one question missing
        {"{q}-q1": ["{q}-q1-a", "{q}-q1-b"], "{q}-q2": ["{q}-q2-a"]},  # two choices for a single question
        {"{q}-q1": ["tidak-ada"], "{q}-q2": ["{q}-q2-a"]},  # unknown choice
        {"{q}-q1": ["{q}-q1-a"], "{q}-q2": ["{q}-q2-a"], "pertanyaan-lain": ["x"]},  # unknown question
    ],
)
def test_invalid_answers_store_nothing(answers):
    built = build_course()
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    answers = {
        key.format(q=quiz_id): [item.format(q=quiz_id) for item in value] for key, value in answers.items()
    }
    with pytest.raises(services.QuizAnswersInvalid) as error:
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=answers)
    assert error.value.field_errors
    assert not QuizAttempt.objects.exists()


def test_the_maximum_number_of_attempts_is_respected():
    built = build_course(max_attempts=2)
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    for _ in range(2):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    with pytest.raises(services.QuizAttemptsExhausted):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    assert QuizAttempt.objects.count() == 2


def test_the_quiz_pass_mark_overrides_the_course_pass_mark():
    built = build_course(quiz_pass_mark=50)
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    result = quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    assert result.pass_mark == 50 and result.attempt.passed


def test_a_failed_then_passed_quiz_completes_the_course_once(django_capture_on_commit_callbacks, completions):
    built = build_course(lessons=2, max_attempts=5)
    trainer = TrainerFactory()
    quiz_id = built.quiz_ids[0]
    with django_capture_on_commit_callbacks(execute=True):
        enrolment, _ = services.enrolment_create(trainer=trainer, course=built.course)
        for lesson in built.lessons:
            services.lesson_complete(trainer=trainer, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None, "every lesson done, but the quiz is not passed yet"

    with django_capture_on_commit_callbacks(execute=True):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert completions == []

    with django_capture_on_commit_callbacks(execute=True):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at
    assert completed_at is not None
    assert completions == [(trainer.pk, built.course.pk)]

    # Anything afterwards (another pass, a lesson again, a failed attempt) changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
        services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert completions == [(trainer.pk, built.course.pk)]

    progress = selectors.course_progress(enrolment=enrolment)
    assert progress.percent == 100
    assert progress.best_scores[quiz_id] == 100


def test_optional_lessons_are_not_needed_for_completion(django_capture_on_commit_callbacks, completions):
    built = build_course(lessons=2, quiz_lessons=(), optional_lessons=(1,))
    trainer = TrainerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment, _ = services.enrolment_create(trainer=trainer, course=built.course)
        services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert len(completions) == 1


def test_lesson_state_tracks_attempts_and_navigation_across_modules():
    built = build_course(lessons=4, modules=2, max_attempts=3)
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id))
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])

    state = selectors.lesson_state(trainer=trainer, lesson=built.lessons[0])
    quiz_state = state.quiz_states[quiz_id]
    assert (quiz_state.attempts, quiz_state.attempts_left, quiz_state.best_score, quiz_state.passed) == (
        1,
        2,
        50,
        False,
    )
    assert state.done
    # The quiz is not passed, so "continue" still points at this lesson: nothing elsewhere to resume.
    assert state.progress.next_lesson.id == built.lessons[0].pk
    assert state.resume_lesson is None

    boundary = selectors.lesson_state(trainer=trainer, lesson=built.lessons[1])
    assert boundary.previous_lesson.id == built.lessons[0].pk
    assert boundary.next_lesson.id == built.lessons[2].pk  # the first lesson of module 2
    assert boundary.next_lesson.module_id == built.modules[1].pk
    assert boundary.resume_lesson.id == built.lessons[0].pk


def test_data_cost_counts_the_page_and_known_video_sizes():
    built = build_course(lessons=1, quiz_lessons=())
    lesson = built.lessons[0]
    small = selectors.lesson_data_cost(lesson=lesson)
    assert small.page_bytes >= selectors.PAGE_OVERHEAD_BYTES
    assert small.video_bytes == 0

    body = list(lesson.body.raw_data)
    body.append(
        {
            "type": "video",
            "id": "6f1c1f3e-0000-4000-8000-000000000001",
            "value": {
                "video": "https://www.youtube.com/watch?v=abc",
                "title": "Video",
                "duration_minutes": 5,
                "approx_size_mb": "12.5",
            },
        }
    )
    lesson.body = body
    lesson.save()
    cost = selectors.lesson_data_cost(lesson=lesson)
    assert cost.video_bytes == int(12.5 * 1024 * 1024)
    assert cost.total_bytes == cost.page_bytes + cost.image_bytes


def test_data_cost_counts_images_at_the_width_a_phone_downloads():
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(
        title="Foto", file=get_test_image_file(size=(1600, 1200), colour="red")
    )
    built = build_course(lessons=1, quiz_lessons=())
    lesson = built.lessons[0]
    body = list(lesson.body.raw_data)
    body.append(
        {
            "type": "image",
            "id": "6f1c1f3e-0000-4000-8000-000000000002",
            "value": {"image": image.pk, "alt_text": "Foto", "caption": ""},
        }
    )
    lesson.body = body
    lesson.save()

    # No rendition yet: the original's size scaled to a phone's width.
    estimate = selectors.lesson_data_cost(lesson=lesson).image_bytes
    assert 0 < estimate < image.file.size
    # Once the rendition exists, its real size counts.
    rendition = image.get_rendition(selectors.PHONE_IMAGE_FILTER)
    lesson = type(lesson).objects.get(pk=lesson.pk)
    assert selectors.lesson_data_cost(lesson=lesson).image_bytes == rendition.file.size


# --- the quiz index and what the services say happened ----------------------------------------


def test_a_quiz_is_found_by_its_id_through_the_index_once_its_lesson_is_published():
    from courses.models import LessonQuiz
    from tests.factories import quiz_block

    built = build_course(lessons=2, quiz_lessons=(0,))
    old_quiz = built.quiz_ids[0]
    assert selectors.quiz_get(quiz_id=old_quiz)[1].pk == built.lessons[0].pk
    assert selectors.quiz_get(quiz_id="tidak-ada") is None

    # An editor replaces the quiz of lesson 1 and adds one to lesson 2; a draft changes nothing.
    lesson = built.lessons[0].specific_class.objects.get(pk=built.lessons[0].pk)
    lesson.body = [quiz_block("kuis-baru", 7)]
    revision = lesson.save_revision()
    assert selectors.quiz_get(quiz_id="kuis-baru") is None
    assert selectors.quiz_get(quiz_id=old_quiz) is not None
    revision.publish()
    quiz, found_lesson = selectors.quiz_get(quiz_id="kuis-baru")
    assert (quiz.title, found_lesson.pk) == ("Kuis 7", lesson.pk)
    assert selectors.quiz_get(quiz_id=old_quiz) is None
    assert list(LessonQuiz.objects.values_list("quiz_id", flat=True)) == ["kuis-baru"]

    lesson.unpublish()
    assert selectors.quiz_get(quiz_id="kuis-baru") is None


def test_completing_the_last_lesson_says_the_course_was_completed():
    built = build_course(lessons=2, quiz_lessons=())
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    first = services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    assert not first.course_completed and first.course_progress.percent == 50
    last = services.lesson_complete(trainer=trainer, lesson=built.lessons[1])
    assert last.course_completed and last.course_progress.completed_at is not None
    again = services.lesson_complete(trainer=trainer, lesson=built.lessons[1])
    assert not again.course_completed and not again.lesson_newly_done


def test_passing_the_last_quiz_says_the_course_was_completed():
    built = build_course(lessons=1, quiz_lessons=(0,))
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    services.lesson_complete(trainer=trainer, lesson=built.lessons[0])
    quiz_id = built.quiz_ids[0]
    assert not quiz_submit(
        trainer=trainer, quiz_id=quiz_id, answers=half_right_answers(quiz_id)
    ).course_completed
    assert quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id)).course_completed
    assert not quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id)).course_completed
