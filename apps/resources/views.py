"""Pages of the resource library.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.files import attachment_response
from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .forms import LibraryFilterForm, ResourceForm, VersionForm
from .models import Resource

PAGE_SIZE = 20


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(form: Form | None) -> int:
    return 400 if form is not None and form.is_bound and form.errors else 200


def _page(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Reading -----------------------------------------------------------------------------


def library(request: HttpRequest) -> HttpResponse:
    """The library: public resources for anyone, internal ones for the consortium's
    people; search by words, filter by category."""
    access = access_for(request.user)
    member_of = selectors.member_of(request.user)
    manages = policies.may_manage_any(access)
    form = LibraryFilterForm(
        request.GET or None, sees_internal=policies.sees_internal(member_of), manages=manages
    )
    filters = selectors.LibraryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LibraryFilters(
            search=data["q"].strip(),
            category=data["category"],
            visibility=data.get("visibility") or "",
            archived=bool(data.get("archived")),
        )
    page, query = _page(request, selectors.library(request.user, filters))
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": filters != selectors.LibraryFilters(),
            "filters": filters,
            "manages": manages,
        },
        status=_status(form),
    )


def detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    """One resource: its current file to download and every earlier version."""
    resource = selectors.resource_for_user(request.user, resource_id)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "versions": list(selectors.versions_of(resource)),
            "can_manage": policies.can_manage(access_for(request.user), resource),
        },
    )


def download(request: HttpRequest, resource_id: int, number: int):
    """One version's file, streamed to whoever may see the resource."""
    return attachment_response(selectors.version_for_download(request.user, resource_id, number))


# --- Keeping the library -------------------------------------------------------------------


def _resource_fields(form: ResourceForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "category": data["category"],
        "visibility": data["visibility"],
    }


def _file_not_kept(form: Form) -> None:
    """A browser cannot fill a file field in again: say so when a good file is lost."""
    lost = form.is_bound and form.errors and "file" not in form.errors and form.files.get("file")
    if lost and "file" in form.fields:
        form.add_error("file", _("Correct the rest of the form, then choose the file again."))


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Add a resource with its first file."""
    consortia = selectors.manageable_consortia(request.user)
    only = consortia.first()
    if only is None:
        raise Http404
    form = ResourceForm(_posted(request), _files(request), consortia=consortia)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                actor=request.user,
                consortium=data.get("consortium") or only,
                upload=data["file"],
                change_note=data["change_note"],
                **_resource_fields(form),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The resource was added to the library."))
            return redirect("resources:detail", resource_id=resource.pk)
    _file_not_kept(form)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "resource": None},
        status=_status(form),
    )


def _managed_resource(request: HttpRequest, resource_id: int) -> Resource:
    resource = selectors.resource_for_user(request.user, resource_id)
    if not policies.can_manage(access_for(request.user), resource):
        raise Http404
    return resource


@login_required
def edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Change a resource's description, category or who may see it."""
    resource = _managed_resource(request, resource_id)
    form = ResourceForm(
        _posted(request),
        with_file=False,
        initial={
            "title": resource.title,
            "description": resource.description,
            "category": resource.category,
            "visibility": resource.visibility,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(
                actor=request.user, resource=resource, **_resource_fields(form)
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The resource was saved."))
            return redirect("resources:detail", resource_id=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "resource": resource},
        status=_status(form),
    )


@login_required
def new_version(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Upload a new file; the earlier versions stay in the history."""
    resource = _managed_resource(request, resource_id)
    form = VersionForm(_posted(request), _files(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.resource_add_version(
                actor=request.user,
                resource=resource,
                upload=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s is now the current one.") % {"number": version.number},
            )
            return redirect("resources:detail", resource_id=resource.pk)
    return render(
        request,
        "resources/version_form.html",
        {"form": form, "resource": resource},
        status=_status(form),
    )


@login_required
def archive(request: HttpRequest, resource_id: int) -> HttpResponse:
    """Take a resource out of the library, or put an archived one back."""
    resource = _managed_resource(request, resource_id)
    form = Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        if resource.is_archived:
            services.resource_restore(actor=request.user, resource=resource)
            messages.success(request, _("The resource is back in the library."))
        else:
            services.resource_archive(actor=request.user, resource=resource)
            messages.success(request, _("The resource was archived."))
        return redirect("resources:detail", resource_id=resource.pk)
    return render(request, "resources/archive.html", {"form": form, "resource": resource})
