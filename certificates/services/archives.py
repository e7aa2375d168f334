"""ZIP files of certificate PDFs for coordinators: of one batch, or of one service point. Each holds
only certificates whose holders are in the downloader's coordinator scope."""

import zipfile

from django.db.models import QuerySet
from wagtail.log_actions import log

from certificates.models import Certificate, IssuanceBatch
from certificates.selectors import batch_certificates_in_scope, service_point_certificates_in_scope
from courses.models import ServicePoint


def certificates_zip_write(*, certificates: QuerySet[Certificate], target, by_course: bool = False) -> int:
    """Write the valid PDFs of these certificates into a ZIP file object, named by serial, one at a
    time (memory stays flat); returns the number of files. A PDF missing from storage is left out.
    Serials are unique within a course only: `by_course` puts each course's PDFs in a folder named
    after the course, for certificates of several courses."""
    count = 0
    certificates = certificates.filter(status=Certificate.Status.VALID).select_related("course")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates.order_by("course__slug", "serial").iterator():
            try:
                with certificate.pdf.open("rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            name = f"{certificate.serial.replace('/', '-')}.pdf"
            archive.writestr(f"{certificate.course.slug}/{name}" if by_course else name, data)
            count += 1
    return count


def batch_zip_write(*, batch: IssuanceBatch, user, target) -> int:
    """Write into a ZIP file object the valid PDFs of a batch whose holders are in the user's
    coordinator scope (never anyone else's); returns the number of files. Side effect: an
    audit-log entry of the download."""
    count = certificates_zip_write(
        certificates=batch_certificates_in_scope(user=user, batch=batch), target=target
    )
    log(instance=batch, action="certificates.batch_download", user=user, data={"batch_id": batch.pk})
    return count


def service_point_zip_write(*, service_point: ServicePoint, user, target) -> int:
    """Write into a ZIP file object every valid certificate held by the trainers of a service point
    in the user's scope (whatever batch or single issue made it), a folder per course; returns the
    number of files. Side effect: an audit-log entry of the download."""
    count = certificates_zip_write(
        certificates=service_point_certificates_in_scope(user=user, service_point=service_point),
        target=target,
        by_course=True,
    )
    log(
        instance=service_point,
        action="certificates.service_point_download",
        user=user,
        data={"service_point": service_point.code, "certificates": count},
    )
    return count
