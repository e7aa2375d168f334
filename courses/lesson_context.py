"""What the lesson page shows one trainer besides the content: progress, navigation, quiz forms
and the data cost. Built from selectors with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from courses import selectors, services


@dataclass
class ChoiceField:
    id: str
    text: str
    checked: bool = False


@dataclass
class QuestionField:
    id: str
    number: int
    text: str
    kind: str
    choices: list[ChoiceField]
    error: str = ""

    @property
    def input_type(self) -> str:
        return "checkbox" if self.kind == "multiple" else "radio"


@dataclass
class QuizForm:
    """A quiz as the trainer may see it before answering: questions and choices, never which
    choice is right and never the explanations."""

    id: str
    title: str
    intro: str
    action: str
    state: selectors.QuizState
    questions: list[QuestionField]
    message: str = ""
    draw_id: str = ""  # the draw the form answers (courses.models.QuizDraw), sent back with it
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.message or self.errors)


def quiz_form_build(*, state: selectors.QuizState, submission=None) -> QuizForm:
    quiz = state.questions  # the trainer's draw: its questions and choices, in its order
    answers = submission.answers if submission is not None and submission.quiz_id == quiz.id else {}
    errors = submission.errors if submission is not None and submission.quiz_id == quiz.id else {}
    questions = [
        QuestionField(
            id=question.id,
            number=number,
            text=question.text,
            kind=question.kind,
            choices=[
                ChoiceField(id=choice.id, text=choice.text, checked=choice.id in answers.get(question.id, []))
                for choice in question.choices
            ],
            error=errors.get(question.id, ""),
        )
        for number, question in enumerate(quiz.questions, start=1)
    ]
    return QuizForm(
        id=quiz.id,
        title=quiz.title,
        intro=quiz.intro,
        action=reverse("quiz_attempt_create", kwargs={"quiz_id": quiz.id}),
        state=state,
        questions=questions,
        draw_id=str(state.draw.pk) if state.draw is not None else "",
        message=submission.message if answers or errors else "",
        errors={key: value for key, value in errors.items() if key not in {q.id for q in quiz.questions}},
    )


def lesson_page_context(*, request, lesson) -> dict:
    """The keys the lesson page's includes read: `learning`, `quiz_forms`, `data_cost`.

    A lesson not saved yet (an editor's preview while creating it) has no course progress: the
    includes then show the content alone."""
    if lesson.pk is None or not lesson.path:
        return {"learning": None, "quiz_forms": {}, "data_cost": selectors.lesson_data_cost(lesson=lesson)}
    state = selectors.lesson_state(trainer=getattr(request, "user", None), lesson=lesson)
    if not getattr(request, "is_preview", False):
        services.quiz_draws_for_lesson_ensure(state=state)
    submission = getattr(request, "quiz_submission", None)
    return {
        "learning": state,
        "quiz_forms": {
            quiz_id: quiz_form_build(state=quiz_state, submission=submission)
            for quiz_id, quiz_state in state.quiz_states.items()
        },
        "data_cost": selectors.lesson_data_cost(lesson=lesson),
    }
