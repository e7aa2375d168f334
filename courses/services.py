"""Writes of enrolment and progress. Views, the API and offline sync all come through here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses import selectors
from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    LessonQuiz,
    QuizAttempt,
    SyncEvent,
    TrainerProfile,
)
from courses.people.names import person_name_clean
from courses.signals import course_completed


class LearningError(Exception):
    """A request the rules refuse. `message` is for the user, in their language."""

    def __init__(self, message: str, *, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotEnrolled(LearningError):
    pass


class LessonNotFound(LearningError):
    """The lesson is not open for learning (not live, or its course is not): "not found"."""


class QuizNotFound(LearningError):
    """No live lesson holds a quiz with this id: "not found"."""


class EnrolmentClosed(LearningError):
    pass


class QuizAnswersInvalid(LearningError):
    pass


class QuizAttemptsExhausted(LearningError):
    pass


# ---------------------------------------------------------------------------------------------
# Enrolment and lessons
# ---------------------------------------------------------------------------------------------


def enrolment_create(*, trainer, course: CoursePage) -> tuple[Enrolment, bool]:
    """Enrol a trainer in a live, open course. Idempotent: returns (enrolment, created)."""
    existing = Enrolment.objects.filter(trainer=trainer, course=course).first()
    if existing is not None:
        return existing, False
    enrolment_open_check(course=course)
    try:
        with transaction.atomic():
            return Enrolment.objects.create(trainer=trainer, course=course), True
    except IntegrityError:
        # Two requests at once: the other one created it.
        return Enrolment.objects.get(trainer=trainer, course=course), False


def enrolment_open_check(*, course: CoursePage) -> None:
    """THE enrolment rule: raise EnrolmentClosed unless the course is live and open."""
    if not course.live or not course.open_for_enrolment:
        raise EnrolmentClosed(_("Kursus ini tidak sedang membuka pendaftaran."))


def enrolments_create(*, trainer_ids: list[int], course: CoursePage) -> int:
    """Enrol many trainers at once (a coordinator's cohort) under the same rule as
    `enrolment_create`, in a few queries. Idempotent: trainers already enrolled are left as they
    are. Returns how many enrolments were created."""
    enrolment_open_check(course=course)
    enrolled = Enrolment.objects.filter(course=course, trainer_id__in=trainer_ids)
    already = set(enrolled.values_list("trainer_id", flat=True))
    new = [Enrolment(trainer_id=pk, course=course) for pk in dict.fromkeys(trainer_ids) if pk not in already]
    # ignore_conflicts: an enrolment a trainer made meanwhile is kept, not an error.
    Enrolment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def enrolment_get_for_update(*, trainer, course: CoursePage) -> Enrolment:
    """Lock the trainer's enrolment row for the rest of the transaction, or raise NotEnrolled."""
    enrolment = Enrolment.objects.select_for_update().filter(trainer=trainer, course=course).first()
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    return enrolment


def _enrolment_for_lesson_get_for_update(*, trainer, lesson: LessonPage) -> Enrolment | None:
    """Lock the trainer's enrolment in the lesson's course, with the course, and set
    `lesson.course` from it: one query, whether or not the caller resolved the course already."""
    if "course" in lesson.__dict__:  # resolved already (a cached_property)
        course = lesson.course
        enrolment = Enrolment.objects.select_for_update().filter(trainer=trainer, course=course).first()
        if enrolment is not None:
            enrolment.course = course
        return enrolment
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(trainer=trainer, course__path=selectors.lesson_course_path(lesson=lesson))
        .select_related("course")
        .first()
    )
    if enrolment is not None:
        lesson.course = enrolment.course
    return enrolment


@dataclass
class LessonCompletion:
    """What lesson_complete did: whether the lesson was newly marked done, whether this call
    completed the course, and the course progress after it."""

    lesson_newly_done: bool
    course_completed: bool
    course_progress: selectors.CourseProgress


