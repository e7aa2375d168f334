"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from lms.urls import handler400, handler403, handler404, handler500
from lms.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _crash(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("test-errors/crash/", _crash),
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/suspicious/", _suspicious),
    path("api/v1/test-errors/crash/", _crash),
    path("api/v1/test-errors/forbidden/", _forbidden),
    path("api/v1/test-errors/suspicious/", _suspicious),
    *site_urlpatterns,
]
