"""Wagtail admin: certificate templates (snippets with preview), certificates and batches for
coordinators, and the audit-log actions of the certificates domain."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.admin_views import TemplatePreviewOnCreate, TemplatePreviewOnEdit, TemplatePreviewRevision
from certificates.models import CertificateTemplate
from certificates.permissions import user_can_manage_certificates

LOG_ACTIONS = {
    "certificates.issue": (_("Terbitkan sertifikat"), _("Sertifikat diterbitkan")),
    "certificates.reissue": (_("Terbitkan ulang sertifikat"), _("Sertifikat diterbitkan ulang")),
    "certificates.revoke": (_("Cabut sertifikat"), _("Sertifikat dicabut")),
    "certificates.download": (_("Unduh sertifikat"), _("Sertifikat diunduh oleh koordinator")),
    "certificates.batch_create": (_("Buat batch penerbitan"), _("Batch penerbitan dibuat")),
    "certificates.batch_finish": (_("Selesaikan batch penerbitan"), _("Batch penerbitan selesai")),
    "certificates.batch_download": (_("Unduh ZIP batch"), _("ZIP batch diunduh")),
    "certificates.service_point_download": (
        _("Unduh ZIP titik layanan"),
        _("ZIP sertifikat titik layanan diunduh"),
    ),
}


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    from django.urls import include, path

    return [path("certificates/", include("certificates.admin_urls", namespace="certificates_admin"))]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_certificates(request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu():
    return CoordinatorMenuItem(
        _("Sertifikat"), reverse("certificates_admin:index"), icon_name="doc-full", order=450
    )


@hooks.register("register_admin_menu_item")
def register_batches_menu():
    return CoordinatorMenuItem(
        _("Batch sertifikat"), reverse("certificates_admin:batches"), icon_name="list-ul", order=451
    )


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Templat sertifikat")
    menu_order = 452
    add_to_admin_menu = True
    list_display = ["name", "page_size", "orientation"]
    preview_on_add_view_class = TemplatePreviewOnCreate
    preview_on_edit_view_class = TemplatePreviewOnEdit
    revisions_view_class = TemplatePreviewRevision


register_snippet(CertificateTemplateViewSet)
