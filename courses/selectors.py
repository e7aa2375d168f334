"""Reads of courses and progress. Every function here runs a fixed number of queries, whatever the
number of lessons, modules or trainers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q
from wagtail.images import get_image_model

from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
)

# ---------------------------------------------------------------------------------------------
# Quizzes
# ---------------------------------------------------------------------------------------------


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


def lesson_quizzes(*, lesson: LessonPage) -> list[Quiz]:
    """The quizzes of a lesson's body, in order."""
    return [
        quiz_from_block(block_id=child.id, value=child.value, lesson_id=lesson.pk)
        for child in lesson.body
        if child.block_type == "quiz"
    ]


def quiz_get(*, quiz_id: str) -> tuple[Quiz, LessonPage] | None:
    """Find a quiz of a live lesson by its stable id; None if there is none. Two queries."""
    quiz_id = str(quiz_id).strip()
    if not quiz_id or len(quiz_id) > 64:
        return None
    # The block id is a UUID stored in the body's JSON: narrow with a text search, then check exactly.
    for lesson in LessonPage.objects.live().filter(body__icontains=quiz_id):
        for quiz in lesson_quizzes(lesson=lesson):
            if quiz.id == quiz_id:
                return quiz, lesson
    return None


def page_id_parse(raw) -> int | None:
    """A page or row id sent as text, or None. Only ASCII digits: str.isdigit() also accepts "²",
    which int() refuses, and a number too long for the database would crash the query."""
    raw = str(raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    return int(raw)


def lesson_open_to_api(*, lesson: LessonPage) -> bool:
    """Whether an API client (token, no session) may act on this lesson: it is live, neither it nor
    an ancestor has a view restriction, and its course is live. The same rule as the API's
    look-ups, for offline sync. Two queries."""
    return bool(
        lesson.live
        and LessonPage.objects.live().public().filter(pk=lesson.pk).exists()
        and lesson.course.live
    )


def quiz_pass_mark(*, quiz: Quiz, course: CoursePage) -> int:
    return quiz.pass_mark or course.pass_mark


# ---------------------------------------------------------------------------------------------
# Course outline
# ---------------------------------------------------------------------------------------------


@dataclass
class LessonOutline:
    id: int
    title: str
    url: str
    required: bool
    module_id: int
    estimated_minutes: int
    quiz_ids: list[str] = field(default_factory=list)


@dataclass
class ModuleOutline:
    id: int
    title: str
    url: str
    lessons: list[LessonOutline] = field(default_factory=list)


@dataclass
class CourseOutline:
    course: CoursePage
    modules: list[ModuleOutline]

    @property
    def lessons(self) -> list[LessonOutline]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def quiz_ids(self) -> list[str]:
        return [quiz_id for lesson in self.lessons for quiz_id in lesson.quiz_ids]

    @property
    def required_lesson_ids(self) -> list[int]:
        return [lesson.id for lesson in self.lessons if lesson.required]

    def lesson_neighbours(self, lesson_id: int) -> tuple[LessonOutline | None, LessonOutline | None]:
        """Previous and next lesson in reading order, across module boundaries."""
        lessons = self.lessons
        for index, lesson in enumerate(lessons):
            if lesson.id == lesson_id:
                previous = lessons[index - 1] if index > 0 else None
                following = lessons[index + 1] if index + 1 < len(lessons) else None
                return previous, following
        return None, None


def _path_filter(courses) -> Q:
    return reduce(or_, (Q(path__startswith=course.path) for course in courses))


def course_outlines(*, courses: list[CoursePage]) -> dict[int, CourseOutline]:
    """Outlines (modules → lessons → quiz ids) of several courses in two queries."""
    courses = list(courses)
    if not courses:
        return {}
    path_filter = _path_filter(courses)
    modules = list(
        ModulePage.objects.live()
        .filter(path_filter)
        .defer_streamfields()
        .order_by("path")
        .only("id", "title", "path", "url_path", "depth")
    )
    # The body is needed for the quiz ids; nothing else heavy is loaded.
    lessons = list(
        LessonPage.objects.live()
        .filter(path_filter)
        .order_by("path")
        .only("id", "title", "path", "url_path", "depth", "required", "estimated_minutes", "body")
    )
    outlines = {course.pk: CourseOutline(course=course, modules=[]) for course in courses}
    course_by_path = {course.path: course for course in courses}
    module_by_path: dict[str, ModuleOutline] = {}
    step = CoursePage.steplen
    for module in modules:
        course = course_by_path.get(module.path[: len(module.path) - step])
        if course is None:
            continue
        outline = ModuleOutline(id=module.pk, title=module.title, url=_page_url(module))
        module_by_path[module.path] = outline
        outlines[course.pk].modules.append(outline)
    for lesson in lessons:
        module_outline = module_by_path.get(lesson.path[: len(lesson.path) - step])
        if module_outline is None:
            continue
        module_outline.lessons.append(
            LessonOutline(
                id=lesson.pk,
                title=lesson.title,
                url=_page_url(lesson),
                required=lesson.required,
                module_id=module_outline.id,
                estimated_minutes=lesson.estimated_minutes,
                quiz_ids=_quiz_ids(lesson),
            )
        )
    return outlines


def _quiz_ids(lesson: LessonPage) -> list[str]:
    # The raw JSON, not the blocks: iterating the StreamValue would build every block and run a
    # query per lesson for its images and documents (bulk_to_python of the chooser blocks).
    return [str(item["id"]) for item in lesson.body.raw_data if item.get("type") == "quiz"]


def course_outline(*, course: CoursePage) -> CourseOutline:
    return course_outlines(courses=[course])[course.pk]


def _page_url(page) -> str:
    # get_url reads the site root paths from the cache: no query per page.
    return page.get_url() or ""


# ---------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------


@dataclass
class CourseProgress:
    enrolment: Enrolment
    outline: CourseOutline
    done_lesson_ids: set[int]
    passed_quiz_ids: set[str]
    best_scores: dict[str, int]

    @property
    def course(self) -> CoursePage:
        return self.outline.course

    @property
    def completed_at(self) -> datetime | None:
        return self.enrolment.completed_at

    @property
    def lessons_total(self) -> int:
        return len(self.outline.lessons)

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.outline.lessons if lesson.id in self.done_lesson_ids)

    @property
    def quizzes_total(self) -> int:
        return len(self.outline.quiz_ids)

    @property
    def quizzes_passed(self) -> int:
        return sum(1 for quiz_id in self.outline.quiz_ids if quiz_id in self.passed_quiz_ids)

    @property
    def percent(self) -> int:
        """Share of the completion rule met: required lessons done and quizzes passed."""
        required = self.outline.required_lesson_ids
        total = len(required) + self.quizzes_total
        if total == 0:
            return 100 if self.enrolment.completed_at else 0
        done = sum(1 for lesson_id in required if lesson_id in self.done_lesson_ids) + self.quizzes_passed
        return (done * 100) // total

    @property
    def rule_met(self) -> bool:
        """The completion rule: every required lesson done and every quiz passed."""
        return all(
            lesson_id in self.done_lesson_ids for lesson_id in self.outline.required_lesson_ids
        ) and all(quiz_id in self.passed_quiz_ids for quiz_id in self.outline.quiz_ids)

    def module_done(self, module: ModuleOutline) -> bool:
        return all(
            (not lesson.required or lesson.id in self.done_lesson_ids)
            and all(quiz_id in self.passed_quiz_ids for quiz_id in lesson.quiz_ids)
            for lesson in module.lessons
        )

    @property
    def modules_total(self) -> int:
        return len(self.outline.modules)

    @property
    def modules_done(self) -> int:
        return sum(1 for module in self.outline.modules if module.lessons and self.module_done(module))

    @property
    def next_lesson(self) -> LessonOutline | None:
        """The first lesson not yet done, or with a quiz not yet passed ("Lanjutkan belajar")."""
        for lesson in self.outline.lessons:
            if lesson.id not in self.done_lesson_ids or any(
                quiz_id not in self.passed_quiz_ids for quiz_id in lesson.quiz_ids
            ):
                return lesson
        return None


