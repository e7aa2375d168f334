"""A lesson as one trainer sees it (the lesson page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from courses.models import CoursePage, Enrolment, LessonPage, QuizDraw
from courses.quiz_policy import AttemptAllowance, AttemptPolicy, attempt_allowance, attempt_policy
from courses.selectors.outline import CourseOutline, LessonOutline, course_outline
from courses.selectors.progress import CourseProgress, course_progress
from courses.selectors.quizzes import Quiz, lesson_quizzes, quiz_drawn, quiz_draws_open, quiz_pass_mark


@dataclass
class QuizState:
    """One quiz of a lesson for one trainer: what the form may show. No correct flags here."""

    quiz: Quiz
    pass_mark: int
    policy: AttemptPolicy
    attempts: int = 0
    best_score: int | None = None
    passed: bool = False
    last_attempt_id: int | None = None
    allowance: AttemptAllowance = field(default=None)  # set by lesson_state
    draw: QuizDraw | None = None  # the trainer's open draw, if any

    @property
    def attempts_left(self) -> int | None:
        return self.allowance.left

    @property
    def exhausted(self) -> bool:
        return self.allowance.exhausted

    @property
    def questions(self) -> Quiz:
        """The quiz as the trainer's next attempt gets it (the open draw), else the whole quiz."""
        return quiz_drawn(quiz=self.quiz, draw=self.draw)


@dataclass
class LessonState:
    lesson: LessonPage
    course: CoursePage
    outline: CourseOutline
    enrolment: Enrolment | None
    progress: CourseProgress | None
    quiz_states: dict[str, QuizState]

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def done(self) -> bool:
        return self.progress is not None and self.lesson.pk in self.progress.done_lesson_ids

    @property
    def neighbours(self) -> tuple[LessonOutline | None, LessonOutline | None]:
        return self.outline.lesson_neighbours(self.lesson.pk)

    @property
    def previous_lesson(self) -> LessonOutline | None:
        return self.neighbours[0]

    @property
    def next_lesson(self) -> LessonOutline | None:
        return self.neighbours[1]

    @property
    def resume_lesson(self) -> LessonOutline | None:
        """Where "Lanjutkan belajar" goes: the first lesson not yet done, unless it is this one."""
        if self.progress is None:
            return None
        resume = self.progress.next_lesson
        return resume if resume is not None and resume.id != self.lesson.pk else None


def lesson_state(*, trainer, lesson: LessonPage) -> LessonState:
    """Everything the lesson page needs to know about one trainer: enrolment, course progress,
    previous/next lessons and the state of each quiz. Three queries for an enrolled trainer (the
    enrolment with its course, the outline, the lessons done with the quiz attempts), whatever
    the number of lessons in the course, and one more for the open draws when the lesson has a
    quiz."""
    enrolment = None
    if trainer is not None and trainer.is_authenticated:
        enrolment = (
            Enrolment.objects.filter(trainer=trainer, course__path=lesson_course_path(lesson=lesson))
            .select_related("course")
            .first()
        )
    if enrolment is not None:
        course = lesson.course = enrolment.course  # spares lesson.course its query
        progress = course_progress(enrolment=enrolment)
        outline = progress.outline
    else:
        course = lesson.course
        progress = None
        outline = course_outline(course=course)
    states = {
        quiz.id: QuizState(
            quiz=quiz,
            pass_mark=quiz_pass_mark(quiz=quiz, course=course),
            policy=attempt_policy(quiz=quiz, course=course),
        )
        for quiz in lesson_quizzes(lesson=lesson)
    }
    now = timezone.now()
    for quiz_id, state in states.items():
        summary = progress.quiz_attempts.get(quiz_id) if progress is not None else None
        if summary is not None:
            state.attempts = summary.attempts
            state.best_score = summary.best_score
            state.passed = summary.passed
            state.last_attempt_id = summary.last_attempt_id
        state.allowance = attempt_allowance(
            policy=state.policy,
            attempts=summary.history if summary is not None else [],
            granted=progress.quiz_grants.get(quiz_id, 0) if progress is not None else 0,
            at=now,
        )
    if enrolment is not None and states:
        for quiz_id, draw in quiz_draws_open(enrolment=enrolment, quiz_ids=list(states)).items():
            states[quiz_id].draw = draw
    return LessonState(
        lesson=lesson,
        course=course,
        outline=outline,
        enrolment=enrolment,
        progress=progress,
        quiz_states=states,
    )


def lesson_course_path(*, lesson: LessonPage) -> str:
    """The tree path of a lesson's course: lessons sit in modules, modules in courses."""
    return lesson.path[: len(lesson.path) - 2 * LessonPage.steplen]
