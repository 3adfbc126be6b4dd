"""Pages of the solution catalogue, adoptions and benefits realisation.

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
from django.views.decorators.http import require_POST

from apps.core.files import attachment_response
from apps.ideas import policies as idea_policies
from apps.ideas.selectors import idea_for_user
from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .forms import (
    AdoptionForm,
    AdoptionStageForm,
    BenefitForm,
    CatalogueFilterForm,
    MeasurementForm,
    SolutionForm,
)
from .models import Adoption, BenefitHypothesis

PAGE_SIZE = 20


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(*forms: Form) -> int:
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


def _page(request: HttpRequest, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- The catalogue -------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The consortium's solutions: filter by municipality, area and where they are in use,
    search by text."""
    if not policies.may_browse_catalogue(selectors.catalogue_consortium_ids(request.user)):
        raise Http404
    form = CatalogueFilterForm(
        request.GET or None, municipalities=selectors.catalogue_municipalities(request.user)
    )
    filters = selectors.CatalogueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CatalogueFilters(
            search=data["q"].strip(),
            municipality_id=data["municipality"].pk if data["municipality"] else None,
            category=data["category"],
            adoption_stage=data["adoption_stage"],
        )
    page, query = _page(request, selectors.catalogue(request.user, filters))
    return render(
        request,
        "spread/catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": filters != selectors.CatalogueFilters(),
        },
        status=_status(form),
    )


def public_catalogue(request: HttpRequest) -> HttpResponse:
    """The public catalogue: published solutions, for anyone."""
    form = CatalogueFilterForm(request.GET or None)
    search, category = "", ""
    if form.is_valid():
        search, category = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    page, query = _page(request, selectors.public_catalogue(search=search, category=category))
    return render(
        request,
        "spread/public_catalogue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": bool(search or category),
            "has_catalogue": bool(selectors.catalogue_consortium_ids(request.user)),
        },
        status=_status(form),
    )


def public_detail(request: HttpRequest, solution_id: int) -> HttpResponse:
    """A published solution as the public sees it: only the approved text."""
    return render(
        request, "spread/public_detail.html", {"solution": selectors.public_solution(solution_id)}
    )


# --- One solution ----------------------------------------------------------------------------


@login_required
def solution_detail(request: HttpRequest, solution_id: int) -> HttpResponse:
    solution = selectors.solution_for_user(request.user, solution_id)
    access = access_for(request.user)
    idea = solution.idea
    return render(
        request,
        "spread/solution_detail.html",
        {
            "solution": solution,
            "idea": idea,
            "adoptions": list(solution.adoptions.all()),
            "documents": list(solution.documents.all()),
            "is_public": selectors.published_solutions().filter(pk=solution.pk).exists(),
            "can_write": policies.can_write_solution(access, idea),
            "can_approve": policies.can_approve_publication(access, idea),
            "can_adopt": selectors.may_adopt(request.user, solution),
            "can_see_idea": idea_policies.can_view(access, idea),
        },
    )


@login_required
def solution_document(request: HttpRequest, solution_id: int, attachment_id: int):
    """A document chosen for the catalogue, to those who may see the solution."""
    return attachment_response(
        selectors.solution_document(request.user, solution_id, attachment_id)
    )


def _solution_form(request: HttpRequest, idea, *, initial=None) -> SolutionForm:
    return SolutionForm(
        _posted(request),
        contacts=selectors.people_working_in(idea.municipality),
        documents=selectors.idea_documents(idea),
        initial=initial,
    )


def _solution_fields(form: SolutionForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "summary": data["summary"],
        "results": data["results"],
        "category": data["category"],
        "contact": data["contact"],
        "documents": list(data.get("documents") or []),
    }


