"""Benchmark: does a trainer's lesson page, dashboard and /api/v1/me/progress stay cheap as a
course grows?

    .venv/bin/python bench/learning.py [--trainers 1000] [--lessons 40] [--requests 30] [--quick]

Creates a throw-away database (a temporary SQLite file; with DATABASE_URL set, a `test_<name>`
database on that server, dropped at the end), seeds a course of 40 lessons, each ending with a quiz,
a 5-lesson course as the baseline, and 1,000 trainers with varied progress (bulk_create), then
requests each page through Django's test Client as a signed-in trainer and prints the median
server time, the query count and the response size, for both courses, and the ratio.

The query count must be the same for both courses; the time may grow a little with the size of
the page itself (more lessons listed), not with the number of queries.
"""

import argparse
import json
import platform
import random
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from harness import database_create, database_drop, measure, setup_django  # noqa: E402


@dataclass
class Seeded:
    course: object
    lessons: list
    quiz_ids: list[str]
    trainer: object  # the trainer whose pages are measured: half-way through the course


QUESTIONS_PER_QUIZ = 3


def quiz_block(quiz_id: str, n: int) -> dict:
    questions = []
    for q in range(1, QUESTIONS_PER_QUIZ + 1):
        questions.append(
            {
                "type": "item",
                "id": f"{quiz_id}-q{q}",
                "value": {
                    "text": f"Pertanyaan {q} tentang pelajaran {n}?",
                    "kind": "single",
                    "explanation": "Penjelasan singkat jawaban yang benar.",
                    "choices": [
                        {
                            "type": "item",
                            "id": f"{quiz_id}-q{q}-{c}",
                            "value": {"text": f"Pilihan {c.upper()}", "correct": c == "a"},
                        }
                        for c in "abcd"
                    ],
                },
            }
        )
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": f"Kuis {n}",
            "intro": "",
            "pass_mark": None,
            "max_attempts": None,
            "questions": questions,
        },
    }


