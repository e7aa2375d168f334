"""`make serve`: the Procfile's processes (gunicorn, the Celery worker, Celery beat) started and
stopped together, for one machine of a production deployment.

    DJANGO_SETTINGS_MODULE=lms.settings.production python -m lms.serve [web worker …]

With no names it starts every process of the Procfile; with names only those (a second machine
runs `web worker`: beat must run on one machine only). Each process writes straight to this
process's stdout and stderr (JSON lines, no prefix), so what collects the logs sees them as they are.

Stopping, as `make run` (lms.devserver.Supervisor): the first SIGINT, SIGTERM or SIGHUP becomes one
SIGTERM to each process's main process (gunicorn and Celery then shut down gracefully: running
requests and tasks finish), and whatever still runs after STOP_TIMEOUT seconds (default 30) is
killed. When one process exits, the others are stopped and the exit code is its own, so a process
manager (systemd, a container runtime) sees the failure and restarts the whole set.
"""

import argparse
import os
import shlex
import sys
from pathlib import Path

from lms.devserver import BASE_DIR, Command, Supervisor

PROCFILE = BASE_DIR / "Procfile"


def procfile_read(path: Path = PROCFILE) -> dict[str, list[str]]:
    """The Procfile's `name: command` lines, in order, as argument lists. No side effects."""
    processes = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        processes[name.strip()] = shlex.split(command)
    return processes


def _program(args: list[str]) -> list[str]:
    """The virtualenv's own gunicorn and celery, whatever PATH says."""
    local = Path(sys.executable).parent / args[0]
    return [str(local), *args[1:]] if "/" not in args[0] and local.exists() else args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="Procfile processes to start (default: all)")
    args = parser.parse_args(argv)
    processes = procfile_read()
    unknown = sorted(set(args.names) - set(processes))
    if unknown:
        parser.error(f"not in the Procfile: {', '.join(unknown)} (it has {', '.join(processes)})")
    chosen = args.names or list(processes)
    supervisor = Supervisor(
        commands={name: Command(args=_program(processes[name]), stop_whole_group=False) for name in chosen},
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stop_timeout=float(os.environ.get("STOP_TIMEOUT", "30")),
    )
    (BASE_DIR / "var").mkdir(exist_ok=True)  # beat's schedule file
    supervisor.listen()
    supervisor.start()
    print(
        f"[serve] started {', '.join(chosen)}; SIGTERM or Ctrl-C stops them all.", file=sys.stderr, flush=True
    )
    return supervisor.wait()


if __name__ == "__main__":
    sys.exit(main())
