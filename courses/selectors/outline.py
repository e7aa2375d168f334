"""Course outlines: modules, lessons and quiz ids of one or several courses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import Q

from courses.models import CoursePage, LessonPage, ModulePage


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
        .only(
            "id",
            "title",
            "path",
            "url_path",
            "depth",
            "required",
            "estimated_minutes",
            "first_published_at",
            "body",
        )
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
                first_published_at=lesson.first_published_at,
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
