"""`make run`: the development web server and a Celery worker, started and stopped together.

    DJANGO_SETTINGS_MODULE=lms.settings.dev python -m lms.devserver [--host 127.0.0.1] [--port 8000]

Both children inherit DJANGO_SETTINGS_MODULE, which `make run` sets (development settings unless
the environment names another module); importing `lms` alone would default to production settings.

Both children get BASE_URL = the address being served (unless the environment already sets one,
e.g. a tunnel), so QR codes, verification links and e-mails carry it. The address is also recorded
in var/run/base_url with this process's id; `lms.settings.dev` reads it when BASE_URL is not in the
environment, so a command started in another terminal (`manage.py issue_certificates`) prints the
same address. The record is removed on the way out, and ignored once its process is gone (after a
SIGKILL), so a stale file never points at a port nobody serves.

Stopping: each child runs in its own session (process group), so a Ctrl-C, a SIGTERM to the
process group of `make` (systemd, Docker) or closing the terminal reaches the children only
through this process, exactly once: the first SIGINT, SIGTERM or SIGHUP becomes one SIGTERM for
each child (Celery then shuts down warmly, letting running tasks finish; a second signal would make
it shut down cold), later ones are ignored, and whatever is left of either process group after
STOP_TIMEOUT seconds (default 10) is killed.

Standard library only: the settings import `served_base_url` from here before Django is set up.
"""

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / "var" / "run"
BASE_URL_FILE = "base_url"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
PR_SET_PDEATHSIG = 1


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def served_base_url(*, run_dir: Path = RUN_DIR) -> str | None:
    """The address a running `make run` serves, or None when none runs. Read-only."""
    try:
        url, pid = (run_dir / BASE_URL_FILE).read_text(encoding="utf-8").split()[:2]
        alive = _process_alive(int(pid))
    except (OSError, ValueError):
        return None
    return url if alive and url.startswith(("http://", "https://")) else None


def base_url_for(*, host: str, port: int) -> str:
    """The address to print in links for a server bound to host:port."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104  (bound to every interface: loopback reaches it)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def base_url_record(*, url: str, run_dir: Path = RUN_DIR) -> Path:
    """Record the served address with this process's id (atomic replace). Returns the file."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / BASE_URL_FILE
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(f"{url}\n{os.getpid()}\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def base_url_forget(*, path: Path) -> None:
    """Remove the record if it is still ours (another `make run` may have replaced it)."""
    with contextlib.suppress(OSError, ValueError):
        if int(path.read_text(encoding="utf-8").split()[1]) == os.getpid():
            path.unlink()


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this supervisor dies without forwarding (e.g. SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass(frozen=True)
class Command:
    args: list[str]
    # runserver's autoreloader parent does not pass SIGTERM on to the child that serves: signal the
    # whole group. Celery's main process shuts its pool down warmly (running tasks finish): a
    # SIGTERM to the pool processes themselves would kill those tasks, so signal the main one only.
    stop_whole_group: bool


class Supervisor:
    def __init__(self, *, commands: dict[str, Command], env: dict[str, str], stop_timeout: float):
        self.commands = commands
        self.env = env
        self.stop_timeout = stop_timeout
        self.children: dict[str, subprocess.Popen] = {}
        self.stop_requested: int | None = None

    def _on_signal(self, signum, frame) -> None:
        # Only note it: the main loop forwards it once, so a burst of signals (make forwarding a
        # SIGTERM that the whole group also got) still means one SIGTERM per child.
        if self.stop_requested is None:
            self.stop_requested = signum

    def listen(self) -> None:
        """Catch the stop signals from now on (before anything is started or recorded)."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def start(self) -> None:
        for name, command in self.commands.items():
            self.children[name] = subprocess.Popen(  # noqa: S603  (our own fixed commands)
                command.args,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # safe: this process runs no threads
            )

    def _stop_children(self) -> None:
        for name, child in self.children.items():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if self.commands[name].stop_whole_group:
                    os.killpg(child.pid, signal.SIGTERM)
                else:
                    child.send_signal(signal.SIGTERM)

    def _kill_groups(self) -> None:
        for child in self.children.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)

    def _groups_alive(self) -> bool:
        alive = False
        for child in self.children.values():
            child.poll()
            try:
                os.killpg(child.pid, 0)
            except ProcessLookupError:
                continue
            except PermissionError:
                pass
            alive = True
        return alive

    def wait(self) -> int:
        """Run until a stop signal or a child's exit, then stop every child. Returns the exit code."""
        exited = None
        while self.stop_requested is None and exited is None:
            exited = next((name for name, child in self.children.items() if child.poll() is not None), None)
            time.sleep(0.2)
        if exited is not None:
            print(f"[run] {exited} stopped (exit code {self.children[exited].returncode}); stopping the rest")
        self._stop_children()
        deadline = time.monotonic() + self.stop_timeout
        while self._groups_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self._groups_alive():
            print(f"[run] still running after {self.stop_timeout:g} s: killed")
            self._kill_groups()
            while self._groups_alive() and time.monotonic() < deadline + 5:
                time.sleep(0.1)
        if exited is not None:
            return self.children[exited].returncode or 1
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    args = parser.parse_args(argv)

    # This supervisor runs before (and without) Django's settings, which are loaded only in the
    # children, so it reads its few knobs from the environment, as the settings themselves do.
    base_url = os.environ.get("BASE_URL", "").strip().rstrip("/") or base_url_for(
        host=args.host, port=args.port
    )
    env = {**os.environ, "BASE_URL": base_url, "PYTHONUNBUFFERED": "1"}
    python = sys.executable
    supervisor = Supervisor(
        commands={
            "worker": Command(
                args=[
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "lms",
                    "worker",
                    "--loglevel=INFO",
                    f"--concurrency={args.concurrency}",
                ],
                stop_whole_group=False,
            ),
            "web server": Command(
                args=[python, "manage.py", "runserver", f"{args.host}:{args.port}"], stop_whole_group=True
            ),
        },
        env=env,
        stop_timeout=float(os.environ.get("STOP_TIMEOUT", "10")),
    )
    supervisor.listen()
    record = base_url_record(url=base_url)
    try:
        supervisor.start()
        print(
            f"[run] TOT LMS on {base_url}/ with a Celery worker; certificates and e-mails carry "
            f"{base_url}. Ctrl-C (or SIGTERM) stops both.",
            flush=True,
        )
        return supervisor.wait()
    finally:
        base_url_forget(path=record)


if __name__ == "__main__":
    sys.exit(main())
