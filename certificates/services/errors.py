"""The error of the certificates domain."""


class CertificateError(Exception):
    """A certificate cannot be issued or changed; the message is for the user, in Indonesian."""
