"""Benchmark: the production stack under load, and lesson pages with and without the shared cache.

    .venv/bin/python bench/load.py [--quick] [--users 50,200] [--duration 60] [--workers 3]
                                   [--database-url postgres://…] [--redis-url redis://…]

Starts on loopback what production runs: PostgreSQL (a throw-away database on the server at
--database-url, DATABASE_URL or 127.0.0.1:5432, dropped at the end), a private Redis (its own
redis-server on a free port; --redis-url to use another) as broker and cache, a Celery worker and
two gunicorn servers with production settings and --workers workers each: one as today's code ran
(LESSON_CACHE=0), one with the shared content cache. It seeds a 20-lesson course (text, image,
checklist and a quiz in each lesson), the trainers, and certificates to verify, then prints:

1. wrk-style throughput of one lesson page (anonymous and as a signed-in trainer), LESSON_CACHE=0
   and cached side by side: requests/s and median with --connections (20) connections in a closed
   loop for --wrk-seconds (15), as `wrk -t2 -c20 -d15s` would. Measured with Locust's FastHttpUser
   (geventhttpclient), wrk itself is not needed.
2. One offline sync of 500 events (`POST /api/v1/me/sync`) on the cached server: seconds.
3. Locust, headless, for each --users count (50 and 200): trainers who read lessons, mark them
   done, take quizzes and sync offline batches (waiting 1–3 s), and visitors verifying
   certificates; requests/s, p50/p95/p99 per endpoint and the errors, against the targets; and,
   during the same run, a probe outside Locust checking a certificate every 0.1 s (VerifyProbe).

--quick (CI): 10 users for 10 s, 4 s of wrk-style runs, 100 sync events.
"""

