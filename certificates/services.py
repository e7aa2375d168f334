"""Writes of the certificates domain: templates, issuing (one or in batches), revoking, re-issuing.

Issuing is idempotent through the partial unique constraint "one valid certificate per trainer and
course": whatever retries, redeliveries or double clicks happen, a second valid certificate cannot
be written, and a losing writer returns the winner's certificate.
"""

import calendar
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from certificates import rendering
from certificates.codes import code_generate
from certificates.models import (
    DEFAULT_BODY,
    Certificate,
    CertificateTemplate,
    IssuanceBatch,
    IssuanceBatchItem,
    SerialCounter,
)
from certificates.selectors import batch_counts
from certificates.storage import certificate_storage
from courses.models import CoursePage, Enrolment, ServicePoint
from courses.permissions import is_coordinator

logger = logging.getLogger(__name__)
User = get_user_model()

DEFAULT_TEMPLATE_NAME = "Sertifikat TOT Purna PMI (resmi)"
CHUNK_SIZE = int(os.environ.get("CERTIFICATES_BATCH_CHUNK_SIZE", "50"))
MAX_ISSUE_ATTEMPTS = 3


class CertificateError(Exception):
    """A certificate cannot be issued or changed; the message is for the user, in Indonesian."""


# --- Templates -----------------------------------------------------------------------------------


@transaction.atomic
def certificate_template_ensure_default() -> CertificateTemplate:
    """The default official template, created with its first revision when missing.

    Idempotent: looked up by name; an existing template is returned unchanged.
    """
    template = CertificateTemplate.objects.filter(name=DEFAULT_TEMPLATE_NAME).first()
    if template is None:
        template = CertificateTemplate(name=DEFAULT_TEMPLATE_NAME, body=DEFAULT_BODY)
        template.signatories = [
            (
                "signatory",
                {
                    "name": "Dra. Ratna Kusumawardani, M.Si.",
                    "title": "Kepala Pusat Pelatihan BP2MI",
                    "signature": None,
                },
            ),
            (
                "signatory",
                {
                    "name": "Ir. Hendra Wijaya, M.M.",
                    "title": "Direktur Kemitraan PMO Kartu Prakerja",
                    "signature": None,
                },
            ),
        ]
        template.full_clean()
        template.save()
    if template.latest_revision_id is None:
        template.save_revision(log_action=False)
    return template


def template_revision_current(*, template: CertificateTemplate) -> Revision:
    """The revision certificates are issued from: the latest one (created on first use)."""
    if template.latest_revision_id is None:
        return template.save_revision(log_action=False)
    return template.latest_revision


_shared_layers: dict[int, rendering.SharedLayer] = {}


def shared_layer_for_revision(*, revision: Revision) -> rendering.SharedLayer:
    """The shared layer of a revision. A revision never changes, so it is cached per process."""
    shared = _shared_layers.get(revision.pk)
    if shared is None:
        shared = rendering.shared_layer_from_template(revision.as_object(), key=f"revision-{revision.pk}")
        if len(_shared_layers) > 64:
            _shared_layers.clear()
        _shared_layers[revision.pk] = shared
    return shared


def template_preview_pdf(*, template: CertificateTemplate) -> bytes:
    """A PDF of the template (as edited, not yet saved) with sample data. No side effects."""
    shared = rendering.shared_layer_from_template(template, key=f"preview-{secrets.token_hex(8)}")
    sample_code = "7K3Q-9X2M-4HPA-TR5W-J"
    fields = rendering.CertificateFields(
        holder_name="Siti Nurhaliza Rahmawati",
        course_title="Pendampingan Purna PMI Mendaftar Kartu Prakerja",
        hours="12",
        service_point="UPT BP2MI Surabaya",
        date=rendering.date_id(timezone.now()),
        serial=f"{template.serial_prefix or 'TOT'}/{timezone.localdate().year}/SP042/00017",
        code=sample_code,
        verify_url=settings.BASE_URL + reverse("certificates:verify_code", kwargs={"code": sample_code}),
    )
    return rendering.certificate_pdf_render(shared=shared, fields=fields)


