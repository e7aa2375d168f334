"""Importing trainers: the all-or-nothing write of a checked sheet (`sheet_import`, used by the
command and the background task), and the life of an upload in the admin (`TrainerImport`):
upload and check, confirm, run in the background with progress.

Progress is written outside the import's one transaction, so that another connection can read it:
reading the file and checking its rows move the bar; the write itself is a few bulk statements in
one transaction, which commits the trainers, the counts and the "done" status together.
"""

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.people import services
from courses.people.imports.checks import CREATE, UPDATE, Preview, sheet_check
from courses.people.imports.reading import ImportFileError, Sheet, max_bytes, sheet_read
from courses.people.models import ServicePoint, TrainerImport
from lms.queue import task_publish

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 200  # rows of the preview table; the counts and the problems are always complete
PROBLEMS_KEPT = 2000  # problems stored for the screen; a file with more is wrong throughout


class ImportRejected(Exception):
    """The sheet has problems; nothing was written. `preview` holds them all."""

    def __init__(self, preview: Preview):
        super().__init__(f"{len(preview.problems)} problems")
        self.preview = preview


@dataclass(frozen=True)
class ImportOutcome:
    preview: Preview
    created: int
    updated: int
    invited: int


def sheet_import(*, sheet: Sheet, by, trainer_import: TrainerImport | None = None) -> ImportOutcome:
    """Import every row of `sheet` for `by` (None: the operator, national scope) in ONE transaction:
    all rows or none. Checks again inside the transaction with the accounts locked (the data may
    have changed since the preview) and raises ImportRejected, writing nothing, at any problem.
    New trainers are invited after commit (one queued task). Idempotent in effect: importing the
    same file again updates nothing and counts every row as unchanged. With `trainer_import`, its
    counts and "done" status are saved in the same transaction."""
    with transaction.atomic():
        # Serialises imports and trainer creation on PostgreSQL: two imports of the same new e-mail
        # must not both see it free. (SQLite writers are serialised by the database itself.)
        services.trainer_emails_lock()
        preview = sheet_check(sheet=sheet, by=by, lock=True)
        if not preview.ok:
            raise ImportRejected(preview)
        service_points = {sp.pk: sp for sp in ServicePoint.objects.all()}
        planned_new = [row for row in preview.rows if row.action == CREATE]
        planned_changed = [row for row in preview.rows if row.action == UPDATE]
        users = services.User._default_manager.select_related("trainer_profile").in_bulk(
            [row.user_id for row in planned_changed]
        )
        created = services.trainers_bulk_write(
            new=[(_cleaned(row), service_points[row.service_point_id]) for row in planned_new],
            changed=[
                (users[row.user_id], _cleaned(row), service_points[row.service_point_id])
                for row in planned_changed
            ],
            by=by,
        )
        invited = services.trainers_invite(created, by) if created else 0
        if trainer_import is not None:
            trainer_import.status = TrainerImport.Status.DONE
            trainer_import.stage = TrainerImport.Stage.FINISHED
            trainer_import.progress = 100
            trainer_import.created = len(created)
            trainer_import.updated = len(planned_changed)
            trainer_import.invited = invited
            trainer_import.finished_at = timezone.now()
            _counts_store(trainer_import, preview)
            trainer_import.save()
    return ImportOutcome(preview=preview, created=len(created), updated=len(planned_changed), invited=invited)


def _cleaned(row) -> dict[str, str]:
    return {"full_name": row.full_name, "email": row.email, "phone": row.phone}


def _counts_store(trainer_import: TrainerImport, preview: Preview) -> None:
    counts = preview.counts
    trainer_import.total = counts["total"]
    trainer_import.to_create = counts[CREATE]
    trainer_import.to_update = counts[UPDATE]
    trainer_import.unchanged = counts["unchanged"]
    trainer_import.problems = [problem.as_dict() for problem in preview.problems[:PROBLEMS_KEPT]]
    if len(preview.problems) > PROBLEMS_KEPT:
        more = len(preview.problems) - PROBLEMS_KEPT
        trainer_import.problems.append(
            {
                "line": None,
                "column": None,
                "message": _("… dan %(count)s masalah lain.") % {"count": f"{more:,}"},
            }
        )
    trainer_import.preview_rows = [row.as_dict() for row in preview.rows[:PREVIEW_ROWS]]


# --- the admin's uploads -------------------------------------------------------------------------


def trainer_imports_visible_to(user):
    """The imports a user may see and confirm: their own uploads (each was checked against their
    scope), every one for a superuser."""
    imports = TrainerImport.objects.select_related("created_by")
    return imports if user.is_superuser else imports.filter(created_by=user)


