"""The learning part of /api/v1/: courses, quizzes, enrolment, progress and offline sync.

Handlers parse, look the object up (404 for what does not exist, is not published or is not the
caller's), call a service or selector and map the result to a schema. Rules live in
courses.services and courses.selectors.

Status codes: 401 without valid credentials; 404 for an unknown, unpublished or someone else's
object (the same answer in each case, so nothing leaks); 403 `not_enrolled` when a trainer acts on
published content of a course they have not enrolled in (the content is public, so saying so leaks
nothing, and the client learns to enrol first); 403 `enrolment_closed`; 409 `attempts_exhausted`,
`draw_used` or `draw_required` and 429 `attempt_wait` (with `next_attempt_at`) under the quiz's
attempt policy (courses.quiz_policy); 422 with one message per field for a bad body. A refused
request stores nothing.
"""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Router

from courses import evaluations, selectors, services
from courses.api_schemas import (
    AttemptIn,
    AttemptOut,
    AttemptRefusedOut,
    AttemptSummaryOut,
    CourseOut,
    DrawOut,
    EvaluationIn,
    EvaluationOut,
    ProgressOut,
    QuizOut,
    SyncIn,
    SyncOut,
)
from courses.models import CoursePage, LessonPage, QuizAttempt
from courses.quiz_policy import attempt_policy
from lms.api.auth import api_auth
from lms.api.errors import ErrorOut, ValidationErrorOut

router = Router(auth=api_auth, tags=["pembelajaran"])

AUTH_ERRORS = {401: ErrorOut}
NOT_FOUND = {401: ErrorOut, 404: ErrorOut}


# ---------------------------------------------------------------------------------------------
# Look-ups: everything a trainer may act on is live and public; anything else is a 404
# ---------------------------------------------------------------------------------------------


def _int_id(raw: str) -> int:
    """A page or row id from the URL; anything that is not one is simply not found."""
    parsed = selectors.page_id_parse(raw)
    if parsed is None:
        raise Http404
    return parsed


def _course_or_404(course_id: str) -> CoursePage:
    course = CoursePage.objects.live().public().filter(pk=_int_id(course_id)).defer_streamfields().first()
    if course is None:
        raise Http404
    return course


def _lesson_or_404(lesson_id: str) -> LessonPage:
    lesson = LessonPage.objects.live().public().filter(pk=_int_id(lesson_id)).defer_streamfields().first()
    if lesson is None or not lesson.course.live:
        raise Http404
    return lesson


def _quiz_or_404(quiz_id: str) -> tuple[selectors.Quiz, LessonPage]:
    found = selectors.quiz_get(quiz_id=quiz_id)
    if found is None:
        raise Http404
    quiz, lesson = found
    if lesson.get_view_restrictions().exists() or not lesson.course.live:
        raise Http404
    return quiz, lesson


def _absolute(url: str) -> str:
    # Links for mobile clients are absolute, built from BASE_URL rather than the Host header.
    return f"{settings.BASE_URL}{url}" if url.startswith("/") else url


def _refused(status: int, code: str, error: services.LearningError) -> tuple[int, dict]:
    return status, {"detail": error.message, "code": code}


def _attempt_refused(error: services.LearningError) -> tuple[int, dict]:
    """A refusal under the attempt policy: 429 for the wait, 409 otherwise, with the next time."""
    status = 429 if isinstance(error, services.QuizAttemptWait) else 409
    return status, {"detail": error.message, "code": error.code, "next_attempt_at": error.next_attempt_at}


ATTEMPT_REFUSALS = (
    services.QuizAttemptsExhausted,
    services.QuizAttemptWait,
    services.QuizDrawUsed,
    services.QuizDrawRequired,
    services.QuizChanged,
)


def _questions_out(quiz: selectors.Quiz) -> list[dict]:
    return [
        {
            "id": question.id,
            "text": question.text,
            "kind": question.kind,
            "choices": [{"id": choice.id, "text": choice.text} for choice in question.choices],
        }
        for question in quiz.questions
    ]


# ---------------------------------------------------------------------------------------------
# Mapping to schemas
# ---------------------------------------------------------------------------------------------