# --- Helpers -------------------------------------------------------------------------------------


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def serial_numbers_allocate(*, course: CoursePage, year: int, count: int = 1) -> list[int]:
    """Take `count` consecutive serial numbers of a course and year.

    Safe under concurrency: one atomic UPDATE … SET last_number = last_number + count (a row lock on
    PostgreSQL, the write lock on SQLite). Numbers taken by a writer that then fails are not reused:
    serials may have gaps, never duplicates.
    """
    with transaction.atomic():
        SerialCounter.objects.bulk_create(
            [SerialCounter(course=course, year=year, last_number=0)], ignore_conflicts=True
        )
        SerialCounter.objects.filter(course=course, year=year).update(last_number=F("last_number") + count)
        last = (
            SerialCounter.objects.filter(course=course, year=year).values_list("last_number", flat=True).get()
        )
    return list(range(last - count + 1, last + 1))


def _serial(prefix: str, year: int, service_point: ServicePoint | None, number: int) -> str:
    point = service_point.code.upper() if service_point else "NASIONAL"
    return f"{prefix or 'TOT'}/{year}/{point}/{number:05d}"


@dataclass
class _Planned:
    trainer: User
    service_point: ServicePoint | None
    fields: rendering.CertificateFields
    snapshot: dict
    issued_at: datetime
    expires_at: datetime | None


def _plan(
    *,
    trainer,
    course: CoursePage,
    template: CertificateTemplate,
    revision: Revision,
    template_object,
    number: int,
    issued_at: datetime,
) -> _Planned:
    profile = getattr(trainer, "trainer_profile", None)
    service_point = profile.service_point if profile else None
    code = code_generate()
    year = timezone.localtime(issued_at).year
    serial = _serial(template_object.serial_prefix, year, service_point, number)
    verify_url = settings.BASE_URL + reverse("certificates:verify_code", kwargs={"code": code})
    fields = rendering.CertificateFields(
        holder_name=profile.full_name.strip(),
        course_title=course.title,
        hours=rendering.hours_id(course.estimated_hours),
        service_point=service_point.name if service_point else "",
        date=rendering.date_id(issued_at),
        serial=serial,
        code=code,
        verify_url=verify_url,
    )
    expires_at = None
    if template_object.validity_months:
        expires_at = _add_months(issued_at, template_object.validity_months)
    snapshot = {
        "holder_name": fields.holder_name,
        "course_title": fields.course_title,
        "hours": fields.hours,
        "service_point": fields.service_point,
        "service_point_code": service_point.code if service_point else "",
        "date": fields.date,
        "serial": serial,
        "code": code,
        "verify_url": verify_url,
        "issuer": template_object.issuer,
        "signatories": [
            {"name": block.value.get("name", ""), "title": block.value.get("title", "")}
            for block in template_object.signatories
        ],
        "template_id": template.pk,
        "template_name": template_object.name,
        "template_revision_id": revision.pk,
    }
    return _Planned(trainer, service_point, fields, snapshot, issued_at, expires_at)


def _eligibility_error(*, trainer, course: CoursePage) -> str | None:
    """Why the trainer cannot get a certificate for the course, or None."""
    profile = getattr(trainer, "trainer_profile", None)
    if profile is None or not profile.full_name.strip():
        return _("Profil pelatih belum lengkap: nama lengkap untuk sertifikat belum diisi.")
    if not Enrolment.objects.filter(trainer=trainer, course=course, completed_at__isnull=False).exists():
        return _("Pelatih belum menyelesaikan kursus ini.")
    return None


def _template_for(course: CoursePage) -> CertificateTemplate:
    if course.certificate_template_id is None:
        raise CertificateError(_("Kursus ini belum memiliki templat sertifikat."))
    return course.certificate_template


def _pdf_name(issued_at: datetime) -> str:
    # A random name: media URLs must not be guessable from the (public) verification code.
    local = timezone.localtime(issued_at)
    return f"certificates/{local:%Y/%m}/{secrets.token_urlsafe(18)}.pdf"


def _pdf_save(data: bytes, issued_at: datetime) -> str:
    return certificate_storage().save(_pdf_name(issued_at), ContentFile(data))


