"""A worker killed (SIGKILL) in the middle of a certificate chunk: Redis hands the chunk to another
worker once the visibility timeout has passed, without anyone running the batch again, and the
batch ends with one certificate per trainer, no duplicate, and exactly one PDF file per
certificate (none left over from the killed run).

Redis and both workers are the test's own; the visibility timeout is a few seconds here
(CELERY_VISIBILITY_TIMEOUT; 300 s in production, see lms.settings.base)."""

import base64
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Count
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, IssuanceBatch, IssuanceBatchItem
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course
from tests.private_services import private_broker  # noqa: F401  (fixture)
from tests.processes import CELERY_WORKER_COMMAND
from tests.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 4
TRAINERS = 40
CHUNK = 10

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="starts Redis and workers of its own: runs in the PostgreSQL+Redis pass (DATABASE_URL=postgres://…)",
    ),
]


def _worker(tmp_path: Path, broker_url: str, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CERTIFICATES_BATCH_CHUNK_SIZE": str(CHUNK),
        "PRIVATE_MEDIA_ROOT": str(storages["certificates"].location),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "BASE_URL": "http://testserver",
    }
    return subprocess.Popen(
        [*CELERY_WORKER_COMMAND, "-n", f"{name}@%h"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / f"{name}.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def _wait(predicate, *, timeout: float, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out; worker log:\n{log.read_text(errors='replace')[-3000:]}")


def _chunk_in_progress(client, batch_id: int) -> list[int] | None:
    """The trainers of the chunk a worker has taken from Redis and not acknowledged, when some of
    them are still pending (the chunk is not done), else None. Reads kombu's "unacked" hash:
    [message, exchange, routing key], the message's body the task's [args, kwargs, options]."""
    for raw in client.hvals("unacked"):
        message = json.loads(raw)[0]
        if message["headers"].get("task") != "certificates.tasks.batch_chunk_issue":
            continue
        chunk_batch_id, trainer_ids = json.loads(base64.b64decode(message["body"]))[0]
        pending = IssuanceBatchItem.objects.filter(
            batch_id=chunk_batch_id, trainer_id__in=trainer_ids, outcome=IssuanceBatchItem.Outcome.PENDING
        )
        if chunk_batch_id == batch_id and pending.exists():
            return trainer_ids
    return None


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*.pdf")}


@pytest.mark.django_db(transaction=True)
def test_a_chunk_whose_worker_was_killed_is_redone_by_another_worker_with_no_duplicate_and_no_stray_file(
    private_broker,  # noqa: F811
    tmp_path,
):
    import redis

    point = ServicePointFactory()
    course = certified_course()
    for _ in range(TRAINERS):
        EnrolmentFactory(trainer=TrainerFactory(service_point=point), course=course, completed=True)
    storage_root = Path(storages["certificates"].location)
    client = redis.Redis.from_url(private_broker.url)

    first = _worker(tmp_path, private_broker.url, "first")
    try:
        batch = services.batch_create(course=course)
        issued = lambda: IssuanceBatch.objects.get(pk=batch.pk).issued  # noqa: E731
        # Killed once the first chunk is committed and while the worker holds another chunk that is
        # not done yet (its message taken from the queue and not acknowledged).
        _wait(
            lambda: issued() >= CHUNK and _chunk_in_progress(client, batch.pk) is not None,
            timeout=60,
            worker=first,
            log=tmp_path / "first.log",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    batch.refresh_from_db()
    assert batch.status == IssuanceBatch.Status.RUNNING
    assert CHUNK <= batch.issued < TRAINERS
    killed_chunk = _chunk_in_progress(client, batch.pk)
    assert killed_chunk is not None and client.hlen("unacked") == 1

    # What a kill between writing a chunk's PDFs and committing their rows leaves: a file of a
    # trainer of the killed chunk, which no certificate refers to.
    stray = storages["certificates"].save(
        f"certificates/{timezone.localtime(batch.created_at):%Y/%m}/batch-{batch.pk}/t{killed_chunk[0]}-stray.pdf",
        ContentFile(b"%PDF-1.7 half-written"),
    )

    second = _worker(tmp_path, private_broker.url, "second")
    try:
        finished = lambda: IssuanceBatch.objects.get(pk=batch.pk).is_finished  # noqa: E731
        _wait(finished, timeout=120, worker=second, log=tmp_path / "second.log")
        redone_after = time.monotonic() - killed_at
    finally:
        _stop(second)

    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.issued, batch.skipped, batch.failed) == (
        IssuanceBatch.Status.DONE,
        TRAINERS,
        TRAINERS,
        0,
        0,
    )
    assert redone_after < 90  # within the visibility timeout and a restore sweep, not Redis's hour
    certificates = Certificate.objects.filter(course=course)
    assert certificates.count() == TRAINERS
    assert not certificates.values("trainer").annotate(n=Count("id")).filter(n__gt=1).exists()
    files = _files(storage_root)
    assert stray not in files
    assert files == set(certificates.values_list("pdf", flat=True))
    assert client.hlen("unacked") == 0
