from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kursus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.celery import filesystem_broker_folders_create
        from lms.checks import base_url_check

        from . import receivers, signals  # noqa: F401
        from .lesson_context import lesson_page_context
        from .models import LessonPage

        # The lesson page's progress, navigation and quiz forms come from the read layer, which
        # the page models never import (views/selectors → models, never back).
        LessonPage.learning_context_builder = staticmethod(lesson_page_context)

        filesystem_broker_folders_create()
        # Not tagged "deploy": it runs with every management command (migrate, check), so a
        # production deployment without a public https BASE_URL stops before it serves.
        checks.register(base_url_check)
