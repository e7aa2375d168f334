"""Writes of the certificates domain: templates, issuing (one or in batches), revoking, re-issuing.

Issuing is idempotent through the partial unique constraint "one valid certificate per trainer and
course": whatever retries, redeliveries or double clicks happen, a second valid certificate cannot
be written, and a losing writer returns the winner's certificate.

The modules of this package, each importing only from those listed before it:
errors, templates, planning (the issuance plan both issuing paths use: design, eligibility, whom a
batch covers, serials, fields of one certificate), pdfs (stored files), notifications (e-mail),
revocation, issuing (one certificate), batches, archives (ZIPs of PDFs). Callers outside the package import from
`certificates.services`, which re-exports the names below; no module imports a private name of
another.
"""

from certificates.services.archives import batch_zip_write, service_point_zip_write
from certificates.services.batches import (
    batch_chunk_fail,
    batch_chunk_issue,
    batch_counts_refresh,
    batch_create,
    batch_run,
)
from certificates.services.errors import CertificateError
from certificates.services.issuing import (
    MAX_ISSUE_ATTEMPTS,
    IssueOutcome,
    certificate_issue,
    certificate_issue_for_completion,
    certificate_issue_outcome,
    certificate_reissue,
)
from certificates.services.notifications import certificates_email_send
from certificates.services.pdfs import certificate_download_log, certificate_pdf_matches
from certificates.services.planning import BatchPlan, batch_plan, serial_numbers_allocate
from certificates.services.revocation import certificate_revoke
from certificates.services.templates import (
    DEFAULT_TEMPLATE_NAME,
    certificate_template_ensure_default,
    shared_layer_for_revision,
    template_preview_pdf,
    template_revision_current,
)

__all__ = [
    "BatchPlan",
    "DEFAULT_TEMPLATE_NAME",
    "MAX_ISSUE_ATTEMPTS",
    "CertificateError",
    "IssueOutcome",
    "batch_chunk_fail",
    "batch_chunk_issue",
    "batch_counts_refresh",
    "batch_create",
    "batch_plan",
    "batch_run",
    "batch_zip_write",
    "certificate_download_log",
    "certificate_issue",
    "certificate_issue_for_completion",
    "certificate_issue_outcome",
    "certificate_pdf_matches",
    "certificate_reissue",
    "certificate_revoke",
    "certificate_template_ensure_default",
    "certificates_email_send",
    "serial_numbers_allocate",
    "service_point_zip_write",
    "shared_layer_for_revision",
    "template_preview_pdf",
    "template_revision_current",
]
