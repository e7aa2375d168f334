"""Issuing one certificate (on request, on re-issue, or on course completion)."""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from certificates import rendering
from certificates.models import Certificate
from certificates.services.errors import CertificateError
from certificates.services.notifications import notify_on_commit
from certificates.services.pdfs import pdf_delete, pdf_save
from certificates.services.planning import (
    certificate_design_get,
    certificate_plan,
    certificate_row,
    course_template_require,
    eligibility_errors,
    serial_numbers_allocate,
)
from certificates.services.revocation import certificate_status_revoke
from courses.models import CoursePage

logger = logging.getLogger(__name__)
User = get_user_model()


MAX_ISSUE_ATTEMPTS = 3


@dataclass(frozen=True)
class IssueOutcome:
    """What issuing did: the trainer's valid certificate, and whether this call wrote it (False when
    the trainer already held one, which is returned unchanged)."""

    certificate: Certificate
    created: bool


def certificate_issue(
    *,
    trainer,
    course: CoursePage,
    issued_by=None,
    replaces: Certificate | None = None,
    reason: str = "",
    notify: bool = True,
) -> Certificate:
    """Issue the certificate of a trainer who completed a course; see `certificate_issue_outcome`,
    of which this returns the certificate only."""
    return certificate_issue_outcome(
        trainer=trainer, course=course, issued_by=issued_by, replaces=replaces, reason=reason, notify=notify
    ).certificate


def _valid_certificate(*, trainer, course: CoursePage) -> Certificate | None:
    return Certificate.objects.filter(trainer=trainer, course=course, status=Certificate.Status.VALID).first()


def certificate_issue_outcome(
    *,
    trainer,
    course: CoursePage,
    issued_by=None,
    replaces: Certificate | None = None,
    reason: str = "",
    notify: bool = True,
) -> IssueOutcome:
    """Issue the certificate of a trainer who completed a course.

    Idempotent: when the trainer already holds a valid certificate for the course, that one is
    returned (`created` False) and nothing is written (two coordinators clicking at once get the
    same certificate). With `replaces`, the new certificate replaces the old one in the same
    transaction: a valid one is revoked as replaced by it; a revoked one that nothing replaces yet
    is linked to it (re-issue after a revocation; refused while the trainer holds another valid
    certificate). Side effects: a PDF in the certificates storage (written before the row; removed
    again when the row is not written), audit-log entries, and an e-mail to the trainer after
    commit. Raises CertificateError with an Indonesian message when the trainer is not eligible.
    """
    course_template_require(course=course)  # a course without a template is refused first
    error = eligibility_errors(course=course, trainers=[trainer]).get(trainer.pk)
    if error:
        raise CertificateError(error)
    if replaces is None or replaces.status != Certificate.Status.VALID:
        existing = _valid_certificate(trainer=trainer, course=course)
        if existing and replaces is None:
            return IssueOutcome(existing, created=False)
        if existing:
            raise CertificateError(
                _("Pelatih ini sudah memiliki sertifikat yang berlaku untuk kursus ini: %(serial)s.")
                % {"serial": existing.serial}
            )
    design = certificate_design_get(course=course)
    for _attempt in range(MAX_ISSUE_ATTEMPTS):
        issued_at = timezone.now()
        (number,) = serial_numbers_allocate(course=course, year=timezone.localtime(issued_at).year)
        planned = certificate_plan(
            trainer=trainer,
            course=course,
            design=design,
            number=number,
            issued_at=issued_at,
        )
        pdf = rendering.certificate_pdf_render(shared=design.shared, fields=planned.fields)
        pdf_name = pdf_save(pdf, issued_at)
        try:
            with transaction.atomic():
                revoked_now = False
                if replaces is not None:
                    old = Certificate.objects.select_for_update().get(pk=replaces.pk)
                    if old.status == Certificate.Status.VALID:
                        certificate_status_revoke(old, by=issued_by, reason=reason)
                        revoked_now = True
                    elif old.replaced_by_id is not None:
                        raise CertificateError(
                            _("Sertifikat ini sudah diganti; terbitkan ulang dari sertifikat yang berlaku.")
                        )
                certificate = certificate_row(
                    planned,
                    course=course,
                    design=design,
                    issued_by=issued_by,
                    batch=None,
                    pdf_name=pdf_name,
                    pdf=pdf,
                )
                certificate.save()
                if replaces is not None:
                    old.replaced_by = certificate
                    old.save(update_fields=["replaced_by"])
                    if revoked_now:
                        log(
                            instance=old,
                            action="certificates.revoke",
                            user=issued_by,
                            data={"reason": reason, "replaced_by": certificate.code},
                        )
                log(
                    instance=certificate,
                    action="certificates.reissue" if replaces is not None else "certificates.issue",
                    user=issued_by,
                    data={
                        "code": certificate.code,
                        "serial": certificate.serial,
                        "trainer_id": trainer.pk,
                        **({"replaces": replaces.code, "reason": reason} if replaces is not None else {}),
                    },
                )
                if notify:
                    notify_on_commit([certificate.pk])
        except IntegrityError:
            pdf_delete(pdf_name)
            existing = _valid_certificate(trainer=trainer, course=course)
            if existing is not None:
                if replaces is not None:
                    raise CertificateError(_("Sertifikat ini baru saja diganti oleh orang lain.")) from None
                return IssueOutcome(existing, created=False)
            continue  # a code collision (2**-80): try again with a new code
        except BaseException:
            pdf_delete(pdf_name)
            raise
        return IssueOutcome(certificate, created=True)
    raise CertificateError(_("Sertifikat tidak dapat diterbitkan; silakan coba lagi."))


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Issue a new certificate from the current profile and template (e.g. after a name
    correction) that replaces this one, atomically: a valid certificate is revoked as replaced by
    it; a revoked one (nothing replaced it yet, and the trainer holds no other valid certificate)
    is linked to it. Audit-logged; e-mails the trainer after commit. Raises CertificateError."""
    reason = (reason or "").strip() or _("Diterbitkan ulang")
    return certificate_issue(
        trainer=certificate.trainer,
        course=certificate.course,
        issued_by=by,
        replaces=certificate,
        reason=reason[:500],
    )


def certificate_issue_for_completion(*, trainer_id: int, course_id: int) -> int | None:
    """Auto-issue for a completed course when the course asks for it. Idempotent; returns the
    certificate id, or None when the course does not auto-issue or the trainer is not eligible
    (logged, not raised: a completion must never fail because of a certificate)."""
    course = CoursePage.objects.filter(pk=course_id).first()
    trainer = User.objects.filter(pk=trainer_id).select_related("trainer_profile__service_point").first()
    if course is None or trainer is None or not course.auto_issue_certificate:
        return None
    try:
        return certificate_issue(trainer=trainer, course=course).pk
    except CertificateError as error:
        logger.warning("No certificate for trainer %s, course %s: %s", trainer_id, course_id, error)
        return None