def trainer_import_upload(*, uploaded_file, by) -> TrainerImport:
    """Check an uploaded file for `by` and keep it with its preview (counts, problems, the first
    rows), ready to confirm when it has no problem. Raises ImportFileError, keeping nothing, for a
    file that cannot be read at all. Not idempotent: each upload is a new record."""
    if uploaded_file.size is not None and uploaded_file.size > max_bytes():
        raise ImportFileError(
            _(
                "Berkas terlalu besar (%(size)s KB). Batasnya %(limit)s KB; bagi berkas menjadi beberapa bagian."
            )
            % {"size": f"{uploaded_file.size // 1024:,}", "limit": f"{max_bytes() // 1024:,}"}
        )
    content = uploaded_file.read(max_bytes() + 1)
    name = (uploaded_file.name or "berkas")[-150:]
    sheet = sheet_read(content=content, filename=name)
    preview = sheet_check(sheet=sheet, by=by)
    trainer_import = TrainerImport(created_by=by, original_name=name, status=TrainerImport.Status.CHECKED)
    _counts_store(trainer_import, preview)
    # The file holds personal data: kept only while it may still be imported (see _file_drop).
    if preview.ok:
        trainer_import.file.save(name, ContentFile(content), save=False)
    trainer_import.save()
    return trainer_import


def _file_drop(trainer_import: TrainerImport) -> None:
    """Delete a finished import's file: its counts and problems stay, the personal data goes."""
    if trainer_import.file:
        trainer_import.file.delete(save=False)
        TrainerImport.objects.filter(pk=trainer_import.pk).update(file="")


def trainer_import_confirm(*, trainer_import: TrainerImport) -> bool:
    """Queue a checked import without problems for the background task. Idempotent: False when it
    was not waiting for a confirmation (already queued, done, or with problems). Raises
    lms.queue.BackgroundWorkUnavailable when the task queue does not answer: the import then stays
    unconfirmed (the transaction rolls back) and may be confirmed again later."""
    with transaction.atomic():
        locked = TrainerImport.objects.select_for_update().get(pk=trainer_import.pk)
        if not locked.can_confirm:
            return False
        locked.status = TrainerImport.Status.QUEUED
        locked.stage = TrainerImport.Stage.WAITING
        locked.save(update_fields=["status", "stage"])
        from courses.tasks import trainer_import_run as task

        # Published while the row is locked: the task's own select_for_update waits for this
        # commit, so it always sees the import queued.
        task_publish(task, locked.pk)
    trainer_import.refresh_from_db()
    return True


def _progress(trainer_import: TrainerImport, stage: str, progress: int) -> None:
    trainer_import.stage = stage
    trainer_import.progress = progress
    trainer_import.save(update_fields=["stage", "progress"])


def _fail(trainer_import: TrainerImport, *, message: str = "", preview: Preview | None = None) -> None:
    trainer_import.status = TrainerImport.Status.FAILED
    trainer_import.stage = TrainerImport.Stage.FINISHED
    trainer_import.finished_at = timezone.now()
    trainer_import.message = message
    if preview is not None:
        _counts_store(trainer_import, preview)
    trainer_import.save()


def trainer_import_run(*, import_id: int) -> str:
    """The background part of a confirmed import: read the stored file, check it again for the
    uploader's current scope, and import it all or nothing. Returns the final status.
    Idempotent: a finished import is left alone; a redelivered task whose worker died mid-import
    runs it again (the transaction of the dead run left nothing behind)."""
    with transaction.atomic():
        trainer_import = TrainerImport.objects.select_for_update().filter(pk=import_id).first()
        if trainer_import is None or trainer_import.status not in {
            TrainerImport.Status.QUEUED,
            TrainerImport.Status.RUNNING,
        }:
            return trainer_import.status if trainer_import else "missing"
        trainer_import.status = TrainerImport.Status.RUNNING
        trainer_import.stage = TrainerImport.Stage.READING
        trainer_import.progress = 5
        trainer_import.save(update_fields=["status", "stage", "progress"])
    try:
        return _run(trainer_import)
    finally:
        _file_drop(trainer_import)


def _run(trainer_import: TrainerImport) -> str:
    by = trainer_import.created_by
    if by is None:
        _fail(trainer_import, message=_("Akun pengunggah sudah tidak ada; impor dibatalkan."))
        return trainer_import.status
    try:
        with trainer_import.file.open("rb") as stored:
            content = stored.read()
        sheet = sheet_read(content=content, filename=trainer_import.original_name)
    except ImportFileError as error:
        _fail(trainer_import, message=error.message)
        return trainer_import.status
    except OSError:
        _fail(trainer_import, message=_("Berkas yang diunggah tidak ditemukan lagi. Unggah ulang berkas."))
        return trainer_import.status
    _progress(trainer_import, TrainerImport.Stage.WRITING, 40)
    try:
        sheet_import(sheet=sheet, by=by, trainer_import=trainer_import)
    except ImportRejected as rejected:
        trainer_import.refresh_from_db()
        _fail(
            trainer_import,
            message=_("Data berubah sejak pratinjau dan kini ada masalah; tidak ada yang diimpor."),
            preview=rejected.preview,
        )
    except DatabaseError:
        # The transaction rolled back: say so on the progress page instead of running forever.
        logger.exception("Trainer import %s failed", trainer_import.pk)
        trainer_import.refresh_from_db()
        _fail(
            trainer_import,
            message=_("Impor gagal karena kesalahan sistem; tidak ada yang disimpan. Coba lagi nanti."),
        )
    return trainer_import.status
