"""`python manage.py import_trainers FILE [--dry-run] [--as USERNAME]`: the admin's trainer import at
the console, all or nothing. Exit status 0 when the file was imported (or, with --dry-run, would
be), 1 when the file or any row has a problem (nothing imported), 2 for wrong arguments."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from courses.people.imports.checks import CREATE, UNCHANGED, UPDATE, Preview, sheet_check
from courses.people.imports.reading import ImportFileError, max_bytes, sheet_read
from courses.people.imports.runs import ImportRejected, sheet_import
from courses.people.scope import is_coordinator


class Command(BaseCommand):
    help = "Impor pelatih dari berkas CSV atau XLSX (semua baris atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas CSV atau XLSX")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="impor dengan cakupan koordinator ini (tanpa opsi ini: cakupan nasional)",
        )

    def handle(self, *args, file, dry_run, as_user, **options):
        translation.activate("id")
        by = None
        if as_user:
            by = get_user_model()._default_manager.filter(username=as_user).first()
            if by is None or not is_coordinator(by):
                raise CommandError(
                    _("Tidak ada koordinator dengan nama pengguna %(name)s.") % {"name": as_user}
                )
        path = Path(file)
        try:
            if path.stat().st_size > max_bytes():
                raise ImportFileError(
                    _(
                        "Berkas terlalu besar (%(size)s KB). Batasnya %(limit)s KB; bagi berkas menjadi beberapa bagian."
                    )
                    % {"size": f"{path.stat().st_size // 1024:,}", "limit": f"{max_bytes() // 1024:,}"}
                )
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Berkas tidak bisa dibuka: %(reason)s") % {"reason": error.strerror}
            ) from None
        try:
            sheet = sheet_read(content=content, filename=path.name)
        except ImportFileError as error:
            self.stderr.write(error.message)
            raise SystemExit(1) from None

        if dry_run:
            preview = sheet_check(sheet=sheet, by=by)
            self._report(preview)
            if not preview.ok:
                raise SystemExit(1)
            self.stdout.write(_("Uji coba: tidak ada yang disimpan."))
            return
        try:
            outcome = sheet_import(sheet=sheet, by=by)
        except ImportRejected as rejected:
            self._report(rejected.preview)
            raise SystemExit(1) from None
        self._report(outcome.preview)
        self.stdout.write(
            self.style.SUCCESS(
                _("Selesai: %(created)s dibuat, %(updated)s diperbarui, %(invited)s undangan dikirim.")
                % {"created": outcome.created, "updated": outcome.updated, "invited": outcome.invited}
            )
        )

    def _report(self, preview: Preview) -> None:
        for problem in preview.problems:
            where = []
            if problem.line is not None:
                where.append(_("baris %(line)s") % {"line": problem.line})
            if problem.column:
                where.append(_("kolom “%(column)s”") % {"column": problem.column})
            prefix = ", ".join(where)
            self.stderr.write(f"{prefix}: {problem.message}" if prefix else problem.message)
        counts = preview.counts
        self.stdout.write(
            _(
                "%(total)s baris: %(create)s akan dibuat, %(update)s akan diperbarui, "
                "%(unchanged)s tidak berubah, %(bad)s baris bermasalah."
            )
            % {
                "total": counts["total"],
                "create": counts[CREATE],
                "update": counts[UPDATE],
                "unchanged": counts[UNCHANGED],
                "bad": counts["bad_rows"],
            }
        )
        if not preview.ok:
            self.stderr.write(
                _("Tidak ada yang diimpor: perbaiki semua masalah di atas, lalu jalankan lagi.")
            )
