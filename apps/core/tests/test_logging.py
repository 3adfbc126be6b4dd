"""Structured logs: JSON lines through the production handler, plain text in development,
request ids, and private-link tokens masked in request records."""

import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils.log import log_response

from apps.core.logs import RequestContextFilter, RequestLogMiddleware, request_id_var

SCRIPT = """
import logging
log = logging.getLogger("apps.example")
log.info("Idén %s flyttades", "SKV-1", extra={"idea": 17, "stage": "test"})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("Något gick fel")
"""


def run_production(script: str, **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="sluss.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="sluss.example.se",
        **extra_env,
    )
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_logs_one_json_object_per_line(tmp_path):
    result = run_production(SCRIPT, SLUSS_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert len(records) == 2, lines  # the traceback stays inside its record
    info, error = records
    assert {"time", "level", "logger", "message", "request_id"} <= set(info)
    assert info["level"] == "INFO"
    assert info["logger"] == "apps.example"
    assert info["message"] == "Idén SKV-1 flyttades"
    assert (info["idea"], info["stage"]) == (17, "test")  # extra fields become keys
    assert info["request_id"] == "-"  # outside a request
    assert info["time"].endswith("+00:00")  # ISO 8601, UTC
    assert error["level"] == "ERROR"
    assert "ZeroDivisionError" in error["exc_info"]


def test_log_format_text_is_not_json_in_production_when_asked(tmp_path):
    result = run_production(SCRIPT, SLUSS_VAR_DIR=str(tmp_path), LOG_FORMAT="text")
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert "INFO apps.example [-] Idén SKV-1 flyttades" in first
    with pytest.raises(json.JSONDecodeError):
        json.loads(first)


def test_development_logs_text_and_no_request_lines():
    # The test settings are the development ones.
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "text"
    assert settings.SLUSS_LOG_REQUESTS is False
    with pytest.raises(MiddlewareNotUsed):
        RequestLogMiddleware(lambda request: HttpResponse())


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestContextFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def capture():
    handler = Capture()
    logger = logging.getLogger("sluss.test.capture")
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, handler
    logger.removeHandler(handler)


def submitter_request(token: str):
    request = RequestFactory().get(f"/follow/{token}/?email=ida@example.se")
    request.resolver_match = resolve(request.path)
    assert request.resolver_match.kwargs == {"token": token}
    return request


def test_a_private_links_token_is_masked_in_djangos_request_records(capture):
    logger, handler = capture
    token = secrets.token_urlsafe(16)
    request = submitter_request(token)
    # Exactly the call Django makes for a 4xx/5xx answer.
    log_response(
        "%s: %s",
        "Not Found",
        request.path,
        response=HttpResponse(status=404),
        request=request,
        logger=logger,
    )
    (record,) = handler.records
    assert record.getMessage() == "Not Found: /follow/[token]/"
    assert token not in record.getMessage()


def test_the_request_middleware_logs_once_with_id_masked_path_status_and_duration(
    capture, settings
):
    _logger, handler = capture
    settings.SLUSS_LOG_REQUESTS = True
    token = secrets.token_urlsafe(16)
    request = submitter_request(token)
    request.META["HTTP_X_REQUEST_ID"] = "abc-123"
    seen_inside = []

    def view(request):
        seen_inside.append(request_id_var.get())
        return HttpResponse(status=201)

    request_logger = logging.getLogger("sluss.request")
    request_logger.addHandler(handler)
    try:
        response = RequestLogMiddleware(view)(request)
    finally:
        request_logger.removeHandler(handler)
    assert response["X-Request-ID"] == "abc-123"
    assert seen_inside == ["abc-123"]  # the id is known to everything logged meanwhile
    assert request_id_var.get() == "-"  # and forgotten afterwards
    (record,) = handler.records
    assert record.path == "/follow/[token]/"  # no token, no query string
    assert record.status == 201
    assert record.method == "GET"
    assert record.duration_ms >= 0
    assert record.request_id == "abc-123"
    assert token not in record.getMessage()


def test_an_implausible_incoming_request_id_is_replaced(settings):
    settings.SLUSS_LOG_REQUESTS = True
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="x" * 65 + "\n<script>")
    response = RequestLogMiddleware(lambda r: HttpResponse())(request)
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()
