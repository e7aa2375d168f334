"""python manage.py issue_certificates --course SLUG [--service-point CODE …] [--wait]"""

import time

from django.core.management.base import BaseCommand, CommandError

from certificates import services
from certificates.models import IssuanceBatch
from courses.models import CoursePage, ServicePoint
from lms.queue import BackgroundWorkUnavailable


class Command(BaseCommand):
    help = "Issue certificates to every trainer who completed the course and has none; prints counts."

    def add_arguments(self, parser):
        parser.add_argument("--course", required=True, help="slug of the course page")
        parser.add_argument(
            "--service-point", action="append", default=[], dest="service_points", metavar="CODE"
        )
        parser.add_argument("--wait", action="store_true", help="wait until the batch is finished")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait at most with --wait")

    def handle(self, *args, course: str, service_points: list[str], wait: bool, timeout: int, **options):
        page = CoursePage.objects.filter(slug=course).first()
        if page is None:
            raise CommandError(f"Kursus dengan slug {course!r} tidak ditemukan.")
        points = list(ServicePoint.objects.filter(code__in=service_points))
        missing = sorted(set(service_points) - {point.code for point in points})
        if missing:
            raise CommandError(f"Titik layanan tidak ditemukan: {', '.join(missing)}")
        try:
            batch = services.batch_create(course=page, service_points=points)
        except services.CertificateError as error:
            raise CommandError(str(error)) from error
        except BackgroundWorkUnavailable as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Batch #{batch.pk}: {batch.total} pelatih menyelesaikan kursus {page.title!r}.")
        if wait:
            deadline = time.monotonic() + timeout
            while True:
                batch.refresh_from_db()
                if batch.is_finished or time.monotonic() > deadline:
                    break
                time.sleep(1)
        else:
            batch.refresh_from_db()
        self.stdout.write(
            f"status={batch.status} total={batch.total} issued={batch.issued} "
            f"skipped={batch.skipped} failed={batch.failed}"
        )
        for item in batch.items.filter(outcome="failed").select_related("trainer")[:50]:
            self.stdout.write(f"  gagal: {item.trainer.get_username()}: {item.message}")
        if wait and batch.status not in (IssuanceBatch.Status.DONE, IssuanceBatch.Status.DONE_WITH_ERRORS):
            raise CommandError("Batch belum selesai dalam batas waktu.")
