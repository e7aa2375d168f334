"""A confirmed trainer import is run by a real Celery worker process on the embedded broker, which
`make run` uses: the upload page's progress ends "done" and the trainers exist."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from celery import Celery
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.people.imports import runs
from courses.people.models import TrainerImport
from tests.courses.test_trainer_import import GOOD, xlsx_bytes
from tests.factories import CoordinatorFactory, ServicePointFactory
from tests.processes import CELERY_WORKER_COMMAND
from tests.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_confirmed_file(tmp_path):
    folder = tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True)
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }
    coordinator = CoordinatorFactory(
        service_points=[ServicePointFactory(code="SP001"), ServicePointFactory(code="SP002")]
    )
    trainer_import = runs.trainer_import_upload(
        uploaded_file=SimpleUploadedFile("pelatih.xlsx", xlsx_bytes(GOOD)), by=coordinator
    )
    # What trainer_import_confirm does, with the task sent to this test's own broker folder (the
    # unit tests run Celery eagerly; confirming is tested there).
    TrainerImport.objects.filter(pk=trainer_import.pk).update(status=TrainerImport.Status.QUEUED)
    probe = Celery("probe", broker="filesystem://", set_as_current=False)
    probe.conf.broker_transport_options = options
    probe.conf.task_serializer = "json"
    with probe.connection_for_write(url="filesystem://") as conn:
        probe.send_task("courses.tasks.trainer_import_run", args=[trainer_import.pk], connection=conn)
    probe.close()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "filesystem://",  # with CELERY_DATA_DIR: this test's folders
        "CELERY_DATA_DIR": str(folder),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(storages["private"].location),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    worker = subprocess.Popen(
        CELERY_WORKER_COMMAND, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            trainer_import.refresh_from_db()
            if trainer_import.is_finished or worker.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    assert trainer_import.status == TrainerImport.Status.DONE, output
    assert (trainer_import.created, trainer_import.progress) == (3, 100)
    assert get_user_model().objects.filter(email__in=[row[1] for row in GOOD]).count() == 3
