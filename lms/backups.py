"""Backing up and restoring the site: the database and the stored files (certificate PDFs, uploaded
trainer spreadsheets, images and documents), with a manifest of SHA-256 sums.

A backup is a folder:

    manifest.json                what is in it: the database's vendor and file, each file store's
                                 archive and every file's name, size and SHA-256
    database.pgdump              PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
    database.sqlite3             SQLite: a copy made with SQLite's online backup API (consistent while
                                 the site runs)
    storage-certificates.tar     one tar per file store (STORAGES: "certificates", "private",
    storage-default.tar          "default"), read and written through the storage API, so an S3
                                 bucket is backed up like a folder; two stores in one folder once

Restoring checks every SHA-256 first, refuses a database that already has tables and a file store
that already has files (unless `force`), loads the database, writes the files, and then checks each
certificate's PDF against the SHA-256 its row holds.

Used by `manage.py backup_data` and `manage.py restore_data`.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = 1
STORES = ("certificates", "private", "default")


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class RestoreOutcome:
    tables: int
    files: int
    certificates_checked: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in a storage, whatever its backend (listdir, recursively)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


def _stores() -> dict[str, Storage]:
    """The file stores to back up, each physical place once (by default "certificates" and
    "private" share var/private)."""
    chosen, seen = {}, set()
    for alias in STORES:
        storage = storages[alias]
        place = (
            ("fs", os.path.realpath(storage.location)) if isinstance(storage, FileSystemStorage) else alias
        )
        if place not in seen:
            seen.add(place)
            chosen[alias] = storage
    return chosen


def _postgres_env() -> dict[str, str]:
    """libpq's variables for the default database: the password never appears in a command line."""
    settings_dict = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("%(program)s tidak terpasang (Debian: postgresql-client).") % {"program": command[0]}
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s gagal: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )


def _database_dump(folder: Path) -> dict:
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
            _postgres_env(),
        )
    elif connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise BackupError(_("Basis data %(vendor)s tidak dapat dicadangkan.") % {"vendor": connection.vendor})
    return {"vendor": connection.vendor, "file": target.name, "sha256": _sha256_file(target)}


def _store_archive(alias: str, storage: Storage, folder: Path) -> dict:
    archive = folder / f"storage-{alias}.tar"
    files = {}
    with tarfile.open(archive, "w") as tar:
        for name in _walk(storage):
            with storage.open(name, "rb") as handle:
                data = handle.read()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            member.mtime = int(timezone.now().timestamp())
            tar.addfile(member, io.BytesIO(data))
            files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"archive": archive.name, "sha256": _sha256_file(archive), "files": files}


