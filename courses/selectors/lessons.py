"""A lesson as one trainer sees it (the lesson page)."""

from __future__ import annotations

from dataclasses import dataclass

from courses.models import CoursePage, Enrolment, LessonPage, QuizAttempt
from courses.selectors.outline import CourseOutline, LessonOutline, course_outline
from courses.selectors.progress import CourseProgress, course_progress
from courses.selectors.quizzes import Quiz, lesson_quizzes, quiz_pass_mark


@dataclass
class QuizState:
    """One quiz of a lesson for one trainer: what the form may show. No correct flags here."""

    quiz: Quiz
    pass_mark: int
    attempts: int = 0
    best_score: int | None = None
    passed: bool = False
    last_attempt_id: int | None = None

    @property
    def attempts_left(self) -> int | None:
        if not self.quiz.max_attempts:
            return None
        return max(self.quiz.max_attempts - self.attempts, 0)

    @property
    def exhausted(self) -> bool:
        return self.attempts_left == 0


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
    previous/next lessons and the state of each quiz. A fixed number of queries (about six),
    whatever the number of lessons in the course."""
    course = lesson.course
    enrolment = None
    if trainer is not None and trainer.is_authenticated:
        enrolment = Enrolment.objects.filter(trainer=trainer, course=course).first()
    if enrolment is not None:
        enrolment.course = course  # already loaded: spare the query
        progress = course_progress(enrolment=enrolment)
        outline = progress.outline
    else:
        progress = None
        outline = course_outline(course=course)
    quizzes = lesson_quizzes(lesson=lesson)
    states = {
        quiz.id: QuizState(quiz=quiz, pass_mark=quiz_pass_mark(quiz=quiz, course=course)) for quiz in quizzes
    }
    if enrolment is not None and quizzes:
        rows = (
            QuizAttempt.objects.filter(enrolment=enrolment, quiz_id__in=list(states))
            .order_by("quiz_id", "-submitted_at", "-pk")
            .values_list("quiz_id", "pk", "score", "passed")
        )
        for quiz_id, attempt_id, score, passed in rows:
            state = states[quiz_id]
            if state.last_attempt_id is None:
                state.last_attempt_id = attempt_id
            state.attempts += 1
            state.best_score = score if state.best_score is None else max(state.best_score, score)
            state.passed = state.passed or passed
    return LessonState(
        lesson=lesson,
        course=course,
        outline=outline,
        enrolment=enrolment,
        progress=progress,
        quiz_states=states,
    )
