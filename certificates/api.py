"""The certificates part of /api/v1/: public verification by code and the trainer's own list.

`GET /certificates/{code}` is public and rate limited per IP (429); an unknown or malformed code is
a 404. `GET /me/certificates` needs a signed-in trainer (bearer token or session, as the rest of
the API) and returns only the caller's certificates.
"""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from certificates import selectors
from certificates.models import Certificate
from certificates.ratelimit import rate_limit_exceeded
from lms.api.auth import api_auth
from lms.api.errors import ErrorOut

router = Router(tags=["sertifikat"])


class CertificateVerificationOut(Schema):
    code: str
    serial: str
    status: str
    holder_name: str
    course_title: str
    hours: str
    service_point: str
    issued_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revocation_reason: str
    replaced_by: str | None
    pdf_sha256: str


class MyCertificateOut(Schema):
    code: str
    serial: str
    course_slug: str
    issued_at: datetime
    status: str
    pdf_url: str
    verify_url: str


def _verification(certificate: Certificate) -> dict:
    snapshot = certificate.snapshot
    return {
        "code": certificate.code,
        "serial": certificate.serial,
        "status": certificate.public_status,
        "holder_name": snapshot.get("holder_name", ""),
        "course_title": snapshot.get("course_title", ""),
        "hours": snapshot.get("hours", ""),
        "service_point": snapshot.get("service_point", ""),
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "replaced_by": certificate.replaced_by.code if certificate.replaced_by_id else None,
        "pdf_sha256": certificate.pdf_sha256,
    }


@router.get(
    "/certificates/{code}",
    auth=None,
    response={200: CertificateVerificationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Verify a certificate by its code",
)
def certificate_verify(request: HttpRequest, code: str):
    if rate_limit_exceeded(request, scope="verify"):
        return 429, {"detail": _("Terlalu banyak permintaan. Silakan coba lagi dalam satu menit.")}
    certificate = selectors.certificate_get_by_code(code=code)
    if certificate is None:
        return 404, {"detail": _("Sertifikat tidak ditemukan.")}
    return 200, _verification(certificate)


@router.get(
    "/me/certificates",
    auth=api_auth,
    response={200: list[MyCertificateOut], 401: ErrorOut},
    summary="My certificates",
)
def my_certificates(request: HttpRequest):
    return [
        {
            "code": certificate.code,
            "serial": certificate.serial,
            "course_slug": certificate.course.slug,
            "issued_at": certificate.issued_at,
            "status": certificate.public_status,
            "pdf_url": settings.BASE_URL + certificate.download_url,
            "verify_url": certificate.verify_url,
        }
        for certificate in selectors.certificate_list_for_trainer(trainer=request.user)
    ]
