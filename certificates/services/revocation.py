"""Revoking a certificate: a status change, never a delete."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates.models import Certificate
from certificates.services.errors import CertificateError


def certificate_status_revoke(certificate: Certificate, *, by, reason: str) -> None:
    """Mark a row revoked and save it; the caller holds its lock and writes the audit log."""
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])


def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a certificate (a status change; the row and its PDF stay). Audit-logged.

    Idempotent in effect: revoking an already revoked certificate raises CertificateError and
    changes nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Alasan pencabutan wajib diisi."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.VALID:
            raise CertificateError(_("Sertifikat ini sudah dicabut."))
        certificate_status_revoke(locked, by=by, reason=reason[:500])
        log(instance=locked, action="certificates.revoke", user=by, data={"reason": locked.revocation_reason})
    return locked
