"""The API's one error shape: `{"detail": "<message in the user's language>", "code": "…"}`, plus
`"errors": {"<field path>": "<message>"}` for a bad body (422).

The schemas document it in OpenAPI (a router lists them in `response={…}`);
`exception_handlers_add` makes every error of the API, expected or not, answer in it."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Literal

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lms.views import DATABASE_RETRY_AFTER_SECONDS


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in the user's language.")
    code: str | None = Field(None, description="A stable machine-readable code, e.g. `not_enrolled`.")


class ValidationErrorOut(Schema):
    detail: str = Field(description="A summary, in the user's language.")
    code: Literal["invalid"] = "invalid"
    errors: dict[str, str] = Field(
        description="One message per field, keyed by its path in the body (e.g. `answers.q1`)."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "detail": "Periksa kembali data yang dikirim.",
                    "code": "invalid",
                    "errors": {"answers.q1": "Pilihan tidak dikenal."},
                }
            ]
        }
    }


def _field_message(error: dict) -> str:
    """Pydantic's English message for one field, said in the user's language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Wajib diisi."),
        "string_type": _("Harus berupa teks."),
        "list_type": _("Harus berupa daftar."),
        "dict_type": _("Harus berupa objek."),
        "model_type": _("Harus berupa objek."),
        "model_attributes_type": _("Harus berupa objek."),
        "int_type": _("Harus berupa bilangan bulat."),
        "int_parsing": _("Harus berupa bilangan bulat."),
        "bool_type": _("Harus bernilai true atau false."),
        "bool_parsing": _("Harus bernilai true atau false."),
        "datetime_type": _("Harus berupa waktu ISO 8601, misalnya 2021-06-05T09:30:00+07:00."),
        "datetime_parsing": _("Harus berupa waktu ISO 8601, misalnya 2021-06-05T09:30:00+07:00."),
        "datetime_from_date_parsing": _("Harus berupa waktu ISO 8601, misalnya 2021-06-05T09:30:00+07:00."),
        "uuid_type": _("Harus berupa UUID."),
        "uuid_parsing": _("Harus berupa UUID."),
        "literal_error": _("Nilai tidak dikenal."),
        "enum": _("Nilai tidak dikenal."),
        "extra_forbidden": _("Kolom tidak dikenal."),
        "json_invalid": _("JSON tidak valid."),
    }
    if kind in messages:
        return messages[kind]
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return _("Tidak boleh kosong.")
        return _("Terlalu pendek (minimal %(n)d karakter).") % {"n": ctx["min_length"]}
    if kind == "string_too_long":
        return _("Terlalu panjang (maksimal %(n)d karakter).") % {"n": ctx.get("max_length", 0)}
    if kind == "too_long":
        return _("Terlalu banyak butir (maksimal %(n)d).") % {"n": ctx.get("max_length", 0)}
    if kind == "too_short":
        return _("Terlalu sedikit butir (minimal %(n)d).") % {"n": ctx.get("min_length", 0)}
    return _("Nilai tidak valid.")


def _field_path(loc) -> str:
    """("body", "payload", "answers", "q1") → "answers.q1"; ("path", "quiz_id") → "quiz_id"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        # Drop the source and the handler's parameter name: clients know only the JSON they sent.
        parts = parts[2:] or ["body"]
    elif parts:
        parts = parts[1:] or parts
    return ".".join(parts)


# Each handler also takes the API (bound by `exception_handlers_add`, as ninja binds its own default
# handlers), whose renderer writes the answer.


def invalid_response(request: HttpRequest, errors: dict[str, str], api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Periksa kembali data yang dikirim."), "code": "invalid", "errors": errors},
        status=422,
    )


def validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    errors: dict[str, str] = {}
    for error in exc.errors:
        path = _field_path(error.get("loc", ()))
        message = _field_message(error)
        errors[path] = (
            f"{errors[path]} {message}" if path in errors and message not in errors[path] else message
        )
    return invalid_response(request, errors, api)


def not_authenticated(request: HttpRequest, exc: AuthenticationError, api: NinjaAPI) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Anda perlu masuk terlebih dahulu."), "code": "not_authenticated"},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    # One message for "does not exist" and "not yours", so that nothing leaks.
    return api.create_response(request, {"detail": _("Tidak ditemukan."), "code": "not_found"}, status=404)


def body_too_big(request: HttpRequest, exc: RequestDataTooBig, api: NinjaAPI) -> HttpResponse:
    # Django would answer with its bare English "Bad Request (400)" page; say it in JSON, in the
    # user's language. Nothing was read, so nothing was stored.
    return api.create_response(
        request,
        {
            "detail": _("Data yang dikirim terlalu besar. Kirim dalam beberapa bagian yang lebih kecil."),
            "code": "too_large",
        },
        status=413,
    )


def http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # Unparseable JSON is a bad body like any other: 422, in the same shape.
        return invalid_response(request, {"body": _("JSON tidak valid.")}, api)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def permission_denied(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Anda tidak memiliki akses."), "code": "forbidden"}, status=403
    )


def bad_request(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Permintaan tidak valid."), "code": "bad_request"}, status=400
    )


def database_unavailable(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    """The database does not answer (stopped, restarting): 503 with Retry-After, logged as a
    warning without a traceback; the client tries again later and nothing was half-written (the
    request's transaction never committed)."""
    logging.getLogger("lms.database").warning(
        "Database unavailable on %s %s: %s", request.method, request.path, exc
    )
    response = api.create_response(
        request,
        {
            "detail": _("Basis data sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi."),
            "code": "database_unavailable",
        },
        status=503,
    )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    response._has_been_logged = True  # logged above; Django would log it again, at ERROR
    return response


def server_error(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    """Anything unexpected. Logged with its traceback the way Django logs a server error (so the
    same log handlers, e-mail to ADMINS and error trackers see it), then answered in the API's
    format also with DEBUG off, where ninja would hand Django the exception and its HTML page."""
    signals.got_request_exception.send(sender=None, request=request)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    response = api.create_response(
        request,
        {"detail": _("Terjadi kesalahan pada server. Silakan coba lagi nanti."), "code": "server_error"},
        status=500,
    )
    response._has_been_logged = True  # logged above, with the traceback; Django would log it again
    return response


HANDLERS: dict[type[Exception], Callable[..., HttpResponse]] = {
    ValidationError: validation_error,
    AuthenticationError: not_authenticated,
    Http404: not_found,
    RequestDataTooBig: body_too_big,
    HttpError: http_error,
    PermissionDenied: permission_denied,
    BadRequest: bad_request,
    SuspiciousOperation: bad_request,
    OperationalError: database_unavailable,
    InterfaceError: database_unavailable,
    Exception: server_error,
}


def exception_handlers_add(api: NinjaAPI) -> None:
    """Answer every error raised under `api` in the one shape (ninja picks the handler of the
    closest class in the exception's MRO, so `Exception` only catches what nothing else does)."""
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, partial(handler, api=api))


# What any operation may answer before its handler runs (lms.middleware.UnsafeInputRejectMiddleware).
COMMON_RESPONSES = {
    "400": "Refused before any handler: the request holds a NUL character (U+0000) anywhere "
    "(`nul_character`), or its body cannot be parsed, e.g. multipart without a boundary (`malformed`).",
}


def openapi_common_responses_add(schema: dict) -> dict:
    """List COMMON_RESPONSES, in the error shape, under every operation of an OpenAPI schema, so
    that clients (and schema-driven tests) know every answer the API can give."""
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ErrorOut.__name__}"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": content})
    return schema
