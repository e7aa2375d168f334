"""Settings come from the environment, and production settings pass Django's deployment checks."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"),
    "user": db.get("USER"), "debug": settings.DEBUG, "allowed_hosts": settings.ALLOWED_HOSTS,
    "secret_key": settings.SECRET_KEY, "base_url": settings.BASE_URL,
    "broker": settings.CELERY_BROKER_URL, "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES], "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE, "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "TMPDIR"}}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path, **extra) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "tot.example.org,www.tot.example.org",
        # Nothing here connects to these: checks and imports only read the settings.
        "DATABASE_URL": "postgres://tot@127.0.0.1:1/tot_lms",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "CACHE_URL": "redis://127.0.0.1:1/1",
        "BASE_URL": "https://tot.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "HSTS_PRELOAD": "1",
        "BEHIND_PROXY": "1",
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
        **extra,
    }


def test_settings_are_read_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        DATABASE_URL="postgres://tot:rahasia@db.internal:5433/tot_lms",
        CELERY_BROKER_URL="redis://cache.internal:6379/2",
        SECRET_KEY="kunci-rahasia-dari-lingkungan-" + "x" * 40,
    )
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"], values["port"], values["user"]) == (
        "tot_lms",
        "db.internal",
        5433,
        "tot",
    )
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["tot.example.org", "www.tot.example.org"]
    assert values["secret_key"].startswith("kunci-rahasia-dari-lingkungan-")
    assert values["base_url"] == "https://tot.example.org"
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["language"] == "id" and values["languages"] == ["id", "en"]
    assert values["ssl_redirect"] is True and values["session_secure"] is True
    assert values["hsts"] == 31536000
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_without_database_url_a_sqlite_file_is_used(tmp_path):
    env = production_env(tmp_path)
    env.pop("DATABASE_URL")
    env.pop("CELERY_BROKER_URL")
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["broker"].startswith("filesystem://")


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    result = run(["-c", PRINT_SETTINGS], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_reports_nothing_with_production_values(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
