"""The stored PDF of a certificate: saving and deleting files, checking an upload, auditing
downloads."""

import hashlib
import logging
import secrets
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.log_actions import log

from certificates.models import Certificate
from certificates.storage import certificate_storage

logger = logging.getLogger(__name__)


def _pdf_name(issued_at: datetime) -> str:
    # A random name: media URLs must not be guessable from the (public) verification code.
    local = timezone.localtime(issued_at)
    return f"certificates/{local:%Y/%m}/{secrets.token_urlsafe(18)}.pdf"


def pdf_save(data: bytes, issued_at: datetime) -> str:
    """Store a certificate PDF under a new random name; returns the name."""
    return certificate_storage().save(_pdf_name(issued_at), ContentFile(data))


def pdf_delete(name: str) -> None:
    """Remove a stored PDF whose row was not written; a failure is logged, never raised."""
    try:
        certificate_storage().delete(name)
    except OSError:
        logger.warning("Could not delete the unused certificate file %s", name)


def certificate_pdf_matches(*, certificate: Certificate, data: bytes) -> bool:
    """True when the bytes are exactly the stored PDF (SHA-256). No side effects."""
    return secrets.compare_digest(hashlib.sha256(data).hexdigest(), certificate.pdf_sha256)


def certificate_download_log(*, certificate: Certificate, user) -> None:
    """Audit-log a download of someone else's certificate (by a coordinator)."""
    log(instance=certificate, action="certificates.download", user=user, data={"code": certificate.code})