def _course_out(outline: selectors.CourseOutline, *, enrolled: bool) -> dict:
    course = outline.course
    return {
        "id": str(course.pk),
        "slug": course.slug,
        "title": course.title,
        "url": _absolute(course.get_url() or ""),
        "summary": course.summary,
        "level": course.level,
        "estimated_hours": float(course.estimated_hours),
        "pass_mark": course.pass_mark,
        "open_for_enrolment": course.open_for_enrolment,
        "enrolled": enrolled,
        "pre_test_id": outline.pre_test_id,
        "post_test_id": outline.post_test_id,
        "modules": [
            {
                "id": str(module.id),
                "title": module.title,
                "url": _absolute(module.url),
                "lessons": [
                    {
                        "id": str(lesson.id),
                        "title": lesson.title,
                        "url": _absolute(lesson.url),
                        "required": lesson.required,
                        "estimated_minutes": lesson.estimated_minutes,
                        "quiz_ids": list(lesson.quiz_ids),
                    }
                    for lesson in module.lessons
                ],
            }
            for module in outline.modules
        ],
    }


def _progress_out(progress: selectors.CourseProgress) -> dict:
    course = progress.course
    next_lesson = progress.next_lesson
    gain = progress.learning_gain
    return {
        "course_id": str(course.pk),
        "slug": course.slug,
        "title": course.title,
        "percent": progress.percent,
        "lessons_done": progress.lessons_done,
        "lessons_total": progress.lessons_total,
        "quizzes_passed": progress.quizzes_passed,
        "quizzes_total": progress.quizzes_total,
        "modules_done": progress.modules_done,
        "modules_total": progress.modules_total,
        "next_lesson_id": str(next_lesson.id) if next_lesson else None,
        "enrolled_at": progress.enrolment.enrolled_at,
        "completed_at": progress.completed_at,
        "pre_test_score": gain.pre,
        "post_test_score": gain.post,
        "learning_gain": gain.gain,
    }


def _attempt_summary_out(attempt: QuizAttempt) -> dict:
    return {
        "attempt_id": str(attempt.pk),
        "quiz_id": attempt.quiz_id,
        "lesson_id": str(attempt.lesson_id),
        "score": attempt.score,
        "passed": attempt.passed,
        "submitted_at": attempt.submitted_at,
    }


def _enrolment_progress(*, trainer, course: CoursePage) -> dict:
    enrolment = selectors.enrolment_get(trainer=trainer, course=course)
    return _progress_out(selectors.course_progress(enrolment=enrolment))


# ---------------------------------------------------------------------------------------------
# Courses and quizzes
# ---------------------------------------------------------------------------------------------


@router.get("/courses", response={200: list[CourseOut], **AUTH_ERRORS}, summary="Published courses")
def course_list(request):
    """Published courses with their modules, lessons and quiz ids, in reading order. No answers."""
    courses = list(CoursePage.objects.live().public().defer_streamfields().order_by("path"))
    outlines = selectors.course_outlines(courses=courses)
    enrolled = selectors.enrolled_course_ids(trainer=request.user)
    return 200, [_course_out(outlines[course.pk], enrolled=course.pk in enrolled) for course in courses]


@router.get("/quizzes/{quiz_id}", response={200: QuizOut, **NOT_FOUND}, summary="A quiz, without answers")
def quiz_detail(request, quiz_id: str):
    """Questions and choices with their ids; never the correct choices or the explanations."""
    quiz, lesson = _quiz_or_404(quiz_id)
    course = lesson.course
    policy = attempt_policy(quiz=quiz, course=course)
    data = quiz.public_dict()
    data.update(
        course_id=str(course.pk),
        pass_mark=selectors.quiz_pass_mark(quiz=quiz, course=course),
        max_attempts=policy.max_attempts,
        draw_count=policy.draw_count,
        shuffle_choices=policy.shuffle_choices,
        retry_wait_minutes=policy.retry_wait_minutes,
        reveal=policy.reveal,
        attempts_left=None,
        next_attempt_at=None,
    )
    enrolment = selectors.enrolment_get(trainer=request.user, course=course)
    if enrolment is not None:
        allowance = services.quiz_allowance(
            progress=selectors.course_progress(enrolment=enrolment),
            quiz_id=quiz.id,
            policy=policy,
            at=timezone.now(),
        )
        data.update(attempts_left=allowance.left, next_attempt_at=allowance.next_attempt_at)
    return 200, data


