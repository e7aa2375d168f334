"""The production run on PostgreSQL and Redis: `make serve` starts gunicorn, a Celery worker and
Celery beat from the environment, serves static files through WhiteNoise (hashed names, a year's
cache lifetime, compressed), logs JSON lines with the request id, runs beat's schedule on the
worker, and stops everything on SIGTERM. Three gunicorn workers on the shared Redis cache enforce
one sign-in limit between them.

Slow (real processes, `collectstatic`): run once, in the PostgreSQL + Redis pass of CI.
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import TrainerFactory
from tests.processes import (
    PRODUCTION_STATIC_ROOT,
    ROOT,
    database_url,
    free_port,
    http_wait,
    production_static_collect,
)
from tests.test_make_run import _descendants, _still_running

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
REDIS_URL = os.environ.get("CELERY_BROKER_URL", "") if ON_POSTGRES else ""
PORTS = range(8140, 8146)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (ON_POSTGRES and REDIS_URL.startswith("redis://")),
        reason="needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…",
    ),
]


def production_env(**extra) -> dict:
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BASE_URL": "https://tot.example.org",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_URL": REDIS_URL,
        "STATIC_ROOT": str(PRODUCTION_STATIC_ROOT),
        # The first compression of Wagtail's static files at Brotli's best quality takes minutes.
        "STATIC_BROTLI_QUALITY": "5",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@pytest.fixture
def redis_clean():
    """An empty broker and cache before; no sign-in counters of 127.0.0.1 left for later tests."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def _json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def _wait_for(predicate, *, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} not within {timeout:g} s\n{log.read_text(errors='replace')[-4000:]}")


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_takes_its_workers_from_the_cores_unless_web_concurrency_says():
    code = "import lms.gunicorn as g; print(g.workers)"
    clean = {key: value for key, value in os.environ.items() if key != "WEB_CONCURRENCY"}
    default = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    chosen = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "WEB_CONCURRENCY": "5"},
        capture_output=True,
        text=True,
    )
    assert int(default.stdout) == 2 * os.cpu_count() + 1
    assert int(chosen.stdout) == 5


@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_web_worker_and_beat_and_stops_them_all_on_sigterm(tmp_path, redis_clean):
    expired = Session.objects.create(
        session_key="expired" + "x" * 25, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    port = free_port(PORTS)
    log = tmp_path / "serve.log"
    env = production_env(
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        SESSIONS_CLEAR_SECONDS="2",
        STOP_TIMEOUT="20",
    )
    with log.open("wb") as output:
        make = subprocess.Popen(
            ["make", "-s", "serve", "SYSTEM_PACKAGES="],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        http_wait(f"{base}/healthz", timeout=300, process=make, log=log)
        processes = _descendants(make.pid)
        command_lines = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in processes]
        assert sum(b"gunicorn" in line for line in command_lines) == 1 + 2  # master + WEB_CONCURRENCY
        assert any(b"celery" in line and b"worker" in line for line in command_lines)
        assert any(b"celery" in line and b"beat" in line for line in command_lines)

        status, headers, body = _get(f"{base}/healthz", **{"X-Request-ID": "serve-check-1"})
        assert status == 200 and json.loads(body)["checks"] == {"database": "ok", "broker": "ok"}
        assert headers["X-Request-ID"] == "serve-check-1"

        # Static files: hashed names, a year's cache lifetime, compressed.
        manifest = json.loads((PRODUCTION_STATIC_ROOT / "staticfiles.json").read_text())["paths"]
        hashed = manifest["css/site.css"]
        assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
        status, headers, gzipped = _get(f"{base}/static/{hashed}", **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        status, headers, _body = _get(f"{base}/static/{hashed}", **{"Accept-Encoding": "br, gzip"})
        assert headers["Content-Encoding"] == "br"

        # Beat schedules the clean-up, the worker runs it.
        _wait_for(
            lambda: not Session.objects.filter(pk=expired.pk).exists(),
            timeout=60,
            what="the expired session deleted by beat's task",
            log=log,
        )
        lines = _json_lines(log)
        request_lines = [line for line in lines if line.get("logger") == "lms.request"]
        assert {"path": "/healthz", "status": 200, "request_id": "serve-check-1"}.items() <= next(
            line for line in request_lines if line["request_id"] == "serve-check-1"
        ).items()
        assert any(
            "sessions_expired_clear" in line["message"] and "succeeded" in line["message"]
            for line in lines
            if line.get("logger", "").startswith("celery")
        ), "the worker's JSON log of the task"

        make.send_signal(signal.SIGTERM)  # as systemd or `docker stop` would
        deadline = time.monotonic() + 40
        while _still_running(processes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _still_running(processes) == {}, log.read_text(errors="replace")[-3000:]
    finally:
        for pid in _still_running(_descendants(make.pid)):
            os.kill(pid, signal.SIGKILL)
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        make.wait(timeout=10)


def _sign_in_attempts(base: str, *, username: str, count: int) -> list[int]:
    """`count` wrong passwords for one account, each with a fresh session and CSRF token."""
    statuses = []
    for _ in range(count):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{base}/accounts/login/", timeout=20) as page:
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.read()).group(1).decode()
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": "salah-" + secrets.token_hex(4)}
        ).encode()
        try:
            with opener.open(f"{base}/accounts/login/", data=data, timeout=20) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_three_gunicorn_workers_enforce_one_sign_in_limit_through_the_shared_cache(tmp_path, redis_clean):
    limit, clients, per_client = 10, 3, 14
    trainer = TrainerFactory()
    env = production_env(
        WEB_CONCURRENCY="3",
        SIGN_IN_ACCOUNT_FAILURE_LIMIT=str(limit),
        SIGN_IN_IP_FAILURE_LIMIT="1000",
        SIGN_IN_IP_ACCOUNT_LIMIT="1000",
    )
    production_static_collect(env)
    port = free_port(PORTS)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:lms.gunicorn", "lms.wsgi"],
            cwd=ROOT,
            env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        http_wait(f"{base}/healthz", timeout=120, process=server, log=log)
        results: list[int] = []
        threads = [
            threading.Thread(
                target=lambda: results.extend(
                    _sign_in_attempts(base, username=trainer.username, count=per_client)
                )
            )
            for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    assert len(results) == clients * per_client
    assert set(results) <= {200, 429}, results
    # Failures counted in the shared cache: exactly the limit, give or take the attempts already
    # past the lock check when it closed (one per other concurrent client at most). Counted per
    # process, three workers would have judged up to three times the limit.
    counted = int(redis_clean.get(f":1:signin:failures:account:user:{trainer.pk}"))
    assert limit <= counted <= limit + clients - 1
    # The attempts before the limit was reached were answered "wrong password" (200); the one that
    # reached it and every later one got the lock-out page (429).
    assert results.count(200) == limit - 1, results
    posts = [
        line
        for line in _json_lines(log)
        if line.get("logger") == "lms.request" and line.get("method") == "POST"
    ]
    workers = {line["process"] for line in posts}
    assert len(posts) == len(results) and len(workers) >= 2, f"served by several workers: {workers}"
