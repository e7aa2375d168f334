"""Writes of enrolment and progress. Views, the API and offline sync all come through here."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses import selectors
from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    LessonQuiz,
    QuizAttempt,
    QuizDraw,
    SyncEvent,
    TrainerProfile,
)
from courses.people.names import person_name_clean
from courses.quiz_policy import AttemptAllowance, AttemptPolicy, attempt_allowance, attempt_policy
from courses.signals import course_completed


class LearningError(Exception):
    """A request the rules refuse. `message` is for the user, in their language; `code` names the
    refusal for clients (the API's and offline sync's `code`); `next_attempt_at` is when a quiz
    may be tried again, where that applies."""

    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        field_errors: dict[str, str] | None = None,
        next_attempt_at: datetime | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.next_attempt_at = next_attempt_at


class NotEnrolled(LearningError):
    code = "not_enrolled"


class LessonNotFound(LearningError):
    """The lesson is not open for learning (not live, or its course is not): "not found"."""


class QuizNotFound(LearningError):
    """No live lesson holds a quiz with this id: "not found"."""


class EnrolmentClosed(LearningError):
    pass


class QuizAnswersInvalid(LearningError):
    pass


class QuizAttemptsExhausted(LearningError):
    code = "attempts_exhausted"


class QuizAttemptWait(LearningError):
    """A failed attempt was too recent: `next_attempt_at` says when the next one is allowed."""

    code = "attempt_wait"


class QuizDrawUsed(LearningError):
    """The draw was answered already: a draw is scored once."""

    code = "draw_used"


class QuizDrawRequired(LearningError):
    """A quiz with a question pool is answered on a draw, and the trainer has none open."""

    code = "draw_required"


class QuizChanged(LearningError):
    """An editor removed every question of the draw since it was given (selectors.quiz_draw_stale):
    nothing is scored and no attempt is used; the next fetch of the quiz gives a fresh draw."""

    code = "quiz_changed"


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


def _progress_of(enrolment: Enrolment, known: dict | None) -> selectors.CourseProgress:
    """The enrolment's progress: from `known` (progress kept up to date by the earlier events of
    one sync batch, by enrolment id) when it is there, else from the database (and kept there)."""
    if known is not None and enrolment.pk in known:
        return known[enrolment.pk]
    progress = selectors.course_progress(enrolment=enrolment)
    if known is not None:
        known[enrolment.pk] = progress
    return progress


@transaction.atomic
def lesson_complete(
    *, trainer, lesson: LessonPage, at: datetime | None = None, known_progress: dict | None = None
) -> LessonCompletion:
    """Mark a lesson done for a trainer. Idempotent: a second call stores nothing more.

    Raises LessonNotFound for a lesson not open for learning, NotEnrolled without an enrolment.
    Side effect: may complete the course (see course_completion_update). `known_progress`: see
    _progress_of (offline sync)."""
    if not lesson.live:
        raise LessonNotFound(_("Pelajaran ini tidak tersedia."))
    enrolment = _enrolment_for_lesson_get_for_update(trainer=trainer, lesson=lesson)
    # A lesson left published under a withdrawn course is not open for learning either.
    if not lesson.course.live:
        raise LessonNotFound(_("Pelajaran ini tidak tersedia."))
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    progress = _progress_of(enrolment, known_progress)
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
    """What quiz_attempt_submit did: the stored attempt, its score per question (of the questions
    the attempt got), whether this attempt completed the course, and where the trainer stands
    with the quiz afterwards (`allowance`: attempts left, next attempt, whether the explanations
    and correct answers may be shown)."""

    attempt: QuizAttempt
    quiz: selectors.Quiz
    pass_mark: int
    results: list[QuestionResult]
    course_completed: bool = False
    allowance: AttemptAllowance | None = None


def quiz_answers_clean(
    *, quiz: selectors.Quiz, answers, full_quiz: selectors.Quiz | None = None
) -> dict[str, list[str]]:
    """Check submitted answers against the quiz (as the attempt got it: its drawn questions);
    raise QuizAnswersInvalid with a message per field.

    Every question must be answered, with known choice ids, and one choice for a single-answer
    question. An answer to a question of `full_quiz` that was not drawn is refused as such."""
    if not isinstance(answers, dict):
        raise QuizAnswersInvalid(
            _("Jawaban tidak valid."), field_errors={"answers": _("Harus berupa objek.")}
        )
    questions = {question.id: question for question in quiz.questions}
    pool = {question.id for question in full_quiz.questions} if full_quiz is not None else set()
    errors: dict[str, str] = {}
    cleaned: dict[str, list[str]] = {}
    for key in answers:
        if str(key) in questions:
            continue
        if str(key) in pool:
            errors[f"answers.{key}"] = _(
                "Pertanyaan ini tidak termasuk soal yang diundi untuk percobaan ini."
            )
        else:
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
    """Score cleaned answers: a question is right when exactly the correct choices are chosen.
    Only the questions of `quiz` count (for a drawn attempt: `selectors.quiz_drawn`)."""
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


def quiz_allowance(
    *, progress: selectors.CourseProgress, quiz_id: str, policy: AttemptPolicy, at: datetime
) -> AttemptAllowance:
    """Where the enrolment of `progress` stands with a quiz at `at` (courses.quiz_policy)."""
    summary = progress.quiz_attempts.get(quiz_id)
    return attempt_allowance(
        policy=policy,
        attempts=summary.history if summary is not None else [],
        granted=progress.quiz_grants.get(quiz_id, 0),
        at=at,
    )


def quiz_refusal_raise(*, allowance: AttemptAllowance) -> None:
    """Raise the refusal of a new attempt that `allowance` says, with what to do next."""
    if allowance.exhausted:
        raise QuizAttemptsExhausted(
            _(
                "Percobaan untuk kuis ini sudah habis (%(used)d dari %(limit)d). Hubungi koordinator "
                "Anda: koordinator dapat memberi percobaan tambahan dari halaman data Anda."
            )
            % {"used": allowance.used, "limit": allowance.limit}
        )
    if allowance.next_attempt_at is not None:
        when = date_format(timezone.localtime(allowance.next_attempt_at), "j F Y, H:i")
        raise QuizAttemptWait(
            _("Pelajari lagi materinya dulu. Percobaan berikutnya bisa dimulai pada %(when)s.")
            % {"when": when},
            next_attempt_at=allowance.next_attempt_at,
        )


def _quiz_draw_make(
    *, enrolment: Enrolment, lesson: LessonPage, quiz: selectors.Quiz, policy: AttemptPolicy
) -> QuizDraw:
    """A new draw (unsaved): `draw_count` questions chosen at random (kept in the quiz's order,
    which often builds from one question to the next), each question's choices shuffled when the
    policy says so. From the system's random source: a draw cannot be predicted from earlier ones."""
    rng = random.SystemRandom()
    positions = list(range(len(quiz.questions)))
    if policy.draw_count is not None:
        positions = sorted(rng.sample(positions, policy.draw_count))
    choice_order = {}
    for question in quiz.questions:
        ids = [choice.id for choice in question.choices]
        if policy.shuffle_choices:
            rng.shuffle(ids)
        choice_order[question.id] = ids
    question_ids = [quiz.questions[position].id for position in positions]
    return QuizDraw(
        enrolment=enrolment,
        lesson=lesson,
        quiz_id=quiz.id,
        question_ids=question_ids,
        choice_order={question_id: choice_order[question_id] for question_id in question_ids},
    )


