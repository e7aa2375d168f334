from courses.people.models import CoordinatorProfile, ServicePoint, TrainerImport, TrainerProfile

from .evaluations import CourseEvaluation
from .pages import (
    AssessmentRole,
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    LessonQuiz,
    ModulePage,
)
from .progress import Enrolment, LessonProgress, QuizAttempt, QuizAttemptGrant, QuizDraw, SyncEvent

__all__ = [
    "AssessmentRole",
    "CoordinatorProfile",
    "CourseEvaluation",
    "Enrolment",
    "LessonProgress",
    "QuizAttempt",
    "QuizAttemptGrant",
    "QuizDraw",
    "SyncEvent",
    "CourseIndexPage",
    "CoursePage",
    "FacilitatorGuideIndexPage",
    "FacilitatorGuidePage",
    "HomePage",
    "LessonPage",
    "LessonQuiz",
    "ModulePage",
    "ServicePoint",
    "TrainerImport",
    "TrainerProfile",
]
