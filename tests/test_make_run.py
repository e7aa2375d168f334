"""`make run` and `make worker` as a developer, systemd, Docker or a closed terminal use them: they
come up, everything they make carries the address served, and any stop signal ends every process
they started.

Runs the real Makefile in a copy of the working tree (its own SQLite file, var/ and media/) with the
existing virtualenv, so the developer's db.sqlite3 is never touched. Slow-ish (a fresh migrate and
seed, then four start/stop cycles), so it runs once in CI: on the embedded default, not again in
the PostgreSQL pass, whose settings it would ignore anyway.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PORTS = range(8150, 8160)
STOP_WITHIN = 20  # seconds

pytestmark = [
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="`make run` uses the embedded default; exercised by the SQLite run",
    ),
    pytest.mark.skipif(not (VENV / ".installed").exists(), reason="needs the virtualenv made by make"),
]


def _tree_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    files = [name for name in listed.split("\0") if name]
    # Compiled catalogues are ignored by git; copied (with their times) so `make` finds them up to date.
    files += [str(path.relative_to(ROOT)) for path in (ROOT / "locale").glob("*/LC_MESSAGES/*.mo")]
    return files


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the working tree that uses the existing virtualenv (its stamp kept up to date)."""
    copy = tmp_path_factory.mktemp("make-run") / "lms"
    for name in _tree_files():
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(VENV)
    # The copy's requirements are what the virtualenv has; make must not reinstall into it.
    stamp = (VENV / ".installed").stat().st_mtime
    for name in ("requirements.txt", "requirements-dev.txt"):
        if (copy / name).exists() and (copy / name).stat().st_mtime > stamp:
            os.utime(copy / name, (stamp - 1, stamp - 1))
    return copy


def _env() -> dict[str, str]:
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL", "BASE_URL", "MAKEFLAGS"}
    dropped |= {"MAKELEVEL", "MFLAGS", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "CELERY_DATA_DIR", "EMAIL_BACKEND"}
    dropped |= {"EMAIL_HOST", "CACHE_URL", "SECRET_KEY", "DEBUG"}
    return {key: value for key, value in os.environ.items() if key not in dropped} | {"STOP_TIMEOUT": "10"}


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else fields[19]


