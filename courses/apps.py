from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kursus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.admin_widgets import choosers_without_inline_script
        from lms.celery import filesystem_broker_folders_create
        from lms.checks import (
            allowed_hosts_check,
            base_url_check,
            shared_cache_check,
            single_machine_check,
            storage_check,
            trusted_proxies_check,
        )

        from . import receivers, signals  # noqa: F401
        from .lesson_context import lesson_page_context
        from .models import LessonPage

        # The lesson page's progress, navigation and quiz forms come from the read layer, which
        # the page models never import (views/selectors → models, never back).
        LessonPage.learning_context_builder = staticmethod(lesson_page_context)

        filesystem_broker_folders_create()
        # The admin's choosers start from data attributes: the Content-Security-Policy runs no inline script.
        choosers_without_inline_script()
        # Not tagged "deploy": they run with every management command (migrate, check), so a
        # production deployment without a public https BASE_URL, its host names or a shared cache
        # stops before it serves.
        checks.register(base_url_check)
        checks.register(allowed_hosts_check)
        checks.register(shared_cache_check)
        checks.register(storage_check)
        checks.register(trusted_proxies_check)
        checks.register(single_machine_check, deploy=True)
