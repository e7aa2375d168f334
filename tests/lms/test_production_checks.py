"""Production refuses to start without its host names or with a cache that each process keeps to
itself (sign-in lock-outs and rate limits would be counted per process): `check` (so `migrate` and
`check --deploy`), gunicorn, the Celery worker and beat. The rules themselves, in-process."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.checks import allowed_hosts_check, production_require, shared_cache_check, storage_check
from tests.courses.test_settings import production_env, run


@pytest.mark.parametrize(
    ("change", "check_id"),
    [
        ({"ALLOWED_HOSTS": ""}, "lms.E004"),
        ({"ALLOWED_HOSTS": "*"}, "lms.E004"),
        ({"CACHE_URL": ""}, "lms.E005"),
        ({"MEDIA_STORAGE": "s3"}, "lms.E006"),
    ],
    ids=["no-allowed-hosts", "wildcard-host", "per-process-cache", "s3-without-bucket"],
)
def test_check_deploy_refuses_an_incomplete_production_environment(tmp_path, change, check_id):
    result = run(["manage.py", "check", "--deploy"], {**production_env(tmp_path), **change})
    assert result.returncode != 0
    assert check_id in result.stderr


def test_gunicorn_refuses_to_load_the_application_with_a_per_process_cache(tmp_path):
    result = run(["-c", "import lms.wsgi"], {**production_env(tmp_path), "CACHE_URL": ""})
    assert result.returncode != 0
    assert "lms.E005" in result.stderr and "CACHE_URL" in result.stderr


def test_celery_beat_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {**production_env(tmp_path), "ALLOWED_HOSTS": ""}
    result = run(["-m", "celery", "-A", "lms", "beat", f"--schedule={tmp_path / 'beat'}"], env)
    assert result.returncode != 0
    assert "lms.E004" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_a_cache_kept_per_process_is_an_error_where_a_shared_one_is_required(settings, backend):
    settings.SHARED_CACHE_REQUIRED = True
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/x"}}
    assert [error.id for error in shared_cache_check()] == ["lms.E005"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert shared_cache_check() == []
    settings.SHARED_CACHE_REQUIRED = False
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert shared_cache_check() == []  # development and tests


def test_allowed_hosts_must_name_hosts_where_required(settings):
    settings.ALLOWED_HOSTS_REQUIRED = True
    for hosts, expected in (([], ["lms.E004"]), (["*"], ["lms.E004"]), (["tot.example.org"], [])):
        settings.ALLOWED_HOSTS = hosts
        assert [error.id for error in allowed_hosts_check()] == expected


def test_an_unknown_storage_kind_is_an_error(settings):
    settings.PRIVATE_STORAGE = "ftp"
    assert [error.id for error in storage_check()] == ["lms.E006"]


def test_production_require_names_every_problem_at_once(settings):
    settings.ALLOWED_HOSTS_REQUIRED = settings.SHARED_CACHE_REQUIRED = True
    settings.ALLOWED_HOSTS = []
    with pytest.raises(ImproperlyConfigured, match=r"lms\.E004.*lms\.E005"):
        production_require()
