"""Administrators' pages: the organisation tree, people and their roles.

Thin views: look up through the scoped selectors (404 for anything outside the
administrator's consortia), hand the write to a service, redirect after success, and
re-render with status 400 and the error summary when a form or a rule says no.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.handover.selectors import holdings_of

from . import policies, services
from .forms import (
    ConfirmForm,
    LeaveDateForm,
    PeopleSearchForm,
    PersonForm,
    RoleGrantForm,
    organisation_form_class,
)
from .models import Organisation
from .selectors import (
    Access,
    access_for,
    membership_for_admin,
    open_ideas_in,
    organisation_for_admin,
    organisation_tree,
    organisations_for_role_grant,
    people_administered_by,
    person_for_admin,
)


def _require_admin(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not policies.may_administer(access):
        raise Http404
    return access


def _posted(request: HttpRequest):
    """The POST data to bind a form to (bound even when empty), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if not hasattr(form, "cleaned_data"):
        form.full_clean()
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(*forms: Form) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


def _tree_url(organisation: Organisation) -> str:
    return f"{reverse('organisations:overview')}#organisation-{organisation.pk}"


# --- Organisations ----------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Administrators: the organisation tree with its people and roles."""
    _require_admin(request)
    return render(request, "organisations/overview.html", {"tree": organisation_tree(request.user)})


