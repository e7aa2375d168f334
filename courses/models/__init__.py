from .pages import (
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
)
from .service_points import ServicePoint, TrainerProfile

__all__ = [
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