@dataclass
class QuizDrawResult:
    """What quiz_draw_get_or_create did: the draw (new or the open one), the quiz as the draw
    shows it, and where the trainer stands with the quiz."""

    draw: QuizDraw
    quiz: selectors.Quiz
    created: bool
    allowance: AttemptAllowance
    course: CoursePage


@transaction.atomic
def quiz_draw_get_or_create(*, trainer, quiz: selectors.Quiz, lesson: LessonPage) -> QuizDrawResult:
    """The trainer's open draw of `quiz`, or a new one. Idempotent while a draw is open:
    fetching again returns the same questions, never new ones. A draw stays valid until an
    attempt uses it (an offline client may submit it days later through sync).

    Raises NotEnrolled, or QuizAttemptsExhausted when no attempt is left (nothing stored). A draw
    is given during the wait after a failed attempt: it is answered once the wait is over."""
    enrolment = _enrolment_for_lesson_get_for_update(trainer=trainer, lesson=lesson)
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    course = enrolment.course
    policy = attempt_policy(quiz=quiz, course=course)
    progress = selectors.course_progress(enrolment=enrolment)
    allowance = quiz_allowance(progress=progress, quiz_id=quiz.id, policy=policy, at=timezone.now())
    if allowance.exhausted:
        quiz_refusal_raise(allowance=allowance)
    draw = selectors.quiz_draws_open(enrolment=enrolment, quiz_ids=[quiz.id]).get(quiz.id)
    if selectors.quiz_draw_stale(quiz=quiz, draw=draw):
        # Nothing left to answer on it: never scored, so it goes and a fresh draw takes its place.
        draw.delete()
        draw = None
    created = draw is None
    if created:
        draw = _quiz_draw_make(enrolment=enrolment, lesson=lesson, quiz=quiz, policy=policy)
        draw.save(force_insert=True)
    return QuizDrawResult(
        draw=draw,
        quiz=selectors.quiz_drawn(quiz=quiz, draw=draw),
        created=created,
        allowance=allowance,
        course=course,
    )


