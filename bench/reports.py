"""Benchmark: do the coordinator reports stay under 1 s, with a query count that does not grow with
the number of trainers, over 92 service points × 50 trainers?

    .venv/bin/python bench/reports.py [--points 92] [--trainers 50] [--small 5] [--lessons 40]
                                      [--requests 5] [--database-url URL] [--quick]

Creates a throw-away database (a temporary SQLite file; with --database-url or DATABASE_URL, a
`test_<name>` database on that server, dropped at the end), seeds a course of 40 lessons (each with
a quiz of three questions), 92 service points over several provinces, and first `--small` trainers
per service point with varied progress (bulk_create): enrolments, lessons done, quiz attempts with
their answers (some wrong, a favourite wrong choice per question), completions and certificates.
Then it requests each report page through Django's test Client as a national coordinator (median
server time and query count), grows the seed to `--trainers` per service point (about 184,000
lessons done at full size) and measures again; it prints the ratio of both, and the time and
peak Python memory (tracemalloc) of every export, CSV and XLSX.

Exit status 1 when a page answers other than 200, takes 1 s or more at full size, or runs more
queries with more trainers.
"""

import argparse
import platform
import random
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from harness import database_create, database_drop, measure, setup_django  # noqa: E402

PROVINCES = [
    "Jawa Timur",
    "Jawa Tengah",
    "Jawa Barat",
    "Banten",
    "DKI Jakarta",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Bali",
    "Lampung",
    "Sumatera Utara",
    "Sulawesi Selatan",
    "Kalimantan Barat",
]
INACTIVE_EVERY = 15  # every 15th service point has had no activity for months


def seed_points(count: int):
    from courses.models import ServicePoint

    ServicePoint.objects.bulk_create(
        [
            ServicePoint(
                code=f"SP{number:03d}",
                name=f"UPT BP2MI Titik {number}",
                province=PROVINCES[(number - 1) % len(PROVINCES)],
                city=f"Kota {number}",
            )
            for number in range(1, count + 1)
        ]
    )
    return list(ServicePoint.objects.order_by("code"))


