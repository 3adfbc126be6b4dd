"""Structured logs: a request id on every record, and one line per request.

`RequestLogMiddleware` gives each request an id (the proxy's `X-Request-ID` when it is a
plausible one, else a new one), returns it in the `X-Request-ID` header and logs one
record per request on the `sluss.request` logger with method, path, status and duration.
`RequestContextFilter` (on the log handler) adds that id to every record written while
the request runs, and masks private-link tokens in paths: a token in a log file would be
a working key to a submitter's or an expert's page. Query strings are never logged.

With `LOG_FORMAT=json` (the production default) each record is one JSON object per line
(python-json-logger); see `sluss/settings.py`.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

logger = logging.getLogger("sluss.request")

#: The id of the request this thread is serving, "-" outside requests.
request_id_var: ContextVar[str] = ContextVar("sluss_request_id", default="-")

_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def masked_path(request) -> str:
    """The request's path with a private link's token masked (as the audit log keeps it)."""
    from apps.audit.middleware import recorded_path

    return recorded_path(request, getattr(request, "resolver_match", None))


class RequestContextFilter(logging.Filter):
    """Adds `request_id` to every record and masks tokens in Django's request records."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            # django.request and django.security log "<reason>: <path>" with the raw path.
            raw, shown = getattr(request, "path", None), masked_path(request)
            if raw and raw != shown:
                record.args = tuple(shown if arg == raw else arg for arg in record.args)
        return True


class RequestLogMiddleware:
    """One log record per request: id, method, masked path, status and duration."""

    def __init__(self, get_response):
        if not settings.SLUSS_LOG_REQUESTS:
            # Development has runserver's own request lines; tests need none.
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _PLAUSIBLE_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            path = masked_path(request)
            logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