@transaction.atomic
def lesson_complete(*, trainer, lesson: LessonPage, at: datetime | None = None) -> LessonCompletion:
    """Mark a lesson done for a trainer. Idempotent: a second call stores nothing more.

    Raises LessonNotFound for a lesson not open for learning, NotEnrolled without an enrolment.
    Side effect: may complete the course (see course_completion_update)."""
    if not lesson.live:
        raise LessonNotFound(_("Pelajaran ini tidak tersedia."))
    enrolment = _enrolment_for_lesson_get_for_update(trainer=trainer, lesson=lesson)
    # A lesson left published under a withdrawn course is not open for learning either.
    if not lesson.course.live:
        raise LessonNotFound(_("Pelajaran ini tidak tersedia."))
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    progress = selectors.course_progress(enrolment=enrolment)
    # The enrolment row is locked, so no other request of this trainer adds the same row meanwhile.
    newly_done = lesson.pk not in progress.done_lesson_ids
    if newly_done:
        LessonProgress.objects.create(enrolment=enrolment, lesson=lesson, completed_at=at or timezone.now())
        progress.done_lesson_ids.add(lesson.pk)
    completed = course_completion_update(enrolment=enrolment, progress=progress)
    return LessonCompletion(
        lesson_newly_done=newly_done, course_completed=completed, course_progress=progress
    )


def course_completion_update(
    *, enrolment: Enrolment, progress: selectors.CourseProgress | None = None
) -> bool:
    """Set completed_at once when the completion rule holds, and send course_completed after
    commit. Idempotent: an enrolment already complete is left alone. Returns True on completion.

    `progress` is the enrolment's progress when the caller has it up to date already."""
    if enrolment.completed_at is not None:
        return False
    if progress is None:
        progress = selectors.course_progress(enrolment=enrolment)
    if not progress.rule_met:
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    course = progress.course
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Enrolment, enrolment=enrolment, trainer=enrolment.trainer, course=course
        )
    )
    return True


def trainer_profile_update(*, user, full_name: str, phone: str) -> TrainerProfile:
    """Save what a trainer may change about themselves: the name printed on certificates and the
    phone. Idempotent. The service point is never touched here: coordinators assign it.
    Raises ValidationError (nothing saved) for a name the certificate cannot print."""
    full_name = person_name_clean(name=full_name)
    # Locks the row; a profile that a concurrent request created meanwhile is updated, not a
    # second insert failing on the one-to-one (update_or_create retries as a get).
    profile, _created = TrainerProfile.objects.update_or_create(
        user=user, defaults={"full_name": full_name, "phone": phone}
    )
    return profile


# ---------------------------------------------------------------------------------------------
# Quizzes
# ---------------------------------------------------------------------------------------------


def lesson_quiz_index_update(*, lesson: LessonPage) -> None:
    """Make the quiz index (LessonQuiz) hold exactly the quiz blocks of the lesson's saved body.
    Idempotent; one query when nothing changed, at most three otherwise. Called on every save of
    a lesson (publishing saves it), so a quiz is found by its id once its lesson is published."""
    quiz_ids = {quiz_id[:64] for quiz_id in selectors.lesson_quiz_ids(lesson=lesson)}
    indexed = set(LessonQuiz.objects.filter(lesson=lesson).values_list("quiz_id", flat=True))
    if indexed - quiz_ids:
        LessonQuiz.objects.filter(lesson=lesson, quiz_id__in=indexed - quiz_ids).delete()
    if quiz_ids - indexed:
        LessonQuiz.objects.bulk_create(
            [LessonQuiz(lesson=lesson, quiz_id=quiz_id) for quiz_id in sorted(quiz_ids - indexed)],
            ignore_conflicts=True,
        )


@dataclass
class QuestionResult:
    question_id: str
    correct: bool
    explanation: str
    correct_choice_ids: list[str]
    chosen_choice_ids: list[str]


@dataclass
class QuizResult:
    """What quiz_attempt_submit did: the stored attempt, its score per question, and whether this
    attempt completed the course."""

    attempt: QuizAttempt
    quiz: selectors.Quiz
    pass_mark: int
    results: list[QuestionResult]
    course_completed: bool = False


