"""Pages of the public showcase and of the communicators' workspace.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .forms import EntryForm, PublicFilterForm, WorkspaceFilterForm
from .models import ShowcaseEntry

PAGE_SIZE = 20
FEED_SIZE = 30


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(form: Form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _page(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- Public ------------------------------------------------------------------------------


def entry_list(request: HttpRequest) -> HttpResponse:
    """Stories and results from the municipalities: search, filter by area, pages."""
    form = PublicFilterForm(request.GET or None)
    query, category = "", ""
    if form.is_valid():
        query, category = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    page, page_query = _page(request, selectors.public_entries(query=query, category=category))
    return render(
        request,
        "showcase/list.html",
        {
            "form": form,
            "page": page,
            "query": page_query,
            "filtered": bool(query or category),
        },
        status=_status(form),
    )


def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One published story, exactly its approved text."""
    entry = selectors.public_entry(entry_id)
    return render(request, "showcase/detail.html", {"entry": entry})


class EntryFeed(Feed):
    """The newest published stories as an Atom feed."""

    feed_type = Atom1Feed
    title = gettext_lazy("Sluss showcase: ideas from the municipalities")
    subtitle = gettext_lazy("Stories and results of ideas from municipal employees.")

    def link(self) -> str:
        return reverse("showcase:list")

    def items(self):
        return selectors.published_entries()[:FEED_SIZE]

    def item_title(self, item: ShowcaseEntry) -> str:
        return item.headline

    def item_description(self, item: ShowcaseEntry) -> str:
        return item.lead

    def item_pubdate(self, item: ShowcaseEntry):
        return item.published_at

    def item_updateddate(self, item: ShowcaseEntry):
        return item.published_at

    def item_categories(self, item: ShowcaseEntry):
        return [item.get_category_display()]


entry_feed = EntryFeed()


# --- Workspace ---------------------------------------------------------------------------


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """Ideas of the user's consortia that may be shown (consent given) or already have an
    entry, with the state of their entry."""
    if not selectors.may_use_workspace(request.user):
        raise Http404
    form = WorkspaceFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page, page_query = _page(request, selectors.candidate_ideas(request.user, state=state))
    return render(
        request,
        "showcase/workspace.html",
        {"form": form, "page": page, "query": page_query, "filtered": bool(state)},
        status=_status(form),
    )


@login_required
def entry_edit(request: HttpRequest, idea_id: int) -> HttpResponse:
    """Write or change an idea's story. A communicator may save and publish in one step."""
    idea = selectors.idea_for_showcase(request.user, idea_id)
    entry = selectors.entry_of_idea(idea)
    may_publish = policies.can_publish(access_for(request.user), idea)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        publish = may_publish and request.POST.get("action") == "publish"
        data = form.cleaned_data
        try:
            services.entry_save(
                actor=request.user,
                idea=idea,
                headline=data["headline"],
                lead=data["lead"],
                story=data["story"],
                results=data["results"],
                category=data["category"],
                credit_agreed=data["credit_agreed"],
                credit=data["credit"],
                publish=publish,
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            if publish:
                messages.success(request, _("The story is published in the showcase."))
            else:
                messages.success(request, _("The story was saved. Check the preview."))
            return redirect("showcase:preview", idea_id=idea.pk)
    return render(
        request,
        "showcase/edit.html",
        {"form": form, "idea": idea, "entry": entry, "may_publish": may_publish},
        status=_status(form),
    )


def _preview(request: HttpRequest, idea, entry, form: Form) -> HttpResponse:
    return render(
        request,
        "showcase/preview.html",
        {
            "form": form,
            "idea": idea,
            "entry": entry,
            "may_publish": policies.can_publish(access_for(request.user), idea),
            "public_solution": selectors.public_solution_of_idea(idea),
        },
        status=_status(form),
    )


@login_required
def entry_preview(request: HttpRequest, idea_id: int) -> HttpResponse:
    """The story exactly as the public will see it, with its publication state; a
    communicator publishes or withdraws it from here."""
    idea = selectors.idea_for_showcase(request.user, idea_id)
    entry = selectors.entry_of_idea(idea)
    if entry is None:
        raise Http404
    return _preview(request, idea, entry, Form())


@login_required
@require_POST
def entry_publication(request: HttpRequest, idea_id: int) -> HttpResponse:
    """A communicator of the consortium publishes the story, or withdraws it."""
    idea = selectors.idea_for_showcase(request.user, idea_id)
    entry = selectors.entry_of_idea(idea)
    if entry is None or not policies.can_publish(access_for(request.user), idea):
        raise Http404
    form = Form(request.POST)
    try:
        if request.POST.get("action") == "withdraw":
            services.entry_withdraw(actor=request.user, entry=entry)
            messages.success(request, _("The story is no longer in the showcase."))
        else:
            services.entry_publish(actor=request.user, entry=entry)
            messages.success(request, _("The story is published in the showcase."))
    except ValidationError as error:
        _add_error(form, error)
        return _preview(request, idea, entry, form)
    return redirect("showcase:preview", idea_id=idea.pk)
