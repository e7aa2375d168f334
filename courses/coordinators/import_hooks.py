"""Wagtail hooks of the trainer import (imported by courses.wagtail_hooks): its admin URLs and the
"Impor pelatih" menu item, shown to coordinators and superusers."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.people.scope import is_coordinator


@hooks.register("register_admin_urls")
def register_trainer_import_urls():
    return [path("trainer-imports/", include("courses.coordinators.imports", namespace="trainer_imports"))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_trainer_import_menu():
    return CoordinatorMenuItem(
        _("Impor pelatih"), reverse("trainer_imports:index"), icon_name="upload", order=445
    )
