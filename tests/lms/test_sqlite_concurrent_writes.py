"""The embedded default holds concurrent writes: a real threaded server on the SQLite file, with a
real Celery worker on the filesystem broker issuing certificates at the same time, answers 20
parallel quiz submissions, 20 parallel lesson completions and 20 parallel replays of one offline
sync batch without a single 5xx, and every write is there exactly once."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment, LessonProgress, QuizAttempt, SyncEvent
from tests.courses.api_helpers import token_for
from tests.factories import (
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
    certified_course,
    right_answers,
)
from tests.processes import CELERY_WORKER_COMMAND, free_port

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8140, 8150)
PARALLEL = 20
CERTIFICATES = 30

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "sqlite").split(":", 1)[0] not in {"", "sqlite"},
        reason="about the embedded SQLite default; the run without DATABASE_URL covers it",
    ),
]


def _env(tmp_path: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "DATABASE_URL", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DEBUG="0",
        # Bearer tokens are checked with the secret key they were made with.
        SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=f"sqlite:///{connection.settings_dict['NAME']}",
        CELERY_DATA_DIR=str(tmp_path / "broker"),
        CELERY_TASK_ALWAYS_EAGER="0",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        BASE_URL="http://testserver",
    )
    return env


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _request(base: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict | str]:
    data = json.dumps(body).encode() if body is not None else b""
    request = urllib.request.Request(  # noqa: S310 (our own server over http)
        base + path,
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own server)
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")[-2000:]


def _wait_until(predicate, *, timeout: float, processes: dict[str, tuple[subprocess.Popen, Path]]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for name, (process, log) in processes.items():
            if process.poll() is not None:
                pytest.fail(f"{name} stopped:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    logs = "\n".join(
        f"--- {name}\n{log.read_text(errors='replace')[-2000:]}" for name, (_p, log) in processes.items()
    )
    pytest.fail(f"timed out\n{logs}")


def _server_answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=2):  # noqa: S310
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_parallel_writes_on_sqlite_with_a_worker_issuing_certificates_all_succeed_once(tmp_path):
    built = build_course(slug="serentak", lessons=10, quiz_lessons=(9,))
    # Unlimited attempts without a wait: the point here is 20 writes at once, not the attempt policy.
    type(built.course).objects.filter(pk=built.course.pk).update(
        quiz_max_attempts=0, quiz_retry_wait_minutes=0
    )
    quiz_id = built.quiz_ids[0]
    quizzer, learner, syncer = (TrainerFactory() for _ in range(3))
    for trainer in (quizzer, learner, syncer):
        Enrolment.objects.create(trainer=trainer, course=built.course)
    tokens = {trainer.pk: token_for(trainer) for trainer in (quizzer, learner, syncer)}
    # Trainers who completed another course, whose certificates the worker issues meanwhile.
    certified = certified_course(auto_issue_certificate=True)
    point = ServicePointFactory()
    holders = [TrainerFactory(service_point=point) for _ in range(CERTIFICATES)]
    for holder in holders:
        EnrolmentFactory(trainer=holder, course=certified, completed=True)
    recent = (timezone.now() - timezone.timedelta(minutes=30)).isoformat()
    sync_events = [
        {"id": str(uuid.uuid4()), "type": "lesson_completed", "at": recent, "lesson_id": str(lesson.pk)}
        for lesson in built.lessons[:3]
    ] + [
        {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "at": recent,
            "quiz_id": quiz_id,
            "answers": right_answers(quiz_id),
        }
    ]

    env = _env(tmp_path)
    for sub in ("queue", "processed", "control"):
        (tmp_path / "broker" / sub).mkdir(parents=True)
    port = free_port(PORTS)
    base = f"http://127.0.0.1:{port}"
    server_log, worker_log = tmp_path / "server.log", tmp_path / "worker.log"
    server = _start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "10",
            "--timeout",
            "60",
        ],
        env,
        server_log,
    )
    worker = _start(
        CELERY_WORKER_COMMAND,
        env,
        worker_log,
    )
    processes = {"server": (server, server_log), "worker": (worker, worker_log)}
    try:
        _wait_until(lambda: _server_answers(base), timeout=30, processes=processes)
        from celery import Celery

        probe = Celery("probe", broker="filesystem://", set_as_current=False)
        probe.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path / "broker" / "queue"),
            "data_folder_out": str(tmp_path / "broker" / "queue"),
            "control_folder": str(tmp_path / "broker" / "control"),
        }
        probe.conf.task_serializer = "json"
        with probe.connection_for_write() as conn:
            for holder in holders:
                probe.send_task(
                    "certificates.tasks.certificate_issue_for_completion",
                    args=[holder.pk, certified.pk],
                    connection=conn,
                )
        probe.close()
        # Let the worker start writing before the requests arrive.
        _wait_until(
            lambda: Certificate.objects.filter(course=certified).exists(), timeout=30, processes=processes
        )

        calls = (
            [(f"/api/v1/quizzes/{quiz_id}/attempts", quizzer, {"answers": right_answers(quiz_id)})] * PARALLEL
            + [
                (f"/api/v1/lessons/{built.lessons[i % 10].pk}/complete", learner, None)
                for i in range(PARALLEL)
            ]
            + [("/api/v1/me/sync", syncer, {"events": sync_events})] * PARALLEL
        )
        issued_before = Certificate.objects.filter(course=certified).count()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            answers = list(
                pool.map(lambda call: (call[0], *_request(base, call[0], tokens[call[1].pk], call[2])), calls)
            )
        elapsed = time.monotonic() - started
        certificates_during = Certificate.objects.filter(course=certified).count()

        _wait_until(
            lambda: Certificate.objects.filter(course=certified).count() == CERTIFICATES,
            timeout=60,
            processes=processes,
        )
    finally:
        _stop(server)
        _stop(worker)

    failures = [(path, status, body) for path, status, body in answers if status >= 300]
    assert failures == [], f"{server_log.read_text(errors='replace')[-3000:]}"
    assert QuizAttempt.objects.filter(enrolment__trainer=quizzer).count() == PARALLEL
    assert LessonProgress.objects.filter(enrolment__trainer=learner).count() == 10
    sync_answers = [body for path, _status, body in answers if path == "/api/v1/me/sync"]
    assert sum(body["applied"] for body in sync_answers) == len(sync_events)
    assert all(body["rejected"] == 0 for body in sync_answers)
    assert SyncEvent.objects.filter(trainer=syncer).count() == len(sync_events)
    assert LessonProgress.objects.filter(enrolment__trainer=syncer).count() == 3
    assert QuizAttempt.objects.filter(enrolment__trainer=syncer).count() == 1
    assert Certificate.objects.filter(course=certified, status="valid").count() == CERTIFICATES
    # The worker was still issuing when the requests arrived.
    assert issued_before < CERTIFICATES
    print(
        f"{len(calls)} parallel writes in {elapsed:.1f} s; certificates {issued_before} → {certificates_during}"
    )