def quiz_draws_for_lesson_ensure(*, state: selectors.LessonState) -> None:
    """Give each quiz of the lesson page that shows questions drawn or shuffled for the trainer
    an open draw, so that the form shows what the attempt will be scored on. Idempotent: a quiz
    with an open draw keeps it (one query, by selectors.lesson_state); only the first visit
    writes. Quizzes whose attempts are used up get none."""
    enrolment = state.enrolment
    if enrolment is None:
        return
    missing = [
        quiz_state
        for quiz_state in state.quiz_states.values()
        if (quiz_state.draw is None or selectors.quiz_draw_stale(quiz=quiz_state.quiz, draw=quiz_state.draw))
        and (quiz_state.policy.needs_draw or quiz_state.policy.shuffle_choices)
        and not quiz_state.allowance.exhausted
    ]
    if not missing:
        return
    with transaction.atomic():
        # The enrolment's lock: two pages opened at once make one draw per quiz, not two.
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        already = selectors.quiz_draws_open(
            enrolment=enrolment, quiz_ids=[quiz_state.quiz.id for quiz_state in missing]
        )
        new, stale = [], []
        for quiz_state in missing:
            draw = already.get(quiz_state.quiz.id)
            if selectors.quiz_draw_stale(quiz=quiz_state.quiz, draw=draw):
                stale.append(draw.pk)
                draw = None
            if draw is None:
                draw = _quiz_draw_make(
                    enrolment=enrolment, lesson=state.lesson, quiz=quiz_state.quiz, policy=quiz_state.policy
                )
                new.append(draw)
            quiz_state.draw = draw
        if stale:
            QuizDraw.objects.filter(pk__in=stale, attempt__isnull=True).delete()
        QuizDraw.objects.bulk_create(new)


