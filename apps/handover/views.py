"""The handover page of a person, and the report of ideas and people at risk of a gap.

Thin views: the person is looked up through `person_for_admin` (404 outside the
administrator's consortia), the write is `services.handover_perform`, refusals come back
on the form with status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from apps.organisations import policies as organisation_policies
from apps.organisations.selectors import access_for, person_for_admin

from . import selectors, services
from .forms import HandoverForm, field_name


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Everything a person holds, grouped by kind, with a successor chooser per group."""
    if not organisation_policies.may_administer(access_for(request.user)):
        raise Http404
    leaver = person_for_admin(request.user, person_id)
    holdings = selectors.holdings_of(leaver)
    form = HandoverForm(
        request.POST if request.method == "POST" else None,
        candidates=selectors.successor_candidates(leaver),
        groups=holdings.groups,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.handover_perform(
                actor=request.user,
                person=leaver,
                successors=form.successors(),
                deactivate=form.cleaned_data["deactivate"],
            )
        except ValidationError as error:
            by_kind = error.error_dict if hasattr(error, "error_dict") else {None: error.messages}
            for kind, problems in by_kind.items():
                name = field_name(kind) if kind and field_name(kind) in form.fields else None
                form.add_error(name, problems)
        else:
            text = (
                ngettext(
                    "%(count)d item was handed over and %(person)s was deactivated.",
                    "%(count)d items were handed over and %(person)s was deactivated.",
                    result.count,
                )
                if result.deactivated
                else ngettext(
                    "%(count)d item was handed over from %(person)s.",
                    "%(count)d items were handed over from %(person)s.",
                    result.count,
                )
            )
            messages.success(request, text % {"count": result.count, "person": leaver})
            return redirect("organisations:person_detail", person_id=leaver.pk)
    return render(
        request,
        "handover/person.html",
        {"person": leaver, "holdings": holdings, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def orphans(request: HttpRequest) -> HttpResponse:
    """Open ideas without an active owner, per municipality, and people leaving soon."""
    access = access_for(request.user)
    if not selectors.may_read_report(access):
        raise Http404
    ideas = list(selectors.orphaned_ideas_for(request.user))
    municipalities: dict = {}
    for idea in ideas:
        municipalities.setdefault(idea.municipality, []).append(idea)
    return render(
        request,
        "handover/orphans.html",
        {
            "municipalities": municipalities,
            "leavers": selectors.leavers_for(request.user),
            "is_administrator": organisation_policies.may_administer(access),
            # Process leaders assign an owner on the idea's page; administrators see the
            # report but not the ideas themselves, so they get no link that would 404.
            "assigning_consortia": access.process_leader_consortia,
        },
    )