def _progress_for_enrolments(enrolments: list[Enrolment]) -> list[CourseProgress]:
    if not enrolments:
        return []
    outlines = course_outlines(courses=[enrolment.course for enrolment in enrolments])
    enrolment_ids = [enrolment.pk for enrolment in enrolments]
    done: dict[int, set[int]] = {pk: set() for pk in enrolment_ids}
    for enrolment_id, lesson_id in LessonProgress.objects.filter(enrolment_id__in=enrolment_ids).values_list(
        "enrolment_id", "lesson_id"
    ):
        done[enrolment_id].add(lesson_id)
    best: dict[int, dict[str, int]] = {pk: {} for pk in enrolment_ids}
    passed: dict[int, set[str]] = {pk: set() for pk in enrolment_ids}
    rows = (
        QuizAttempt.objects.filter(enrolment_id__in=enrolment_ids)
        .values("enrolment_id", "quiz_id")
        .annotate(best_score=Max("score"), passes=Count("pk", filter=Q(passed=True)))
    )
    for row in rows:
        best[row["enrolment_id"]][row["quiz_id"]] = row["best_score"]
        if row["passes"]:
            passed[row["enrolment_id"]].add(row["quiz_id"])
    return [
        CourseProgress(
            enrolment=enrolment,
            outline=outlines[enrolment.course_id],
            done_lesson_ids=done[enrolment.pk],
            passed_quiz_ids=passed[enrolment.pk],
            best_scores=best[enrolment.pk],
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
        .select_related("course")
        .order_by("-enrolled_at")
    )
    return _progress_for_enrolments(enrolments)


def quiz_attempts_for(*, enrolment: Enrolment, quiz_id: str):
    return QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id).order_by("-submitted_at")


