"""Where certificate PDFs are kept: outside MEDIA_ROOT, so no media URL ever serves them. They
are downloaded only through the permission-checked view.

On this machine's disk (PrivateFileSystemStorage; a shared volume when PRIVATE_MEDIA_ROOT is one),
or in an S3-compatible bucket (certificates.storage_s3, `PRIVATE_STORAGE=s3`), as the settings choose."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT, or `var/private` beside MEDIA_ROOT's folder; no public base URL."""

    @cached_property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return configured or str(Path(settings.MEDIA_ROOT).parent / "var" / "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; use the download view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"}:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def certificate_storage():
    """The storage of certificate PDFs (STORAGES["certificates"]): swap it for S3 and the like."""
    return storages["certificates"]
