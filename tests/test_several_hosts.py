"""Several machines: two web processes and two Celery workers that share nothing but PostgreSQL,
Redis and an S3-compatible object store (moto's server on loopback), each in a working folder of
its own with its own (unused) MEDIA_ROOT, PRIVATE_MEDIA_ROOT and Celery folder, as on separate
hosts. A certificate batch rendered by both workers is downloaded, checked against its SHA-256,
verified by upload and zipped through either web process, with the session of one web process
used at the other.

Slow (six processes): run once, in the PostgreSQL + Redis pass of CI.
"""

import hashlib
import http.cookiejar
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from certificates import services
from certificates.models import Certificate, IssuanceBatch
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    certified_course,
)
from tests.processes import ROOT, free_port, http_wait, production_static_collect
from tests.test_production_run import REDIS_URL, production_env, pytestmark  # noqa: F401

PORTS = range(8140, 8150)
TRAINERS = 24
CHUNK = 4


def _start(args: list[str], *, folder: Path, env: dict, name: str) -> subprocess.Popen:
    folder.mkdir(parents=True, exist_ok=True)
    log = (folder / f"{name}.log").open("wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        args,
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _host_env(common: dict, folder: Path) -> dict:
    """What one machine has of its own: a working folder, local media folders (which must stay
    empty), the Celery folder, HOME; the code comes from the checkout (PYTHONPATH)."""
    return {
        **common,
        "PYTHONPATH": str(ROOT),
        "HOME": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "CELERY_DATA_DIR": str(folder / "celery"),
        "TMPDIR": str(folder),
    }


class Browser:
    """A signed-in coordinator's cookies (the session lives in PostgreSQL), usable at any host."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(url, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, url: str, fields: dict, files: dict | None = None) -> tuple[int, bytes]:
        status, page = self.get(url)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        fields = {"csrfmiddlewaretoken": token, **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for key, value in fields.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                )
            for key, (filename, data) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    "Content-Type: application/pdf\r\n\r\n".encode()
                )
                body.write(data + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            request = urllib.request.Request(  # noqa: S310  (loopback)
                url,
                data=body.getvalue(),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
        else:
            request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@pytest.fixture
def object_store(tmp_path):
    """moto's S3-compatible server on a loopback port, with one bucket; yields the storage env."""
    import boto3

    port = free_port(PORTS)
    server = _start(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        folder=tmp_path / "object-store",
        env={**os.environ},
        name="moto",
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        http_wait(
            f"{endpoint}/moto-api/", timeout=60, process=server, log=tmp_path / "object-store" / "moto.log"
        )
        credentials = {
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
            "region_name": "us-east-1",
        }
        s3 = boto3.client("s3", endpoint_url=endpoint, **credentials)
        s3.create_bucket(Bucket="tot-lms")
        yield (
            s3,
            {
                "MEDIA_STORAGE": "s3",
                "PRIVATE_STORAGE": "s3",
                "AWS_STORAGE_BUCKET_NAME": "tot-lms",
                "AWS_S3_ENDPOINT_URL": endpoint,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
            },
        )
    finally:
        _stop(server)


@pytest.fixture
def eager_off():
    """Tasks from this process go to Redis, for the worker processes."""
    from lms.celery import app

    previous = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, REDIS_URL
    yield
    app.conf.task_always_eager, app.conf.broker_url = previous


@pytest.mark.django_db(transaction=True)
def test_two_web_processes_and_two_workers_share_only_the_database_redis_and_the_object_store(
    tmp_path, object_store, eager_off
):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    s3, storage_env = object_store
    common = production_env(**storage_env, CERTIFICATES_BATCH_CHUNK_SIZE=str(CHUNK), WEB_CONCURRENCY="1")
    production_static_collect(common)

    page = certified_course()
    points = [ServicePointFactory(), ServicePointFactory()]
    for i in range(TRAINERS):
        EnrolmentFactory(trainer=TrainerFactory(service_point=points[i % 2]), course=page, completed=True)
    coordinator = CoordinatorFactory(service_points__national=True)
    # Hashed as production hashes (the test settings' fast hasher is unknown there).
    hasher = PBKDF2PasswordHasher()
    coordinator.password = hasher.encode(PASSWORD, hasher.salt())
    coordinator.save(update_fields=["password"])

    hosts = {name: tmp_path / name for name in ("web-a", "web-b", "worker-a", "worker-b")}
    ports = {}
    processes = {}
    try:
        for name in ("worker-a", "worker-b"):
            processes[name] = _start(
                [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-n", f"{name}@%h"]
                + ["--loglevel=INFO", "--without-gossip", "--without-mingle"],
                folder=hosts[name],
                env=_host_env(common, hosts[name]),
                name=name,
            )
        for name in ("web-a", "web-b"):
            ports[name] = free_port(PORTS, taken=set(ports.values()))
            env = {**_host_env(common, hosts[name]), "HOST": "127.0.0.1", "PORT": str(ports[name])}
            processes[name] = _start(
                [sys.executable, "-m", "gunicorn", "-c", "python:lms.gunicorn", "lms.wsgi"],
                folder=hosts[name],
                env=env,
                name=name,
            )
        web = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for name, base in web.items():
            http_wait(
                f"{base}/healthz", timeout=120, process=processes[name], log=hosts[name] / f"{name}.log"
            )
        for name in ("worker-a", "worker-b"):
            _wait(
                lambda name=name: b"ready" in (hosts[name] / f"{name}.log").read_bytes(),
                120,
                hosts[name],
                name,
            )

        batch = services.batch_create(course=page)
        _wait(lambda: IssuanceBatch.objects.get(pk=batch.pk).is_finished, 180, hosts["worker-a"], "worker-a")
        batch.refresh_from_db()
        assert (batch.status, batch.issued, batch.failed) == (IssuanceBatch.Status.DONE, TRAINERS, 0)
        for name in ("worker-a", "worker-b"):
            chunks = [
                line
                for line in _json_lines(hosts[name] / f"{name}.log")
                if "batch_chunk_issue" in line.get("message", "") and "succeeded" in line.get("message", "")
            ]
            assert chunks, f"{name} rendered no chunk of the batch"

        # Signed in at one web process; the same session works at the other.
        browser = Browser()
        status, _answer = browser.post(
            f"{web['web-a']}/accounts/login/", {"username": coordinator.username, "password": PASSWORD}
        )
        assert "sessionid" in {cookie.name for cookie in browser.jar}, status
        certificates = list(Certificate.objects.filter(course=page).order_by("serial"))
        assert len(certificates) == TRAINERS
        for index, certificate in enumerate(certificates[:6]):
            base = web["web-a" if index % 2 else "web-b"]
            status, pdf = browser.get(f"{base}/certificates/download/{certificate.code}/")
            assert status == 200 and pdf.startswith(b"%PDF")
            assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256

        # Verified by upload at the other process than the one it was downloaded from.
        status, page_html = Browser().post(
            f"{web['web-a']}/certificates/verify/{certificates[0].code}/", {}, files={"pdf": ("s.pdf", pdf)}
        )
        assert status == 200 and "cocok dengan sertifikat asli" in page_html.decode()
        with urllib.request.urlopen(f"{web['web-b']}/api/v1/certificates/{certificates[0].code}") as answer:  # noqa: S310
            assert json.loads(answer.read())["status"] == "valid"

        expected = {f"{c.serial.replace('/', '-')}.pdf": c.pdf_sha256 for c in certificates}
        for base in web.values():
            status, archive = browser.get(f"{base}/admin/certificates/batches/{batch.pk}/zip/")
            assert status == 200
            with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
                found = {name: hashlib.sha256(zipped.read(name)).hexdigest() for name in zipped.namelist()}
            assert found == expected
    finally:
        for process in processes.values():
            _stop(process)
        redis.Redis.from_url(REDIS_URL).flushdb()

    stored = [item["Key"] for item in s3.list_objects_v2(Bucket="tot-lms").get("Contents", [])]
    assert len([key for key in stored if key.startswith("private/certificates/")]) == TRAINERS
    for name, folder in hosts.items():
        local = [p for sub in ("media", "private") for p in (folder / sub).rglob("*") if p.is_file()]
        assert local == [], f"{name} kept files on its own disk: {local}"


def _json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def _wait(predicate, timeout: float, folder: Path, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out; {name}'s log:\n{(folder / f'{name}.log').read_text(errors='replace')[-4000:]}")
