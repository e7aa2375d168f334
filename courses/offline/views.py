"""The files the browser needs for offline learning: the service worker (at the site root, so its
scope is the whole site), the web app manifest, and the page shown offline for a page not saved."""

import json
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

SERVICE_WORKER_PATH = "js/sw.js"
THEME_COLOUR = "#0b5d3b"


@cache
def _service_worker_source() -> bytes:
    found = finders.find(SERVICE_WORKER_PATH)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(SERVICE_WORKER_PATH) as handle:  # collected, app folders absent
        return handle.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/sw.js`: the service worker, told where the shared offline script is. Never cached for
    long, so that a new version reaches the phones on their next visit (browsers also check at
    least daily)."""
    prelude = (
        f"self.TOT_CORE_URL = {json.dumps(static('js/offline-core.js'))};\n"
        f"self.TOT_OFFLINE_URL = {json.dumps(reverse('offline_page'))};\n"
    ).encode()
    response = HttpResponse(prelude + _service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what the phone shows when the site is installed as an app."""
    data = {
        "name": _("TOT Purna PMI"),
        "short_name": _("TOT PMI"),
        "description": _(
            "Pelatihan untuk pelatih pendamping Purna PMI: belajar di ponsel, juga tanpa sinyal."
        ),
        "lang": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "id",
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
    patch_cache_control(response, max_age=3600)
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows for a page not saved on the phone while offline; its
    script lists the courses that are saved. Stored with each saved course."""
    return render(request, "courses/offline.html")