def _pdf_delete(name: str) -> None:
    try:
        certificate_storage().delete(name)
    except OSError:
        logger.warning("Could not delete the unused certificate file %s", name)


def _certificate_row(
    planned: _Planned, *, course, template, revision, issued_by, batch, pdf_name, pdf
) -> Certificate:
    return Certificate(
        code=planned.fields.code,
        serial=planned.fields.serial,
        trainer=planned.trainer,
        course=course,
        service_point=planned.service_point,
        template=template,
        template_revision=revision,
        snapshot=planned.snapshot,
        batch=batch,
        issued_by=issued_by,
        issued_at=planned.issued_at,
        expires_at=planned.expires_at,
        pdf=pdf_name,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )


def _notify_on_commit(certificate_ids: list[int]) -> None:
    from certificates import tasks

    if certificate_ids:
        transaction.on_commit(lambda: tasks.certificates_email_send.delay(certificate_ids))


# --- Issuing one ---------------------------------------------------------------------------------


def certificate_issue(
    *,
    trainer,
    course: CoursePage,
    issued_by=None,
    replaces: Certificate | None = None,
    reason: str = "",
    notify: bool = True,
) -> Certificate:
    """Issue the certificate of a trainer who completed a course.

    Idempotent: when the trainer already holds a valid certificate for the course, that one is
    returned and nothing is written (two coordinators clicking at once get the same certificate).
    With `replaces`, the old certificate is revoked as replaced by the new one in the same
    transaction. Side effects: a PDF in the certificates storage (written before the row; removed again
    when the row is not written), an audit-log entry, and an e-mail to the trainer after commit.
    Raises CertificateError with an Indonesian message when the trainer is not eligible.
    """
    template = _template_for(course)
    error = _eligibility_error(trainer=trainer, course=course)
    if error:
        raise CertificateError(error)
    if replaces is None:
        existing = Certificate.objects.filter(
            trainer=trainer, course=course, status=Certificate.Status.VALID
        ).first()
        if existing:
            return existing
    revision = template_revision_current(template=template)
    template_object = revision.as_object()
    shared = shared_layer_for_revision(revision=revision)
    for _attempt in range(MAX_ISSUE_ATTEMPTS):
        issued_at = timezone.now()
        (number,) = serial_numbers_allocate(course=course, year=timezone.localtime(issued_at).year)
        planned = _plan(
            trainer=trainer,
            course=course,
            template=template,
            revision=revision,
            template_object=template_object,
            number=number,
            issued_at=issued_at,
        )
        pdf = rendering.certificate_pdf_render(shared=shared, fields=planned.fields)
        pdf_name = _pdf_save(pdf, issued_at)
        try:
            with transaction.atomic():
                if replaces is not None:
                    old = Certificate.objects.select_for_update().get(pk=replaces.pk)
                    if old.status != Certificate.Status.VALID:
                        raise CertificateError(
                            _("Sertifikat ini sudah dicabut; terbitkan ulang dari sertifikat yang berlaku.")
                        )
                    _revoke(old, by=issued_by, reason=reason)
                certificate = _certificate_row(
                    planned,
                    course=course,
                    template=template,
                    revision=revision,
                    issued_by=issued_by,
                    batch=None,
                    pdf_name=pdf_name,
                    pdf=pdf,
                )
                certificate.save()
                if replaces is not None:
                    old.replaced_by = certificate
                    old.save(update_fields=["replaced_by"])
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
                    data={"code": certificate.code, "serial": certificate.serial, "trainer_id": trainer.pk},
                )
                if notify:
                    _notify_on_commit([certificate.pk])
        except IntegrityError:
            _pdf_delete(pdf_name)
            existing = Certificate.objects.filter(
                trainer=trainer, course=course, status=Certificate.Status.VALID
            ).first()
            if existing is not None:
                if replaces is not None:
                    raise CertificateError(_("Sertifikat ini baru saja diganti oleh orang lain.")) from None
                return existing
            continue  # a code collision (2**-80): try again with a new code
        except BaseException:
            _pdf_delete(pdf_name)
            raise
        return certificate
    raise CertificateError(_("Sertifikat tidak dapat diterbitkan; silakan coba lagi."))


