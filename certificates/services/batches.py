"""Issuing in batches: a batch per course and service points, processed in chunks on Celery
with the fast rendering path."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from certificates import rendering
from certificates.models import Certificate, IssuanceBatch, IssuanceBatchItem
from certificates.selectors import batch_counts
from certificates.services.notifications import notify_on_commit
from certificates.services.pdfs import batch_pdf_save, batch_stale_pdfs_delete, pdf_delete
from certificates.services.planning import (
    already_holding_message,
    batch_plan,
    certificate_design_get,
    certificate_plan,
    certificate_row,
    eligibility_errors,
    serial_numbers_allocate,
    valid_holder_ids,
)
from courses.models import CoursePage, ServicePoint
from lms.queue import task_publish

User = get_user_model()


def batch_create(
    *, course: CoursePage, service_points: list[ServicePoint] | None = None, created_by=None
) -> IssuanceBatch:
    """A batch for every trainer of the chosen service points who completed the course
    (`planning.batch_plan`).

    Without service points: all those the creator coordinates (all for a national coordinator,
    a superuser, or the shell). Trainers who already hold a valid certificate are counted as
    skipped. Processing starts on Celery once the batch is committed. Raises CertificateError when
    the course has no template or a service point is outside the creator's scope, and
    lms.queue.BackgroundWorkUnavailable, recording nothing, when the task queue does not answer.
    """
    plan = batch_plan(course=course, service_points=service_points or (), created_by=created_by)
    service_points = list(plan.service_points)
    trainer_ids = plan.trainer_ids
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
        # Last in the transaction: when the broker does not answer, BackgroundWorkUnavailable
        # rolls the batch back, so no batch waits forever for a task that was never sent.
        _enqueue_batch_run(batch.pk)
    return batch


def _enqueue_batch_run(batch_id: int) -> None:
    from certificates import tasks

    task_publish(tasks.batch_run, batch_id)


def batch_run(*, batch_id: int, chunk_size: int | None = None) -> int:
    """Enqueue one chunk task per `chunk_size` pending trainers of the batch; returns the number
    of chunks. Idempotent: safe to call again to finish a batch whose worker died (processed
    trainers are not pending any more, and a chunk redelivered twice skips what is done)."""
    from certificates import tasks

    chunk_size = chunk_size or settings.CERTIFICATES_BATCH_CHUNK_SIZE
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
    between leaves at most an unreferenced file, never a certificate without its PDF; the chunk's
    next run, the redelivered task, deletes such files).
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
    holding = valid_holder_ids(course=course, trainer_ids=pending_ids)
    errors = eligibility_errors(course=course, trainers=trainers)
    outcomes: dict[int, tuple[str, int | None, str]] = {}
    to_issue = []
    for trainer in trainers:
        if trainer.pk in holding:
            outcomes[trainer.pk] = (
                IssuanceBatchItem.Outcome.SKIPPED,
                None,
                already_holding_message(),
            )
        elif trainer.pk in errors:
            outcomes[trainer.pk] = (IssuanceBatchItem.Outcome.FAILED, None, errors[trainer.pk])
        else:
            to_issue.append(trainer)
    for missing in pending_ids - {trainer.pk for trainer in trainers}:
        outcomes[missing] = (IssuanceBatchItem.Outcome.FAILED, None, _("Akun pelatih tidak ditemukan."))

    created: list[Certificate] = []
    files: list[str] = []
    try:
        if to_issue:
            design = certificate_design_get(course=course)
            issued_at = timezone.now()
            numbers = serial_numbers_allocate(
                course=course, year=timezone.localtime(issued_at).year, count=len(to_issue)
            )
            planned = [
                certificate_plan(
                    trainer=trainer,
                    course=course,
                    design=design,
                    number=number,
                    issued_at=issued_at,
                )
                for trainer, number in zip(to_issue, numbers, strict=True)
            ]
            pdfs = rendering.certificate_pdfs_render_batch(
                shared=design.shared, fields_list=[p.fields for p in planned]
            )
            rows = []
            for plan, pdf in zip(planned, pdfs, strict=True):
                name = batch_pdf_save(
                    pdf, batch_id=batch.pk, created_at=batch.created_at, trainer_id=plan.trainer.pk
                )
                files.append(name)
                rows.append(
                    certificate_row(
                        plan,
                        course=course,
                        design=design,
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
                pdf_delete(name)
    # Files of an earlier run of this chunk whose worker was killed before its rows committed.
    closed = set(trainer_ids) - set(
        batch.items.filter(trainer_id__in=trainer_ids, outcome=IssuanceBatchItem.Outcome.PENDING).values_list(
            "trainer_id", flat=True
        )
    )
    batch_stale_pdfs_delete(batch_id=batch.pk, created_at=batch.created_at, trainer_ids=closed)
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
                        already_holding_message(),
                    )
        if written and written[0].pk is None:  # backends without RETURNING (none of ours)
            codes = {row.code: row for row in written}
            for pk, code in Certificate.objects.filter(code__in=list(codes)).values_list("pk", "code"):
                codes[code].pk = pk
        for certificate in written:
            outcomes[certificate.trainer_id] = (IssuanceBatchItem.Outcome.ISSUED, certificate.pk, "")
        _items_close(batch.pk, outcomes)
        _log_bulk(written, action="certificates.issue", user=batch.created_by)
        notify_on_commit([certificate.pk for certificate in written])
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
