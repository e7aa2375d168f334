"""The trainer's learning pages: the dashboard, and the forms of the lesson and course pages
(the account pages are in courses.accounts.views).

Every view is thin: it reads the request, checks who asks, calls a service or a selector and
renders or redirects. Every object id that is not the signed-in trainer's answers 404."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certificates.selectors import PendingState, certificate_list_for_trainer, certificate_pending_list
from courses import selectors, services
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizAttempt, TrainerProfile

QUIZ_FIELD_PREFIX = "q-"


@dataclass
class QuizSubmission:
    """A quiz form sent back with errors: the lesson page shows it again with the trainer's choices."""

    quiz_id: str
    answers: dict[str, list[str]]
    message: str
    errors: dict[str, str] = field(default_factory=dict)


def _next_url(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _congratulate(request: HttpRequest, course: CoursePage) -> None:
    messages.success(
        request,
        _(
            "Selamat! Anda telah menyelesaikan kursus “%(course)s”. Sertifikat Anda akan tampil di dasbor "
            "setelah diterbitkan."
        )
        % {"course": course.title},
    )


def viewable_or_404(request: HttpRequest, page) -> None:
    """Answer 404 for a page the user may not view: a view restriction on it or an ancestor (login,
    password or groups) that this request does not pass. Wagtail checks these only when it serves
    the page itself; the forms here act on pages by id, so they check them too."""
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404


# While a certificate is being issued the dashboard reloads itself (no script needed): the worker
# usually finishes within seconds.
DASHBOARD_REFRESH_SECONDS = 15


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    progress_list = selectors.progress_list_for_trainer(trainer=request.user)
    profile = TrainerProfile.objects.filter(user=request.user).select_related("service_point").first()
    certificates = certificate_list_for_trainer(trainer=request.user)
    pending = certificate_pending_list(
        completions=[
            (progress.course, progress.completed_at) for progress in progress_list if progress.completed_at
        ],
        certificates=certificates,
        holder_name=profile.full_name if profile else "",
    )
    issuing = any(item.state == PendingState.ISSUING for item in pending)
    context = {
        "progress_list": progress_list,
        "profile": profile,
        "certificates": certificates,
        "certificates_pending": pending,
        "refresh_seconds": DASHBOARD_REFRESH_SECONDS if issuing else None,
        "courses_url": _courses_url(),
    }
    return render(request, "courses/dashboard.html", context)


def _courses_url() -> str:
    index = CourseIndexPage.objects.live().first()
    return (index.get_url() if index else None) or "/"


@login_required
@require_http_methods(["GET", "POST"])
def course_enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live().defer_streamfields(), pk=course_id)
    viewable_or_404(request, course)
    if request.method == "GET":
        # Back from the sign-in page: the form must be sent again, from the course page.
        return redirect(course.get_url(request=request) or "/")
    try:
        _enrolment, created = services.enrolment_create(trainer=request.user, course=course)
    except services.LearningError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(
                request,
                _("Anda terdaftar di kursus “%(course)s”. Selamat belajar!") % {"course": course.title},
            )
        else:
            messages.info(request, _("Anda sudah terdaftar di kursus ini."))
    return redirect(_next_url(request, course.get_url(request=request) or "/"))


@login_required
@require_http_methods(["GET", "POST"])
def lesson_complete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live().defer_streamfields(), pk=lesson_id)
    viewable_or_404(request, lesson)
    # Without the request: the site root paths come from the cache, not a query for the site.
    lesson_url = lesson.get_url() or "/"
    if request.method == "GET":
        return redirect(lesson_url)
    try:
        completion = services.lesson_complete(trainer=request.user, lesson=lesson)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(lesson_url)
    if completion.course_completed:
        _congratulate(request, lesson.course)
    else:
        messages.success(request, _("Pelajaran “%(lesson)s” ditandai selesai.") % {"lesson": lesson.title})
    return redirect(f"{lesson_url}#lesson-actions")