@router.post(
    "/quizzes/{quiz_id}/draws",
    response={200: DrawOut, 201: DrawOut, 403: ErrorOut, 409: AttemptRefusedOut, **NOT_FOUND},
    summary="Draw the questions of an attempt",
)
def quiz_draw_create(request, quiz_id: str):
    """The questions (drawn from the quiz's pool) and choice order of the trainer's next attempt,
    recorded on the server: 201 when drawn now, 200 with the same draw while it is not submitted
    (fetching again never shows new questions). Fetch it before going offline and submit it later
    through `/me/sync` with its `draw_id`."""
    quiz, lesson = _quiz_or_404(quiz_id)
    try:
        result = services.quiz_draw_get_or_create(trainer=request.user, quiz=quiz, lesson=lesson)
    except services.NotEnrolled as error:
        return _refused(403, "not_enrolled", error)
    except ATTEMPT_REFUSALS as error:
        return _attempt_refused(error)
    draw = result.draw
    return (201 if result.created else 200), {
        "draw_id": str(draw.pk),
        "quiz_id": quiz.id,
        "lesson_id": str(lesson.pk),
        "course_id": str(result.course.pk),
        "created_at": draw.created_at,
        "questions": _questions_out(result.quiz),
        "attempts_left": result.allowance.left,
        "next_attempt_at": result.allowance.next_attempt_at,
    }


# ---------------------------------------------------------------------------------------------
# Learning
# ---------------------------------------------------------------------------------------------


@router.post(
    "/courses/{course_id}/enrol",
    response={200: ProgressOut, 201: ProgressOut, 403: ErrorOut, **NOT_FOUND},
    summary="Enrol (idempotent)",
)
def course_enrol(request, course_id: str):
    """Enrol the signed-in user. 201 the first time, 200 (same enrolment) after that."""
    course = _course_or_404(course_id)
    try:
        _enrolment, created = services.enrolment_create(trainer=request.user, course=course)
    except services.EnrolmentClosed as error:
        return _refused(403, "enrolment_closed", error)
    return (201 if created else 200), _enrolment_progress(trainer=request.user, course=course)


@router.post(
    "/lessons/{lesson_id}/complete",
    response={200: ProgressOut, 403: ErrorOut, **NOT_FOUND},
    summary="Mark a lesson done (idempotent)",
)
def lesson_complete(request, lesson_id: str):
    """Mark the lesson done and return the course progress. Completing twice changes nothing."""
    lesson = _lesson_or_404(lesson_id)
    try:
        completion = services.lesson_complete(trainer=request.user, lesson=lesson)
    except services.LessonNotFound:
        raise Http404 from None
    except services.NotEnrolled as error:
        return _refused(403, "not_enrolled", error)
    return 200, _progress_out(completion.course_progress)


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={
        201: AttemptOut,
        403: ErrorOut,
        409: AttemptRefusedOut,
        422: ValidationErrorOut,
        429: AttemptRefusedOut,
        **NOT_FOUND,
    },
    summary="Submit an attempt",
)
def quiz_attempt_create(request, quiz_id: str, payload: AttemptIn):
    """Score the answers to the draw (`draw_id`, else the open draw, else every question of a quiz
    without a pool) on the server and store the attempt. A draw is scored once; each call is a
    new attempt. Use `/me/sync` for attempts made offline, which are applied once however often
    they are sent. Explanations and correct choices come only when the quiz's `reveal` allows."""
    quiz, lesson = _quiz_or_404(quiz_id)
    try:
        result = services.quiz_attempt_submit(
            trainer=request.user, quiz=quiz, lesson=lesson, answers=payload.answers, draw_id=payload.draw_id
        )
    except services.NotEnrolled as error:
        return _refused(403, "not_enrolled", error)
    except ATTEMPT_REFUSALS as error:
        return _attempt_refused(error)
    except services.QuizAnswersInvalid as error:
        return 422, {"detail": error.message, "code": "invalid", "errors": error.field_errors}
    attempt = result.attempt
    reveal = result.allowance.reveals_answers
    return 201, {
        "attempt_id": str(attempt.pk),
        "quiz_id": attempt.quiz_id,
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": result.pass_mark,
        "submitted_at": attempt.submitted_at,
        "results": [
            {
                "question_id": item.question_id,
                "correct": item.correct,
                "explanation": item.explanation if reveal else "",
                "correct_choice_ids": item.correct_choice_ids if reveal else None,
            }
            for item in result.results
        ],
        "attempts_left": result.allowance.left,
        "next_attempt_at": result.allowance.next_attempt_at,
    }


@router.get(
    "/quizzes/{quiz_id}/attempts",
    response={200: list[AttemptSummaryOut], **NOT_FOUND},
    summary="My attempts at a quiz",
)
def quiz_attempt_list(request, quiz_id: str):
    """The signed-in user's own attempts at this quiz, newest first (empty when not enrolled)."""
    quiz, _lesson = _quiz_or_404(quiz_id)
    attempts = selectors.quiz_attempts_for_trainer(trainer=request.user, quiz_id=quiz.id)
    return 200, [_attempt_summary_out(attempt) for attempt in attempts]


# ---------------------------------------------------------------------------------------------
# Me
# ---------------------------------------------------------------------------------------------