# ---------------------------------------------------------------------------------------------
# A lesson as one trainer sees it (the lesson page)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Data cost of a lesson
# ---------------------------------------------------------------------------------------------

# What a phone downloads besides the lesson's own content: the layout's HTML and the compressed
# stylesheets (cached after the first page, counted anyway: a trainer may open just one lesson).
PAGE_OVERHEAD_BYTES = 12 * 1024
# The image rendition a typical phone picks from the lesson's srcset (≈ 360 CSS px at 2×).
PHONE_IMAGE_FILTER = "width-720|format-webp"
PHONE_IMAGE_WIDTH = 720


@dataclass(frozen=True)
class DataCost:
    page_bytes: int
    image_bytes: int
    video_bytes: int

    @property
    def total_bytes(self) -> int:
        """What opening the lesson costs: the page and its images. Videos load only on request."""
        return self.page_bytes + self.image_bytes


def lesson_data_cost(*, lesson: LessonPage) -> DataCost:
    """Roughly how much data a phone spends on a lesson: the page's HTML (estimated from the
    size of its content), the images at the width a phone downloads (the real rendition file
    when it exists, else the original scaled down), and the videos' stated sizes. One query."""
    page_bytes = PAGE_OVERHEAD_BYTES + len(
        json.dumps(list(lesson.body.raw_data), ensure_ascii=False).encode()
    )
    images = []
    video_bytes = 0
    for child in lesson.body:
        if child.block_type == "image" and child.value.get("image") is not None:
            images.append(child.value["image"])
        elif child.block_type == "video" and child.value.get("approx_size_mb"):
            video_bytes += int(float(child.value["approx_size_mb"]) * 1024 * 1024)
    image_bytes = 0
    if images:
        rendition_model = get_image_model().get_rendition_model()
        sizes: dict[int, int] = {}
        for rendition in rendition_model.objects.filter(
            image_id__in=[image.pk for image in images], filter_spec=PHONE_IMAGE_FILTER
        ):
            try:
                sizes.setdefault(rendition.image_id, rendition.file.size)
            except (OSError, ValueError):
                continue
        for image in images:
            if image.pk in sizes:
                image_bytes += sizes[image.pk]
                continue
            try:
                original = image.file_size or image.file.size
            except (OSError, ValueError):
                original = 0
            scale = min(1.0, PHONE_IMAGE_WIDTH / image.width) if image.width else 1.0
            image_bytes += int(original * scale * scale)
    return DataCost(page_bytes=page_bytes, image_bytes=image_bytes, video_bytes=video_bytes)


def enrolled_course_ids(*, trainer) -> set[int]:
    """Ids of the courses the trainer is enrolled in. One query."""
    if not trainer.is_authenticated:
        return set()
    return set(Enrolment.objects.filter(trainer=trainer).values_list("course_id", flat=True))


def quiz_attempts_for_trainer(*, trainer, quiz_id: str) -> list[QuizAttempt]:
    """The trainer's own attempts at a quiz, newest first. One query."""
    return list(
        QuizAttempt.objects.filter(enrolment__trainer=trainer, quiz_id=str(quiz_id)).order_by("-submitted_at")
    )


def quiz_attempt_get_for_trainer(*, trainer, attempt_id: int) -> QuizAttempt | None:
    """One attempt if it is the trainer's own, else None (callers answer 404 either way)."""
    return QuizAttempt.objects.filter(pk=attempt_id, enrolment__trainer=trainer).first()