import argparse
import csv
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
LESSONS = 20
TARGETS_MS = {  # p95 targets per endpoint
    "lesson page": 300,
    "lesson complete": 500,
    "quiz attempt": 500,
    "verify code (API)": 50,
}
SYNC_TARGET_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, what: str, seconds: float = 60, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
    raise SystemExit(f"{what} did not start within {seconds:.0f} s\n{tail}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500


class Stack:
    """The processes and the database of one run; everything is stopped and removed at the end."""

    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="lms-load-"))
        self.processes: list[subprocess.Popen] = []
        self.database_name = f"bench_load_{os.getpid()}"
        server = (
            args.database_url
            or os.environ.get("DATABASE_URL")
            or "postgres://postgres@127.0.0.1:5432/postgres"
        )
        self.server_url = server.rsplit("/", 1)[0]
        self.database_url = f"{self.server_url}/{self.database_name}"
        self.redis_url = args.redis_url
        self.env = {}

    # -- services --------------------------------------------------------------------------
    def start_redis(self) -> None:
        if self.redis_url:
            return
        port = free_port()
        self.spawn(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            "redis",
        )
        self.redis_url = f"redis://127.0.0.1:{port}"
        wait_for(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() is None, "Redis")

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}"')
            connection.execute(f'CREATE DATABASE "{self.database_name}"')

    def drop_database(self) -> None:
        import psycopg

        try:
            with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        except psycopg.Error as error:
            print(f"(could not drop {self.database_name}: {error})")

    def environment(self) -> dict:
        redis = self.redis_url.rstrip("/")
        if redis.count("/") > 2:  # a database number given: keep it, use the next one for the cache
            redis = redis.rsplit("/", 1)[0]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": "load-benchmark-" + uuid.uuid4().hex,
            "BASE_URL": "https://lms.example.org",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"{redis}/0",
            "CACHE_URL": f"{redis}/1",
            # Kept between runs (collectstatic skips what it compressed before), quickly compressed.
            "STATIC_ROOT": str(BASE_DIR / "var" / "bench-load-static"),
            "STATIC_BROTLI_QUALITY": "1",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.tmp / "private"),
            "LOG_LEVEL": "WARNING",
            "SECURE_HSTS_SECONDS": "0",
            # Locust stands where the reverse proxy would: its X-Forwarded-For names each visitor.
            "TRUSTED_PROXIES": "127.0.0.1",
            "WEB_CONCURRENCY": str(self.args.workers),
            "HOST": "127.0.0.1",
            "PYTHONPATH": str(BASE_DIR),
        }
        env.pop("LESSON_CACHE", None)
        self.env = env
        return env

    def spawn(self, command: list[str], name: str, env=None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def manage(self, *arguments: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_web(self, *, cached: bool) -> str:
        port = free_port()
        env = {**self.env, "PORT": str(port), "LESSON_CACHE": "1" if cached else "0"}
        self.spawn(
            [str(VENV_BIN / "gunicorn"), "-c", "python:lms.gunicorn", "lms.wsgi"],
            f"gunicorn-{'cached' if cached else 'today'}",
            env,
        )
        url = f"http://127.0.0.1:{port}"
        # Generous: on a busy 2-core machine three workers importing Django and Wagtail take a while.
        wait_for(
            lambda: http_ok(url + "/healthz"),
            f"gunicorn on {url}",
            seconds=240,
            log=self.tmp / f"gunicorn-{'cached' if cached else 'today'}.log",
        )
        return url

    def start_worker(self) -> None:
        self.spawn(
            [str(VENV_BIN / "celery"), "-A", "lms", "worker", "--concurrency=1", "--loglevel=WARNING"],
            "worker",
            self.env,
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# -- seeding (runs in a child process with the production settings) ----------------------------
def seed(fixture_path: str, trainers: int, certificates: int) -> None:
    import django

    sys.path.insert(0, str(BENCH_DIR))
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from learning import make_image, seed_course, seed_trainers, seed_tree
    from wagtail.models import APIToken

    from certificates.services import certificate_issue, certificate_template_ensure_default
    from courses import selectors, services

    index = seed_tree()
    course, lessons, quiz_ids = seed_course(index, slug="beban", lessons=LESSONS, image=make_image())
    course.certificate_template = certificate_template_ensure_default()
    # Any number of attempts, no wait after a failed one (when the course has such a policy).
    for field, value in (("quiz_max_attempts", 0), ("quiz_retry_wait_minutes", 0)):
        if hasattr(course, field):
            setattr(course, field, value)
    course.save()
    users = seed_trainers(trainers + certificates + 1)
    services.enrolments_create(trainer_ids=[user.pk for user in users], course=course)
    answers = {}
    for lesson, quiz_id in zip(lessons, quiz_ids, strict=True):
        quiz = next(quiz for quiz in selectors.lesson_quizzes(lesson=lesson) if quiz.id == quiz_id)
        answers[quiz_id] = {question.id: sorted(question.correct_ids) for question in quiz.questions}
    codes = []
    for user in users[trainers : trainers + certificates]:
        for lesson, quiz_id in zip(lessons, quiz_ids, strict=True):
            services.lesson_complete(trainer=user, lesson=lesson)
            found = selectors.quiz_get(quiz_id=quiz_id)
            services.quiz_attempt_submit(
                trainer=user, quiz=found[0], lesson=found[1], answers=answers[quiz_id]
            )
        codes.append(certificate_issue(trainer=user, course=course, notify=False).code)
    backend = settings.AUTHENTICATION_BACKENDS[0]
    people = []
    for user in [*users[:trainers], users[-1]]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        _token, plaintext = APIToken.create_token(user=user, name="beban")
        people.append({"session": session.session_key, "token": plaintext})
    Path(fixture_path).write_text(
        json.dumps(
            {
                "lessons": [
                    {"id": lesson.pk, "url": lesson.url, "quiz_id": quiz_id, "answers": answers[quiz_id]}
                    for lesson, quiz_id in zip(lessons, quiz_ids, strict=True)
                ],
                "trainers": people[:-1],
                "sync_trainer": people[-1],
                "certificates": codes,
            }
        )
    )


# -- measuring ---------------------------------------------------------------------------------
def locust(stack: Stack, url: str, classes: list[str], *, users: int, seconds: int, extra_env=None) -> dict:
    prefix = stack.tmp / f"locust-{uuid.uuid4().hex[:8]}"
    env = {**stack.env, "LOAD_FIXTURE": str(stack.tmp / "fixture.json"), **(extra_env or {})}
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(BENCH_DIR / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "--users",
            str(users),
            "--spawn-rate",
            str(max(users / 5, 1)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        cwd=BASE_DIR,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(stack.tmp / "locust.log", "ab"),  # noqa: SIM115
    )
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    return rows


def num(value) -> float:
    """A Locust CSV figure; "N/A" (no request answered) as 0."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def wrk_style(stack: Stack, urls: dict[str, str], seconds: int, connections: int) -> None:
    print(
        f"\nLesson page, {connections} connections in a closed loop for {seconds} s (wrk-style, Locust FastHttpUser):"
    )
    print(f"  {'reader':<22}{'today (LESSON_CACHE=0)':>28}{'cached':>26}{'ratio':>9}")
    for reader in ("anonymous", "trainer"):
        figures = {}
        for mode, url in urls.items():
            stats = locust(
                stack,
                url,
                ["LessonReader"],
                users=connections,
                seconds=seconds,
                extra_env={"LOAD_READER": reader},
            )["Aggregated"]
            figures[mode] = (num(stats["Requests/s"]), num(stats["50%"]), int(num(stats["Failure Count"])))
        today, cached = figures["today"], figures["cached"]
        cells = [
            f"{rps:7.1f} req/s, median {median:5.0f} ms" + (f" ({fails} err)" if fails else "")
            for rps, median, fails in (today, cached)
        ]
        ratio = cached[0] / today[0] if today[0] else float("nan")
        print(f"  {reader:<22}{cells[0]:>28}{cells[1]:>26}{ratio:>8.1f}×")


def sync_timing(stack: Stack, url: str, events: int) -> None:
    fixture = json.loads((stack.tmp / "fixture.json").read_text())
    lessons = fixture["lessons"]
    batch = []
    for number in range(events):
        lesson = lessons[number % len(lessons)]
        if number % 2:
            batch.append(
                {
                    "id": str(uuid.uuid4()),
                    "type": "quiz_attempt",
                    "quiz_id": lesson["quiz_id"],
                    "answers": lesson["answers"],
                }
            )
        else:
            batch.append(
                {"id": str(uuid.uuid4()), "type": "lesson_completed", "lesson_id": str(lesson["id"])}
            )
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url + "/api/v1/me/sync",
        data=json.dumps({"events": batch}).encode(),
        headers={
            "Authorization": f"Bearer {fixture['sync_trainer']['token']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback only
        body = json.loads(response.read())
    seconds = time.perf_counter() - started
    verdict = "ok" if seconds < SYNC_TARGET_SECONDS * events / 500 else "SLOW"
    print(
        f"\nOffline sync of {events} events in one request: {seconds:.2f} s ({seconds / events * 1000:.1f} ms an event; "
        f"applied {body['applied']}, rejected {body['rejected']}; target < {SYNC_TARGET_SECONDS * events / 500:.1f} s: {verdict})"
    )


class VerifyProbe(threading.Thread):
    """One more visitor, outside Locust: checks a certificate by code every 0.1 s, each time on a
    new connection and from a new address (through the trusted proxy, as the Visitors), from this
    process while Locust loads the server. On a 2-core machine Locust shares the cores with the
    server, and its own scheduling adds to the response times it records; this probe, idle
    between checks, measures what a visitor waits for."""

    def __init__(self, url: str, code: str, delay: float):
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.host, self.port, self.code, self.delay = parts.hostname, parts.port, code, delay
        self.stopping = threading.Event()
        self.latencies_ms: list[float] = []
        self.errors = 0

    def run(self) -> None:
        if self.stopping.wait(self.delay):  # after Locust has started its users
            return
        number = 0
        while not self.stopping.is_set():
            number += 1
            connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            started = time.perf_counter()
            try:
                connection.request(
                    "GET",
                    f"/api/v1/certificates/{self.code}",
                    headers={"X-Forwarded-For": f"198.19.{number // 250 % 250}.{number % 250 + 1}"},
                )
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    self.errors += 1
            except OSError:
                self.errors += 1
            finally:
                connection.close()
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
            self.stopping.wait(0.1)

    def summary(self) -> str:
        values = sorted(self.latencies_ms)
        if not values:
            return "  (the probe made no check)"
        p50, p95, p99 = (values[min(len(values) - 1, int(len(values) * q))] for q in (0.5, 0.95, 0.99))
        target = TARGETS_MS["verify code (API)"]
        return (
            f"  {'verify code, probe':<22}{len(values):>9}{'':>8}{p50:>7.0f}{p95:>7.0f}{p99:>7.0f}{self.errors:>8}"
            f"  ≤ {target} ms {'ok' if p95 <= target else 'MISSED'} (one check every 0.1 s outside Locust)"
        )


def load(stack: Stack, url: str, users: int, seconds: int) -> None:
    fixture = json.loads((stack.tmp / "fixture.json").read_text())
    # From when every user has started (Locust spawns them over 5 s) to the end of the run.
    probe = VerifyProbe(url, fixture["certificates"][0], delay=min(10, seconds / 2))
    probe.start()
    try:
        rows = locust(stack, url, ["Trainer", "Visitor"], users=users, seconds=seconds)
    finally:
        probe.stopping.set()
        probe.join(15)
    total = rows.pop("Aggregated")
    print(
        f"\n{users} simulated users for {seconds} s (trainers and visitors, 1–3 s between steps), cached server:"
    )
    print(
        f"  {'endpoint':<22}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}  target p95"
    )
    for name, row in sorted(rows.items(), key=lambda item: item[0]):
        target = TARGETS_MS.get(name)
        p95 = num(row["95%"])
        verdict = "" if target is None else f"≤ {target} ms {'ok' if p95 <= target else 'MISSED'}"
        print(
            f"  {name:<22}{int(num(row['Request Count'])):>9}{num(row['Requests/s']):>8.1f}{num(row['50%']):>7.0f}"
            f"{p95:>7.0f}{num(row['99%']):>7.0f}{int(num(row['Failure Count'])):>8}  {verdict}"
        )
    print(
        f"  {'all':<22}{int(num(total['Request Count'])):>9}{num(total['Requests/s']):>8.1f}{num(total['50%']):>7.0f}"
        f"{num(total['95%']):>7.0f}{num(total['99%']):>7.0f}{int(num(total['Failure Count'])):>8}  (errors: target 0)"
    )
    print(probe.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small run that only checks it works (CI)")
    parser.add_argument("--users", default=None, help="comma-separated user counts (default 50,200)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per load run (default 60)")
    parser.add_argument(
        "--wrk-seconds", type=int, default=None, help="seconds per wrk-style run (default 15)"
    )
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per server")
    parser.add_argument(
        "--sync-events", type=int, default=None, help="events in the timed sync (default 500)"
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL server to make the throw-away database on"
    )
    parser.add_argument("--redis-url", default="", help="a Redis to use instead of a private redis-server")
    parser.add_argument(
        "--seed", nargs=3, help=argparse.SUPPRESS
    )  # internal: fixture path, trainers, certificates
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    if args.seed:
        seed(args.seed[0], int(args.seed[1]), int(args.seed[2]))
        return
    users = [int(n) for n in (args.users or ("10" if args.quick else "50,200")).split(",")]
    duration = args.duration or (10 if args.quick else 60)
    wrk_seconds = args.wrk_seconds or (4 if args.quick else 15)
    sync_events = args.sync_events or (100 if args.quick else 500)
    if shutil.which("redis-server") is None and not args.redis_url:
        raise SystemExit("redis-server is not installed: install it, or give --redis-url")

    stack = Stack(args)
    started = time.perf_counter()
    # A SIGTERM (CI's time limit, `timeout`) stops the servers and drops the database too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        stack.start_redis()
        stack.create_database()
        stack.environment()
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("collectstatic", "--noinput", "-v0")
        subprocess.run(
            [sys.executable, __file__, "--seed", str(stack.tmp / "fixture.json"), str(max(users)), "10"],
            cwd=BASE_DIR,
            env=stack.env,
            check=True,
        )
        stack.start_worker()
        urls = {"today": stack.start_web(cached=False), "cached": stack.start_web(cached=True)}
        print(
            f"Production stack on loopback: PostgreSQL, Redis, a Celery worker, gunicorn with {args.workers} workers "
            f"per server; {LESSONS}-lesson course, {max(users)} trainers (set up in {time.perf_counter() - started:.0f} s)"
        )
        wrk_style(stack, urls, wrk_seconds, args.connections)
        sync_timing(stack, urls["cached"], sync_events)
        for count in users:
            load(stack, urls["cached"], count, duration)
    finally:
        stack.stop()
        stack.drop_database()
        shutil.rmtree(stack.tmp, ignore_errors=True)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
