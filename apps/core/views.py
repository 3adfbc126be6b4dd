"""Pages that belong to no domain: the front page, the personal start page, health probes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.ideas.selectors import ideas_of_submitter_user, start_page_summary
from apps.organisations.selectors import access_for

from .health import OK, readiness


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


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 whenever the process answers; no database is asked (see health.py)."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database answers and a task worker beat recently, else 503
    with the failing checks named."""
    checks = readiness()
    failed = [name for name, state in checks.items() if state != OK]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed},
        status=503 if failed else 200,
    )