def _revoke(certificate: Certificate, *, by, reason: str) -> None:
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
        _revoke(locked, by=by, reason=reason[:500])
        log(instance=locked, action="certificates.revoke", user=by, data={"reason": locked.revocation_reason})
    return locked


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Issue a new certificate from the current profile and template (e.g. after a name
    correction) and revoke the old one as replaced by it, atomically. Audit-logged; e-mails the
    trainer after commit."""
    reason = (reason or "").strip() or _("Diterbitkan ulang")
    return certificate_issue(
        trainer=certificate.trainer,
        course=certificate.course,
        issued_by=by,
        replaces=certificate,
        reason=reason[:500],
    )


def certificate_pdf_matches(*, certificate: Certificate, data: bytes) -> bool:
    """True when the bytes are exactly the stored PDF (SHA-256). No side effects."""
    return secrets.compare_digest(hashlib.sha256(data).hexdigest(), certificate.pdf_sha256)


def certificate_download_log(*, certificate: Certificate, user) -> None:
    """Audit-log a download of someone else's certificate (by a coordinator)."""
    log(instance=certificate, action="certificates.download", user=user, data={"code": certificate.code})


def certificates_email_send(*, certificate_ids: list[int]) -> int:
    """E-mail each trainer their new certificate with the PDF attached. Returns the number sent.

    Not idempotent (a retry sends again); called once after the issuing transaction commits.
    """
    sent = 0
    certificates = Certificate.objects.filter(
        pk__in=certificate_ids, status=Certificate.Status.VALID
    ).select_related("trainer")
    for certificate in certificates:
        email = certificate.trainer.email
        if not email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {"certificate": certificate, "verify_url": certificate.verify_url}
            subject = _("Sertifikat Anda: %(course)s") % {"course": certificate.course_title}
            body = render_to_string("certificates/email/issued.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[email])
        try:
            with certificate.pdf.open("rb") as handle:
                message.attach(f"sertifikat-{certificate.code}.pdf", handle.read(), "application/pdf")
        except OSError:
            logger.warning("Certificate %s has no readable PDF; e-mail sent without it", certificate.pk)
        message.send()
        sent += 1
    return sent


# --- Batches -------------------------------------------------------------------------------------


def batch_create(
    *, course: CoursePage, service_points: list[ServicePoint] | None = None, created_by=None
) -> IssuanceBatch:
    """A batch for every trainer of the chosen service points who completed the course.

    Without service points: all those the creator coordinates (all for a national coordinator,
    a superuser, or the shell). Trainers who already hold a valid certificate are counted as
    skipped. Processing starts after commit, on Celery. Raises CertificateError when the course has
    no template or a service point is outside the creator's scope.
    """
    _template_for(course)
    service_points = list(service_points or [])
    restricted_ids: set[int] | None = None
    if created_by is not None and not created_by.is_superuser:
        if not is_coordinator(created_by):
            raise CertificateError(_("Anda tidak berwenang menerbitkan sertifikat."))
        profile = created_by.coordinator_profile
        if not profile.is_national:
            restricted_ids = set(profile.service_points.values_list("pk", flat=True))
    scope_ids: list[int] | None = [point.pk for point in service_points] or None
    if restricted_ids is not None:
        outside = [point for point in service_points if point.pk not in restricted_ids]
        if outside:
            raise CertificateError(
                _("Titik layanan di luar cakupan Anda: %(codes)s.")
                % {"codes": ", ".join(p.code for p in outside)}
            )
        scope_ids = scope_ids or sorted(restricted_ids)
    enrolments = Enrolment.objects.filter(course=course, completed_at__isnull=False)
    if scope_ids is not None:
        enrolments = enrolments.filter(trainer__trainer_profile__service_point_id__in=scope_ids)
    trainer_ids = list(enrolments.order_by("trainer_id").values_list("trainer_id", flat=True).distinct())
    with transaction.atomic():
        batch = IssuanceBatch.objects.create(course=course, created_by=created_by, total=len(trainer_ids))
        if service_points:
            batch.service_points.set(service_points)
        IssuanceBatchItem.objects.bulk_create(
            [IssuanceBatchItem(batch=batch, trainer_id=trainer_id) for trainer_id in trainer_ids],
            batch_size=1000,
        )
        log(
            instance=batch,
            action="certificates.batch_create",
            user=created_by,
            data={
                "course": course.title,
                "total": len(trainer_ids),
                "service_points": [p.code for p in service_points],
            },
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: _enqueue_batch_run(batch_id))
    return batch


def _enqueue_batch_run(batch_id: int) -> None:
    from certificates import tasks

    tasks.batch_run.delay(batch_id)


def batch_run(*, batch_id: int, chunk_size: int | None = None) -> int:
    """Enqueue one chunk task per `chunk_size` pending trainers of the batch; returns the number
    of chunks. Idempotent: safe to call again to finish a batch whose worker died (processed
    trainers are not pending any more, and a chunk redelivered twice skips what is done)."""
    from certificates import tasks

    chunk_size = chunk_size or CHUNK_SIZE
    batch = IssuanceBatch.objects.get(pk=batch_id)
    pending = list(
        batch.items.filter(outcome=IssuanceBatchItem.Outcome.PENDING)
        .order_by("trainer__trainer_profile__service_point_id", "trainer_id")
        .values_list("trainer_id", flat=True)
    )
    now = timezone.now()
    IssuanceBatch.objects.filter(pk=batch_id).update(
        status=IssuanceBatch.Status.RUNNING, started_at=batch.started_at or now, finished_at=None
    )
    if not pending:
        batch_counts_refresh(batch_id=batch_id)
        return 0
    chunks = [pending[i : i + chunk_size] for i in range(0, len(pending), chunk_size)]
    for chunk in chunks:
        tasks.batch_chunk_issue.delay(batch_id, chunk)
    return len(chunks)


def batch_counts_refresh(*, batch_id: int) -> IssuanceBatch:
    """Recompute the counts of a batch from its items (exact after any retry) and close it when
    every trainer is processed. Locks the batch row so that concurrent chunks never write stale
    counts."""
    with transaction.atomic():
        batch = IssuanceBatch.objects.select_for_update().get(pk=batch_id)
        counts = batch_counts(batch_id=batch_id)
        batch.issued = counts[IssuanceBatchItem.Outcome.ISSUED]
        batch.skipped = counts[IssuanceBatchItem.Outcome.SKIPPED]
        batch.failed = counts[IssuanceBatchItem.Outcome.FAILED]
        fields = ["issued", "skipped", "failed"]
        if counts[IssuanceBatchItem.Outcome.PENDING] == 0 and not batch.is_finished:
            batch.status = (
                IssuanceBatch.Status.DONE_WITH_ERRORS if batch.failed else IssuanceBatch.Status.DONE
            )
            batch.finished_at = timezone.now()
            fields += ["status", "finished_at"]
            log(
                instance=batch,
                action="certificates.batch_finish",
                user=None,
                data={"issued": batch.issued, "skipped": batch.skipped, "failed": batch.failed},
            )
        batch.save(update_fields=fields)
    return batch


def _items_close(batch_id: int, outcomes: dict[int, tuple[str, int | None, str]]) -> None:
    now = timezone.now()
    for trainer_id, (outcome, certificate_id, message) in outcomes.items():
        IssuanceBatchItem.objects.filter(
            batch_id=batch_id, trainer_id=trainer_id, outcome=IssuanceBatchItem.Outcome.PENDING
        ).update(outcome=outcome, certificate_id=certificate_id, message=message[:500], updated_at=now)


def batch_chunk_issue(*, batch_id: int, trainer_ids: list[int]) -> dict[str, int]:
    """Issue the certificates of some trainers of a batch with the fast rendering path.

    Idempotent: only items still pending are processed, each outcome is written in the same
    transaction as its certificate, and the one-valid constraint refuses any duplicate, so a
    retried or redelivered chunk never issues twice and the counts stay exact. PDF files are
    written before their rows; files whose rows are not written are deleted (a worker killed in
    between leaves at most an unreferenced file, never a certificate without its PDF).
    Side effects: certificates, PDFs, audit-log entries, e-mails after commit.
    """
    batch = IssuanceBatch.objects.select_related("course", "created_by").get(pk=batch_id)
    course = batch.course
    pending_ids = set(
        batch.items.filter(trainer_id__in=trainer_ids, outcome=IssuanceBatchItem.Outcome.PENDING).values_list(
            "trainer_id", flat=True
        )
    )
    result = {"issued": 0, "skipped": 0, "failed": 0}
    if not pending_ids:
        batch_counts_refresh(batch_id=batch_id)
        return result
    trainers = list(
        User.objects.filter(pk__in=pending_ids)
        .select_related("trainer_profile", "trainer_profile__service_point")
        .order_by("pk")
    )
    completed = set(
        Enrolment.objects.filter(
            course=course, trainer_id__in=pending_ids, completed_at__isnull=False
        ).values_list("trainer_id", flat=True)
    )
    holding = set(
        Certificate.objects.filter(
            course=course, trainer_id__in=pending_ids, status=Certificate.Status.VALID
        ).values_list("trainer_id", flat=True)
    )
    outcomes: dict[int, tuple[str, int | None, str]] = {}
    to_issue = []
    for trainer in trainers:
        profile = getattr(trainer, "trainer_profile", None)
        if trainer.pk in holding:
            outcomes[trainer.pk] = (
                IssuanceBatchItem.Outcome.SKIPPED,
                None,
                _("Sudah memiliki sertifikat yang berlaku."),
            )
        elif profile is None or not profile.full_name.strip():
            outcomes[trainer.pk] = (
                IssuanceBatchItem.Outcome.FAILED,
                None,
                _("Profil pelatih belum lengkap: nama lengkap untuk sertifikat belum diisi."),
            )
        elif trainer.pk not in completed:
            outcomes[trainer.pk] = (
                IssuanceBatchItem.Outcome.FAILED,
                None,
                _("Pelatih belum menyelesaikan kursus ini."),
            )
        else:
            to_issue.append(trainer)
    for missing in pending_ids - {trainer.pk for trainer in trainers}:
        outcomes[missing] = (IssuanceBatchItem.Outcome.FAILED, None, _("Akun pelatih tidak ditemukan."))

    created: list[Certificate] = []
    files: list[str] = []
    try:
        if to_issue:
            template = _template_for(course)
            revision = template_revision_current(template=template)
            template_object = revision.as_object()
            shared = shared_layer_for_revision(revision=revision)
            issued_at = timezone.now()
            numbers = serial_numbers_allocate(
                course=course, year=timezone.localtime(issued_at).year, count=len(to_issue)
            )
            planned = [
                _plan(
                    trainer=trainer,
                    course=course,
                    template=template,
                    revision=revision,
                    template_object=template_object,
                    number=number,
                    issued_at=issued_at,
                )
                for trainer, number in zip(to_issue, numbers, strict=True)
            ]
            pdfs = rendering.certificate_pdfs_render_batch(
                shared=shared, fields_list=[p.fields for p in planned]
            )
            rows = []
            for plan, pdf in zip(planned, pdfs, strict=True):
                name = _pdf_save(pdf, issued_at)
                files.append(name)
                rows.append(
                    _certificate_row(
                        plan,
                        course=course,
                        template=template,
                        revision=revision,
                        issued_by=batch.created_by,
                        batch=batch,
                        pdf_name=name,
                        pdf=pdf,
                    )
                )
            created = _rows_write(batch=batch, rows=rows, outcomes=outcomes)
        else:
            with transaction.atomic():
                _items_close(batch_id, outcomes)
    finally:
        used = {certificate.pdf.name for certificate in created}
        for name in files:
            if name not in used:
                _pdf_delete(name)
    for outcome, _certificate_id, _message in outcomes.values():
        result[{"issued": "issued", "skipped": "skipped", "failed": "failed"}[outcome]] += 1
    batch_counts_refresh(batch_id=batch_id)
    return result


def _rows_write(*, batch: IssuanceBatch, rows: list[Certificate], outcomes: dict) -> list[Certificate]:
    """Write certificates and item outcomes in one transaction. Only items still pending (checked
    under lock) get a certificate; on a conflict with a certificate issued meanwhile elsewhere,
    falls back to one savepoint per row."""
    with transaction.atomic():
        still_pending = set(
            IssuanceBatchItem.objects.select_for_update()
            .filter(
                batch=batch,
                trainer_id__in=[row.trainer_id for row in rows],
                outcome=IssuanceBatchItem.Outcome.PENDING,
            )
            .values_list("trainer_id", flat=True)
        )
        rows = [row for row in rows if row.trainer_id in still_pending]
        written: list[Certificate] = []
        try:
            with transaction.atomic():
                written = Certificate.objects.bulk_create(rows)
        except IntegrityError:
            written = []
            for row in rows:
                try:
                    with transaction.atomic():
                        row.pk = None
                        row.save()
                    written.append(row)
                except IntegrityError:
                    outcomes[row.trainer_id] = (
                        IssuanceBatchItem.Outcome.SKIPPED,
                        None,
                        _("Sudah memiliki sertifikat yang berlaku."),
                    )
        if written and written[0].pk is None:  # backends without RETURNING (none of ours)
            codes = {row.code: row for row in written}
            for pk, code in Certificate.objects.filter(code__in=list(codes)).values_list("pk", "code"):
                codes[code].pk = pk
        for certificate in written:
            outcomes[certificate.trainer_id] = (IssuanceBatchItem.Outcome.ISSUED, certificate.pk, "")
        _items_close(batch.pk, outcomes)
        _log_bulk(written, action="certificates.issue", user=batch.created_by)
        _notify_on_commit([certificate.pk for certificate in written])
    return written


def _log_bulk(certificates: list[Certificate], *, action: str, user) -> None:
    """One audit-log entry per certificate, in one INSERT (what `log()` writes, for a chunk)."""
    if not certificates:
        return
    content_type = ContentType.objects.get_for_model(Certificate, for_concrete_model=False)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=str(certificate)[:255],
                action=action,
                data={
                    "code": certificate.code,
                    "serial": certificate.serial,
                    "trainer_id": certificate.trainer_id,
                    "batch_id": certificate.batch_id,
                },
                timestamp=now,
                user=user,
                object_id=str(certificate.pk),
            )
            for certificate in certificates
        ]
    )


