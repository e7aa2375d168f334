"""Helpers for tests that start real processes (web servers, Celery workers, `make run`)."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A Celery worker that consumes one task at a time and talks to no other worker: quick to start
# and to stop, and its log holds only what the test is about.
CELERY_WORKER_COMMAND = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "lms",
    "worker",
    "--pool=solo",
    "--loglevel=WARNING",
    "--without-heartbeat",
    "--without-mingle",
    "--without-gossip",
]


def free_port(ports: range, *, taken: set | frozenset = frozenset()) -> int:
    """The first port of `ports` nobody listens on (and not in `taken`); skips the test if none is."""
    for port in ports:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port in {ports.start}-{ports.stop - 1}")


def database_url() -> str:
    """The URL of the test database, for a process started by a test (PostgreSQL or SQLite)."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{s['USER'] or 'postgres'}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def http_wait(url: str, *, timeout: float, process=None, log=None, status: int = 200) -> None:
    """Wait until the URL answers with `status`; fails the test (with the log's tail) if it never
    does or the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (loopback)
                if response.status == status:
                    return
        except urllib.error.HTTPError as error:
            if error.code == status:
                return
        except OSError:
            pass
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-4000:] if log is not None and log.exists() else ""
    pytest.fail(f"{url} did not answer {status} within {timeout:g} s\n{tail}")


PRODUCTION_STATIC_ROOT = ROOT / "var" / "test-static"


def production_static_collect(env: dict) -> None:
    """`collectstatic` with production settings into var/test-static (git-ignored; kept between
    runs: WhiteNoise's compressed copies of unchanged files are not made again)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(PRODUCTION_STATIC_ROOT)},
        check=True,
        timeout=600,
    )
