"""Quizzes read out of a lesson's body, and a trainer's attempts at them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from courses.models import CoursePage, Enrolment, LessonPage, LessonQuiz, QuizAttempt, QuizDraw


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str  # "single" | "multiple"
    choices: tuple[Choice, ...]
    explanation: str

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.correct)


@dataclass(frozen=True)
class Quiz:
    """A quiz block read out of a lesson's body. Holds the answers: never send it to a client as is."""

    id: str
    lesson_id: int
    title: str
    intro: str
    pass_mark: int | None
    max_attempts: int | None  # None: the course's limit (courses.quiz_policy); 0: unlimited
    questions: tuple[Question, ...]
    retry_wait_minutes: int | None = None  # None: the course's
    reveal: str = ""  # "": the course's
    draw_count: int | None = None  # None: every question
    shuffle_choices: bool = False

    def public_dict(self) -> dict:
        """The quiz as a trainer may see it before answering: no correct flags, no explanations."""
        return {
            "id": self.id,
            "lesson_id": str(self.lesson_id),
            "title": self.title,
            "intro": self.intro,
            "pass_mark": self.pass_mark,
            "max_attempts": self.max_attempts,
            "questions": [
                {
                    "id": question.id,
                    "text": question.text,
                    "kind": question.kind,
                    "choices": [{"id": choice.id, "text": choice.text} for choice in question.choices],
                }
                for question in self.questions
            ],
        }


def quiz_from_block(*, block_id: str, value, lesson_id: int) -> Quiz:
    """Build a Quiz from a quiz block's StructValue; question and choice ids are the list item ids."""
    questions = []
    for question_child in value["questions"].bound_blocks:
        question = question_child.value
        choices = tuple(
            Choice(id=str(choice.id), text=choice.value["text"], correct=bool(choice.value["correct"]))
            for choice in question["choices"].bound_blocks
        )
        questions.append(
            Question(
                id=str(question_child.id),
                text=question["text"],
                kind=question["kind"] or "single",
                choices=choices,
                explanation=question.get("explanation") or "",
            )
        )
    return Quiz(
        id=str(block_id),
        lesson_id=lesson_id,
        title=value["title"],
        intro=value.get("intro") or "",
        pass_mark=value.get("pass_mark"),
        max_attempts=value.get("max_attempts"),
        questions=tuple(questions),
        retry_wait_minutes=value.get("retry_wait_minutes"),
        reveal=value.get("reveal") or "",
        draw_count=value.get("draw_count"),
        shuffle_choices=bool(value.get("shuffle_choices")),
    )


def lesson_quiz_ids(*, lesson: LessonPage) -> list[str]:
    """The ids of the quiz blocks of a lesson's body, in order, read from the raw JSON (no block is
    built, so no query for the body's images or documents)."""
    return [str(item["id"]) for item in lesson.body.raw_data if item.get("type") == "quiz" and item.get("id")]


def lesson_quizzes(*, lesson: LessonPage) -> list[Quiz]:
    """The quizzes of a lesson's body, in order. Only the quiz blocks are built: the body's images
    and documents are not fetched for this."""
    body = lesson.body
    return [
        quiz_from_block(block_id=body[index].id, value=body[index].value, lesson_id=lesson.pk)
        for index, item in enumerate(body.raw_data)
        if item.get("type") == "quiz"
    ]


def quiz_get(*, quiz_id: str) -> tuple[Quiz, LessonPage] | None:
    """Find a quiz of a live lesson by its id through the quiz index (courses.models.LessonQuiz);
    None if there is none. One query, the lesson included."""
    quiz_id = str(quiz_id).strip()
    if not quiz_id or len(quiz_id) > 64:
        return None
    # A copied lesson keeps its blocks' ids: the first live one in the tree holds the quiz.
    entry = (
        LessonQuiz.objects.filter(quiz_id=quiz_id, lesson__live=True)
        .select_related("lesson")
        .order_by("lesson__path")
        .first()
    )
    if entry is None:
        return None
    lesson = entry.lesson
    for quiz in lesson_quizzes(lesson=lesson):
        if quiz.id == quiz_id:
            return quiz, lesson
    return None


def quiz_pass_mark(*, quiz: Quiz, course: CoursePage) -> int:
    return quiz.pass_mark or course.pass_mark


def quiz_attempts_for_trainer(*, trainer, quiz_id: str) -> list[QuizAttempt]:
    """The trainer's own attempts at a quiz, newest first. One query."""
    return list(
        QuizAttempt.objects.filter(enrolment__trainer=trainer, quiz_id=str(quiz_id)).order_by("-submitted_at")
    )


def quiz_attempt_get_for_trainer(*, trainer, attempt_id: int) -> QuizAttempt | None:
    """One attempt if it is the trainer's own, else None (callers answer 404 either way)."""
    return QuizAttempt.objects.filter(pk=attempt_id, enrolment__trainer=trainer).first()


def quiz_drawn(*, quiz: Quiz, draw: QuizDraw | None) -> Quiz:
    """The quiz as one attempt got it: only the drawn questions, in the drawn order, with their
    choices in the drawn order. Without a draw, the whole quiz. A question an editor removed since
    the draw is left out; a choice added since comes last."""
    if draw is None:
        return quiz
    by_id = {question.id: question for question in quiz.questions}
    order = draw.choice_order if isinstance(draw.choice_order, dict) else {}
    questions = []
    for question_id in draw.question_ids if isinstance(draw.question_ids, list) else []:
        question = by_id.get(str(question_id))
        if question is None:
            continue
        position = {choice_id: index for index, choice_id in enumerate(order.get(question.id) or [])}
        choices = sorted(question.choices, key=lambda choice: position.get(choice.id, len(position)))
        questions.append(replace(question, choices=tuple(choices)))
    return replace(quiz, questions=tuple(questions))


def quiz_draw_stale(*, quiz: Quiz, draw: QuizDraw | None) -> bool:
    """Whether an editor removed every question of `draw` from `quiz` since it was drawn: then the
    draw has nothing left to answer, so no attempt is scored on it and a fresh draw replaces it.
    No query."""
    return draw is not None and bool(quiz.questions) and not quiz_drawn(quiz=quiz, draw=draw).questions


def quiz_draws_open(*, enrolment: Enrolment, quiz_ids: list[str]) -> dict[str, QuizDraw]:
    """The enrolment's open (not yet submitted) draw of each quiz, by quiz id. One query."""
    if not quiz_ids:
        return {}
    draws = QuizDraw.objects.filter(enrolment=enrolment, quiz_id__in=quiz_ids, attempt__isnull=True).order_by(
        "created_at"
    )
    return {draw.quiz_id: draw for draw in draws}


def quiz_draw_get(*, enrolment: Enrolment, quiz_id: str, draw_id) -> QuizDraw | None:
    """One of the enrolment's draws of a quiz, with its attempt if it has one; None for a draw
    that is not theirs, of another quiz, or an id that is no UUID. One query."""
    try:
        draw_uuid = uuid.UUID(str(draw_id))
    except ValueError:
        return None
    return (
        QuizDraw.objects.filter(pk=draw_uuid, enrolment=enrolment, quiz_id=quiz_id)
        .select_related("attempt")
        .first()
    )
