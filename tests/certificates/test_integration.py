"""Integration: the one-valid constraint under concurrent issuing on PostgreSQL, and a batch that
finishes with the exact count after a real worker on Redis was killed with SIGKILL mid-batch."""

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course
from tests.processes import CELERY_WORKER_COMMAND

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
ON_REDIS = os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")

pytestmark = pytest.mark.integration


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER'] or 'postgres'}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL=postgres://…")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_leaves_exactly_one_valid_certificate():
    point = ServicePointFactory()
    page = certified_course()
    trainer = TrainerFactory(service_point=point)
    EnrolmentFactory(trainer=trainer, course=page, completed=True)
    services.certificate_template_ensure_default()
    workers = 6
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            results.append(services.certificate_issue(trainer=trainer, course=page).pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    valid = Certificate.objects.filter(trainer=trainer, course=page, status="valid")
    assert valid.count() == 1
    assert set(results) == {valid.get().pk}
    assert Certificate.objects.count() == 1


def _worker(tmp_path: Path, broker_url: str, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BASE_URL": "http://testserver",
        "CERTIFICATES_BATCH_CHUNK_SIZE": "10",
    }
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        [
            *CELERY_WORKER_COMMAND,
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(predicate, timeout: float, worker: subprocess.Popen, tmp_path: Path, name: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(
        f"timed out; worker output:\n{(tmp_path / f'{name}.log').read_text(errors='replace')[-3000:]}"
    )


@pytest.fixture
def eager_off():
    """Tasks go to the real broker, for the worker process to run."""
    from lms.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.mark.skipif(not (ON_POSTGRES and ON_REDIS), reason="needs PostgreSQL and CELERY_BROKER_URL=redis://…")
@pytest.mark.django_db(transaction=True)
def test_a_batch_finishes_exactly_after_its_worker_was_killed(tmp_path, settings, eager_off):
    import redis

    broker_url = os.environ["CELERY_BROKER_URL"]
    redis.Redis.from_url(broker_url).flushdb()
    settings.MEDIA_ROOT = tmp_path / "media"
    page = certified_course()
    points = [ServicePointFactory(), ServicePointFactory()]
    total = 80
    trainers = [TrainerFactory(service_point=points[i % 2]) for i in range(total)]
    for trainer in trainers:
        EnrolmentFactory(trainer=trainer, course=page, completed=True)

    first = _worker(tmp_path, broker_url, "first")
    try:
        batch = services.batch_create(course=page)
        issued = lambda: IssuanceBatch.objects.get(pk=batch.pk).issued  # noqa: E731
        _wait(lambda: issued() >= 10, 90, first, tmp_path, "first")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    batch.refresh_from_db()
    assert batch.status == IssuanceBatch.Status.RUNNING
    assert 10 <= batch.issued < total

    second = _worker(tmp_path, broker_url, "second")
    try:
        services.batch_run(batch_id=batch.pk)  # run the batch again
        finished = lambda: IssuanceBatch.objects.get(pk=batch.pk).is_finished  # noqa: E731
        _wait(finished, 120, second, tmp_path, "second")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(second.pid, signal.SIGKILL)
        redis.Redis.from_url(broker_url).flushdb()
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.issued, batch.skipped, batch.failed) == (
        IssuanceBatch.Status.DONE,
        total,
        total,
        0,
        0,
    )
    certificates = Certificate.objects.filter(course=page)
    assert certificates.count() == total
    assert certificates.values("trainer").distinct().count() == total
    for certificate in certificates[:5]:
        assert certificate.pdf.storage.exists(certificate.pdf.name)
