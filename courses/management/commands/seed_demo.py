"""`manage.py seed_demo`: load the demo (courses.demo.seed) and print its accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand

from courses.demo.accounts import DEFAULT_DEMO_PASSWORD
from courses.demo.seed import demo_seed


class Command(BaseCommand):
    help = (
        "Load demo data: 92 service points, the TOT course, facilitator guides and demo accounts. "
        "Idempotent. The password is the DEMO_PASSWORD setting (from the environment), or the documented default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Update existing demo pages to the text in courses/demo/ (new revision if changed).",
        )

    def handle(self, *args, refresh: bool = False, **options):
        password = settings.DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD
        result = demo_seed(password=password, refresh=refresh)
        if result.created:
            summary = ", ".join(f"{name}: {n}" for name, n in sorted(result.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data created or updated ({summary})."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write("Demo accounts (demo only, change them on a real server):")
        for role, username, email in result.accounts:
            self.stdout.write(f"  {role:<14} {username:<12} {email:<26} password: {password}")
