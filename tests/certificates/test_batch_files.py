"""A batch chunk's PDF files: one per certificate, in the batch's folder; a file that an earlier,
killed run of the chunk left without a row is deleted when the chunk is redone."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course

pytestmark = pytest.mark.django_db


def _pdf_files() -> set[str]:
    root = Path(storages["certificates"].location)
    return {str(path.relative_to(root)) for path in root.rglob("*.pdf")}


def test_redoing_a_chunk_deletes_the_files_a_killed_run_left_and_keeps_one_per_certificate(
    django_capture_on_commit_callbacks,
):
    point = ServicePointFactory()
    course = certified_course()
    trainers = [TrainerFactory(service_point=point) for _ in range(3)]
    for trainer in trainers:
        EnrolmentFactory(trainer=trainer, course=course, completed=True)
    with django_capture_on_commit_callbacks(execute=False):  # the chunks are run below, by hand
        batch = services.batch_create(course=course)
    folder = f"certificates/{timezone.localtime(batch.created_at):%Y/%m}/batch-{batch.pk}"
    storage = storages["certificates"]
    # What a worker killed after writing its PDFs and before committing their rows leaves behind.
    stray = [
        storage.save(f"{folder}/t{trainer.pk}-killed.pdf", ContentFile(b"%PDF-1.7")) for trainer in trainers
    ]
    other_batch_file = storage.save(
        f"{folder.replace(f'batch-{batch.pk}', 'batch-999999')}/t{trainers[0].pk}-x.pdf", ContentFile(b"%PDF")
    )

    services.batch_chunk_issue(batch_id=batch.pk, trainer_ids=[trainer.pk for trainer in trainers])

    batch.refresh_from_db()
    assert (batch.status, batch.issued) == (IssuanceBatch.Status.DONE, 3)
    names = set(Certificate.objects.filter(batch=batch).values_list("pdf", flat=True))
    assert len(names) == 3 and all(name.startswith(f"{folder}/t") for name in names)
    assert _pdf_files() == names | {other_batch_file}  # another batch's folder is not touched
    assert not any(storage.exists(name) for name in stray)

    # Redelivered once more after it finished: nothing issued twice, no file added or removed.
    services.batch_chunk_issue(batch_id=batch.pk, trainer_ids=[trainer.pk for trainer in trainers])
    assert Certificate.objects.filter(batch=batch).count() == 3
    assert _pdf_files() == names | {other_batch_file}