def make_image():
    """A photo-sized image that every lesson shows, as real lessons do."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (1600, 1067), (40, 110, 160)).save(buffer, "JPEG", quality=85)
    return get_image_model().objects.create(
        title="Foto kegiatan", file=ImageFile(buffer, name="kegiatan.jpg")
    )


def lesson_body(n: int, quiz_id: str, image_id: int) -> str:
    text = "".join(
        f"<p>Paragraf {p} pelajaran {n}: pelatih membantu Purna PMI mendaftar Kartu Prakerja, "
        "memilih pelatihan, mengikutinya sampai selesai, dan menerima insentif.</p>"
        for p in range(1, 6)
    )
    return json.dumps(
        [
            {"type": "rich_text", "id": str(uuid.uuid4()), "value": f"<h2>Pelajaran {n}</h2>{text}"},
            {
                "type": "image",
                "id": str(uuid.uuid4()),
                "value": {"image": image_id, "alt_text": "Pelatih mendampingi peserta", "caption": ""},
            },
            {
                "type": "checklist",
                "id": str(uuid.uuid4()),
                "value": {"title": "Siapkan", "items": ["KTP peserta", "Nomor HP aktif", "Alamat e-mail"]},
            },
            quiz_block(quiz_id, n),
        ]
    )


def seed_tree():
    from wagtail.models import Page, Site

    from courses.models import CourseIndexPage, HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda-bench"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "TOT LMS"}
    )
    return home.add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))


def seed_course(index, *, slug: str, lessons: int, image, per_module: int = 5):
    from courses.models import CoursePage, LessonPage, ModulePage

    course = index.add_child(
        instance=CoursePage(
            title=f"Kursus {slug}", slug=slug, summary="Kursus untuk benchmark.", pass_mark=70
        )
    )
    pages, quiz_ids = [], []
    module = None
    for n in range(1, lessons + 1):
        if (n - 1) % per_module == 0:
            number = (n - 1) // per_module + 1
            module = course.add_child(instance=ModulePage(title=f"Modul {number}", slug=f"modul-{number}"))
        quiz_id = str(uuid.uuid4())
        quiz_ids.append(quiz_id)
        pages.append(
            module.add_child(
                instance=LessonPage(
                    title=f"Pelajaran {n}",
                    slug=f"pelajaran-{n}",
                    body=lesson_body(n, quiz_id, image.pk),
                    estimated_minutes=10,
                )
            )
        )
    return course, pages, quiz_ids


def seed_trainers(count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from courses.models import ServicePoint, TrainerProfile

    User = get_user_model()
    points = ServicePoint.objects.bulk_create(
        [
            ServicePoint(
                code=f"B{number:03d}", name=f"Titik layanan {number}", province="Jawa Timur", city="Malang"
            )
            for number in range(1, 11)
        ]
    )
    password = make_password("bench-password")
    users = User.objects.bulk_create(
        [
            User(username=f"pelatih{number:04d}", email=f"pelatih{number:04d}@example.org", password=password)
            for number in range(count)
        ],
        batch_size=500,
    )
    if not users or users[0].pk is None:  # backends that do not return ids from bulk_create
        users = list(User.objects.filter(username__startswith="pelatih").order_by("username"))
    TrainerProfile.objects.bulk_create(
        [
            TrainerProfile(
                user=user, full_name=f"Pelatih {user.username[-4:]}", service_point=points[i % len(points)]
            )
            for i, user in enumerate(users)
        ],
        batch_size=500,
    )
    return users


def seed_progress(trainers, course, lessons, quiz_ids, rng: random.Random, *, measured_done: int):
    """Enrol every trainer; each has done a random share of the lessons, in order, and attempted
    their quizzes (some failed first). Returns the measured trainer, who has done `measured_done`."""
    from django.utils import timezone

    from courses.models import Enrolment, LessonProgress, QuizAttempt

    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(trainer=trainer, course=course, enrolled_at=now) for trainer in trainers], batch_size=500
    )
    if not enrolments or enrolments[0].pk is None:
        enrolments = list(Enrolment.objects.filter(course=course).order_by("trainer_id"))
    done_rows, attempts, completed = [], [], []
    measured = trainers[len(trainers) // 2]
    for trainer, enrolment in zip(trainers, enrolments, strict=True):
        done = measured_done if trainer is measured else rng.randint(0, len(lessons))
        for lesson, quiz_id in zip(lessons[:done], quiz_ids[:done], strict=True):
            done_rows.append(LessonProgress(enrolment=enrolment, lesson=lesson, completed_at=now))
            if rng.random() < 0.2:
                attempts.append(
                    QuizAttempt(
                        enrolment=enrolment,
                        lesson=lesson,
                        quiz_id=quiz_id,
                        answers={},
                        score=33,
                        passed=False,
                    )
                )
            attempts.append(
                QuizAttempt(
                    enrolment=enrolment, lesson=lesson, quiz_id=quiz_id, answers={}, score=100, passed=True
                )
            )
        if done == len(lessons):
            enrolment.completed_at = now
            completed.append(enrolment)
    LessonProgress.objects.bulk_create(done_rows, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    Enrolment.objects.bulk_update(completed, ["completed_at"], batch_size=500)
    return measured, len(done_rows), len(attempts)


STATISTICS_QUESTIONS = 12  # the item-statistics quiz: a pool of 12 questions, 8 drawn per attempt
STATISTICS_DRAWN = 8


def seed_item_statistics(index, trainers, rng: random.Random, *, attempts: int):
    """A course with one lesson whose quiz (a pool of 12 questions, 8 drawn per attempt) has
    `attempts` attempts by trainers of varied ability (a logistic model: stronger trainers and
    easier questions give more right answers; wrong answers lean to one distractor)."""
    import math

    from courses.models import CoursePage, Enrolment, LessonPage, ModulePage, QuizAttempt

    slug = f"statistik-{attempts}"
    course = index.add_child(
        instance=CoursePage(title=f"Kursus {slug}", slug=slug, summary="Statistik.", pass_mark=70)
    )
    module = course.add_child(instance=ModulePage(title="Modul 1", slug="modul-1"))
    quiz_id = str(uuid.uuid4())
    block = quiz_block(quiz_id, 1)
    questions = []
    for q in range(1, STATISTICS_QUESTIONS + 1):
        question = dict(block["value"]["questions"][0])
        question["id"] = f"{quiz_id}-q{q}"
        question["value"] = dict(
            question["value"],
            choices=[
                {
                    "type": "item",
                    "id": f"{quiz_id}-q{q}-{c}",
                    "value": {"text": f"Pilihan {c.upper()}", "correct": c == "a"},
                }
                for c in "abcd"
            ],
        )
        questions.append(question)
    block["value"]["questions"] = questions
    lesson = module.add_child(
        instance=LessonPage(title=f"Kuis {attempts} percobaan", slug="kuis", body=json.dumps([block]))
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(trainer=trainer, course=course) for trainer in trainers], batch_size=500
    )
    if not enrolments or enrolments[0].pk is None:
        enrolments = list(Enrolment.objects.filter(course=course).order_by("trainer_id"))
    ability = [rng.gauss(0, 1) for _ in enrolments]
    difficulty = [rng.uniform(-2, 2) for _ in range(STATISTICS_QUESTIONS)]
    rows = []
    for number in range(attempts):
        who = number % len(enrolments)
        drawn = rng.sample(range(STATISTICS_QUESTIONS), STATISTICS_DRAWN)
        answers, right = {}, 0
        for q in drawn:
            correct = rng.random() < 1 / (1 + math.exp(difficulty[q] - ability[who]))
            letter = "a" if correct else rng.choices("bcd", weights=(6, 3, 1))[0]
            answers[f"{quiz_id}-q{q + 1}"] = [f"{quiz_id}-q{q + 1}-{letter}"]
            right += correct
        score = round(100 * right / STATISTICS_DRAWN)
        rows.append(
            QuizAttempt(
                enrolment=enrolments[who],
                lesson=lesson,
                quiz_id=quiz_id,
                answers=answers,
                score=score,
                passed=score >= 70,
            )
        )
    QuizAttempt.objects.bulk_create(rows, batch_size=2000)
    return lesson


def measure_item_statistics(lesson, requests: int) -> dict:
    """The selector alone (median ms and queries) and the admin screen as a content editor."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import LessonPage
    from courses.people.roles import EDITORS_GROUP
    from courses.selectors.item_statistics import lesson_item_statistics

    times, counts = [], []
    for _ in range(requests):
        fresh = LessonPage.objects.get(pk=lesson.pk)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            lesson_item_statistics(lesson=fresh)
            times.append((time.perf_counter() - start) * 1000)
        counts.append(len(queries))
    editor, _created = get_user_model().objects.get_or_create(username="editor-bench")
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    page = measure(signed_in(editor), f"/admin/statistik-butir/{lesson.pk}/", requests)
    return {
        "selector_ms": statistics.median(times),
        "selector_queries": int(statistics.median(counts)),
        "page": page,
    }


