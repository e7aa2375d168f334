"""/healthz: 200 when the database and the broker answer, 503 naming the one that does not; answered
before the host check and the HTTPS redirect, so a balancer probing by internal address gets it."""

import json
import os
import socket
import subprocess
import sys
from contextlib import ExitStack

import pytest

from tests.courses.test_settings import BASE_DIR
from tests.private_services import broker_at


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


@pytest.fixture
def broker_url(monkeypatch):
    """Point the Celery app at another broker for one test."""
    with ExitStack() as stack:
        yield lambda url: stack.enter_context(broker_at(monkeypatch, url))


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_and_the_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_does_not_answer(client, broker_url):
    broker_url(f"redis://127.0.0.1:{_closed_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "broker": "unavailable"}}


@pytest.mark.django_db
def test_healthz_answers_any_host_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["tot.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200
    # Everything else still gets the host check and the redirect.
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/", HTTP_HOST="tot.example.org").status_code == 301


def test_healthz_names_the_database_when_it_does_not_answer():
    """A real process whose DATABASE_URL points where no server listens."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))"
    )
    env = {
        **{key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "TMPDIR"}},
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"postgres://tot@127.0.0.1:{_closed_port()}/tot_lms",
        "DB_CONN_MAX_AGE": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503", result.stderr[-2000:]
    assert json.loads(body) == {"status": "error", "checks": {"database": "unavailable", "broker": "ok"}}
