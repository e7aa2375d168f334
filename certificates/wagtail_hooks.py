"""Wagtail admin: certificate templates (snippets with preview), certificates and batches for
coordinators, and the audit-log actions of the certificates domain."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "certificates.issue": (_("Terbitkan sertifikat"), _("Sertifikat diterbitkan")),
    "certificates.reissue": (_("Terbitkan ulang sertifikat"), _("Sertifikat diterbitkan ulang")),
    "certificates.revoke": (_("Cabut sertifikat"), _("Sertifikat dicabut")),
    "certificates.download": (_("Unduh sertifikat"), _("Sertifikat diunduh oleh koordinator")),
    "certificates.batch_create": (_("Buat batch penerbitan"), _("Batch penerbitan dibuat")),
    "certificates.batch_finish": (_("Selesaikan batch penerbitan"), _("Batch penerbitan selesai")),
    "certificates.batch_download": (_("Unduh ZIP batch"), _("ZIP batch diunduh")),
}


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
