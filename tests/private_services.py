"""A PostgreSQL or Redis server of a test's own, on a free port in a temporary folder, which the
test may stop and start again: the machine's shared servers are never touched.

PostgreSQL refuses to run as root, so as root its cluster belongs to the `postgres` account."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest

from tests.processes import free_port


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (PostgreSQL server) is not installed")
    return path


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PrivatePostgres:
    """initdb in a temporary folder; `start()`, `stop()`; `url(name)` for a database on it."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"

    def init(self) -> None:
        subprocess.run(
            _as_postgres(
                [
                    _postgres_bin("initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    _postgres_bin("pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
            timeout=60,
        )

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def createdb(self, name: str) -> str:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )
        return self.url(name)


@contextmanager
def private_postgres(ports: range):
    """A running PostgreSQL cluster of the test's own; stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="private-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivatePostgres(free_port(ports), folder)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


class PrivateRedis:
    """redis-server on its own port and folder, nothing saved to disk; `start()`, `stop()`."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        pytest.fail(f"the private Redis on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@contextmanager
def private_redis(ports: range):
    """A running Redis of the test's own (memory only); stopped and deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="private-redis-"))
    server = PrivateRedis(free_port(ports), folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


BROKER_PORTS = range(16475, 16480)


def _pool_reset(app) -> None:
    """Forget the connections to the previous broker. Celery keeps a pool per app, taken from
    kombu's process-wide pools (one per broker URL): closing only the app's pool would leave a
    closed pool there for the next test to get, so every pool is closed and forgotten."""
    kombu.pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_at(monkeypatch, url: str, **conf):
    """The in-process Celery app publishing to `url` (with `conf` on top), restored afterwards.
    Celery prefers the CELERY_BROKER_URL variable to its configuration: it goes for the while."""
    from lms.celery import app

    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    keys = ("broker_url", *conf)
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, **conf)
    app.set_current()  # shared tasks resolve to the current app: this one, not another test's
    _pool_reset(app)
    try:
        yield app
    finally:
        _pool_reset(app)
        app.conf.update(saved)


@pytest.fixture
def private_broker(monkeypatch):
    """The in-process Celery app publishing to a private Redis (not eager), restored afterwards."""
    with (
        private_redis(BROKER_PORTS) as server,
        broker_at(
            monkeypatch,
            server.url,
            task_always_eager=False,
            broker_transport_options={"visibility_timeout": 60},
        ),
    ):
        yield server
