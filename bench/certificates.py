"""Certificate rendering and issuing benchmark.

    .venv/bin/python bench/certificates.py [--count 10000] [--sample 40] [--database-url URL] [--quick]

1. Per-certificate time of the naive path (one WeasyPrint call per certificate) and of the batch
   path (shared layer cached, group and variable layers in one call per chunk, overlaid with pikepdf),
   measured side by side in this process, their ratio, and the PDF sizes.
2. A batch of --count certificates issued end to end (database rows, PDF files, audit log) by a
   real Celery worker with one process per core on the embedded broker, in a throw-away database
   (SQLite by default, or --database-url): total time and each worker process's peak memory.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _env(tmp: Path, database_url: str, broker_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_DATA_DIR": str(tmp / "celery"),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # The e-mails are built (PDF attached) but not kept: locmem would hold all of them in memory.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _peak_rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def rendering_compare(sample: int) -> dict:
    from django.conf import settings

    from certificates import rendering, services
    from certificates.codes import code_generate

    template = services.certificate_template_ensure_default()
    shared = services.shared_layer_for_revision(revision=template.latest_revision)

    def fields(i: int) -> rendering.CertificateFields:
        code = code_generate()
        return rendering.CertificateFields(
            holder_name=f"Siti Nurhaliza Rahmawati {i}",
            course_title="Pendampingan Purna PMI Mendaftar Kartu Prakerja",
            hours="12",
            service_point=f"UPT BP2MI Kota {i // 50}",
            date="5 Juni 2021",
            serial=f"TOT/2021/SP{i // 50:03d}/{i:05d}",
            code=code,
            verify_url=f"{settings.BASE_URL}/certificates/verify/{code}/",
        )

    # warm up both paths (imports, fonts, shared layer): a long-lived worker has done this already
    rendering.certificate_pdf_render(shared=shared, fields=fields(0))
    rendering.certificate_pdfs_render_batch(shared=shared, fields_list=[fields(i) for i in range(5)])

    items = [fields(i) for i in range(sample)]
    start = time.perf_counter()
    naive = [rendering.certificate_pdf_render(shared=shared, fields=item) for item in items]
    naive_ms = (time.perf_counter() - start) * 1000 / sample

    batch_items = [fields(i) for i in range(max(sample, 200))]
    start = time.perf_counter()
    fast = []
    chunk_size = settings.CERTIFICATES_BATCH_CHUNK_SIZE
    for offset in range(0, len(batch_items), chunk_size):
        fast += rendering.certificate_pdfs_render_batch(
            shared=shared, fields_list=batch_items[offset : offset + chunk_size]
        )
    batch_ms = (time.perf_counter() - start) * 1000 / len(batch_items)
    return {
        "naive_ms": naive_ms,
        "batch_ms": batch_ms,
        "ratio": naive_ms / batch_ms,
        "naive_kib": statistics.mean(len(d) for d in naive) / 1024,
        "batch_kib": statistics.mean(len(d) for d in fast) / 1024,
        "batch_max_kib": max(len(d) for d in fast) / 1024,
        "harfbuzz": rendering.harfbuzz_subset_available(),
    }


def batch_issue(count: int, tmp: Path, env: dict, workers: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from certificates import services
    from certificates.models import IssuanceBatch
    from courses.models import Enrolment, ServicePoint, TrainerProfile
    from tests.factories import certified_course

    User = get_user_model()
    course = certified_course(title="Pendampingan Purna PMI Mendaftar Kartu Prakerja")
    points = ServicePoint.objects.bulk_create(
        [
            ServicePoint(
                code=f"SP{i:03d}", name=f"UPT BP2MI Kota {i}", province="Jawa Timur", city=f"Kota {i}"
            )
            for i in range(1, 93)
        ]
    )
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", email=f"bench{i}@example.org") for i in range(count)], batch_size=2000
    )
    if users[0].pk is None:
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    TrainerProfile.objects.bulk_create(
        [
            TrainerProfile(
                user=user, full_name=f"Pelatih Purna PMI {i}", service_point=points[i % len(points)]
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Enrolment.objects.bulk_create(
        [Enrolment(trainer=user, course=course, completed_at=now) for user in users], batch_size=2000
    )
    for sub in ("celery/queue", "celery/processed", "media"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            f"--concurrency={workers}",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    if env["CELERY_BROKER_URL"].startswith("redis://"):
        import redis

        redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
    try:
        time.sleep(3)  # the worker starts (imports WeasyPrint) before the clock starts
        start = time.perf_counter()
        batch = services.batch_create(course=course)
        peaks: dict[int, float] = {}
        memory_at_10pct = None
        while True:
            time.sleep(0.5)
            for pid in _children(worker.pid):
                peaks[pid] = max(peaks.get(pid, 0.0), _peak_rss_mib(pid))
            batch.refresh_from_db()
            if memory_at_10pct is None and batch.processed >= count / 10:
                memory_at_10pct = max(peaks.values(), default=0.0)
            if batch.is_finished or worker.poll() is not None:
                break
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {
        "count": count,
        "seconds": elapsed,
        "issued": batch.issued,
        "skipped": batch.skipped,
        "failed": batch.failed,
        "status": IssuanceBatch.Status(batch.status).label,
        "peak_mib": max(peaks.values(), default=0.0),
        "peak_mib_10pct": memory_at_10pct or 0.0,
        "workers": workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database-url", default="", help="default: a throw-away SQLite file")
    parser.add_argument(
        "--broker-url",
        default=os.environ.get("CELERY_BROKER_URL", "filesystem://"),
        help="default: CELERY_BROKER_URL or the embedded filesystem broker (which polls once a second)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small size that only checks the benchmark runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.count, args.sample = 60, 4

    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as folder:
        tmp = Path(folder)
        env = _env(tmp, args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}", args.broker_url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

        figures = rendering_compare(args.sample)
        print(f"HarfBuzz subsetting: {'yes' if figures['harfbuzz'] else 'NO (fontTools fallback)'}")
        print(
            f"naive, one WeasyPrint call per certificate: {figures['naive_ms']:.1f} ms/certificate, {figures['naive_kib']:.1f} KiB"
        )
        print(
            f"batch path (shared + group + variable layers): {figures['batch_ms']:.1f} ms/certificate, {figures['batch_kib']:.1f} KiB (max {figures['batch_max_kib']:.1f} KiB)"
        )
        print(f"ratio naive / batch: {figures['ratio']:.1f}x  (goal >= 4x)")
        if args.count:
            result = batch_issue(args.count, tmp, env, args.workers)
            print(
                f"batch of {result['count']} certificates, {result['workers']} worker processes, "
                f"broker {args.broker_url.split(':')[0]}: "
                f"{result['seconds']:.1f} s ({result['seconds'] * 1000 / result['count']:.1f} ms/certificate wall), "
                f"status {result['status']}, issued {result['issued']}, skipped {result['skipped']}, failed {result['failed']}"
            )
            print(
                f"peak memory per worker process: {result['peak_mib']:.0f} MiB "
                f"(after 10 % of the batch: {result['peak_mib_10pct']:.0f} MiB)  (goal: 10,000 in < 180 s)"
            )


if __name__ == "__main__":
    main()
