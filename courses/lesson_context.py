"""What the lesson page shows one trainer besides the content: progress, navigation, quiz forms
and the data cost. Built from selectors with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation

from courses import content_cache, selectors, services


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


@dataclass
class LessonBodyPart:
    """A stretch of a lesson's body that reads the same for everyone (cached once rendered), or one
    quiz block, which the page renders for each trainer. Blocks are built only when rendered."""

    body: object  # the lesson's StreamValue
    start: int
    end: int
    quiz_id: str = ""

    @property
    def blocks(self) -> list:
        return [self.body[index] for index in range(self.start, self.end)]

    @property
    def value(self):
        """The quiz block's value (a quiz part only)."""
        return self.body[self.start].value


def lesson_body_parts(*, lesson) -> list[LessonBodyPart]:
    """The lesson's body cut around its quizzes, read from the raw JSON: no block is built here."""
    parts: list[LessonBodyPart] = []
    for index, item in enumerate(lesson.body.raw_data):
        if item.get("type") == "quiz":
            parts.append(
                LessonBodyPart(body=lesson.body, start=index, end=index + 1, quiz_id=str(item.get("id")))
            )
        elif parts and not parts[-1].quiz_id:
            parts[-1].end = index + 1
        else:
            parts.append(LessonBodyPart(body=lesson.body, start=index, end=index + 1))
    return parts


def _shared_context(*, request, lesson) -> dict:
    """What the lesson page shows everyone alike: its ancestors (breadcrumb, module, course), its
    data cost and its body cut around the quizzes, with the key its rendered parts are cached
    under. From the shared content cache, except in a preview (a draft never enters it)."""
    preview = getattr(request, "is_preview", False)
    if preview or not content_cache.enabled():
        return {
            "data_cost": selectors.lesson_data_cost(lesson=lesson),
            "lesson_body": lesson_body_parts(lesson=lesson),
            "lesson_cache_key": None,
        }
    current = content_cache.version()
    # The page's own state is in the key too: a lesson saved without any signal (a raw update)
    # still gets new entries once it is published again.
    parts = (lesson.pk, lesson.cache_key)
    ancestors, data_cost = content_cache.get_or_build(
        "lesson",
        parts,
        lambda: (list(lesson.get_ancestors().specific()), selectors.lesson_data_cost(lesson=lesson)),
        current=current,
    )
    if len(ancestors) >= 2:
        # The module and the course of a lesson are its last two ancestors: no query for either.
        lesson.module, lesson.course = ancestors[-1], ancestors[-2]
    return {
        "data_cost": data_cost,
        "lesson_body": lesson_body_parts(lesson=lesson),
        "breadcrumb_ancestors": ancestors,
        "lesson_cache_key": f"{current}:{translation.get_language()}",
        "lesson_cache_seconds": content_cache.timeout(),
    }


def lesson_page_context(*, request, lesson) -> dict:
    """The keys the lesson page's includes read: `learning`, `quiz_forms`, `data_cost`,
    `lesson_body` (the body cut around its quizzes) and `lesson_cache_key` (None: render the body
    without the cache).

    A lesson not saved yet (an editor's preview while creating it) has no course progress: the
    includes then show the content alone."""
    if lesson.pk is None or not lesson.path:
        return {
            "learning": None,
            "quiz_forms": {},
            "data_cost": selectors.lesson_data_cost(lesson=lesson),
            "lesson_body": lesson_body_parts(lesson=lesson),
            "lesson_cache_key": None,
        }
    shared = _shared_context(request=request, lesson=lesson)
    state = selectors.lesson_state(trainer=getattr(request, "user", None), lesson=lesson)
    if not getattr(request, "is_preview", False):
        services.quiz_draws_for_lesson_ensure(state=state)
    submission = getattr(request, "quiz_submission", None)
    return {
        **shared,
        "learning": state,
        "quiz_forms": {
            quiz_id: quiz_form_build(state=quiz_state, submission=submission)
            for quiz_id, quiz_state in state.quiz_states.items()
        },
    }