def batch_zip_write(*, batch: IssuanceBatch, target) -> int:
    """Write the valid PDFs of a batch into a ZIP file object; returns the number of files."""
    import zipfile

    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in (
            batch.certificates.filter(status=Certificate.Status.VALID).order_by("serial").iterator()
        ):
            try:
                with certificate.pdf.open("rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            archive.writestr(f"{certificate.serial.replace('/', '-')}.pdf", data)
            count += 1
    return count


def certificate_issue_for_completion(*, trainer_id: int, course_id: int) -> int | None:
    """Auto-issue for a completed course when the course asks for it. Idempotent; returns the
    certificate id, or None when the course does not auto-issue or the trainer is not eligible
    (logged, not raised: a completion must never fail because of a certificate)."""
    course = CoursePage.objects.filter(pk=course_id).select_related("certificate_template").first()
    trainer = User.objects.filter(pk=trainer_id).select_related("trainer_profile__service_point").first()
    if course is None or trainer is None or not course.auto_issue_certificate:
        return None
    try:
        return certificate_issue(trainer=trainer, course=course).pk
    except CertificateError as error:
        logger.warning("No certificate for trainer %s, course %s: %s", trainer_id, course_id, error)
        return None


def batch_chunk_fail(*, batch_id: int, trainer_ids: list[int], message: str) -> None:
    """Mark the still-pending trainers of a chunk as failed (after its last retry), so that the
    batch finishes and lists them. Idempotent."""
    text = _("Galat sistem saat menerbitkan: %(error)s") % {"error": message[:300]}
    with transaction.atomic():
        _items_close(
            batch_id,
            {trainer_id: (IssuanceBatchItem.Outcome.FAILED, None, text) for trainer_id in trainer_ids},
        )
    batch_counts_refresh(batch_id=batch_id)