@transaction.atomic
def quiz_attempt_submit(
    *,
    trainer,
    quiz: selectors.Quiz,
    lesson: LessonPage,
    answers,
    at: datetime | None = None,
    draw_id=None,
    known_progress: dict | None = None,
) -> QuizResult:
    """Score and store one attempt at `quiz`, a quiz of `lesson` (as selectors.quiz_get finds
    them), on the questions of its draw: `draw_id`, else the trainer's open draw, else (a quiz
    without a question pool) every question. A draw is scored once. Not idempotent by itself
    (each call is an attempt); offline sync makes replays idempotent through SyncEvent, and a
    draw submitted again is refused. Side effect: may complete the course.

    `at` is when the attempt was made (offline sync): the attempt policy's wait is judged at that
    time, clamped between the draw's creation and now. `known_progress`: see _progress_of.

    Raises LearningError subclasses and stores nothing when the trainer is not enrolled, the
    draw is unknown or used, every question of the draw was removed since (QuizChanged: no attempt
    is used, and the next fetch of the quiz gives a fresh draw), the attempts are used up, the wait
    is not over, or the answers are invalid (answers to questions outside the draw included)."""
    enrolment = _enrolment_for_lesson_get_for_update(trainer=trainer, lesson=lesson)
    if enrolment is None:
        raise NotEnrolled(_("Anda belum terdaftar di kursus ini."))
    course = enrolment.course
    policy = attempt_policy(quiz=quiz, course=course)
    if draw_id:
        draw = selectors.quiz_draw_get(enrolment=enrolment, quiz_id=quiz.id, draw_id=draw_id)
        if draw is None:
            raise QuizAnswersInvalid(
                _("Soal percobaan ini tidak dikenal."),
                field_errors={"draw_id": _("Undian soal tidak ditemukan untuk kuis ini.")},
            )
        if hasattr(draw, "attempt"):
            raise QuizDrawUsed(_("Jawaban untuk soal percobaan ini sudah dinilai sebelumnya."))
    else:
        draw = selectors.quiz_draws_open(enrolment=enrolment, quiz_ids=[quiz.id]).get(quiz.id)
        if draw is None and policy.needs_draw:
            raise QuizDrawRequired(
                _("Soal kuis ini diundi untuk setiap percobaan: buka kuisnya dulu untuk mendapat soal Anda.")
            )
    if selectors.quiz_draw_stale(quiz=quiz, draw=draw):
        raise QuizChanged(
            _(
                "Soal kuis ini sudah diubah sejak Anda membukanya. Jawaban Anda tidak dinilai dan "
                "tidak mengurangi jatah percobaan. Buka kuisnya lagi untuk mendapat soal yang baru."
            )
        )
    now = timezone.now()
    when = min(at, now) if at is not None else now
    if draw is not None and when < draw.created_at:
        # An attempt cannot be older than the questions it answers.
        when = draw.created_at
    progress = _progress_of(enrolment, known_progress)
    quiz_refusal_raise(allowance=quiz_allowance(progress=progress, quiz_id=quiz.id, policy=policy, at=when))
    drawn = selectors.quiz_drawn(quiz=quiz, draw=draw)
    cleaned = quiz_answers_clean(quiz=drawn, answers=answers, full_quiz=quiz)
    score, results = quiz_score(quiz=drawn, answers=cleaned)
    pass_mark = selectors.quiz_pass_mark(quiz=quiz, course=course)
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        quiz_id=quiz.id,
        answers=cleaned,
        score=score,
        passed=score >= pass_mark,
        submitted_at=when,
        draw=draw,
    )
    summary = progress.quiz_attempts.setdefault(quiz.id, selectors.QuizAttemptsSummary())
    summary.add(attempt_id=attempt.pk, score=score, passed=attempt.passed, submitted_at=when)
    if attempt.passed:
        progress.passed_quiz_ids.add(quiz.id)
    progress.best_scores[quiz.id] = summary.best_score
    completed = course_completion_update(enrolment=enrolment, progress=progress)
    return QuizResult(
        attempt=attempt,
        quiz=drawn,
        pass_mark=pass_mark,
        results=results,
        course_completed=completed,
        allowance=quiz_allowance(progress=progress, quiz_id=quiz.id, policy=policy, at=when),
    )


# ---------------------------------------------------------------------------------------------
# Offline sync
# ---------------------------------------------------------------------------------------------


@dataclass
class SyncOutcome:
    id: str
    status: str  # "applied" | "duplicate" | "rejected"
    detail: str = ""
    code: str = ""  # of a rejection (LearningError.code)
    next_attempt_at: datetime | None = None  # a quiz attempt's: when the next one is allowed
    score: int | None = None  # an applied quiz attempt's
    passed: bool | None = None
    attempt_id: int | None = None


# How far a device's clock may be off and its events still be taken as they are dated.
SYNC_CLOCK_SKEW = timedelta(minutes=5)


class OfflineEvent(Protocol):
    """One event recorded offline, as the API has parsed it (courses.api_schemas.SyncEventIn)."""

    id: str
    type: str
    at: datetime | None
    lesson_id: str | None
    quiz_id: str | None
    draw_id: str | None
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


