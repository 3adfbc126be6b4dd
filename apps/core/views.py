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
            "work": _my_work(request.user, access),
        },
    )


def _my_work(user, access) -> dict:
    """What waits for this person across the apps, as counts for the start page."""
    from apps.assessments.selectors import my_assignments
    from apps.referrals.policies import may_use_register
    from apps.referrals.selectors import overdue_referrals, referrals_to_user

    assessments = my_assignments(user)
    return {
        "assessments_waiting": sum(
            1 for a in assessments if a.assignment.submitted_at is None and a.round.is_open
        ),
        "assessments_any": bool(assessments),
        "referrals_to_me": referrals_to_user(user).filter(answered_at__isnull=True).count(),
        "overdue_referrals": overdue_referrals(user).count() if access.works_ideas else 0,
        "uses_register": may_use_register(access),
    }


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
