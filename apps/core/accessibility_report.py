"""Reporting an accessibility problem from the accessibility statement (the feedback
function the Swedish law on accessibility to digital public services requires, DIGG's
model statement: "Rapportera brister i webbplatsens tillgänglighet").

Anyone may report, with or without an account; the report is emailed to the consortium
administrators (of the municipality the reporter chose, or of every consortium).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.notifications.services import email_enqueue
from apps.organisations.models import Membership, Organisation, Role
from apps.organisations.selectors import municipalities_for_submission

#: The answer time the statement promises (DIGG's model: say when people get an answer).
ANSWER_WITHIN_WORKING_DAYS = 5


class AccessibilityReportForm(forms.Form):
    """What does not work, where, and (optionally) how to answer the reporter."""

    problem = forms.CharField(
        label=gettext_lazy("What does not work for you?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Describe what you tried to do and what happened, for example which page, "
            "which button or which part of a form."
        ),
        error_messages={"required": gettext_lazy("Describe the problem you found.")},
    )
    page = forms.CharField(
        label=gettext_lazy("On which page?"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("The page's address or name, if you know it."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Your municipality"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not a municipal employee / don't know"),
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        required=False,
        help_text=gettext_lazy("Leave it if you want an answer. We use it only to answer you."),
        error_messages={"invalid": gettext_lazy("Enter an email address like name@example.se.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_for_submission()


def accessibility_administrators(*, municipality: Organisation | None) -> list[User]:
    """The active administrators of the municipality's consortium, or of every consortium
    when the reporter did not say where they come from."""
    memberships = Membership.objects.filter(
        role=Role.ADMINISTRATOR, user__is_active=True, organisation__kind="consortium"
    )
    if municipality is not None:
        memberships = memberships.filter(organisation_id=municipality.consortium_id_or_self)
    user_ids = memberships.values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids).order_by("pk"))


@transaction.atomic
def accessibility_report_send(
    *,
    problem: str,
    page: str,
    municipality: Organisation | None,
    name: str,
    email: str,
    reporter: User | None = None,
) -> int:
    """Email an accessibility report to the administrators; returns how many were told.

    The report is not stored beyond the outbox: it is correspondence for the
    administrators to answer (and register where the public records rules ask for it).
    """
    recipients = accessibility_administrators(municipality=municipality)
    context = {
        "problem": problem,
        "page": page,
        "municipality": municipality,
        "name": name,
        "email": email,
        "reporter": reporter,
        "answer_within": ANSWER_WITHIN_WORKING_DAYS,
    }
    for administrator in recipients:
        email_enqueue(
            recipient=administrator.email,
            template="accessibility_report",
            context=context,
            language=administrator.preferred_language or "sv",
            kind="accessibility_report",
        )
    return len(recipients)


def _statement_context() -> dict:
    return {
        "answer_within": ANSWER_WITHIN_WORKING_DAYS,
        "contact_email": settings.SLUSS_ACCESSIBILITY_EMAIL,
    }


@require_http_methods(["GET", "HEAD"])
def statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (tillgänglighetsredogörelse) with the report form."""
    return render(
        request,
        "core/accessibility.html",
        {"report_form": AccessibilityReportForm(), **_statement_context()},
    )


@require_http_methods(["POST"])
def accessibility_report(request: HttpRequest) -> HttpResponse:
    """The form on the accessibility statement posts here; errors show the statement
    again with the form as typed (400)."""
    form = AccessibilityReportForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "core/accessibility.html",
            {"report_form": form, **_statement_context()},
            status=400,
        )
    data = form.cleaned_data
    accessibility_report_send(
        problem=data["problem"],
        page=data["page"],
        municipality=data["municipality"],
        name=data["name"],
        email=data["email"],
        reporter=request.user if request.user.is_authenticated else None,
    )
    messages.success(request, _("Thank you. Your report has been sent to the sluice's team."))
    return redirect("core:accessibility")