def _sync_event_apply(
    *, trainer, event: OfflineEvent, found: dict | None = None
) -> tuple[str, QuizResult | None]:
    """Apply one event: (detail, the quiz result of a quiz attempt); raise LearningError to reject it.

    `found` keeps, for the rest of the batch, the lessons and quizzes looked up (None: not open to
    the API), so that a batch naming the same lesson many times looks it up once, and under
    "progress" the progress of each enrolment, which every applied event keeps up to date (read
    once a batch instead of once an event, whose rows grow with the attempts)."""
    found = {} if found is None else found
    at = _sync_event_time(event.at)
    # A lesson behind a view restriction, or of an unpublished course, is as unknown here as it is
    # to the rest of the API: same message, nothing stored.
    if event.type == "lesson_completed":
        lesson_id = selectors.page_id_parse(event.lesson_id)
        if ("lesson", lesson_id) not in found:
            lesson = LessonPage.objects.live().filter(pk=lesson_id).first() if lesson_id is not None else None
            open_to_api = lesson is not None and selectors.lesson_open_to_api(lesson=lesson)
            found["lesson", lesson_id] = lesson if open_to_api else None
        lesson = found["lesson", lesson_id]
        if lesson is None:
            raise LessonNotFound(_("Pelajaran tidak ditemukan."))
        _sync_event_time_check(at=at, course=lesson.course)
        lesson_complete(
            trainer=trainer, lesson=lesson, at=at, known_progress=found.setdefault("progress", {})
        )
        return "", None
    if event.type == "quiz_attempt":
        quiz_id = event.quiz_id or ""
        if ("quiz", quiz_id) not in found:
            quiz_and_lesson = selectors.quiz_get(quiz_id=quiz_id)
            open_to_api = quiz_and_lesson is not None and selectors.lesson_open_to_api(
                lesson=quiz_and_lesson[1]
            )
            found["quiz", quiz_id] = quiz_and_lesson if open_to_api else None
        if found["quiz", quiz_id] is None:
            raise QuizNotFound(_("Kuis tidak ditemukan."))
        quiz, lesson = found["quiz", quiz_id]
        _sync_event_time_check(at=at, course=lesson.course)
        result = quiz_attempt_submit(
            trainer=trainer,
            quiz=quiz,
            lesson=lesson,
            answers=event.answers,
            at=at,
            draw_id=getattr(event, "draw_id", None),
            known_progress=found.setdefault("progress", {}),
        )
        return _("Nilai %(score)d") % {"score": result.attempt.score}, result
    raise LearningError(_("Jenis kejadian tidak dikenal."))


def sync_events_apply(*, trainer, events: list[OfflineEvent]) -> list[SyncOutcome]:
    """Apply a batch of offline events in order. Idempotent per event id: an event already
    applied is answered "duplicate" and changes nothing; a rejected one stores nothing. The batch is
    one transaction (one commit, not one per event) and each event a savepoint in it, so a rejected
    event does not undo the others; the lessons and quizzes it names are looked up once."""
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
    with transaction.atomic():
        # The events lock their enrolment one by one and keep the locks to the end of the batch:
        # two batches of one trainer (two devices) naming two courses in opposite orders would
        # deadlock. Every enrolment of the trainer is locked first, in one order, instead.
        list(Enrolment.objects.select_for_update().filter(trainer=trainer).order_by("pk").values_list("pk"))
        return _sync_events_apply_each(trainer=trainer, events=events, event_ids=event_ids, applied=applied)


def _sync_events_apply_each(*, trainer, events, event_ids: dict, applied: set) -> list[SyncOutcome]:
    outcomes: list[SyncOutcome] = []
    found: dict = {}
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
                detail, result = _sync_event_apply(trainer=trainer, event=event, found=found)
                SyncEvent.objects.create(
                    trainer=trainer,
                    event_id=event_id,
                    event_type=str(event.type)[:32],
                    status=SyncEvent.Status.APPLIED,
                    detail=detail[:300],
                )
            applied.add(event_id)
            outcome = SyncOutcome(id=raw_id, status="applied", detail=detail)
            if result is not None:
                outcome.score, outcome.passed = result.attempt.score, result.attempt.passed
                outcome.attempt_id = result.attempt.pk
                outcome.next_attempt_at = result.allowance.next_attempt_at if result.allowance else None
            outcomes.append(outcome)
        except LearningError as error:
            # The rolled-back savepoint released the enrolment's lock it took: another request may
            # change the progress before the next event, which reads it again.
            found.pop("progress", None)
            detail = error.message
            if error.field_errors:
                detail += " " + "; ".join(f"{key}: {value}" for key, value in error.field_errors.items())
            # A rejection stores nothing: the client may fix the cause (e.g. enrol) and resend.
            outcomes.append(
                SyncOutcome(
                    id=raw_id,
                    status="rejected",
                    detail=detail,
                    code=error.code,
                    next_attempt_at=error.next_attempt_at,
                )
            )
        except IntegrityError:
            # Rolled back after the event changed the progress kept in memory: read it again.
            found.pop("progress", None)
            outcomes.append(SyncOutcome(id=raw_id, status="duplicate"))
    return outcomes
