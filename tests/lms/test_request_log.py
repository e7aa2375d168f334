"""Every request gets an id (the proxy's X-Request-ID when it is sane, else a new one), sent back in
the response and carried by every log line, as JSON in production (lms.logs)."""

import io
import json
import logging
import re

import pytest
from pythonjsonlogger.json import JsonFormatter

from lms.logs import RequestIdFilter, logging_config
from tests.private_services import broker_at


@pytest.fixture
def json_log():
    """The production formatter and filter (lms.logs.logging_config) on a buffer, for our loggers."""
    config = logging_config(log_format="json", level="INFO")["formatters"]["main"]
    options = {key: value for key, value in config.items() if key != "()"}
    options["fmt"] = options.pop("format")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("lms.request"), logging.getLogger("lms.health")]
    previous = [(logger.level, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    for logger, (level, _propagate) in zip(loggers, previous, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.django_db
def test_a_request_without_an_id_gets_a_new_one_on_the_response_and_in_the_log(client, json_log):
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    lines = json_log()
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert lines[0]["logger"] == "lms.request" and lines[0]["level"] == "INFO"
    assert (lines[0]["method"], lines[0]["path"], lines[0]["status"]) == ("GET", "/accounts/login/", 200)
    assert isinstance(lines[0]["duration_ms"], float) and "timestamp" in lines[0]


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_when_it_is_sane(client, json_log):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="3f2a9c0e-5b7d-4e1a-9c3b-0d8e7f6a5b4c")
    assert response["X-Request-ID"] == "3f2a9c0e-5b7d-4e1a-9c3b-0d8e7f6a5b4c"
    assert json_log()[0]["request_id"] == "3f2a9c0e-5b7d-4e1a-9c3b-0d8e7f6a5b4c"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["a b", "x" * 129, "id\r\nSet-Cookie: a=b", "<script>", "-leading-dash"])
def test_a_request_id_of_another_shape_is_replaced(client, hostile):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=hostile)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_a_log_line_written_during_the_request_carries_its_id(client, json_log, broker_down):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="probe-42")
    assert response.status_code == 503
    warning = next(line for line in json_log() if line["logger"] == "lms.health")
    assert warning["request_id"] == "probe-42" and warning["level"] == "WARNING"
    assert "broker" in warning["message"]


@pytest.mark.django_db
def test_secrets_in_links_are_not_logged(client, json_log):
    client.get("/accounts/invitation/Mg/abc-rahasia123/")
    logged = json.dumps(json_log())
    assert "rahasia123" not in logged


@pytest.fixture
def broker_down(monkeypatch):
    with broker_at(monkeypatch, "redis://127.0.0.1:1/0"):
        yield
