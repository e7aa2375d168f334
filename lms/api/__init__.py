"""The /api/v1/ JSON API's shared parts; each app keeps only its own router (`<app>/api.py`).

- `lms.api.root`: the one NinjaAPI, which mounts every router (imported by lms.urls only, so that
  an app's router may import the modules below without an import circle);
- `lms.api.auth`: bearer tokens and the browser session, and the token endpoints;
- `lms.api.errors`: the one error shape, its schemas and the exception handlers.
"""