def seed_trainers(points, *, first: int, per_point: int, course, lessons, quiz_ids, rng, now) -> dict:
    """Trainers `first` … `first + per_point - 1` of every service point, with their enrolment in
    the course, lessons done, quiz attempts and, for most who completed, a certificate."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from certificates.models import Certificate
    from certificates.services import certificate_template_ensure_default
    from courses.models import Enrolment, LessonProgress, QuizAttempt, TrainerProfile

    User = get_user_model()
    template = certificate_template_ensure_default()
    password = make_password("bench-password")
    counts = {"trainers": 0, "lessons": 0, "attempts": 0, "certificates": 0}
    for point_index, point in enumerate(points):
        inactive = (point_index + 1) % INACTIVE_EVERY == 0
        users = User.objects.bulk_create(
            [
                User(
                    username=f"p{point.code}-{n:03d}",
                    email=f"{point.code}-{n}@example.org",
                    password=password,
                )
                for n in range(first, first + per_point)
            ]
        )
        if not users or users[0].pk is None:
            users = list(User.objects.filter(username__startswith=f"p{point.code}-").order_by("username"))[
                first:
            ]
        TrainerProfile.objects.bulk_create(
            [
                TrainerProfile(user=user, full_name=f"Pelatih {user.username}", service_point=point)
                for user in users
            ]
        )
        plans = []
        for user in users:
            age = rng.uniform(120, 300) if inactive else rng.uniform(1, 180)
            enrolled_at = now - timedelta(days=age)
            done = len(lessons) if rng.random() < 0.85 else rng.randint(0, len(lessons) - 1)
            span = min(age - (31 if inactive else 0.1), rng.uniform(3, 60))
            plans.append((user, enrolled_at, done, span))
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    trainer=user,
                    course=course,
                    enrolled_at=enrolled_at,
                    completed_at=enrolled_at + timedelta(days=span) if done == len(lessons) else None,
                )
                for user, enrolled_at, done, span in plans
            ]
        )
        if not enrolments or enrolments[0].pk is None:
            enrolments = list(Enrolment.objects.filter(trainer__in=users).order_by("trainer__username"))
        progress, attempts, certificates = [], [], []
        for (user, enrolled_at, done, span), enrolment in zip(plans, enrolments, strict=True):
            step = span / max(done, 1)
            for index in range(done):
                moment = enrolled_at + timedelta(days=step * (index + 1))
                progress.append(
                    LessonProgress(enrolment=enrolment, lesson=lessons[index], completed_at=moment)
                )
                quiz_id = quiz_ids[index]
                if rng.random() < 0.25:
                    attempts.append(
                        QuizAttempt(
                            enrolment=enrolment,
                            lesson=lessons[index],
                            quiz_id=quiz_id,
                            answers=_answers(quiz_id, rng, wrong=True),
                            score=33,
                            passed=False,
                            submitted_at=moment,
                        )
                    )
                attempts.append(
                    QuizAttempt(
                        enrolment=enrolment,
                        lesson=lessons[index],
                        quiz_id=quiz_id,
                        answers=_answers(quiz_id, rng, wrong=False),
                        score=100,
                        passed=True,
                        submitted_at=moment,
                    )
                )
            if done == len(lessons) and rng.random() < 0.9:
                certificates.append(
                    Certificate(
                        code=f"B{user.pk:011d}",
                        serial=f"BENCH/{user.pk}",
                        trainer=user,
                        course=course,
                        service_point=point,
                        template=template,
                        issued_at=enrolled_at + timedelta(days=span + 1),
                        pdf_sha256="0" * 64,
                    )
                )
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
        QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
        Certificate.objects.bulk_create(certificates, batch_size=2000)
        counts["trainers"] += len(users)
        counts["lessons"] += len(progress)
        counts["attempts"] += len(attempts)
        counts["certificates"] += len(certificates)
    return counts


def _answers(quiz_id: str, rng: random.Random, *, wrong: bool) -> dict[str, list[str]]:
    from learning import QUESTIONS_PER_QUIZ

    answers = {}
    for q in range(1, QUESTIONS_PER_QUIZ + 1):
        question = f"{quiz_id}-q{q}"
        letter = "a"
        if wrong and rng.random() < 0.6:
            # one favourite wrong answer per question, as real cohorts have
            letter = "b" if rng.random() < 0.7 else rng.choice("cd")
        answers[question] = [f"{question}-{letter}"]
    return answers


def national_coordinator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from courses.models import CoordinatorProfile
    from courses.people.roles import COORDINATORS_GROUP

    user = get_user_model().objects.create_user(username="koordinator-nasional")
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    CoordinatorProfile.objects.create(user=user, is_national=True)
    return user


def measure_export(client, url: str) -> dict:
    """Time of one export (the whole body read), then its peak Python memory in a second request
    under tracemalloc, which slows allocations down too much to be timed."""

    def export() -> tuple[int, int]:
        response = client.get(url)
        body = response.streaming_content if response.streaming else [response.content]
        return response.status_code, sum(len(chunk) for chunk in body)

    start = time.perf_counter()
    status, size = export()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"status": status, "ms": elapsed * 1000, "peak_kib": peak / 1024, "kb": size / 1024}


REPORTS = [
    ("service points", "coordinator_reports:service_points", ["titik-layanan", "provinsi"]),
    ("course", "coordinator_reports:course", ["modul", "pertanyaan-salah"]),
    ("activity (26 weeks)", "coordinator_reports:activity", ["mingguan"]),
]


def run(args) -> int:
    db_label, sqlite_path = setup_django(args.database_url, prefix="lms-bench-reports-")

    import learning
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    test_db, migrated = database_create(sqlite_path)
    try:
        rng = random.Random(args.seed)
        now = timezone.now()
        index = learning.seed_tree()
        image = learning.make_image()
        course, lessons, quiz_ids = learning.seed_course(
            index, slug="kursus-tot", lessons=args.lessons, image=image
        )
        points = seed_points(args.points)
        national = national_coordinator()
        client = Client(raise_request_exception=False)
        client.force_login(national)
        weeks_ago = (timezone.localdate() - timedelta(weeks=25)).isoformat()
        urls = {
            name: reverse(route)
            + (f"?date_from={weeks_ago}" if "activity" in name else f"?course={course.pk}")
            for name, route, _tables in REPORTS
        }
        print(f"TOT LMS reports benchmark · Python {platform.python_version()} · database {db_label}")
        print(f"migrate {migrated:.1f} s; {args.points} service points, a course of {args.lessons} lessons")

        results, seeded_counts = {}, {}
        totals = {"trainers": 0, "lessons": 0, "attempts": 0, "certificates": 0}
        for label, first, per_point in (
            ("small", 0, args.small),
            ("full", args.small, args.trainers - args.small),
        ):
            started = time.perf_counter()
            counts = seed_trainers(
                points,
                first=first,
                per_point=per_point,
                course=course,
                lessons=lessons,
                quiz_ids=quiz_ids,
                rng=rng,
                now=now,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done
            for key, value in counts.items():
                totals[key] += value
            seeded_counts[label] = dict(totals)
            print(
                f"seeded {time.perf_counter() - started:.1f} s → {totals['trainers']} trainers, "
                f"{totals['lessons']} lessons done, {totals['attempts']} quiz attempts, "
                f"{totals['certificates']} certificates"
            )
            for name, _route, _tables in REPORTS:
                results[(name, label)] = measure(client, urls[name], args.requests)

        small_n, full_n = seeded_counts["small"]["trainers"], seeded_counts["full"]["trainers"]
        print(f"\n{args.requests} requests per page after one warm-up, as a national coordinator (median)\n")
        header = (
            f"{'page':<22}{f'{small_n} trainers':>22}{f'{full_n} trainers':>22}{'ratio (time, queries)':>26}"
        )
        print(header)
        print(f"{'':<22}{'ms  queries    KB':>22}{'ms  queries    KB':>22}")
        print("-" * len(header))
        problems = 0
        for name, _route, _tables in REPORTS:
            small, full = results[(name, "small")], results[(name, "full")]
            cells = []
            for r in (small, full):
                cells.append(
                    f"{r['ms']:>8.0f}{r['queries']:>8}{r['kb']:>6.0f}".rjust(22)
                    if r["status"] == 200
                    else f"HTTP {r['status']}".rjust(22)
                )
            if small["status"] == full["status"] == 200:
                ratio = f"{full['ms'] / small['ms']:>10.2f}× {full['queries'] / small['queries']:>8.2f}×"
                if full["queries"] != small["queries"]:
                    problems += 1
                    ratio += "  ← queries grow"
                if full["ms"] >= 1000 and not args.quick:
                    problems += 1
                    ratio += "  ← over 1 s"
            else:
                problems += 1
                ratio = "—"
            print(f"{name:<22}{cells[0]}{cells[1]}{ratio:>26}")

        print(f"\nexports at {full_n} trainers (one request each; peak = Python allocations, tracemalloc)")
        for name, _route, tables in REPORTS:
            for table in tables:
                for fmt in ("csv", "xlsx"):
                    r = measure_export(client, f"{urls[name]}&export={fmt}&table={table}")
                    if r["status"] != 200:
                        problems += 1
                    print(
                        f"  {name:<20}{table:<18}{fmt:<5}{r['ms']:>8.0f} ms{r['peak_kib']:>9.0f} KiB peak"
                        f"{r['kb']:>8.1f} KB  HTTP {r['status']}"
                    )
        print(f"\nDEBUG={settings.DEBUG}; times are wall-clock inside the test Client (no network).")
        return 1 if problems else 0
    finally:
        database_drop(test_db, sqlite_path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=92)
    parser.add_argument("--trainers", type=int, default=50, help="trainers per service point at full size")
    parser.add_argument("--small", type=int, default=5, help="trainers per service point of the smaller seed")
    parser.add_argument("--lessons", type=int, default=40)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20210605)
    parser.add_argument(
        "--database-url", default="", help="default: DATABASE_URL, else a throw-away SQLite file"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small size that only checks the benchmark runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.points, args.trainers, args.small, args.lessons, args.requests = 6, 6, 2, 6, 2
    if not 0 < args.small < args.trainers:
        parser.error("--small must be between 1 and --trainers - 1")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
