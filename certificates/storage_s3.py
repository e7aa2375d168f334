"""Private files (certificate PDFs, uploaded trainer spreadsheets) in an S3-compatible bucket, when
`PRIVATE_STORAGE=s3` (lms.settings.base). A module of its own so that boto3 is imported only by
deployments that use it."""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """django-storages' S3Storage for private files: objects without a public ACL and no URL of
    their own, read only through the permission-checked views."""

    default_acl = "private"

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; use the download view.")
