"""Pages of the privacy work: the notice, a person's own data export, and the
administrators' export, erasure and retention pages. Thin: policy, selector, form, service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .forms import ErasureForm, PersonLookupForm
from .registry import RETENTION, records


def _zip_response(spool, stem: str) -> FileResponse:
    filename = f"sluss-{stem}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/zip"
    )


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice, for everyone."""
    return render(request, "privacy/notice.html", {"retention": RETENTION})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A person downloads everything the sluice holds about them."""
    if not policies.may_export_own_data(access_for(request.user)):
        raise Http404
    if request.method == "POST":
        person = selectors.person_for(user=request.user)
        spool = services.personal_data_export(actor=request.user, person=person, request=request)
        return _zip_response(spool, "mina-uppgifter")
    return render(request, "privacy/my_data.html")


def _admin_access(request: HttpRequest):
    access = access_for(request.user)
    if not policies.may_administer_privacy(access):
        raise Http404
    return access


def _overview(request, *, form, person, erasure_form=None, status=200, refusal=""):
    return render(
        request,
        "privacy/person.html",
        {
            "form": form,
            "person": person,
            "overview": selectors.erasure_overview(person),
            "blockers": refusal or services.erasure_blockers(person),
            "erasure_form": erasure_form
            or ErasureForm(initial={"email": form.cleaned_data["email"]}),
        },
        status=status,
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """An administrator finds a person by address, then exports or erases them."""
    access = _admin_access(request)
    form = PersonLookupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            person = selectors.person_for_admin(access, email=form.cleaned_data["email"])
        except Http404:
            form.add_error("email", _("No one with this address is known in your consortium."))
        else:
            return _overview(request, form=form, person=person)
    status = 400 if form.is_bound else 200
    return render(request, "privacy/people.html", {"form": form}, status=status)


@login_required
@require_POST
def person_export(request: HttpRequest) -> HttpResponse:
    """An administrator downloads a person's data (e.g. a submitter without an account)."""
    access = _admin_access(request)
    form = PersonLookupForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/people.html", {"form": form}, status=400)
    person = selectors.person_for_admin(access, email=form.cleaned_data["email"])
    spool = services.personal_data_export(actor=request.user, person=person, request=request)
    return _zip_response(spool, "personuppgifter")


@login_required
@require_POST
def person_erase(request: HttpRequest) -> HttpResponse:
    """Erase a person after the confirmation on the overview; refused while they hold
    open work."""
    access = _admin_access(request)
    lookup = PersonLookupForm(request.POST)
    if not lookup.is_valid():
        return render(request, "privacy/people.html", {"form": lookup}, status=400)
    person = selectors.person_for_admin(access, email=lookup.cleaned_data["email"])
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _overview(request, form=lookup, person=person, erasure_form=form, status=400)
    try:
        erasure = services.person_erase(actor=request.user, person=person, request=request)
    except ValidationError as error:
        form.add_error(None, error)
        return _overview(request, form=lookup, person=person, erasure_form=form, status=400)
    messages.success(
        request,
        _("The person was erased. Kept records now name them %(name)s.")
        % {"name": services.pseudonym_for(erasure.pk)[0]},
    )
    return redirect("privacy:people")


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """The retention rules and the erasure rule of every record type, for administrators."""
    _admin_access(request)
    return render(request, "privacy/retention.html", {"retention": RETENTION, "records": records()})
