"""Helpers for tests that start real processes (web servers, Celery workers, `make run`)."""

import socket
import sys

import pytest

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
