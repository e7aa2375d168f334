"""`manage.py backup_data` and `manage.py restore_data`: a backup restored into an empty database
and empty file stores gives back a certificate that verifies (its PDF's SHA-256, the public
verification page); a damaged backup and a database that is not empty are refused, writing nothing.

The backup is made from the test's database and stores; the restore and the verification run in a
process of its own on a new, empty database of the same PostgreSQL server and new folders."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from certificates import services
from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course
from tests.test_celery_worker import _database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="slow (pg_dump/pg_restore in processes of their own): runs in the PostgreSQL pass",
    ),
]

# Run in a process of its own on the new database: restore_data, then the checks on the copy.
RESTORE_AND_VERIFY = """
import hashlib, io, json, sys
from django.core.management import call_command
from django.test import Client
from certificates.models import Certificate
output = io.StringIO()
call_command("restore_data", BACKUP, stdout=output)
certificate = Certificate.objects.get(code=CODE)
with certificate.pdf.open("rb") as handle:
    digest = hashlib.sha256(handle.read()).hexdigest()
page = Client().get(f"/certificates/verify/{certificate.code}/")
api = Client().get(f"/api/v1/certificates/{certificate.code}")
print(json.dumps({
    "restore": output.getvalue(),
    "sha256_row": certificate.pdf_sha256,
    "sha256_file": digest,
    "page_status": page.status_code,
    "page": page.content.decode(),
    "api": api.json(),
}))
"""


def _manage(*args: str, database_url: str, files: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(files / "media"),
        "PRIVATE_MEDIA_ROOT": str(files / "private"),
        "ALLOWED_HOSTS": "testserver",
        "BASE_URL": "http://testserver",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def empty_database():
    """A new, empty database on the test's PostgreSQL server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_verifies_its_certificates(tmp_path, empty_database):
    course = certified_course(title="Pendampingan Purna PMI")
    trainer = TrainerFactory(service_point=ServicePointFactory(), profile__full_name="Dewi Lestari")
    EnrolmentFactory(trainer=trainer, course=course, completed=True)
    certificate = services.certificate_issue(trainer=trainer, course=course)
    backup = tmp_path / "backup"

    call_command("backup_data", str(backup), stdout=io.StringIO())
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["certificates"] == 1
    stored = manifest["storages"]["certificates"]["files"]
    assert stored[certificate.pdf.name]["sha256"] == certificate.pdf_sha256

    # A damaged copy of the backup is refused before anything is written.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with (damaged / manifest["storages"]["certificates"]["archive"]).open("ab") as archive:
        archive.write(b"\0")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore_data", str(damaged))
    # A database that is not empty (this one) is refused, without --force.
    with pytest.raises(CommandError, match="Basis data sudah berisi .* tabel"):
        call_command("restore_data", str(backup))

    restored_files = tmp_path / "restored"
    script = RESTORE_AND_VERIFY.replace("BACKUP", repr(str(backup))).replace("CODE", repr(certificate.code))
    checked = _manage("shell", "-c", script, database_url=empty_database, files=restored_files)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert "1 PDF sertifikat cocok" in result["restore"]
    assert result["sha256_file"] == result["sha256_row"] == certificate.pdf_sha256
    assert hashlib.sha256((restored_files / "private" / certificate.pdf.name).read_bytes()).hexdigest() == (
        certificate.pdf_sha256
    )
    assert result["page_status"] == 200
    assert "Dewi Lestari" in result["page"] and "Pendampingan Purna PMI" in result["page"]
    assert result["api"]["holder_name"] == "Dewi Lestari"
