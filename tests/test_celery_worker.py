"""A real Celery worker process consumes a task from the broker and does its work in the database:
on Redis when it answers, and on the embedded filesystem broker that `make run` uses."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from celery import Celery
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, Enrolment, HomePage
from tests.processes import CELERY_WORKER_COMMAND

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
TASK = "courses.tasks.course_completion_notify"


def _redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def _completed_enrolment(email: str) -> Enrolment:
    root = Page.objects.get(depth=1)
    home = root.add_child(instance=HomePage(title="Beranda uji", slug="beranda-uji"))
    index = home.add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))
    course = index.add_child(
        instance=CoursePage(title="Kursus Pekerja", slug="kursus-pekerja", summary="Ringkas")
    )
    trainer = get_user_model().objects.create_user("pelatih-worker", email=email, password="x")
    return Enrolment.objects.create(trainer=trainer, course=course, completed_at=timezone.now())


def _run_worker_and_wait(
    *, broker_url: str, transport_options: dict, env_extra: dict, mail_dir: Path, task_args
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        **env_extra,
    }
    # Celery prefers the CELERY_BROKER_URL environment variable to the broker argument.
    probe = Celery("probe", broker=broker_url, set_as_current=False)
    probe.conf.broker_transport_options = transport_options
    probe.conf.task_serializer = "json"
    worker = subprocess.Popen(
        CELERY_WORKER_COMMAND,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        with probe.connection_for_write(url=broker_url) as conn:
            probe.send_task(TASK, args=task_args, connection=conn)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            files = list(mail_dir.glob("*.log")) if mail_dir.exists() else []
            text = "".join(path.read_text() for path in files)
            # The file backend creates the file before it writes the message and ends each message
            # with a line of dashes: read the file only once the message is whole.
            if text.rstrip().endswith("-" * 79):
                return text
            if worker.poll() is not None:
                break
            time.sleep(0.3)
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
        pytest.fail(f"the worker did not send the e-mail in time; its output:\n{output}")
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        probe.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_sends_the_course_completion_email(tmp_path):
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not broker_url.startswith("redis://"):
        broker_url = REDIS_URL
    if not _redis_answers(broker_url):
        pytest.skip("Redis does not answer")
    import redis

    redis.Redis.from_url(broker_url).flushdb()
    enrolment = _completed_enrolment("sari@example.org")

    mail = _run_worker_and_wait(
        broker_url=broker_url,
        transport_options={},
        env_extra={},
        mail_dir=tmp_path / "mail",
        task_args=[enrolment.pk],
    )

    assert "sari@example.org" in mail
    assert "Kursus Pekerja" in mail


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_embedded_broker_sends_the_course_completion_email(tmp_path):
    enrolment = _completed_enrolment("budi@example.org")
    folder = tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True)
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }

    mail = _run_worker_and_wait(
        broker_url="filesystem://",
        transport_options=options,
        env_extra={"CELERY_DATA_DIR": str(folder)},
        mail_dir=tmp_path / "mail",
        task_args=[enrolment.pk],
    )

    assert "budi@example.org" in mail
    assert "Kursus Pekerja" in mail
