"""`python manage.py restore_data FOLDER [--force]`: a backup made by `backup_data` into this site's
database and file stores, checked against its manifest first; each certificate's PDF is checked
against its SHA-256 afterwards (lms.backups). Refuses a database that has tables or a store that
has files, unless --force."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lms.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Pulihkan cadangan dari backup_data ke basis data dan penyimpanan berkas yang kosong."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder cadangan")
        parser.add_argument(
            "--force",
            action="store_true",
            help="timpa isi basis data dan penyimpanan berkas yang ada",
        )

    def handle(self, *args, folder: str, force: bool, **options):
        translation.activate("id")
        try:
            outcome = backup_restore(folder=Path(folder), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Dipulihkan: %(tables)s tabel dan %(files)s berkas; %(certificates)s PDF sertifikat cocok "
                "dengan SHA-256-nya."
            )
            % {"tables": outcome.tables, "files": outcome.files, "certificates": outcome.certificates_checked}
        )