@login_required
def solution_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Write an idea up as a solution for the other municipalities."""
    idea = idea_for_user(request.user, reference)
    if not policies.can_write_solution(access_for(request.user), idea):
        raise Http404
    existing = selectors.solution_of_idea(idea)
    if existing is not None:
        return redirect("spread:solution_edit", solution_id=existing.pk)
    form = _solution_form(
        request,
        idea,
        initial={"title": idea.title, "contact": idea.owner_id, "summary": idea.solution},
    )
    if request.method == "POST" and form.is_valid():
        try:
            solution = services.solution_create(
                actor=request.user, idea=idea, **_solution_fields(form)
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The solution is now in the catalogue."))
            return redirect("spread:solution", solution_id=solution.pk)
    return render(
        request,
        "spread/solution_form.html",
        {"form": form, "idea": idea, "solution": None, "offerable": policies.idea_offerable(idea)},
        status=_status(form),
    )


@login_required
def solution_edit(request: HttpRequest, solution_id: int) -> HttpResponse:
    solution = selectors.solution_for_user(request.user, solution_id)
    idea = solution.idea
    if not policies.can_write_solution(access_for(request.user), idea):
        raise Http404
    form = _solution_form(
        request,
        idea,
        initial={
            "title": solution.title,
            "summary": solution.summary,
            "results": solution.results,
            "category": solution.category,
            "contact": solution.contact_id,
            "documents": [d.pk for d in solution.documents.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        was_approved = solution.approved_at is not None
        try:
            services.solution_update(
                actor=request.user, solution=solution, **_solution_fields(form)
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            if was_approved and solution.approved_at is None:
                messages.warning(
                    request,
                    _("Saved. The text changed, so it must be approved again before it is public."),
                )
            else:
                messages.success(request, _("The solution was saved."))
            return redirect("spread:solution", solution_id=solution.pk)
    return render(
        request,
        "spread/solution_form.html",
        {"form": form, "idea": idea, "solution": solution, "offerable": True},
        status=_status(form),
    )


@login_required
def publication(request: HttpRequest, solution_id: int) -> HttpResponse:
    """A communicator or process leader approves the text for the public catalogue, or
    takes it out again."""
    solution = selectors.solution_for_user(request.user, solution_id)
    if not policies.can_approve_publication(access_for(request.user), solution.idea):
        raise Http404
    form = Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "withdraw":
                services.solution_withdraw_publication(actor=request.user, solution=solution)
                messages.success(request, _("The solution is no longer public."))
            else:
                services.solution_approve_publication(actor=request.user, solution=solution)
                messages.success(request, _("The solution is published in the public catalogue."))
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect("spread:solution", solution_id=solution.pk)
    return render(
        request,
        "spread/publication.html",
        {
            "form": form,
            "solution": solution,
            "idea": solution.idea,
            "is_public": selectors.published_solutions().filter(pk=solution.pk).exists(),
        },
        status=_status(form),
    )


# --- Adoptions -------------------------------------------------------------------------------


@login_required
def adopt(request: HttpRequest, solution_id: int) -> HttpResponse:
    """A coach (or process leader) takes the solution into use in their municipality."""
    solution = selectors.solution_for_user(request.user, solution_id)
    if not selectors.may_adopt(request.user, solution):
        raise Http404
    municipalities = selectors.municipalities_to_adopt_for(request.user, solution)
    form = AdoptionForm(
        _posted(request),
        municipalities=municipalities,
        owners=selectors.adoption_owner_candidates(request.user, solution),
        initial={
            "owner": request.user.pk,
            "municipality": municipalities[0].pk if len(municipalities) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adoption = services.adoption_create(
                actor=request.user,
                solution=solution,
                municipality=data["municipality"],
                owner=data["owner"],
                planned_start=data["planned_start"],
                note=data["note"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(municipality)s now adopts the solution.")
                % {"municipality": adoption.municipality.name},
            )
            return redirect("spread:adoption", adoption_id=adoption.pk)
    return render(
        request,
        "spread/adopt.html",
        {"form": form, "solution": solution, "municipalities": municipalities},
        status=_status(form),
    )


def _adoption_page(request: HttpRequest, adoption: Adoption, *, stage_form=None) -> HttpResponse:
    access = access_for(request.user)
    can_work = policies.can_work_adoption(access, adoption)
    stage_form = stage_form or (AdoptionStageForm() if can_work else None)
    return render(
        request,
        "spread/adoption.html",
        {
            "adoption": adoption,
            "solution": adoption.solution,
            "can_work": can_work,
            "stage_form": stage_form,
            "changes": list(selectors.adoption_changes(adoption)),
            "benefits": list(selectors.benefits_of_adoption(adoption)),
        },
        status=_status(stage_form),
    )


@login_required
def adoption(request: HttpRequest, adoption_id: int) -> HttpResponse:
    """An adoption: its stage and history, and its own benefits."""
    return _adoption_page(request, selectors.adoption_for_user(request.user, adoption_id))


@login_required
@require_POST
def adoption_stage(request: HttpRequest, adoption_id: int) -> HttpResponse:
    adoption = selectors.adoption_for_user(request.user, adoption_id)
    if not policies.can_work_adoption(access_for(request.user), adoption):
        raise Http404
    form = AdoptionStageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adoption_change_stage(
                actor=request.user,
                adoption=adoption,
                stage=data["stage"],
                on_date=data["on_date"],
                reason=data["reason"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The adoption's stage was changed."))
            return redirect("spread:adoption", adoption_id=adoption.pk)
    return _adoption_page(request, adoption, stage_form=form)


# --- Benefits --------------------------------------------------------------------------------

_BENEFIT_INPUTS = (
    "description",
    "indicator",
    "unit",
    "baseline",
    "target",
    "how_measured",
    "phase",
    "next_measurement_due",
    "follow_up_every_days",
    "value_per_unit_sek",
    "hours_per_unit",
)


def _benefit_form_page(request, *, idea, adoption, benefit, initial=None) -> HttpResponse | None:
    form = BenefitForm(
        _posted(request),
        owners=selectors.benefit_owner_candidates(idea=idea, adoption=adoption),
        initial=initial or {"owner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in _BENEFIT_INPUTS}
        try:
            if benefit is None:
                benefit = services.benefit_create(
                    actor=request.user, idea=idea, adoption=adoption, owner=data["owner"], **fields
                )
                messages.success(request, _("The benefit was added."))
            else:
                services.benefit_update(
                    actor=request.user, benefit=benefit, owner=data["owner"], **fields
                )
                messages.success(request, _("The benefit was saved."))
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect("spread:benefit", benefit_id=benefit.pk)
    return render(
        request,
        "spread/benefit_form.html",
        {"form": form, "idea": idea, "adoption": adoption, "benefit": benefit},
        status=_status(form),
    )


@login_required
def benefit_new_for_idea(request: HttpRequest, reference: str) -> HttpResponse:
    """Specify a benefit of the idea in its own municipality."""
    idea = idea_for_user(request.user, reference)
    if not policies.can_work_benefit(access_for(request.user), BenefitHypothesis(idea=idea)):
        raise Http404
    return _benefit_form_page(request, idea=idea, adoption=None, benefit=None)


@login_required
def benefit_new_for_adoption(request: HttpRequest, adoption_id: int) -> HttpResponse:
    """Specify a benefit of one adoption, realised in the adopting municipality."""
    adoption = selectors.adoption_for_user(request.user, adoption_id)
    if not policies.can_work_adoption(access_for(request.user), adoption):
        raise Http404
    return _benefit_form_page(request, idea=adoption.solution.idea, adoption=adoption, benefit=None)


@login_required
def benefit_detail(request: HttpRequest, benefit_id: int) -> HttpResponse:
    """A benefit: its plan, what is realised (with the formula), and its measurements."""
    benefit = selectors.benefit_for_user(request.user, benefit_id)
    return render(
        request,
        "spread/benefit_detail.html",
        {
            "benefit": benefit,
            "measurements": list(selectors.measurements_of(benefit)),
            "can_work": policies.can_work_benefit(access_for(request.user), benefit),
        },
    )


def _worked_benefit(request: HttpRequest, benefit_id: int) -> BenefitHypothesis:
    benefit = selectors.benefit_for_user(request.user, benefit_id)
    if not policies.can_work_benefit(access_for(request.user), benefit):
        raise Http404
    return benefit


@login_required
def benefit_edit(request: HttpRequest, benefit_id: int) -> HttpResponse:
    benefit = _worked_benefit(request, benefit_id)
    initial = {name: getattr(benefit, name) for name in _BENEFIT_INPUTS}
    initial["owner"] = benefit.owner_id
    return _benefit_form_page(
        request, idea=benefit.idea, adoption=benefit.adoption, benefit=benefit, initial=initial
    )


@login_required
def measure(request: HttpRequest, benefit_id: int) -> HttpResponse:
    """Record a measurement of a benefit."""
    benefit = _worked_benefit(request, benefit_id)
    form = MeasurementForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measurement_record(
                actor=request.user,
                benefit=benefit,
                measured_on=data["measured_on"],
                value=data["value"],
                note=data["note"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The measurement was recorded."))
            return redirect("spread:benefit", benefit_id=benefit.pk)
    return render(
        request,
        "spread/measure.html",
        {"form": form, "benefit": benefit},
        status=_status(form),
    )


# --- Totals ----------------------------------------------------------------------------------


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    """Benefits realised, summed per municipality and for the consortium."""
    if not policies.may_see_totals(selectors.catalogue_consortium_ids(request.user)):
        raise Http404
    return render(request, "spread/totals.html", selectors.benefit_totals(request.user))
