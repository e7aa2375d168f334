"""Reads of courses and progress. Every function here runs a fixed number of queries, whatever the
number of lessons, modules or trainers.

The reads live in the modules of this package; every public name is re-exported here, so callers
keep writing `from courses import selectors` and `selectors.<name>`."""

from courses.selectors.access import lesson_open_to_api, page_id_parse
from courses.selectors.data_cost import (
    PAGE_OVERHEAD_BYTES,
    PHONE_IMAGE_FILTER,
    PHONE_IMAGE_WIDTH,
    DataCost,
    lesson_data_cost,
)
from courses.selectors.lessons import LessonState, QuizState, lesson_course_path, lesson_state
from courses.selectors.outline import (
    CourseOutline,
    LessonOutline,
    ModuleOutline,
    course_outline,
    course_outlines,
)
from courses.selectors.progress import (
    CourseProgress,
    QuizAttemptsSummary,
    course_progress,
    enrolled_course_ids,
    enrolment_get,
    progress_list_for_trainer,
)
from courses.selectors.quizzes import (
    Choice,
    Question,
    Quiz,
    lesson_quiz_ids,
    lesson_quizzes,
    quiz_attempt_get_for_trainer,
    quiz_attempts_for_trainer,
    quiz_draw_get,
    quiz_draw_stale,
    quiz_drawn,
    quiz_draws_open,
    quiz_from_block,
    quiz_get,
    quiz_pass_mark,
)

__all__ = [
    "PAGE_OVERHEAD_BYTES",
    "PHONE_IMAGE_FILTER",
    "PHONE_IMAGE_WIDTH",
    "Choice",
    "CourseOutline",
    "CourseProgress",
    "DataCost",
    "LessonOutline",
    "LessonState",
    "ModuleOutline",
    "Question",
    "Quiz",
    "QuizAttemptsSummary",
    "QuizState",
    "course_outline",
    "course_outlines",
    "course_progress",
    "enrolled_course_ids",
    "enrolment_get",
    "lesson_course_path",
    "lesson_data_cost",
    "lesson_open_to_api",
    "lesson_quiz_ids",
    "lesson_quizzes",
    "lesson_state",
    "page_id_parse",
    "progress_list_for_trainer",
    "quiz_attempt_get_for_trainer",
    "quiz_attempts_for_trainer",
    "quiz_draw_get",
    "quiz_draw_stale",
    "quiz_drawn",
    "quiz_draws_open",
    "quiz_from_block",
    "quiz_get",
    "quiz_pass_mark",
]