@router.get("/me/progress", response={200: list[ProgressOut], **AUTH_ERRORS}, summary="My progress")
def my_progress(request):
    """Progress in every published course the signed-in user is enrolled in, newest first."""
    return 200, [
        _progress_out(progress) for progress in selectors.progress_list_for_trainer(trainer=request.user)
    ]


@router.get(
    "/me/progress/{course_id}", response={200: ProgressOut, **NOT_FOUND}, summary="My progress in one course"
)
def my_course_progress(request, course_id: str):
    """404 when the course is not published or the signed-in user is not enrolled in it."""
    course = _course_or_404(course_id)
    enrolment = selectors.enrolment_get(trainer=request.user, course=course)
    if enrolment is None:
        raise Http404
    return 200, _progress_out(selectors.course_progress(enrolment=enrolment))


@router.get(
    "/me/attempts/{attempt_id}", response={200: AttemptSummaryOut, **NOT_FOUND}, summary="One of my attempts"
)
def my_attempt(request, attempt_id: str):
    """One of the signed-in user's attempts; 404 for anyone else's."""
    attempt = selectors.quiz_attempt_get_for_trainer(trainer=request.user, attempt_id=_int_id(attempt_id))
    if attempt is None:
        raise Http404
    return 200, _attempt_summary_out(attempt)


def _evaluation_out(evaluation, *, course: CoursePage) -> dict:
    return {
        "course_id": str(course.pk),
        "rating": evaluation.rating,
        "useful": evaluation.useful,
        "applicable": evaluation.applicable,
        "comment": evaluation.comment,
        "created_at": evaluation.created_at,
    }


@router.get(
    "/me/evaluations/{course_id}",
    response={200: EvaluationOut, **NOT_FOUND},
    summary="My evaluation of a course",
)
def my_evaluation(request, course_id: str):
    """The signed-in user's own evaluation of the course; 404 when there is none."""
    course = _course_or_404(course_id)
    evaluation = evaluations.course_evaluation_get(trainer=request.user, course=course)
    if evaluation is None:
        raise Http404
    return 200, _evaluation_out(evaluation, course=course)


@router.post(
    "/me/evaluations/{course_id}",
    response={201: EvaluationOut, 403: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut, **NOT_FOUND},
    summary="Evaluate a completed course (once)",
)
def my_evaluation_create(request, course_id: str, payload: EvaluationIn):
    """Rate a completed course from 1 to 5, say whether it was useful and can be applied at the
    service point, and comment. Once only: a second evaluation is refused with 409
    `already_evaluated` and the first stays as it was; 409 `not_completed` before completion;
    403 `not_enrolled`. Never a condition of the certificate."""
    course = _course_or_404(course_id)
    try:
        evaluation = evaluations.course_evaluation_create(
            trainer=request.user,
            course=course,
            rating=payload.rating,
            useful=payload.useful,
            applicable=payload.applicable,
            comment=payload.comment,
        )
    except services.NotEnrolled as error:
        return _refused(403, "not_enrolled", error)
    except evaluations.AlreadyEvaluated as error:
        return _refused(409, "already_evaluated", error)
    except evaluations.CourseNotCompleted as error:
        return _refused(409, "not_completed", error)
    except evaluations.EvaluationInvalid as error:
        return 422, {"detail": error.message, "code": "invalid", "errors": error.field_errors}
    return 201, _evaluation_out(evaluation, course=course)


@router.post(
    "/me/sync", response={200: SyncOut, 422: ValidationErrorOut, **AUTH_ERRORS}, summary="Offline sync"
)
def my_sync(request, payload: SyncIn):
    """Apply events recorded offline, in order. Each event id is applied once: a replayed event is
    answered `duplicate` and changes nothing; an event that cannot be applied (unknown lesson or
    quiz, course not enrolled, invalid answers, time in the future) is `rejected` with the reason and
    stores nothing, so it may be sent again once its cause is fixed."""
    outcomes = services.sync_events_apply(trainer=request.user, events=payload.events)
    counts = {
        status: sum(1 for outcome in outcomes if outcome.status == status)
        for status in ("applied", "duplicate", "rejected")
    }
    return 200, {
        **counts,
        "results": [
            {
                "id": outcome.id,
                "status": outcome.status,
                "detail": outcome.detail,
                "code": outcome.code or None,
                "next_attempt_at": outcome.next_attempt_at,
                "score": outcome.score,
                "passed": outcome.passed,
                "attempt_id": str(outcome.attempt_id) if outcome.attempt_id is not None else None,
            }
            for outcome in outcomes
        ],
    }