def backup_create(*, folder: Path) -> dict:
    """Write a backup of the database and the file stores into `folder` (created; it must be empty
    or new). Returns the manifest. Not idempotent: each call writes a new, complete backup."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(_("Folder %(folder)s tidak kosong; cadangkan ke folder baru.") % {"folder": folder})
    folder.mkdir(parents=True, exist_ok=True)
    from certificates.models import Certificate

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": _database_dump(folder),
        "storages": {alias: _store_archive(alias, storage, folder) for alias, storage in _stores().items()},
        "certificates": Certificate.objects.count(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _manifest_read(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            _("%(file)s tidak dapat dibaca: %(error)s") % {"file": folder / MANIFEST, "error": error}
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("Format cadangan %(format)r tidak dikenal.") % {"format": manifest.get("format")})
    return manifest


def _checked(folder: Path, name: str, sha256: str) -> Path:
    path = folder / Path(name).name  # a name in the manifest never leaves the folder
    if not path.is_file():
        raise BackupError(_("%(file)s tidak ada.") % {"file": path})
    if _sha256_file(path) != sha256:
        raise BackupError(
            _("%(file)s tidak cocok dengan SHA-256 di manifes: cadangan ini rusak.") % {"file": path}
        )
    return path


def _database_restorable(vendor: str, *, force: bool) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            _("Cadangan ini berisi basis data %(backup)s; situs ini memakai %(site)s.")
            % {"backup": vendor, "site": connection.vendor}
        )
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(
            _(
                "Basis data sudah berisi %(count)s tabel; pulihkan ke basis data kosong (atau pakai "
                "--force untuk menimpa isinya)."
            )
            % {"count": len(tables)}
        )


def _database_restore(path: Path, vendor: str, *, force: bool) -> int:
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--clean", "--if-exists"] if force else ["--single-transaction"]
        connection.close()
        _run([*command, "--dbname", connection.settings_dict["NAME"], str(path)], _postgres_env())
    else:
        connection.close()
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    return len(connection.introspection.table_names())


def _store_restore(alias: str, entry: dict, folder: Path) -> int:
    storage = storages[alias]
    archive = _checked(folder, entry["archive"], entry["sha256"])
    written = 0
    with tarfile.open(archive, "r") as tar:
        for member in tar.getmembers():
            expected = entry["files"].get(member.name)
            if not member.isfile() or expected is None:
                raise BackupError(
                    _("%(archive)s: %(file)s tidak ada di manifes.")
                    % {"archive": archive.name, "file": member.name}
                )
            data = tar.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() != expected["sha256"]:
                raise BackupError(
                    _("%(archive)s: %(file)s tidak cocok dengan SHA-256-nya.")
                    % {"archive": archive.name, "file": member.name}
                )
            if storage.exists(member.name):
                storage.delete(member.name)
            if storage.save(member.name, ContentFile(data)) != member.name:
                raise BackupError(
                    _("%(store)s: %(file)s tidak dapat ditulis dengan namanya.")
                    % {"store": alias, "file": member.name}
                )
            written += 1
    if written != len(entry["files"]):
        raise BackupError(
            _("%(archive)s berisi %(written)s berkas; manifes mencatat %(listed)s.")
            % {"archive": archive.name, "written": written, "listed": len(entry["files"])}
        )
    return written


def _certificates_check() -> int:
    """Every certificate's PDF is there and matches the SHA-256 of its row; returns how many."""
    from certificates.models import Certificate

    checked = 0
    for certificate in Certificate.objects.only("pk", "code", "pdf", "pdf_sha256").iterator():
        if not certificate.pdf:
            continue
        try:
            with certificate.pdf.open("rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except OSError as error:
            raise BackupError(
                _("Sertifikat %(code)s: berkas PDF-nya tidak ada (%(error)s).")
                % {"code": certificate.code, "error": error}
            ) from error
        if digest != certificate.pdf_sha256:
            raise BackupError(
                _("Sertifikat %(code)s: berkas PDF-nya tidak cocok dengan SHA-256-nya.")
                % {"code": certificate.code}
            )
        checked += 1
    return checked


def backup_restore(*, folder: Path, force: bool = False) -> RestoreOutcome:
    """Restore a backup made by `backup_create` into this site's database and file stores.
    Checks the whole backup against its manifest before writing anything; refuses a database with
    tables or a store with files unless `force`. Not idempotent without `force`."""
    folder = Path(folder)
    manifest = _manifest_read(folder)
    database = manifest["database"]
    database_path = _checked(folder, database["file"], database["sha256"])
    for entry in manifest["storages"].values():
        _checked(folder, entry["archive"], entry["sha256"])
    unknown = set(manifest["storages"]) - set(STORES)
    if unknown:
        raise BackupError(
            _("Penyimpanan berkas tidak dikenal di manifes: %(stores)s.")
            % {"stores": ", ".join(sorted(unknown))}
        )
    _database_restorable(database["vendor"], force=force)
    if not force:
        for alias in manifest["storages"]:
            if next(_walk(storages[alias]), None) is not None:
                raise BackupError(
                    _(
                        "Penyimpanan berkas %(store)s sudah berisi berkas; pulihkan ke penyimpanan kosong "
                        "(atau pakai --force)."
                    )
                    % {"store": alias}
                )
    tables = _database_restore(database_path, database["vendor"], force=force)
    files = sum(_store_restore(alias, entry, folder) for alias, entry in manifest["storages"].items())
    return RestoreOutcome(tables=tables, files=files, certificates_checked=_certificates_check())
