"""Offline learning on the trainer's phone: what a course saved for offline consists of
(manifest.py), the device's key and API token (devices.py) and the pages and files the browser
needs for it: the service worker, the web app manifest and the offline page (views.py, api.py).

The browser part is hand-written: lms/static/js/offline-core.js (the device's queue and its
replay through `/api/v1/me/sync`, shared by the pages and the service worker), offline.js (the
page's buttons and indicator) and sw.js (the service worker, served at `/sw.js`)."""
