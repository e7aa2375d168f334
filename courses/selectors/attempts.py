"""Where a trainer stands with each quiz they have tried: attempts used and left, the wait, under
the quiz's attempt policy (courses.quiz_policy). For the coordinators' page about a trainer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from courses.models import CoursePage, Enrolment, LessonPage
from courses.quiz_policy import AttemptAllowance, attempt_allowance, attempt_policy
from courses.selectors.progress import CourseProgress
from courses.selectors.quizzes import Quiz, lesson_quizzes


@dataclass(frozen=True)
class QuizStanding:
    enrolment: Enrolment
    course: CoursePage
    lesson_title: str
    quiz: Quiz
    allowance: AttemptAllowance


def quiz_standings(*, progress_list: list[CourseProgress], at: datetime | None = None) -> list[QuizStanding]:
    """Every quiz of the trainer's courses that they have tried, or that they were granted
    attempts at, in course and reading order. One query (the bodies of those quizzes' lessons)."""
    at = at or timezone.now()
    wanted: list[tuple[CourseProgress, int, str, str]] = []
    for progress in progress_list:
        for lesson in progress.outline.lessons:
            for quiz_id in lesson.quiz_ids:
                if quiz_id in progress.quiz_attempts or quiz_id in progress.quiz_grants:
                    wanted.append((progress, lesson.id, lesson.title, quiz_id))
    if not wanted:
        return []
    lessons = LessonPage.objects.filter(pk__in={lesson_id for _p, lesson_id, _t, _q in wanted})
    quizzes = {quiz.id: quiz for lesson in lessons for quiz in lesson_quizzes(lesson=lesson)}
    standings = []
    for progress, _lesson_id, lesson_title, quiz_id in wanted:
        quiz = quizzes.get(quiz_id)
        if quiz is None:
            continue
        summary = progress.quiz_attempts.get(quiz_id)
        allowance = attempt_allowance(
            policy=attempt_policy(quiz=quiz, course=progress.course),
            attempts=summary.history if summary is not None else [],
            granted=progress.quiz_grants.get(quiz_id, 0),
            at=at,
        )
        standings.append(
            QuizStanding(
                enrolment=progress.enrolment,
                course=progress.course,
                lesson_title=lesson_title,
                quiz=quiz,
                allowance=allowance,
            )
        )
    return standings
