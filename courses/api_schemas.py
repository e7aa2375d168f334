"""Request and response bodies of the learning API (/api/v1/). Ids are strings: lesson and course ids
are page ids, quiz ids are the quiz block's stable id, question and choice ids the list item ids.

Nothing sent before a submission carries a correct flag or an explanation: the quiz and course
schemas below have no such fields, so they cannot leak them even by mistake."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

EXAMPLE_QUIZ_ID = "3f6c1d2e-8a4b-4c1e-9f2a-5b7d8e9f0a1b"
EXAMPLE_EVENT_ID = "0b7e4a52-2f4c-4d8e-9a51-6c3f1e2d9b10"


# ---------------------------------------------------------------------------------------------
# Courses and quizzes (public content, no answers)
# ---------------------------------------------------------------------------------------------


class LessonOut(Schema):
    id: str
    title: str
    url: str
    required: bool
    estimated_minutes: int
    quiz_ids: list[str]


class ModuleOut(Schema):
    id: str
    title: str
    url: str
    lessons: list[LessonOut]


class CourseOut(Schema):
    id: str
    slug: str
    title: str
    url: str
    summary: str
    level: str
    estimated_hours: float
    pass_mark: int = Field(description="Pass mark (%) of quizzes that set none of their own.")
    open_for_enrolment: bool
    enrolled: bool = Field(description="Whether the signed-in user is enrolled.")
    pre_test_id: str | None = Field(
        None, description="Quiz id of the course's pre-test (taken first, never counts for completion)."
    )
    post_test_id: str | None = Field(
        None, description="Quiz id of the course's post-test (the final assessment)."
    )
    modules: list[ModuleOut]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": "12",
                    "slug": "pendampingan-prakerja-purna-pmi",
                    "title": "Pendampingan Kartu Prakerja bagi Purna PMI",
                    "url": "http://127.0.0.1:8000/kursus/pendampingan-prakerja-purna-pmi/",
                    "summary": "Membantu Purna PMI mendaftar dan memilih pelatihan.",
                    "level": "basic",
                    "estimated_hours": 6.0,
                    "pass_mark": 70,
                    "open_for_enrolment": True,
                    "enrolled": False,
                    "pre_test_id": None,
                    "post_test_id": EXAMPLE_QUIZ_ID,
                    "modules": [
                        {
                            "id": "13",
                            "title": "Modul 1: Mengenal Kartu Prakerja",
                            "url": "http://127.0.0.1:8000/kursus/pendampingan-prakerja-purna-pmi/modul-1/",
                            "lessons": [
                                {
                                    "id": "14",
                                    "title": "Siapa yang berhak?",
                                    "url": "http://127.0.0.1:8000/kursus/pendampingan-prakerja-purna-pmi/modul-1/siapa/",
                                    "required": True,
                                    "estimated_minutes": 10,
                                    "quiz_ids": [EXAMPLE_QUIZ_ID],
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    }


class QuizChoiceOut(Schema):
    id: str
    text: str


class QuizQuestionOut(Schema):
    id: str
    text: str
    kind: Literal["single", "multiple"] = Field(description="`single`: choose exactly one choice.")
    choices: list[QuizChoiceOut]


class QuizOut(Schema):
    id: str
    lesson_id: str
    course_id: str
    title: str
    intro: str
    pass_mark: int = Field(description="Score (%) needed to pass: the quiz's own, else the course's.")
    max_attempts: int | None = Field(
        description="Attempts allowed (the quiz's own, else the course's); null: unlimited."
    )
    questions: list[QuizQuestionOut]
    draw_count: int | None = Field(
        None, description="Questions drawn for each attempt (`POST …/draws`); null: every question."
    )
    shuffle_choices: bool = Field(False, description="Whether each draw shows the choices in its own order.")
    retry_wait_minutes: int = Field(
        0, description="Wait after a failed attempt; doubles with every further failure in a row (capped)."
    )
    reveal: Literal["always", "passed", "exhausted", "passed_or_exhausted"] = Field(
        "passed_or_exhausted",
        description="When explanations and correct answers are given: after every attempt, after passing, "
        "when no attempts are left, or either of the last two.",
    )
    attempts_left: int | None = Field(
        None, description="For an enrolled trainer: attempts left (null: unlimited, or not enrolled)."
    )
    next_attempt_at: datetime | None = Field(
        None, description="For an enrolled trainer waiting after a failed attempt: when the next is allowed."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "id": EXAMPLE_QUIZ_ID,
                    "lesson_id": "14",
                    "course_id": "12",
                    "title": "Kuis: Siapa yang berhak?",
                    "intro": "",
                    "pass_mark": 70,
                    "max_attempts": None,
                    "questions": [
                        {
                            "id": "q1",
                            "text": "Berapa usia minimal peserta Kartu Prakerja?",
                            "kind": "single",
                            "choices": [{"id": "c1", "text": "18 tahun"}, {"id": "c2", "text": "21 tahun"}],
                        }
                    ],
                }
            ]
        }
    }


# ---------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------


class ProgressOut(Schema):
    course_id: str
    slug: str
    title: str
    percent: int = Field(ge=0, le=100, description="Share of the completion rule met.")
    lessons_done: int = Field(description="The required lessons done (lessons_total's).")
    lessons_total: int = Field(
        description="The lessons completion requires: never the pre-test's, nor an optional one."
    )
    quizzes_passed: int
    quizzes_total: int
    modules_done: int
    modules_total: int
    next_lesson_id: str | None = Field(description="The first lesson not yet done (resume here).")
    enrolled_at: datetime
    completed_at: datetime | None
    pre_test_score: int | None = Field(None, description="First pre-test attempt's score; null if none.")
    post_test_score: int | None = Field(None, description="Best post-test attempt's score; null if none.")
    learning_gain: int | None = Field(
        None, description="Post-test score minus pre-test score, in percentage points; null until both exist."
    )


class EvaluationIn(Schema):
    rating: int = Field(description="1 to 5.")
    useful: bool = Field(description="Whether the training was useful.")
    applicable: bool = Field(description="Whether it can be applied at the trainer's service point.")
    comment: str = Field("", max_length=2000)

    model_config = {
        "json_schema_extra": {
            "examples": [{"rating": 5, "useful": True, "applicable": True, "comment": "Sangat membantu."}]
        }
    }


class EvaluationOut(Schema):
    course_id: str
    rating: int
    useful: bool
    applicable: bool
    comment: str
    created_at: datetime


class DrawOut(Schema):
    """What one attempt gets: the drawn questions in order, each with its choices in the draw's order."""

    draw_id: str
    quiz_id: str
    lesson_id: str
    course_id: str
    created_at: datetime
    questions: list[QuizQuestionOut]
    attempts_left: int | None = Field(description="null: unlimited.")
    next_attempt_at: datetime | None = Field(
        description="When the draw may be answered, if the wait after a failed attempt is not over."
    )