def _quiz_answers_from_post(request: HttpRequest) -> dict[str, list[str]]:
    return {
        key.removeprefix(QUIZ_FIELD_PREFIX): [value for value in request.POST.getlist(key) if value]
        for key in request.POST
        if key.startswith(QUIZ_FIELD_PREFIX)
    }


@login_required
@require_http_methods(["GET", "POST"])
def quiz_attempt_create(request: HttpRequest, quiz_id: str) -> HttpResponse:
    found = selectors.quiz_get(quiz_id=quiz_id)
    if found is None:
        raise Http404(_("Kuis tidak ditemukan."))
    quiz, lesson = found
    # Also before `lesson.serve()` below, which would otherwise show a restricted lesson.
    viewable_or_404(request, lesson)
    lesson_url = lesson.get_url() or "/"
    if request.method == "GET":
        return redirect(f"{lesson_url}#quiz-{quiz.id}")
    answers = _quiz_answers_from_post(request)
    try:
        result = services.quiz_attempt_submit(
            trainer=request.user,
            quiz=quiz,
            lesson=lesson,
            answers=answers,
            draw_id=request.POST.get("draw") or None,
        )
    except services.QuizAnswersInvalid as error:
        # Show the lesson again with the trainer's choices and a message per question; nothing stored.
        request.quiz_submission = QuizSubmission(
            quiz_id=quiz.id,
            answers=answers,
            message=error.message,
            errors={key.removeprefix("answers."): message for key, message in error.field_errors.items()},
        )
        return lesson.serve(request)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(f"{lesson_url}#quiz-{quiz.id}")
    if result.course_completed:
        _congratulate(request, lesson.course)
    # An explicit fragment, or the browser would carry the form's "#quiz-…" over to the result page.
    return redirect(reverse("quiz_attempt_detail", kwargs={"attempt_id": result.attempt.pk}) + "#hasil")


@dataclass
class QuestionOutcome:
    number: int
    text: str
    correct: bool
    chosen: list[str]
    explanation: str  # "" unless the quiz's policy reveals it now
    correct_answers: list[str]  # empty unless the policy reveals them now


@login_required
def quiz_attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """One of the trainer's own attempts, with each question right or wrong, and the explanations
    and correct answers when the quiz's attempt policy reveals them (courses.quiz_policy)."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("enrolment", "draw"),
        pk=attempt_id,
        enrolment__trainer=request.user,
    )
    found = selectors.quiz_get(quiz_id=attempt.quiz_id)
    lesson = found[1] if found else LessonPage.objects.filter(pk=attempt.lesson_id).first()
    state = selectors.lesson_state(trainer=request.user, lesson=lesson) if lesson else None
    quiz = selectors.quiz_drawn(quiz=found[0], draw=attempt.draw) if found else None
    quiz_state = state.quiz_states.get(attempt.quiz_id) if state and quiz else None
    reveal = quiz_state is not None and quiz_state.allowance.reveals_answers
    outcomes: list[QuestionOutcome] = []
    if quiz is not None:
        _score, results = services.quiz_score(quiz=quiz, answers=attempt.answers)
        for number, (question, result) in enumerate(zip(quiz.questions, results, strict=True), start=1):
            chosen_ids = set(result.chosen_choice_ids)
            outcomes.append(
                QuestionOutcome(
                    number=number,
                    text=question.text,
                    correct=result.correct,
                    chosen=[choice.text for choice in question.choices if choice.id in chosen_ids],
                    explanation=result.explanation if reveal else "",
                    correct_answers=[choice.text for choice in question.choices if choice.correct]
                    if reveal
                    else [],
                )
            )
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "lesson": lesson,
        "state": state,
        "quiz_state": quiz_state,
        "pass_mark": quiz_state.pass_mark if quiz_state else None,
        "outcomes": outcomes,
        "reveal": reveal,
        "is_latest": quiz_state is not None and quiz_state.last_attempt_id == attempt.pk,
    }
    return render(request, "courses/quiz_result.html", context)
