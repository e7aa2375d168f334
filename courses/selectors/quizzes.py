"""Quizzes read out of a lesson's body, and a trainer's attempts at them."""

from __future__ import annotations

from dataclasses import dataclass

from courses.models import CoursePage, LessonPage, LessonQuiz, QuizAttempt


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
    max_attempts: int | None
    questions: tuple[Question, ...]

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
