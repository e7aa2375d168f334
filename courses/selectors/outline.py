"""Course outlines: modules, lessons and quiz ids of one or several courses."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import F, Q
from wagtail.models import Page

from courses import content_cache
from courses.models import AssessmentRole, CoursePage


@dataclass
class LessonOutline:
    id: int
    title: str
    url: str
    required: bool
    module_id: int
    estimated_minutes: int
    quiz_ids: list[str] = field(default_factory=list)
    # When the lesson first went live: tells a lesson added after a trainer finished the course.
    first_published_at: datetime | None = None
    # "pre_test" / "post_test" when the lesson's quiz is the course's pre-test or post-test.
    assessment_role: str = ""

    @property
    def counts_for_completion(self) -> bool:
        """The pre-test lesson, and its quiz, never count towards completing the course."""
        return self.assessment_role != AssessmentRole.PRE_TEST

    @property
    def is_pre_test(self) -> bool:
        return self.assessment_role == AssessmentRole.PRE_TEST


@dataclass
class ModuleOutline:
    id: int
    title: str
    url: str
    lessons: list[LessonOutline] = field(default_factory=list)

    @property
    def quiz_ids(self) -> list[str]:
        """The module's quizzes that count for completion (not the pre-test's)."""
        return [
            quiz_id for lesson in self.lessons if lesson.counts_for_completion for quiz_id in lesson.quiz_ids
        ]

    @property
    def required_lesson_ids(self) -> list[int]:
        """The module's lessons that completion requires (never the pre-test's)."""
        return [lesson.id for lesson in self.lessons if lesson.required and lesson.counts_for_completion]


@dataclass
class CourseOutline:
    course: CoursePage
    modules: list[ModuleOutline]

    @property
    def lessons(self) -> list[LessonOutline]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def quiz_ids(self) -> list[str]:
        """The quizzes that count for completion: every quiz but the pre-test's."""
        return [quiz_id for module in self.modules for quiz_id in module.quiz_ids]

    @property
    def required_lesson_ids(self) -> list[int]:
        return [lesson_id for module in self.modules for lesson_id in module.required_lesson_ids]

    def _assessment_lesson(self, role: str) -> LessonOutline | None:
        # The first in reading order, should a copy or an old draft have given the role twice.
        return next(
            (lesson for lesson in self.lessons if lesson.assessment_role == role and lesson.quiz_ids), None
        )

    @property
    def pre_test_lesson(self) -> LessonOutline | None:
        return self._assessment_lesson(AssessmentRole.PRE_TEST)

    @property
    def post_test_lesson(self) -> LessonOutline | None:
        return self._assessment_lesson(AssessmentRole.POST_TEST)

    @property
    def pre_test_id(self) -> str | None:
        """The pre-test's quiz id, or None when the course has none."""
        lesson = self.pre_test_lesson
        return lesson.quiz_ids[0] if lesson else None

    @property
    def post_test_id(self) -> str | None:
        lesson = self.post_test_lesson
        return lesson.quiz_ids[0] if lesson else None

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
    """Outlines (modules → lessons → quiz ids) of several courses: from the content cache, and
    one query for those not in it."""
    courses = list(courses)
    if not courses:
        return {}
    by_id = {course.pk: course for course in courses}
    modules = content_cache.get_many_or_build(
        OUTLINE_CACHE_KIND,
        list(by_id),
        lambda ids: {
            pk: outline.modules
            for pk, outline in _course_outlines_query(courses=[by_id[pk] for pk in ids]).items()
        },
    )
    return {pk: CourseOutline(course=course, modules=modules[pk]) for pk, course in by_id.items()}


# The cached outlines are pickled dataclasses: a change of their fields gives new keys.
_OUTLINE_FIELDS = repr(
    [(cls.__name__, [f.name for f in fields(cls)]) for cls in (ModuleOutline, LessonOutline)]
)
OUTLINE_CACHE_KIND = f"outline-{zlib.crc32(_OUTLINE_FIELDS.encode()):08x}"


def _course_outlines_query(*, courses: list[CoursePage]) -> dict[int, CourseOutline]:
    """Outlines (modules → lessons → quiz ids) of several courses in one query."""
    courses = list(courses)
    if not courses:
        return {}
    # Modules and lessons in one pass over the tree: the lesson columns come through the (left)
    # join of the lesson table and are empty on a module's row. The body is needed for the quiz
    # ids; nothing else heavy is loaded.
    pages = list(
        Page.objects.live()
        .filter(_path_filter(courses))
        .filter(Q(modulepage__isnull=False) | Q(lessonpage__isnull=False))
        .annotate(
            lesson_id=F("lessonpage__page_ptr_id"),
            lesson_required=F("lessonpage__required"),
            lesson_minutes=F("lessonpage__estimated_minutes"),
            lesson_body=F("lessonpage__body"),
            lesson_role=F("lessonpage__assessment_role"),
        )
        .order_by("path")
        .only("id", "title", "path", "url_path", "depth", "first_published_at", "locale_id")
    )
    outlines = {course.pk: CourseOutline(course=course, modules=[]) for course in courses}
    course_by_path = {course.path: course for course in courses}
    module_by_path: dict[str, ModuleOutline] = {}
    step = CoursePage.steplen
    for page in pages:
        parent_path = page.path[: len(page.path) - step]
        if page.lesson_id is None:
            course = course_by_path.get(parent_path)
            if course is None:
                continue
            outline = ModuleOutline(id=page.pk, title=page.title, url=_page_url(page))
            module_by_path[page.path] = outline
            outlines[course.pk].modules.append(outline)
            continue
        module_outline = module_by_path.get(parent_path)
        if module_outline is None:
            continue
        module_outline.lessons.append(
            LessonOutline(
                id=page.pk,
                title=page.title,
                url=_page_url(page),
                required=page.lesson_required,
                module_id=module_outline.id,
                estimated_minutes=page.lesson_minutes,
                quiz_ids=_quiz_ids(page.lesson_body),
                first_published_at=page.first_published_at,
                assessment_role=page.lesson_role or "",
            )
        )
    return outlines


def _quiz_ids(body) -> list[str]:
    # The raw JSON, not the blocks: iterating the StreamValue would build every block and run a
    # query per lesson for its images and documents (bulk_to_python of the chooser blocks).
    if body is None:
        return []
    if isinstance(body, str):  # a backend that hands the JSON over as text
        body = json.loads(body)
    raw = body.raw_data if hasattr(body, "raw_data") else body
    return [str(item["id"]) for item in raw if item.get("type") == "quiz"]


def course_outline(*, course: CoursePage) -> CourseOutline:
    return course_outlines(courses=[course])[course.pk]


def _page_url(page) -> str:
    # get_url reads the site root paths from the cache: no query per page.
    return page.get_url() or ""
