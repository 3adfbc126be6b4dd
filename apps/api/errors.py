"""The one error format of the API, and the handlers that give every refusal in it.

Every answer that is not a success is JSON of one shape (`schemas.ErrorOut`):

    {"error": {"code": "not_found", "message": "…", "fields": {"title": ["…"]}}}

`code` is stable and meant for programs; `message` is one sentence for people; `fields`
names the parameters or body fields that broke their rules (empty otherwise). This module
turns ninja's own answers (its validation errors, "Cannot parse request body", the 405 of
a path that exists without that method) and Django's exceptions into that shape.
"""

import functools
import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

logger = logging.getLogger(__name__)

#: The code of each status; `code` says more than the number where there are several
#: reasons for one status (a conflict's own code is given where it is raised).
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}

NOT_FOUND = "Not found: it does not exist, or you may not see it."
INVALID = "The request breaks the rules of its parameters or body; see fields."
NOT_ALLOWED = "This address does not take that method; see the Allow header."
SERVER_ERROR = "Something went wrong on our side. It has been logged; try again later."
#: Where a refusal names no field (a rule across fields).
NON_FIELD = "__all__"


class ApiError(Exception):
    """A refusal with its own status and code, raised by an endpoint (e.g. 409)."""

    def __init__(self, status: int, message: str, *, code: str = "", fields=None, extra=None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    """The body of every error answer."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def error_response(
    request: HttpRequest,
    status: int,
    message: str,
    *,
    code: str = "",
    fields: dict | None = None,
    **extra,
) -> HttpResponse:
    from .v1 import api

    return api.create_response(
        request,
        error_body(code or CODES.get(status, "error"), message, fields, **extra),
        status=status,
    )


def _field_name(loc) -> str:
    # ninja's loc is (source, [parameter,] field, …): ("query", "limit") or
    # ("body", "payload", "title"). A body's own name means nothing to the caller.
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    elif parts and parts[0] == "body":
        parts = parts[2:]
    return ".".join(parts) or NON_FIELD


def fields_from_ninja(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return fields


def fields_from_django(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if name == "__all__" else name): [
                str(m) for m in DjangoValidationError(messages).messages
            ]
            for name, messages in error.error_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def parse_body(request: HttpRequest, schema):
    """The request's JSON body as `schema`, for an endpoint that reads it itself: 400 when
    it is not JSON, 422 with the fields when it breaks the schema's rules."""
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        raise ApiError(400, "Cannot parse request body: send JSON.") from None
    try:
        return schema.model_validate(data)
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors(include_url=False):
            name = ".".join(str(part) for part in problem["loc"]) or NON_FIELD
            fields.setdefault(name, []).append(problem["msg"])
        raise ApiError(422, INVALID, fields=fields) from None


def install(api: NinjaAPI) -> None:
    """Give every refusal of `api` the one error format."""

    @api.exception_handler(AuthenticationError)
    def _not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        from .auth import MISSING

        # Ninja's own "Unauthorized" (no token, no session) becomes a sentence that says
        # what to send; RFC 6750 asks for the WWW-Authenticate challenge on every 401.
        message = MISSING if type(error) is AuthenticationError else error.message
        response = error_response(request, 401, message)
        response["WWW-Authenticate"] = 'Bearer realm="sluss"'
        return response

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        # "Cannot parse request body" (400), a failed CSRF check of a session (403), …
        return error_response(request, error.status_code, error.message)

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
        return error_response(request, 422, INVALID, fields=fields_from_ninja(error.errors))

    @api.exception_handler(DjangoValidationError)
    def _invalid_for_a_service(request: HttpRequest, error: DjangoValidationError):
        return error_response(request, 422, INVALID, fields=fields_from_django(error))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return error_response(request, 404, NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def _denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        # What a role may not do answers as if it did not exist, as on the pages.
        return error_response(request, 404, NOT_FOUND)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return error_response(
            request,
            error.status,
            error.message,
            code=error.code,
            fields=error.fields,
            **error.extra,
        )

    @api.exception_handler(Exception)
    def _server_error(request: HttpRequest, error: Exception) -> HttpResponse:
        # Logged with the traceback (and so mailed to the admins in production), but the
        # caller gets JSON in the documented shape, not Django's HTML page.
        logger.exception("API error on %s %s", request.method, request.path, exc_info=error)
        return error_response(request, 500, SERVER_ERROR)


def answer_405_in_json(urls):
    """Ninja answers a known path asked with a method it does not take with a plain-text
    405; give it the error format, keeping the Allow header. Takes and gives `api.urls`
    (each pattern's view is wrapped: ninja builds fresh views when the URLs are made)."""
    patterns, _app_name, _namespace = urls
    for pattern in patterns:
        pattern.callback = _json_not_allowed(pattern.callback)
    return urls


def _json_not_allowed(view):
    @functools.wraps(view)  # keeps csrf_exempt: ninja does its own CSRF check
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(request, 405, NOT_ALLOWED)
            response["Allow"] = allowed
        return response

    return wrapped