def quiz_answers_clean(*, quiz: selectors.Quiz, answers) -> dict[str, list[str]]:
    """Check submitted answers against the quiz; raise QuizAnswersInvalid with a message per field.

    Every question must be answered, with known choice ids, and one choice for a single-answer
    question."""
    if not isinstance(answers, dict):
        raise QuizAnswersInvalid(
            _("Jawaban tidak valid."), field_errors={"answers": _("Harus berupa objek.")}
        )
    questions = {question.id: question for question in quiz.questions}
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    for key in answers:
        if str(key) not in questions:
            errors[f"answers.{key}"] = _("Pertanyaan tidak dikenal.")
    for question_id, question in questions.items():
        chosen = answers.get(question_id)
        if chosen is None or chosen == [] or chosen == "":
            errors[f"answers.{question_id}"] = _("Pertanyaan ini belum dijawab.")
            continue
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not all(isinstance(item, str) for item in chosen):
            errors[f"answers.{question_id}"] = _("Jawaban harus berupa daftar id pilihan.")
            continue
        known = {choice.id for choice in question.choices}
        if any(item not in known for item in chosen):
            errors[f"answers.{question_id}"] = _("Pilihan tidak dikenal.")
            continue
        if question.kind == "single" and len(set(chosen)) != 1:
            errors[f"answers.{question_id}"] = _("Pilih tepat satu jawaban.")
            continue
        cleaned[question_id] = sorted(set(chosen))
    if errors:
        raise QuizAnswersInvalid(_("Periksa kembali jawaban Anda."), field_errors=errors)
    return cleaned


def quiz_score(*, quiz: selectors.Quiz, answers: dict[str, list[str]]) -> tuple[int, list[QuestionResult]]:
    """Score cleaned answers: a question is right when exactly the correct choices are chosen."""
    results = []
    for question in quiz.questions:
        chosen = answers.get(question.id, [])
        results.append(
            QuestionResult(
                question_id=question.id,
                correct=frozenset(chosen) == question.correct_ids,
                explanation=question.explanation,
                correct_choice_ids=sorted(question.correct_ids),
                chosen_choice_ids=list(chosen),
            )
        )
    total = len(results)
    score = round(100 * sum(result.correct for result in results) / total) if total else 0
    return score, results


@transaction.atomic
def quiz_attempt_submit(
    *, trainer, quiz: selectors.Quiz, lesson: LessonPage, answers, at: datetime | None = None
) -> QuizResult:
    """Score and store one attempt at `quiz`, a quiz of `lesson` (as selectors.quiz_get finds
    them). Not idempotent by itself (each call is an attempt); offline sync makes replays
    idempotent through SyncEvent. Side effect: may complete the course.

    Raises LearningError subclasses and stores nothing when the trainer is not enrolled, the
    answers are invalid or the attempts are used up."""
    enrolment = _enrolment_for_lesson_get_for_update(trainer=trainer, lesson=lesson)
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    course = enrolment.course
    cleaned = quiz_answers_clean(quiz=quiz, answers=answers)
    if quiz.max_attempts and QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz.id).count() >= (
        quiz.max_attempts
    ):
        raise QuizAttemptsExhausted(
            _("Batas %(n)d percobaan untuk kuis ini sudah tercapai.") % {"n": quiz.max_attempts}
        )
    score, results = quiz_score(quiz=quiz, answers=cleaned)
    pass_mark = selectors.quiz_pass_mark(quiz=quiz, course=course)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        quiz_id=quiz.id,
        answers=cleaned,
        score=score,
        passed=score >= pass_mark,
        submitted_at=at or timezone.now(),
    )
    completed = course_completion_update(enrolment=enrolment)
    return QuizResult(
        attempt=attempt, quiz=quiz, pass_mark=pass_mark, results=results, course_completed=completed
    )


# ---------------------------------------------------------------------------------------------
# Offline sync
# ---------------------------------------------------------------------------------------------


@dataclass
class SyncOutcome:
    id: str
    status: str  # "applied" | "duplicate" | "rejected"
    detail: str = ""


# How far a device's clock may be off and its events still be taken as they are dated.
SYNC_CLOCK_SKEW = timedelta(minutes=5)


class OfflineEvent(Protocol):
    """One event recorded offline, as the API has parsed it (courses.api_schemas.SyncEventIn)."""

    id: str
    type: str
    at: datetime | None
    lesson_id: str | None
    quiz_id: str | None
    answers: dict[str, list[str]] | None


def _sync_event_time(at: datetime | None) -> datetime | None:
    """The time an event says it happened, aware and in UTC; None when it says none.

    Raises LearningError for a time that lies outside what a datetime (and so the database) can
    hold once moved to UTC, e.g. 0001-01-01T00:00:00+23:59."""
    if at is None:
        return None
    try:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        return at.astimezone(UTC)
    except (OverflowError, ValueError):
        raise LearningError(_("Waktu kejadian di luar rentang yang dapat diterima.")) from None