@login_required
def organisation_new(request: HttpRequest, parent_id: int) -> HttpResponse:
    """Add a municipality to a consortium, or a unit under a municipality or unit."""
    access = _require_admin(request)
    parent = organisation_for_admin(request.user, parent_id)
    if not policies.can_add_child(access, parent):
        raise Http404
    kind = policies.child_kind(parent)
    form = organisation_form_class(kind)(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": organisation.name})
            return redirect(_tree_url(organisation))
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "parent": parent, "kind": kind, "organisation": None},
        status=_status(form),
    )


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Rename a municipality or unit; change a municipality's number of employees."""
    access = _require_admin(request)
    organisation = organisation_for_admin(request.user, organisation_id)
    if not policies.can_edit_organisation(access, organisation):
        raise Http404
    form = organisation_form_class(organisation.kind)(
        _posted(request),
        initial={"name": organisation.name, "employee_count": organisation.employee_count},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": organisation.name})
            return redirect(_tree_url(organisation))
    return render(
        request,
        "organisations/organisation_form.html",
        {
            "form": form,
            "parent": organisation.parent,
            "kind": organisation.kind,
            "organisation": organisation,
        },
        status=_status(form),
    )


@login_required
def organisation_deactivate(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Confirm, then deactivate a municipality or unit (and the units below it)."""
    access = _require_admin(request)
    organisation = organisation_for_admin(request.user, organisation_id)
    if not policies.can_edit_organisation(access, organisation):
        raise Http404
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and organisation.is_active:
        try:
            services.organisation_deactivate(actor=request.user, organisation=organisation)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s was deactivated.") % {"name": organisation.name})
            return redirect(_tree_url(organisation))
    elif request.method == "POST":
        return redirect(_tree_url(organisation))
    refusal = policies.organisation_deactivation_refusal(
        organisation, list(open_ideas_in(organisation).values_list("reference", flat=True))
    )
    return render(
        request,
        "organisations/organisation_deactivate.html",
        {"form": form, "organisation": organisation, "refusal": refusal},
        status=_status(form),
    )


# --- People -----------------------------------------------------------------------------


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """People holding a role in the administrator's consortia, searchable by email."""
    _require_admin(request)
    form = PeopleSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    found = people_administered_by(request.user, search=search)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/people.html",
        {"form": form, "page": page, "query": query.urlencode(), "search": search},
    )


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Add a person with their first role."""
    _require_admin(request)
    form = PersonForm(_posted(request), organisations=organisations_for_role_grant(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.person_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            if added.created:
                text = _(
                    "%(person)s was added. They log in with a one-time code sent to "
                    "%(email)s, or set a password with “Forgot your password?”."
                )
            else:
                text = _("%(email)s already had an account. %(person)s now holds the new role.")
            messages.success(request, text % {"person": added.person, "email": added.person.email})
            return redirect("organisations:person_detail", person_id=added.person.pk)
    return render(request, "organisations/person_form.html", {"form": form}, status=_status(form))


def _person_page(
    request: HttpRequest,
    person,
    *,
    grant_form: RoleGrantForm | None = None,
    revoke_form: ConfirmForm | None = None,
    leave_form: LeaveDateForm | None = None,
) -> HttpResponse:
    grant_form = grant_form or RoleGrantForm(
        organisations=organisations_for_role_grant(request.user)
    )
    revoke_form = revoke_form or ConfirmForm()
    leave_form = leave_form or LeaveDateForm(initial={"leaves_on": person.leaves_on})
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "memberships": person.scoped_memberships,
            "grant_form": grant_form,
            "revoke_form": revoke_form,
            "leave_form": leave_form,
            "holdings": holdings_of(person),
            "is_self": person.pk == request.user.pk,
        },
        status=_status(grant_form, revoke_form, leave_form),
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person, the roles they hold in the administrator's consortia, and the actions."""
    _require_admin(request)
    return _person_page(request, person_for_admin(request.user, person_id))


@login_required
@require_POST
def role_grant(request: HttpRequest, person_id: int) -> HttpResponse:
    """Give the person a role (the form is on their page)."""
    _require_admin(request)
    person = person_for_admin(request.user, person_id)
    form = RoleGrantForm(request.POST, organisations=organisations_for_role_grant(request.user))
    if form.is_valid():
        try:
            membership = services.role_grant(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s in %(organisation)s.")
                % {
                    "person": person,
                    "role": membership.get_role_display(),
                    "organisation": membership.organisation,
                },
            )
            return redirect("organisations:person_detail", person_id=person.pk)
    return _person_page(request, person, grant_form=form)


@login_required
@require_POST
def role_revoke(request: HttpRequest, person_id: int, membership_id: int) -> HttpResponse:
    """Take a role away (a button on the person's page)."""
    _require_admin(request)
    person = person_for_admin(request.user, person_id)
    membership = membership_for_admin(request.user, person, membership_id)
    form = ConfirmForm(request.POST)
    try:
        services.role_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        _add_error(form, error)
        return _person_page(request, person, revoke_form=form)
    messages.success(
        request,
        _("%(person)s no longer holds the role %(role)s in %(organisation)s.")
        % {
            "person": person,
            "role": membership.get_role_display(),
            "organisation": membership.organisation,
        },
    )
    # The person (or the acting administrator) may now be out of sight.
    if not policies.may_administer(access_for(request.user)):
        return redirect("core:start")
    if people_administered_by(request.user).filter(pk=person.pk).exists():
        return redirect("organisations:person_detail", person_id=person.pk)
    return redirect("organisations:people")


@login_required
@require_POST
def person_leave_date(request: HttpRequest, person_id: int) -> HttpResponse:
    """Set or clear the day the person leaves (the form is on their page)."""
    _require_admin(request)
    person = person_for_admin(request.user, person_id)
    form = LeaveDateForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_leave_date(
                actor=request.user, person=person, leaves_on=form.cleaned_data["leaves_on"]
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("The leave date of %(person)s was saved.") % {"person": person}
            )
            return redirect("organisations:person_detail", person_id=person.pk)
    return _person_page(request, person, leave_form=form)


@login_required
def person_deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    """Confirm, then deactivate a person; refused while they own open ideas."""
    _require_admin(request)
    person = person_for_admin(request.user, person_id)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and not person.is_active:
        return redirect("organisations:person_detail", person_id=person.pk)
    if request.method == "POST":
        try:
            services.person_deactivate(actor=request.user, person=person)
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(person)s was deactivated.") % {"person": person})
            return redirect("organisations:person_detail", person_id=person.pk)
    check = services.person_deactivation_check(actor=request.user, person=person)
    return render(
        request,
        "organisations/person_deactivate.html",
        {"form": form, "person": person, "check": check},
        status=_status(form),
    )
