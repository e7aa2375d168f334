"""A trainer's progress in the courses they are enrolled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from courses.assessments import LearningGain, learning_gain_from
from courses.models import CoursePage, Enrolment, LessonProgress, QuizAttempt, QuizAttemptGrant
from courses.selectors.outline import CourseOutline, LessonOutline, ModuleOutline, course_outlines


@dataclass
class CourseProgress:
    enrolment: Enrolment
    outline: CourseOutline
    done_lesson_ids: set[int]
    passed_quiz_ids: set[str]
    best_scores: dict[str, int]
    quiz_attempts: dict[str, QuizAttemptsSummary] = field(default_factory=dict)
    # Attempts coordinators added per quiz id (courses.models.QuizAttemptGrant).
    quiz_grants: dict[str, int] = field(default_factory=dict)

    @property
    def course(self) -> CoursePage:
        return self.outline.course

    @property
    def completed_at(self) -> datetime | None:
        return self.enrolment.completed_at

    @property
    def lessons_total(self) -> int:
        """The lessons completion requires (never the pre-test's, nor an optional one): the
        "x of y lessons" of every page, report and the API."""
        return len(self.outline.required_lesson_ids)

    @property
    def lessons_done(self) -> int:
        """The required lessons done: a pre-test or optional lesson done never counts, so this
        never exceeds lessons_total."""
        return sum(1 for lesson_id in self.outline.required_lesson_ids if lesson_id in self.done_lesson_ids)

    @property
    def quizzes_total(self) -> int:
        return len(self.outline.quiz_ids)

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for quiz_id in self.outline.quiz_ids if quiz_id in self.passed_quiz_ids)

    @property
    def started(self) -> bool:
        """Anything done yet: a lesson marked done or a quiz tried ("Mulai" vs "Lanjutkan belajar")."""
        return bool(self.done_lesson_ids or self.best_scores)

    @property
    def percent(self) -> int:
        """Share of the completion rule met: required lessons done and quizzes passed.

        A completed course stays at 100: completion is recorded once and never taken back, so a
        lesson an editor adds later is shown as new (lessons_new), not as a lower percentage."""
        if self.enrolment.completed_at:
            return 100
        total = self.lessons_total + self.quizzes_total
        if total == 0:
            return 0
        return ((self.lessons_done + self.quizzes_passed) * 100) // total

    @property
    def rule_met(self) -> bool:
        """The completion rule: every required lesson done and every quiz passed."""
        return self.lessons_done == self.lessons_total and self.quizzes_passed == self.quizzes_total

    def module_done(self, module: ModuleOutline) -> bool:
        return all(
            not lesson.counts_for_completion
            or (
                (not lesson.required or lesson.id in self.done_lesson_ids)
                and all(quiz_id in self.passed_quiz_ids for quiz_id in lesson.quiz_ids)
            )
            for lesson in module.lessons
        )

    @property
    def modules_total(self) -> int:
        return len(self.outline.modules)

    @property
    def modules_done(self) -> int:
        return sum(1 for module in self.outline.modules if module.lessons and self.module_done(module))

    @property
    def lessons_new(self) -> list[LessonOutline]:
        """Lessons published after the trainer completed the course and not done yet (in reading
        order). Empty while the course is not completed: then every lesson is simply still to do."""
        completed_at = self.enrolment.completed_at
        if completed_at is None:
            return []
        return [
            lesson
            for lesson in self.outline.lessons
            if lesson.id not in self.done_lesson_ids
            and lesson.first_published_at is not None
            and lesson.first_published_at > completed_at
        ]

    @property
    def pre_test_due(self) -> bool:
        """The course has a pre-test and the trainer has neither taken it nor started learning:
        it comes first ("Tes awal"). Once learning has begun, a pre-test would measure nothing."""
        pre_test_id = self.outline.pre_test_id
        return pre_test_id is not None and not self.started

    @property
    def next_lesson(self) -> LessonOutline | None:
        """The pre-test while it is due, then the first lesson not yet done, or with a quiz not
        yet passed ("Lanjutkan belajar"). The pre-test lesson itself is never required."""
        if self.pre_test_due:
            return self.outline.pre_test_lesson
        for lesson in self.outline.lessons:
            if not lesson.counts_for_completion:
                continue
            if lesson.id not in self.done_lesson_ids or any(
                quiz_id not in self.passed_quiz_ids for quiz_id in lesson.quiz_ids
            ):
                return lesson
        return None

    @property
    def learning_gain(self) -> LearningGain:
        """The trainer's pre-test and post-test scores and the gain (courses.assessments)."""
        pre_id, post_id = self.outline.pre_test_id, self.outline.post_test_id
        return learning_gain_from(
            pre=self.quiz_attempts.get(pre_id) if pre_id else None,
            post=self.quiz_attempts.get(post_id) if post_id else None,
        )

    @property
    def evaluation(self):
        """The trainer's evaluation of the course (courses.models.CourseEvaluation), or None.
        Without a query when the enrolment was loaded with select_related("evaluation")."""
        try:
            return self.enrolment.evaluation
        except ObjectDoesNotExist:
            return None


@dataclass
class QuizAttemptsSummary:
    """One enrolment's attempts at one quiz."""

    attempts: int = 0
    best_score: int | None = None
    passed: bool = False
    last_attempt_id: int | None = None
    first_score: int | None = None  # of the earliest attempt (a pre-test's score)
    # (submitted_at, passed) of every attempt, for the attempt policy (courses.quiz_policy).
    history: list = field(default_factory=list)
    _last_key: tuple = ()
    _first_key: tuple = ()

    def add(self, *, attempt_id: int, score: int, passed: bool, submitted_at) -> None:
        self.attempts += 1
        self.best_score = score if self.best_score is None else max(self.best_score, score)
        self.passed = self.passed or passed
        self.history.append((submitted_at, passed))
        # The latest by submission time (an offline attempt may arrive later but be older).
        key = (submitted_at, attempt_id)
        if not self._last_key or key > self._last_key:
            self._last_key, self.last_attempt_id = key, attempt_id
        if not self._first_key or key < self._first_key:
            self._first_key, self.first_score = key, score


_LESSON_DONE, _QUIZ_ATTEMPT, _QUIZ_GRANT = 0, 1, 2


def _progress_rows(enrolment_ids: list[int]):
    """The lessons done, the quiz attempts and the attempts granted of the enrolments, in one
    query (UNION ALL): (kind, enrolment id, lesson or quiz id, row id, score or attempts granted,
    passed, time)."""
    columns = ("c_kind", "c_enrolment", "c_ref", "c_id", "c_score", "c_passed", "c_at")
    lessons = (
        LessonProgress.objects.filter(enrolment_id__in=enrolment_ids)
        .annotate(
            c_kind=Value(_LESSON_DONE),
            c_enrolment=F("enrolment_id"),
            c_ref=Cast("lesson_id", output_field=CharField(max_length=64)),
            c_id=F("pk"),
            c_score=Value(0),
            c_passed=Value(True),
            c_at=F("completed_at"),
        )
        .values_list(*columns)
    )
    attempts = (
        QuizAttempt.objects.filter(enrolment_id__in=enrolment_ids)
        .order_by()
        .annotate(
            c_kind=Value(_QUIZ_ATTEMPT),
            c_enrolment=F("enrolment_id"),
            c_ref=F("quiz_id"),
            c_id=F("pk"),
            c_score=F("score"),
            c_passed=F("passed"),
            c_at=F("submitted_at"),
        )
        .values_list(*columns)
    )
    grants = (
        QuizAttemptGrant.objects.filter(enrolment_id__in=enrolment_ids)
        .order_by()
        .annotate(
            c_kind=Value(_QUIZ_GRANT),
            c_enrolment=F("enrolment_id"),
            c_ref=F("quiz_id"),
            c_id=F("pk"),
            c_score=F("extra"),
            c_passed=Value(False),
            c_at=F("created_at"),
        )
        .values_list(*columns)
    )
    return lessons.union(attempts, grants, all=True)


def _progress_for_enrolments(enrolments: list[Enrolment]) -> list[CourseProgress]:
    """Two queries whatever the number of enrolments, lessons and attempts: the outlines, and
    the lessons done with the quiz attempts."""
    if not enrolments:
        return []
    outlines = course_outlines(courses=[enrolment.course for enrolment in enrolments])
    enrolment_ids = [enrolment.pk for enrolment in enrolments]
    done: dict[int, set[int]] = {pk: set() for pk in enrolment_ids}
    quizzes: dict[int, dict[str, QuizAttemptsSummary]] = {pk: {} for pk in enrolment_ids}
    grants: dict[int, dict[str, int]] = {pk: {} for pk in enrolment_ids}
    for kind, enrolment_id, ref, row_id, score, passed, at in _progress_rows(enrolment_ids):
        if kind == _LESSON_DONE:
            done[enrolment_id].add(int(ref))
        elif kind == _QUIZ_GRANT:
            grants[enrolment_id][ref] = grants[enrolment_id].get(ref, 0) + score
        else:
            summary = quizzes[enrolment_id].setdefault(ref, QuizAttemptsSummary())
            summary.add(attempt_id=row_id, score=score, passed=bool(passed), submitted_at=at)
    return [
        CourseProgress(
            enrolment=enrolment,
            outline=outlines[enrolment.course_id],
            done_lesson_ids=done[enrolment.pk],
            passed_quiz_ids={quiz_id for quiz_id, summary in quizzes[enrolment.pk].items() if summary.passed},
            best_scores={quiz_id: summary.best_score for quiz_id, summary in quizzes[enrolment.pk].items()},
            quiz_attempts=quizzes[enrolment.pk],
            quiz_grants=grants[enrolment.pk],
        )
        for enrolment in enrolments
    ]


def enrolment_get(*, trainer, course: CoursePage) -> Enrolment | None:
    if not trainer.is_authenticated:
        return None
    return Enrolment.objects.filter(trainer=trainer, course=course).first()


def course_progress(*, enrolment: Enrolment) -> CourseProgress:
    """Progress of one enrolment: a fixed number of queries."""
    return _progress_for_enrolments([enrolment])[0]


def progress_list_for_trainer(*, trainer) -> list[CourseProgress]:
    """Progress in every course the trainer is enrolled in (live courses only), newest first."""
    enrolments = list(
        Enrolment.objects.filter(trainer=trainer, course__live=True)
        .select_related("course", "evaluation")
        .order_by("-enrolled_at")
    )
    return _progress_for_enrolments(enrolments)


def enrolled_course_ids(*, trainer) -> set[int]:
    """Ids of the courses the trainer is enrolled in. One query."""
    if not trainer.is_authenticated:
        return set()
    return set(Enrolment.objects.filter(trainer=trainer).values_list("course_id", flat=True))