def _descendants(root: int) -> dict[int, str]:
    """Every live process below root (by parent id, whatever its session), with its start time."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            started = _start_time(pid)
            if started:
                found[pid] = started
                todo.append(pid)
    return found


def _still_running(processes: dict[int, str]) -> dict[int, str]:
    return {pid: started for pid, started in processes.items() if _start_time(pid) == started}


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "?"


class MakeRun:
    """`make <target>` in its own process group (as a terminal or systemd would start it)."""

    def __init__(self, project: Path, target: str, port: int | None = None, make_options: tuple = ()):
        self.project = project
        self.port = port
        self.log = project / f"make-{target}-{time.monotonic_ns()}.log"
        args = ["make", *make_options, target, "SYSTEM_PACKAGES="] + ([f"PORT={port}"] if port else [])
        self.handle = self.log.open("wb")
        self.make = subprocess.Popen(
            args,
            cwd=project,
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes: dict[int, str] = {}

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.processes |= _descendants(self.make.pid)
            if ready():
                self.processes |= _descendants(self.make.pid)
                return
            if self.make.poll() is not None:
                break
            time.sleep(0.3)
        pytest.fail(f"{what} did not happen; output:\n{self.output()[-6000:]}")

    def send(self, signum: int, *, group: bool) -> None:
        """One signal to make, or to its whole process group (as a terminal, systemd or Docker)."""
        self.signalled = (signum, time.monotonic())
        if group:
            os.killpg(self.make.pid, signum)
        else:
            self.make.send_signal(signum)

    def stop(self, signum: int, *, group: bool) -> float:
        self.send(signum, group=group)
        return self.wait_gone()

    def wait_gone(self) -> float:
        """Seconds from the signal until neither make nor anything it started is left."""
        signum, started = self.signalled
        while time.monotonic() - started < STOP_WITHIN:
            if self.make.poll() is not None and not _still_running(self.processes):
                return time.monotonic() - started
            time.sleep(0.2)
        left = _still_running(self.processes)
        pytest.fail(
            f"still running {STOP_WITHIN} s after {signal.Signals(signum).name}: make "
            f"{'exited' if self.make.poll() is not None else 'running'}, "
            f"{[(pid, _command_line(pid)) for pid in left]}; output:\n{self.output()[-4000:]}"
        )

    def cleanup(self) -> None:
        for pid in _still_running(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.make.poll() is None:
            os.killpg(self.make.pid, signal.SIGKILL)
            self.make.wait()
        self.handle.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (our own server)
            return response.status == 200
    except OSError:
        return False


def _ask_password_reset(base: str, email: str) -> None:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    form_url = f"{base}/accounts/password/reset/"
    with opener.open(form_url, timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email}).encode()
    request = urllib.request.Request(form_url, data=body, headers={"Referer": form_url})  # noqa: S310
    with opener.open(request, timeout=30) as response:
        assert response.status == 200


def _wait_until_serving(run: "MakeRun") -> None:
    base = f"http://127.0.0.1:{run.port}"
    run.wait_for(
        lambda: " ready." in run.output() and _answers(f"{base}/"),
        timeout=180,
        what=f"`make run PORT={run.port}` serving {base}/ with a ready worker",
    )


def _running_server(project: Path, port: int) -> MakeRun:
    run = MakeRun(project, "run", port)
    _wait_until_serving(run)
    return run


def test_make_run_serves_links_with_its_port_and_sigterm_to_make_stops_everything(project):
    port = free_port(PORTS)
    base = f"http://127.0.0.1:{port}"
    run = _running_server(project, port)
    try:
        output = run.output()
        assert f"TOT LMS on {base}/" in output
        assert "8000" not in output.split("[run] TOT LMS", 1)[1].split("\n", 1)[0]
        assert (project / "var" / "run" / "base_url").read_text().split()[0] == base

        # The web server: a password-reset e-mail (console backend) links to the port served.
        email = next(
            line.split()[2] for line in output.splitlines() if " pelatih " in line and "password:" in line
        )
        _ask_password_reset(base, email)
        run.wait_for(lambda: f"{base}/accounts/password/reset/" in run.output(), 20, "the reset e-mail")

        # The worker got the same address.
        workers = [pid for pid in run.processes if "celery" in _command_line(pid)]
        assert workers
        environ = Path(f"/proc/{workers[0]}/environ").read_bytes().split(b"\0")
        assert f"BASE_URL={base}".encode() in environ

        # A command started beside it, without BASE_URL in its environment, says the same.
        beside = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.conf import settings; print(settings.BASE_URL)",
            ],
            cwd=project,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert beside.stdout.strip().splitlines()[-1] == base, beside.stderr

        seconds = run.stop(signal.SIGTERM, group=False)
        print(f"stopped {seconds:.1f} s after SIGTERM to make")
        assert "RecursionError" not in run.output()
        assert run.output().count("Warm shutdown") <= 1
        assert not (project / "var" / "run" / "base_url").exists()
    finally:
        run.cleanup()


def test_make_run_stops_every_process_on_sigterm_sigint_or_sighup_to_its_process_group(project):
    # SIGTERM to the group (systemd, Docker), SIGINT (Ctrl-C), SIGHUP (the terminal closed). Three
    # `make run` at once, on three ports, to keep the suite short (a warm Celery shutdown takes
    # seconds); the first test has migrated and seeded, so `-o seed` skips those steps.
    runs = {}
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            port = free_port(PORTS, taken={run.port for run in runs.values()})
            runs[signum] = MakeRun(project, "run", port, make_options=("-o", "seed"))
        for run in runs.values():
            _wait_until_serving(run)
        for signum, run in runs.items():
            run.send(signum, group=True)
        for signum, run in runs.items():
            seconds = run.wait_gone()
            print(f"stopped {seconds:.1f} s after {signal.Signals(signum).name} to the group")
            assert "RecursionError" not in run.output()
            assert run.output().count("Warm shutdown") <= 1
    finally:
        for run in runs.values():
            run.cleanup()


def test_make_worker_stops_on_sigterm(project):
    run = MakeRun(project, "worker")
    try:
        run.wait_for(lambda: " ready." in run.output(), timeout=90, what="`make worker` ready")
        assert any("celery" in _command_line(pid) for pid in run.processes)
        run.stop(signal.SIGTERM, group=False)
    finally:
        run.cleanup()


def test_make_clean_removes_what_make_built_and_nothing_else(tmp_path):
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / ".venv").symlink_to(elsewhere)  # a stand-in: never the real virtualenv
    for folder in ("var/run", "static", "media"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"):  # WAL mode's companions too
        (tmp_path / name).write_text("")
    (tmp_path / "media" / ".gitkeep").write_text("")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, env=_env(), capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Makefile", "elsewhere", "media"]
