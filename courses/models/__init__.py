from .pages import (
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
)
from .progress import Enrolment, LessonProgress, QuizAttempt, SyncEvent
from .service_points import CoordinatorProfile, ServicePoint, TrainerProfile

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
    "ModulePage",
    "ServicePoint",
    "TrainerProfile",
]
