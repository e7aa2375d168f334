"""The "Laporan" menu and its admin URLs, shown to coordinators and superusers only."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from courses.reports.views import comments_allowed, reports_allowed


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("laporan/", include("courses.reports.urls", namespace="coordinator_reports"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return reports_allowed(request)


class CommentsMenuItem(MenuItem):
    def is_shown(self, request):
        return comments_allowed(request)


def _report_items():
    return [
        ReportMenuItem(
            _("Titik layanan"), reverse("coordinator_reports:service_points"), icon_name="site", order=10
        ),
        ReportMenuItem(_("Kursus"), reverse("coordinator_reports:course"), icon_name="doc-full", order=20),
        ReportMenuItem(
            _("Aktivitas mingguan"), reverse("coordinator_reports:activity"), icon_name="date", order=30
        ),
        ReportMenuItem(
            _("Hasil belajar dan penilaian"),
            reverse("coordinator_reports:outcomes"),
            icon_name="tasks",
            order=40,
        ),
        CommentsMenuItem(
            _("Komentar penilaian"),
            reverse("coordinator_reports:evaluation_comments"),
            icon_name="comment",
            order=50,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return SubmenuMenuItem(
        _("Laporan"), Menu(items=_report_items()), name="laporan", icon_name="table", order=440
    )
