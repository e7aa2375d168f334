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


def _batch_folder(*, batch_id: int, created_at: datetime) -> str:
    return f"certificates/{timezone.localtime(created_at):%Y/%m}/batch-{batch_id}"


def batch_pdf_save(data: bytes, *, batch_id: int, created_at: datetime, trainer_id: int) -> str:
    """Store the PDF of one trainer of a batch in the batch's folder, named after the trainer and
    a random part (`t<trainer id>-<random>.pdf`); returns the name. The prefix lets a later run of
    the same chunk find the files a killed run left (`batch_stale_pdfs_delete`)."""
    name = f"{_batch_folder(batch_id=batch_id, created_at=created_at)}/t{trainer_id}-{secrets.token_urlsafe(18)}.pdf"
    return certificate_storage().save(name, ContentFile(data))


def batch_stale_pdfs_delete(*, batch_id: int, created_at: datetime, trainer_ids: set[int]) -> int:
    """Delete the files of these trainers in the batch's folder that no certificate refers to:
    what a chunk whose worker was killed between writing its PDFs and committing their rows left
    behind. Call it only for trainers whose batch items are closed (committed), so that no
    running chunk can still write a row for such a file. Idempotent; returns how many went."""
    storage = certificate_storage()
    folder = _batch_folder(batch_id=batch_id, created_at=created_at)
    prefixes = tuple(f"t{trainer_id}-" for trainer_id in trainer_ids)
    try:
        _folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return 0
    names = [f"{folder}/{file}" for file in files if file.startswith(prefixes)]
    if not names:
        return 0
    used = set(Certificate.objects.filter(pdf__in=names).values_list("pdf", flat=True))
    stale = [name for name in names if name not in used]
    for name in stale:
        pdf_delete(name)
    if stale:
        logger.info("Deleted %s unused certificate files of batch %s", len(stale), batch_id)
    return len(stale)


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
