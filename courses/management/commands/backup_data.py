"""`python manage.py backup_data FOLDER`: the database and every file store (certificate PDFs
included) into a new folder, with a manifest of SHA-256 sums (lms.backups)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lms.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas tersimpan (PDF sertifikat, unggahan) ke folder baru."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder baru atau kosong untuk cadangan")

    def handle(self, *args, folder: str, **options):
        translation.activate("id")
        try:
            manifest = backup_create(folder=Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(entry["files"]) for entry in manifest["storages"].values())
        self.stdout.write(
            _(
                "Cadangan di %(folder)s: basis data %(vendor)s, %(files)s berkas (%(certificates)s sertifikat)."
            )
            % {
                "folder": folder,
                "vendor": manifest["database"]["vendor"],
                "files": files,
                "certificates": manifest["certificates"],
            }
        )
