"""Structured logs: one JSON object a line on stdout (LOG_FORMAT=json, the production default), each
carrying the id of the request (or of the Celery task's originating request) it belongs to.

The request id comes from the reverse proxy's `X-Request-ID` header when it has a sane shape (so the
proxy's access log and ours can be joined), else a new random one; it is sent back in the
response's `X-Request-ID` header and travels with every Celery task the request enqueues (a message
header), so a worker's lines carry the id of the request that asked for the work.
"""

import contextvars
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from the proxy: a UUID, nginx's $request_id (32 hex digits) and the like. Anything
# else (too long, spaces, control characters) is replaced rather than echoed.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# URL arguments that are secrets (invitation and password-reset links): logged as the route only.
SECRET_URL_ARGUMENTS = {"token", "uidb64", "key"}

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
request_logger = logging.getLogger("lms.request")


def request_id_from_header(value: str | None) -> str:
    """The proxy's id when it has an acceptable shape, else a new random one. No side effects."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (the current request's or task's, else "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def _logged_path(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_URL_ARGUMENTS & set(match.kwargs):
        return "/" + match.route.lstrip("^")
    return request.path


class RequestIdMiddleware:
    """First in the chain: gives the request its id (request.request_id and the log context), puts
    it on the response and logs one line per request (method, path, status, duration)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                _logged_path(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": _logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def celery_signals_connect() -> None:
    """Carry the request id into Celery tasks, and keep Celery from replacing the logging set up by
    Django's LOGGING (the worker's lines are then JSON too). Idempotent (signals dedupe by uid)."""
    from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

    def _keep_django_logging(**kwargs) -> None:
        """Django's LOGGING already configured the process."""

    def _publish(headers=None, **kwargs) -> None:
        if headers is not None and "request_id" not in headers:
            headers["request_id"] = request_id_var.get()

    def _prerun(task=None, **kwargs) -> None:
        if task is None:
            return
        # From the message header; a task run in the same process (eager) keeps the caller's id.
        current = request_id_var.get()
        request_id = getattr(task.request, "request_id", None) or (
            current if current != "-" else f"task-{task.request.id}"
        )
        task.request.request_id_token = request_id_var.set(request_id)

    def _postrun(task=None, **kwargs) -> None:
        token = getattr(task.request, "request_id_token", None) if task is not None else None
        if token is not None:
            request_id_var.reset(token)

    setup_logging.connect(_keep_django_logging, weak=False, dispatch_uid="lms.logs.setup_logging")
    before_task_publish.connect(_publish, weak=False, dispatch_uid="lms.logs.publish")
    task_prerun.connect(_prerun, weak=False, dispatch_uid="lms.logs.prerun")
    task_postrun.connect(_postrun, weak=False, dispatch_uid="lms.logs.postrun")


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING: JSON lines (python-json-logger) or plain text, to stdout, with the request id."""
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(process)d %(request_id)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    json_lines = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "lms.logs.RequestIdFilter"}},
        "formatters": {"main": formatters["json" if json_lines else "text"]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout" if json_lines else "ext://sys.stderr",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "fontTools": {"level": "WARNING"},
            "weasyprint": {"level": "ERROR"},
            "wagtail": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            "django.tasks": {"level": "WARNING"},
            "modelsearch": {"level": "WARNING"},
            # JSON: one line per request comes from RequestIdMiddleware (runserver's and Django's
            # own 4xx lines would repeat it; errors keep their traceback). Text (development):
            # runserver's access log says it already.
            **(
                {
                    "django.request": {"level": "ERROR"},
                    "django.server": {"level": "WARNING"},
                    "lms.request": {"level": "INFO"},
                }
                if json_lines
                else {"lms.request": {"level": "WARNING"}}
            ),
        },
    }
