from courses.people.models import CoordinatorProfile, ServicePoint, TrainerImport, TrainerProfile

from .pages import (
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    LessonQuiz,
    ModulePage,
)
from .progress import Enrolment, LessonProgress, QuizAttempt, SyncEvent

__all__ = [
    "CoordinatorProfile",
    "Enrolment",
    "LessonProgress",
    "QuizAttempt",
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
