"""`/healthz` for load balancers and orchestrators: 200 when the database and the Celery broker both
answer, else 503 naming the one that does not, as JSON:

    {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    {"status": "error", "checks": {"database": "ok", "broker": "unavailable"}}

A middleware near the top of the chain rather than a view (and rather than django-health-check,
whose checks and pages are more than two pings need): it answers before the host check, the HTTPS
redirect, the session and the language middleware, so a balancer probing a worker by its
internal address over plain HTTP gets the real state, and nothing the probe does touches a session
or the cache. The reason a check failed goes to the log, not to the (public) answer.
"""

import logging

from django.db import connections
from django.http import JsonResponse

HEALTH_PATH = "/healthz"
TIMEOUT_SECONDS = 3

logger = logging.getLogger(__name__)


def database_check() -> None:
    """Raises when the default database does not answer a trivial query."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A broken persistent connection must not stay for the next request of this thread.
        connection.close_if_unusable_or_obsolete()
        raise


def broker_check() -> None:
    """Raises when the Celery broker cannot be reached (Redis: connect and ping)."""
    from lms.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
        # The Redis transport checks the server when a channel is made (a PING).
        connection.default_channel  # noqa: B018


CHECKS = {"database": database_check, "broker": broker_check}


def health_report() -> tuple[bool, dict[str, str]]:
    """Run every check; (all fine, {name: "ok" | "unavailable"}). Side effect: failures are logged."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        healthy, results = health_report()
        response = JsonResponse({"status": "ok" if healthy else "error", "checks": results})
        response.status_code = 200 if healthy else 503
        response["Cache-Control"] = "no-store"
        return response
