from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kursus")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.celery import filesystem_broker_folders_create

        from . import receivers, signals  # noqa: F401

        filesystem_broker_folders_create()
