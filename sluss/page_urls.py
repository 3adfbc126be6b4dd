"""Every page's URL patterns, without the API and the admin (sluss.urls adds them).

The task worker reverses its e-mails' links against these alone (`manage.py worker`):
no e-mail links to the API or the admin, and importing them (ninja, pydantic, the API's
schemas, the admin's views) cost the worker 16 MB that stayed resident.
"""

from django.urls import include, path

from apps.core.views import healthz, readyz

urlpatterns = [
    path("", include("apps.core.urls")),
    # Answered by apps.core.health.HealthProbeMiddleware before routing; the patterns name
    # them for reverse() and the permission matrix.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.ideas.urls")),
    path("process/", include("apps.workflow.urls")),
    path("organisations/", include("apps.organisations.urls")),
    path("assessments/", include("apps.assessments.urls")),
    path("referrals/", include("apps.referrals.urls")),
    path("meetings/", include("apps.meetings.urls")),
    path("follow-up/", include("apps.followup.urls")),
    path("search/", include("apps.search.urls")),
    path("solutions/", include("apps.spread.urls")),
    path("import/", include("apps.imports.urls")),
    path("statistics/", include("apps.stats.urls")),
    path("showcase/", include("apps.showcase.urls")),
    path("newsletters/", include("apps.newsletters.urls")),
    path("trainings/", include("apps.trainings.urls")),
    path("resources/", include("apps.resources.urls")),
    path("handover/", include("apps.handover.urls")),
    path("privacy/", include("apps.privacy.urls")),
    path("audit/", include("apps.audit.urls")),
]
