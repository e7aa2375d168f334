"""Static files in production: WhiteNoise's compressed manifest storage (hashed names, served with a
cache lifetime of a year and `immutable`; gzip and Brotli copies made by `collectstatic`), made
incremental. WhiteNoise compresses every file again on every `collectstatic`; with Wagtail's admin
that is about 25 MB and, at Brotli's best quality, over a minute of CPU per deployment. A file
whose compressed copy already exists with the same modification time (WhiteNoise gives the copy
its source's) is the same file: it is skipped. STATIC_BROTLI_QUALITY (0-11, default 11) trades
the first compression's time for size."""

import os

import brotli
from django.conf import settings
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class IncrementalCompressor(Compressor):
    def compress(self, path):
        source = os.stat(path)
        done = [
            path + suffix
            for suffix in (".br", ".gz")
            if os.path.exists(path + suffix) and os.stat(path + suffix).st_mtime == source.st_mtime
        ]
        return done or super().compress(path)

    @staticmethod
    def compress_brotli(data):
        return brotli.compress(data, quality=getattr(settings, "STATIC_BROTLI_QUALITY", 11))


class IncrementalCompressedManifestStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return IncrementalCompressor(**kwargs)
