"""The database stops under a running site: pages answer a 503 page in Indonesian with Retry-After,
the API a JSON 503 (`database_unavailable`), never a traceback; when the database is back the site
serves again by itself, without a restart.

The test copies its database into a PostgreSQL server of its own (tests.private_services), serves
it with gunicorn, and stops and starts only that server."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from certificates import services
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course
from tests.private_services import private_postgres
from tests.processes import free_port
from tests.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
WEB_PORTS = range(8170, 8175)
POSTGRES_PORTS = range(16470, 16475)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="starts a PostgreSQL server of its own: runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]


def _get(url: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": "en"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own server)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _copy_database(target_url: str) -> None:
    """The test database (committed: a transactional test) into the private server."""
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--no-privileges", "--dbname", _database_url()],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", target_url],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_stopped_database_gives_a_503_page_and_json_and_the_site_recovers_by_itself(tmp_path):
    course = certified_course()
    trainer = TrainerFactory(service_point=ServicePointFactory(), profile__full_name="Sri Wahyuni")
    EnrolmentFactory(trainer=trainer, course=course, completed=True)
    certificate = services.certificate_issue(trainer=trainer, course=course)

    with private_postgres(POSTGRES_PORTS) as database:
        url = database.createdb("lms")
        _copy_database(url)
        port = free_port(WEB_PORTS)
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": url,
            "CELERY_BROKER_URL": "filesystem://",
            "CELERY_DATA_DIR": str(tmp_path / "broker"),
            "BASE_URL": "http://testserver",
        }
        log = tmp_path / "server.log"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lms.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "1", "--threads", "2", "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        page = f"{base}/certificates/verify/{certificate.code}/"
        api = f"{base}/api/v1/certificates/{certificate.code}"
        try:
            deadline = time.monotonic() + 45
            status = None
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    status, _headers, body = _get(page)
                    break
                except OSError:
                    time.sleep(0.3)
            assert status == 200, log.read_text(errors="replace")[-3000:]
            assert "Sri Wahyuni" in body
            assert _get(api)[0] == 200

            database.stop()

            status, headers, body = _get(page)
            assert status == 503
            assert headers["Content-Type"].startswith("text/html")
            assert headers["Retry-After"] == "30"
            assert "Layanan sedang tidak tersedia" in body  # Indonesian, whatever the browser asks
            assert "Traceback" not in body and "OperationalError" not in body
            status, headers, body = _get(api)
            assert status == 503
            assert headers["Content-Type"].startswith("application/json")
            assert headers["Retry-After"] == "30"
            assert '"code": "database_unavailable"' in body
            assert "Basis data sedang tidak dapat dihubungi" in body

            database.start()

            # Back by itself: the same server process, its old connections replaced.
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                status, _headers, body = _get(page)
                if status == 200:
                    break
                time.sleep(0.5)
            assert status == 200
            assert "Sri Wahyuni" in body
            assert _get(api)[0] == 200
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
        server_log = log.read_text(errors="replace")
        assert "Traceback" not in server_log, server_log[-3000:]