def signed_in(trainer):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(trainer)
    return client


def run(args) -> int:
    db_label, sqlite_path = setup_django(prefix="lms-bench-")

    from django.conf import settings

    test_db, migrated = database_create(sqlite_path)
    try:
        rng = random.Random(args.seed)
        started = time.perf_counter()
        index = seed_tree()
        image = make_image()
        big = seed_course(index, slug="kursus-besar", lessons=args.lessons, image=image)
        small = seed_course(index, slug="kursus-dasar", lessons=5, image=image)
        trainers = seed_trainers(args.trainers)
        # Most trainers follow the big course; a tenth follow only the baseline course.
        cut = args.trainers - max(args.trainers // 10, 1)
        big_trainer, big_rows, big_attempts = seed_progress(
            trainers[:cut], *big, rng, measured_done=args.lessons // 2
        )
        small_trainer, small_rows, small_attempts = seed_progress(
            trainers[cut:], *small, rng, measured_done=2
        )
        seeded = time.perf_counter() - started

        print(f"TOT LMS learning benchmark · Python {platform.python_version()} · database {db_label}")
        print(
            f"migrate {migrated:.1f} s; seeded {seeded:.1f} s: {args.trainers} trainers, "
            f"courses of {args.lessons} and 5 lessons (each with an image and a quiz of {QUESTIONS_PER_QUIZ} questions), "
            f"{big_rows + small_rows} lessons done, {big_attempts + small_attempts} quiz attempts"
        )
        print(
            f"{args.requests} requests per page after one warm-up, as a signed-in trainer half-way through\n"
        )

        pages = [
            ("lesson page", lambda lessons: lessons[len(lessons) // 2].get_url()),
            ("dashboard", lambda lessons: "/dashboard/"),
            ("/api/v1/me/progress", lambda lessons: "/api/v1/me/progress"),
        ]
        results = {}
        for label, (_course, lessons, _quiz_ids), trainer in (
            ("small", small, small_trainer),
            ("big", big, big_trainer),
        ):
            client = signed_in(trainer)
            for name, url in pages:
                results[(name, label)] = measure(client, url(lessons), args.requests)

        header = f"{'page':<22}{'5 lessons':>24}{f'{args.lessons} lessons':>24}{'ratio (time, queries)':>26}"
        print(header)
        print(f"{'':<22}{'ms   queries     KB':>24}{'ms   queries     KB':>24}")
        print("-" * len(header))
        problems = 0
        for name, _url in pages:
            small_r, big_r = results[(name, "small")], results[(name, "big")]
            cells = []
            for r in (small_r, big_r):
                if r["status"] != 200:
                    cells.append(f"HTTP {r['status']}".rjust(24))
                else:
                    spread = "" if r["queries_range"][0] == r["queries_range"][1] else "*"
                    cells.append(f"{r['ms']:>8.1f}{r['queries']:>9}{spread:1}{r['kb']:>6.1f}")
            if small_r["status"] == big_r["status"] == 200:
                ratio = (
                    f"{big_r['ms'] / small_r['ms']:>10.2f}× {big_r['queries'] / small_r['queries']:>8.2f}×"
                )
                if big_r["queries"] != small_r["queries"]:
                    problems += 1
                    ratio += "  ← queries grow"
            else:
                ratio = "—"
                problems += 1
            print(f"{name:<22}{cells[0]}{cells[1]}{ratio:>26}")
        for (name, label), r in results.items():
            if r["status"] != 200:
                print(
                    f"\n{name} ({label} course) answered HTTP {r['status']}: {r['error'] or 'see the log above'}"
                )
        if any(
            r.get("queries_range", (0, 0))[0] != r.get("queries_range", (0, 0))[1] for r in results.values()
        ):
            print("* the query count varied between requests; the median is shown")
        problems += item_statistics_section(index, trainers, rng, args)
        print(f"\nDEBUG={settings.DEBUG}; times are wall-clock inside the test Client (no network).")
        return 1 if problems else 0
    finally:
        database_drop(test_db, sqlite_path)


def item_statistics_section(index, trainers, rng: random.Random, args) -> int:
    """Item statistics of a quiz with few and with many attempts; the query count must not grow."""
    small_n, big_n = args.statistics_attempts // 10, args.statistics_attempts
    results = {}
    for n in (small_n, big_n):
        lesson = seed_item_statistics(index, trainers, rng, attempts=n)
        results[n] = measure_item_statistics(lesson, args.requests)
    print(
        f"\nItem statistics of one quiz (a pool of {STATISTICS_QUESTIONS} questions, {STATISTICS_DRAWN} drawn "
        f"per attempt), as a content editor"
    )
    header = f"{'':<22}{f'{small_n:,} attempts':>24}{f'{big_n:,} attempts':>24}{'ratio (time, queries)':>26}"
    print(header)
    print(f"{'':<22}{'ms   queries     KB':>24}{'ms   queries     KB':>24}")
    print("-" * len(header))
    problems = 0
    small_r, big_r = results[small_n], results[big_n]
    print(
        f"{'statistics (selector)':<22}{small_r['selector_ms']:>8.1f}{small_r['selector_queries']:>9}{'':>7}"
        f"{big_r['selector_ms']:>8.1f}{big_r['selector_queries']:>9}{'':>7}"
        f"{big_r['selector_ms'] / small_r['selector_ms']:>10.2f}× "
        f"{big_r['selector_queries'] / small_r['selector_queries']:>8.2f}×"
    )
    if big_r["selector_queries"] != small_r["selector_queries"]:
        problems += 1
    small_p, big_p = small_r["page"], big_r["page"]
    if small_p["status"] == big_p["status"] == 200:
        print(
            f"{'admin screen':<22}{small_p['ms']:>8.1f}{small_p['queries']:>9}{'':1}{small_p['kb']:>6.1f}"
            f"{big_p['ms']:>8.1f}{big_p['queries']:>9}{'':1}{big_p['kb']:>6.1f}"
            f"{big_p['ms'] / small_p['ms']:>10.2f}× {big_p['queries'] / small_p['queries']:>8.2f}×"
            + ("  ← queries grow" if big_p["queries"] != small_p["queries"] else "")
        )
        problems += big_p["queries"] != small_p["queries"]
    else:
        print(
            f"admin screen answered HTTP {small_p['status']} / {big_p['status']}: {small_p.get('error') or big_p.get('error')}"
        )
        problems += 1
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainers", type=int, default=1000)
    parser.add_argument("--lessons", type=int, default=40)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20210605)
    parser.add_argument(
        "--statistics-attempts",
        type=int,
        default=5000,
        help="attempts at the item-statistics quiz (a tenth as baseline)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small size that only checks the benchmark runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.trainers, args.lessons, args.requests = 40, 8, 3
        args.statistics_attempts = 500
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
