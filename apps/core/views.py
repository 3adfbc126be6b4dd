"""Pages that belong to no domain: the front page, the personal start page, health."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.ideas.selectors import ideas_of_submitter_user, start_page_summary
from apps.organisations.selectors import access_for


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def start(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    return render(
        request,
        "core/start.html",
        {
            "access": access,
            "summary": start_page_summary(request.user),
            "my_ideas": ideas_of_submitter_user(request.user)[:5],
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness with a database check: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