def _sync_event_time_check(*, at: datetime | None, course: CoursePage) -> None:
    """Refuse a time in the future or before the course was first published: the device's clock
    is wrong, and progress dated so would be meaningless in reports."""
    if at is None:
        return
    if at > timezone.now() + SYNC_CLOCK_SKEW:
        raise LearningError(_("Waktu kejadian ada di masa depan."))
    if course.first_published_at is not None and at < course.first_published_at - SYNC_CLOCK_SKEW:
        raise LearningError(_("Waktu kejadian lebih awal daripada terbitnya kursus."))


def _sync_event_apply(*, trainer, event: OfflineEvent) -> str:
    """Apply one event; raise LearningError to reject it."""
    at = _sync_event_time(event.at)
    # A lesson behind a view restriction, or of an unpublished course, is as unknown here as it is
    # to the rest of the API: same message, nothing stored.
    if event.type == "lesson_completed":
        lesson_id = selectors.page_id_parse(event.lesson_id)
        lesson = LessonPage.objects.live().filter(pk=lesson_id).first() if lesson_id is not None else None
        if lesson is None or not selectors.lesson_open_to_api(lesson=lesson):
            raise LessonNotFound(_("Pelajaran tidak ditemukan."))
        _sync_event_time_check(at=at, course=lesson.course)
        lesson_complete(trainer=trainer, lesson=lesson, at=at)
        return ""
    if event.type == "quiz_attempt":
        found = selectors.quiz_get(quiz_id=event.quiz_id or "")
        if found is None or not selectors.lesson_open_to_api(lesson=found[1]):
            raise QuizNotFound(_("Kuis tidak ditemukan."))
        quiz, lesson = found
        _sync_event_time_check(at=at, course=lesson.course)
        result = quiz_attempt_submit(trainer=trainer, quiz=quiz, lesson=lesson, answers=event.answers, at=at)
        return _("Nilai %(score)d") % {"score": result.attempt.score}
    raise LearningError(_("Jenis kejadian tidak dikenal."))


def sync_events_apply(*, trainer, events: list[OfflineEvent]) -> list[SyncOutcome]:
    """Apply a batch of offline events in order. Idempotent per event id: an event already
    applied is answered "duplicate" and changes nothing; a rejected one stores nothing. Each event is
    applied in its own transaction, so one rejected event does not undo the others."""
    event_ids: dict[str, uuid.UUID] = {}
    for event in events:
        try:
            event_ids[str(event.id)] = uuid.UUID(str(event.id))
        except ValueError:
            continue
    # The events of this batch received before: one query for the whole batch.
    applied = set(
        SyncEvent.objects.filter(trainer=trainer, event_id__in=set(event_ids.values())).values_list(
            "event_id", flat=True
        )
    )
    outcomes: list[SyncOutcome] = []
    for event in events:
        raw_id = str(event.id)
        event_id = event_ids.get(raw_id)
        if event_id is None:
            outcomes.append(SyncOutcome(id=raw_id, status="rejected", detail=_("Id kejadian harus UUID.")))
            continue
        if event_id in applied:
            outcomes.append(SyncOutcome(id=raw_id, status="duplicate"))
            continue
        try:
            with transaction.atomic():
                detail = _sync_event_apply(trainer=trainer, event=event)
                SyncEvent.objects.create(
                    trainer=trainer,
                    event_id=event_id,
                    event_type=str(event.type)[:32],
                    status=SyncEvent.Status.APPLIED,
                    detail=detail[:300],
                )
            applied.add(event_id)
            outcomes.append(SyncOutcome(id=raw_id, status="applied", detail=detail))
        except LearningError as error:
            detail = error.message
            if error.field_errors:
                detail += " " + "; ".join(f"{key}: {value}" for key, value in error.field_errors.items())
            # A rejection stores nothing: the client may fix the cause (e.g. enrol) and resend.
            outcomes.append(SyncOutcome(id=raw_id, status="rejected", detail=detail))
        except IntegrityError:
            outcomes.append(SyncOutcome(id=raw_id, status="duplicate"))
    return outcomes
