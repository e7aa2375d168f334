"""BASE_URL: production refuses to run without an explicit public https address; development uses
the address `make run` serves (also from a command started beside it); e-mails carry it."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django.urls import reverse

from lms import devserver
from tests.courses.test_settings import BASE_DIR, production_env, run
from tests.factories import ServicePointFactory, TrainerFactory


@pytest.mark.parametrize(
    ("base_url", "check_id"),
    [
        (None, "lms.E001"),
        ("", "lms.E001"),
        ("http://tot.example.org", "lms.E002"),
        ("https://127.0.0.1:8000", "lms.E003"),
    ],
    ids=["unset", "empty", "plain-http", "loopback"],
)
def test_check_deploy_fails_without_an_explicit_public_https_base_url(tmp_path, base_url, check_id):
    env = production_env(tmp_path)
    if base_url is None:
        env.pop("BASE_URL")
    else:
        env["BASE_URL"] = base_url
    result = run(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_gunicorn_refuses_to_load_the_application_without_base_url(tmp_path):
    env = production_env(tmp_path)
    env.pop("BASE_URL")
    result = run(["-c", "import lms.wsgi"], env)
    assert result.returncode != 0
    assert "BASE_URL" in result.stderr
    assert run(["-c", "import lms.wsgi"], production_env(tmp_path)).returncode == 0


def test_a_production_worker_refuses_to_start_without_base_url(tmp_path):
    env = production_env(tmp_path)
    env.pop("BASE_URL")
    result = run(["-m", "celery", "-A", "lms", "worker", "--pool=solo", "--loglevel=WARNING"], env)
    assert result.returncode != 0
    assert "BASE_URL" in result.stderr + result.stdout


def _dev_base_url(**env) -> str:
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "TMPDIR"}}
    code = "import django; from django.conf import settings; django.setup(); print(settings.BASE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_development_takes_base_url_from_the_environment_first():
    assert _dev_base_url(BASE_URL="http://127.0.0.1:8765/") == "http://127.0.0.1:8765"


def test_the_address_recorded_by_a_running_make_run_is_read_while_it_runs(tmp_path):
    devserver.base_url_record(url="http://127.0.0.1:8765", run_dir=tmp_path)
    assert devserver.served_base_url(run_dir=tmp_path) == "http://127.0.0.1:8765"
    devserver.base_url_forget(path=tmp_path / devserver.BASE_URL_FILE)
    assert devserver.served_base_url(run_dir=tmp_path) is None


def test_an_address_left_behind_by_a_killed_make_run_is_ignored(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / devserver.BASE_URL_FILE).write_text(f"http://127.0.0.1:8765\n{gone.pid}\n")
    assert devserver.served_base_url(run_dir=tmp_path) is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8765"),
        ("0.0.0.0", "http://127.0.0.1:8765"),  # noqa: S104
        ("::1", "http://[::1]:8765"),
    ],
)
def test_the_printed_address_is_one_a_browser_can_open(host, expected):
    assert devserver.base_url_for(host=host, port=8765) == expected


@pytest.mark.django_db
def test_the_password_reset_email_links_to_the_configured_address(client, settings):
    settings.BASE_URL = "https://tot.example.org"
    TrainerFactory(
        username="wulan", email="wulan@example.org", service_point=ServicePointFactory(code="TL-9")
    )
    client.post(reverse("password_reset"), {"email": "wulan@example.org"}, HTTP_HOST="127.0.0.1:8000")
    assert len(mail.outbox) == 1
    assert "https://tot.example.org/accounts/password/reset/" in mail.outbox[0].body
    assert "127.0.0.1" not in mail.outbox[0].body
