"""Records refusals, views of personal data and exports as the responses leave.

It also makes the request known to services and signals for the length of the request
(`context.current_request`), so events recorded deep inside name who acted and from
where. Ordinary pages cost no query here: only an answer that is recorded does.
"""

from django.http import HttpRequest, HttpResponse

from .context import current_request
from .models import AuditEvent
from .recorded_views import OBJECT_OF, REFUSAL_STATUSES, SUCCESS_KINDS
from .services import audit_record

# Views that serve files straight from disk in development: a missing static file is not
# an access denial.
_FILE_SERVING_MODULES = ("django.views.static", "django.contrib.staticfiles")


#: Stands in the log for a private link's token: the log is read by administrators, and a
#: token in it would be a working key to a submitter's or an expert's page.
HIDDEN_CAPABILITY = "[token]"


def recorded_path(request: HttpRequest, match) -> str:
    """The request's path as the log keeps it: private-link tokens (every such route names
    its capability `token`) masked, at most 300 characters."""
    path = request.path
    token = match.kwargs.get("token") if match is not None else None
    if token:
        path = path.replace(str(token), HIDDEN_CAPABILITY)
    return path[:300]


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            self._record(request, response)
        finally:
            current_request.reset(token)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        match = getattr(request, "resolver_match", None)
        status = response.status_code
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if status in REFUSAL_STATUSES:
            # A 404 is recorded for a logged-in person on a URL that named a view (someone
            # trying what is not theirs); to an anonymous visitor, or for a path that
            # matched nothing or a missing static file, it is a dead link. A 403 or a 429
            # (rate limit) is recorded for anyone.
            if status == 404 and (
                not logged_in
                or match is None
                or match.func.__module__.startswith(_FILE_SERVING_MODULES)
            ):
                return
            audit_record(
                kind=AuditEvent.Kind.ACCESS_DENIED,
                request=request,
                object_repr=recorded_path(request, match),
                detail={
                    "status": status,
                    "view": match.view_name if match else "",
                    "method": request.method,
                },
            )
            return
        if status != 200 or match is None or match.view_name not in SUCCESS_KINDS:
            return
        kind = SUCCESS_KINDS[match.view_name]
        if kind == AuditEvent.Kind.IDEA_VIEWED and request.method != "GET":
            return
        object_repr, consortium_id = OBJECT_OF[match.view_name](match.kwargs)
        audit_record(
            kind=kind,
            request=request,
            object_repr=object_repr or recorded_path(request, match),
            detail={"view": match.view_name, "path": recorded_path(request, match)},
            organisation_id=consortium_id,
        )