class AttemptRefusedOut(Schema):
    detail: str
    code: str = Field(
        description="`attempts_exhausted`, `attempt_wait`, `draw_used`, `draw_required`, or `quiz_changed` "
        "(every question of the draw was removed since: no attempt is used; fetch a fresh draw)."
    )
    next_attempt_at: datetime | None = Field(
        None, description="`attempt_wait`: when the next attempt is allowed (ISO 8601)."
    )


class AttemptIn(Schema):
    answers: dict[str, list[str]] = Field(
        description="Chosen choice ids per question id; every question of the draw must be answered, "
        "and only those."
    )
    draw_id: str | None = Field(
        None,
        max_length=64,
        description="The draw answered (`POST /quizzes/{id}/draws`); null: the open draw, else every question.",
    )

    model_config = {"json_schema_extra": {"examples": [{"answers": {"q1": ["c1"], "q2": ["c3", "c4"]}}]}}


class QuestionResultOut(Schema):
    question_id: str
    correct: bool
    explanation: str = Field(description='"" until the quiz\'s `reveal` rule allows it.')
    correct_choice_ids: list[str] | None = Field(
        None, description="null until the quiz's `reveal` rule allows it."
    )


class AttemptOut(Schema):
    attempt_id: str
    quiz_id: str
    score: int = Field(ge=0, le=100)
    passed: bool
    pass_mark: int
    submitted_at: datetime
    results: list[QuestionResultOut]
    attempts_left: int | None = Field(None, description="After this attempt; null: unlimited.")
    next_attempt_at: datetime | None = Field(
        None, description="When the next attempt is allowed, if not now."
    )


class AttemptSummaryOut(Schema):
    attempt_id: str
    quiz_id: str
    lesson_id: str
    score: int
    passed: bool
    submitted_at: datetime


# ---------------------------------------------------------------------------------------------
# Offline sync
# ---------------------------------------------------------------------------------------------


class SyncEventIn(Schema):
    """One event recorded offline. The meaning of the fields depends on `type`; an event the server
    cannot apply is answered `rejected` with the reason, without failing the rest of the batch."""

    id: str = Field(
        min_length=1, max_length=64, description="A UUID made by the client; its key for replays."
    )
    type: str = Field(max_length=32, description="`lesson_completed` or `quiz_attempt`.")
    at: datetime | None = Field(None, description="When it happened on the device (ISO 8601).")
    lesson_id: str | None = Field(None, max_length=20, description="For `lesson_completed`.")
    quiz_id: str | None = Field(None, max_length=64, description="For `quiz_attempt`.")
    draw_id: str | None = Field(
        None, max_length=64, description="For `quiz_attempt`: the draw fetched before going offline."
    )
    answers: dict[str, list[str]] | None = Field(None, description="For `quiz_attempt`, as in AttemptIn.")


class SyncIn(Schema):
    events: list[SyncEventIn] = Field(max_length=500)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "events": [
                        {
                            "id": EXAMPLE_EVENT_ID,
                            "type": "lesson_completed",
                            "at": "2021-06-05T09:30:00+07:00",
                            "lesson_id": "14",
                        },
                        {
                            "id": "5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                            "type": "quiz_attempt",
                            "at": "2021-06-05T09:40:00+07:00",
                            "quiz_id": EXAMPLE_QUIZ_ID,
                            "answers": {"q1": ["c1"]},
                        },
                    ]
                }
            ]
        }
    }


class SyncOutcomeOut(Schema):
    id: str
    status: Literal["applied", "duplicate", "rejected"] = Field(
        description="`duplicate`: already received before, nothing changed; `rejected`: nothing stored."
    )
    detail: str
    code: str | None = Field(None, description="Of a rejection, e.g. `attempt_wait`, `draw_used`.")
    next_attempt_at: datetime | None = Field(None, description="A quiz attempt's: when the next is allowed.")
    score: int | None = Field(None, description="An applied quiz attempt's score.")
    passed: bool | None = None
    attempt_id: str | None = None


class SyncOut(Schema):
    applied: int
    duplicate: int
    rejected: int
    results: list[SyncOutcomeOut]
