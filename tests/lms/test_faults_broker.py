"""Redis, the task queue, stops: confirming a certificate batch or a trainer import in the admin
says that background work is unavailable and records nothing (no batch, the import still waiting
for its confirmation); once Redis is back the same confirmation starts the work and a worker
finishes it. What was saved before a follow-up task (a completed course, a password-reset request)
stays saved, and the task that could not be sent is logged.

The web side runs in the test process, pointed at a Redis server of the test's own
(tests.private_services); the worker is a real process on the same Redis."""

import logging
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, IssuanceBatch, IssuanceBatchItem
from certificates.services import certificate_template_ensure_default
from courses.models import Enrolment
from courses.people.imports import runs
from courses.people.models import TrainerImport
from tests.courses.api_helpers import bearer, token_for
from tests.courses.test_trainer_import import GOOD, xlsx_bytes
from tests.factories import (
    CoordinatorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
    certified_course,
)
from tests.private_services import private_broker  # noqa: F401  (fixture)
from tests.processes import CELERY_WORKER_COMMAND
from tests.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
BATCHES = "/admin/certificates/batches/"
UNAVAILABLE = "Pekerjaan latar belakang sedang tidak tersedia"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="starts Redis and a worker of its own: runs in the PostgreSQL+Redis pass (DATABASE_URL=postgres://…)",
    ),
]


def _worker(tmp_path: Path, broker_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_MEDIA_ROOT": str(storages["certificates"].location),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "BASE_URL": "http://testserver",
    }
    return subprocess.Popen(
        CELERY_WORKER_COMMAND,
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_batch_or_an_import_records_nothing_and_runs_once_redis_is_back(
    client,
    private_broker,  # noqa: F811
    tmp_path,
):
    sp001, sp002 = ServicePointFactory(code="SP001"), ServicePointFactory(code="SP002")
    coordinator = CoordinatorFactory(service_points=[sp001, sp002])
    client.force_login(coordinator)
    course = certified_course()
    for _ in range(3):
        EnrolmentFactory(trainer=TrainerFactory(service_point=sp001), course=course, completed=True)
    trainer_import = runs.trainer_import_upload(
        uploaded_file=SimpleUploadedFile("pelatih.xlsx", xlsx_bytes(GOOD)), by=coordinator
    )
    confirm_import = reverse("trainer_imports:confirm", args=[trainer_import.pk])

    private_broker.stop()

    started = time.monotonic()
    response = client.post(BATCHES, {"course": course.pk, "action": "confirm"})
    assert time.monotonic() - started < 20  # the request is not held until some long timeout
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert IssuanceBatch.objects.count() == 0
    assert IssuanceBatchItem.objects.count() == 0
    assert not ModelLogEntry.objects.filter(action="certificates.batch_create").exists()

    response = client.post(confirm_import, follow=True)
    assert UNAVAILABLE in response.content.decode()
    trainer_import.refresh_from_db()
    assert trainer_import.status == TrainerImport.Status.CHECKED  # may be confirmed again
    assert trainer_import.file

    private_broker.start()

    response = client.post(BATCHES, {"course": course.pk, "action": "confirm"})
    assert response.status_code == 302
    batch = IssuanceBatch.objects.get()
    response = client.post(confirm_import)
    assert response.status_code == 302
    trainer_import.refresh_from_db()
    assert trainer_import.status == TrainerImport.Status.QUEUED

    worker = _worker(tmp_path, private_broker.url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            batch.refresh_from_db()
            trainer_import.refresh_from_db()
            if batch.is_finished and trainer_import.is_finished:
                break
            time.sleep(0.3)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert (batch.status, batch.issued) == (IssuanceBatch.Status.DONE, 3), log
    assert Certificate.objects.filter(course=course).count() == 3
    assert (trainer_import.status, trainer_import.created) == (TrainerImport.Status.DONE, 3), log


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_trainer_still_completes_a_course_and_the_unsent_follow_up_is_logged(
    client,
    private_broker,  # noqa: F811
    caplog,
):
    built = build_course(
        slug="tanpa-antrean",
        lessons=1,
        quiz_lessons=(),
        auto_issue_certificate=True,
        certificate_template=certificate_template_ensure_default(),
    )
    trainer = TrainerFactory(email="rina@example.org")
    enrolment = Enrolment.objects.create(trainer=trainer, course=built.course)
    token = token_for(trainer)

    private_broker.stop()

    with caplog.at_level(logging.ERROR, logger="lms.queue"):
        response = client.post(f"/api/v1/lessons/{built.lessons[0].pk}/complete", **bearer(token))
        assert response.status_code == 200, response.content
        enrolment.refresh_from_db()
        assert enrolment.completed_at is not None  # saved, whatever happens to the e-mail
        response = client.post(reverse("password_reset"), {"email": "rina@example.org"})
        assert response.status_code == 302
    unsent = " ".join(record.getMessage() for record in caplog.records)
    assert "courses.tasks.course_completion_notify" in unsent
    assert "certificates.tasks.certificate_issue_for_completion" in unsent
    assert "courses.tasks.password_reset_email_send" in unsent
    assert not Certificate.objects.exists()
