"""Assessment pages: opening a round, the assessor's page, the gate decision, the criteria.

Views stay thin: a selector finds (or 404s), a policy decides, a form validates, a
service writes. Whatever a user may not see answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core.files import attachment_response
from apps.ideas.selectors import moves_for
from apps.ideas.services import StageConflict

from . import policies, selectors, services
from .forms import CloseForm, CriterionForm, DecisionForm, RoundOpenForm, ScoreForm
from .selectors import RoundAccess


def _round_url(round_id: int) -> str:
    return reverse("assessments:round", kwargs={"round_id": round_id})


# --- The assessor's list ---------------------------------------------------------------------


@login_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """The rounds the user has been asked to assess."""
    return render(
        request, "assessments/mine.html", {"assignments": selectors.my_assignments(request.user)}
    )


# --- Opening a round ---------------------------------------------------------------------------


@login_required
def round_new(request: HttpRequest, reference: str) -> HttpResponse:
    idea = selectors.idea_for_opening(request.user, reference)
    services.criteria_seed_default(consortium=idea.consortium)
    form = RoundOpenForm(
        request.POST or None,
        candidates=selectors.assessor_candidates(idea),
        criteria=selectors.criteria_of(idea.consortium_id, active_only=True),
    )
    open_round = selectors.open_round_of(idea)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                idea=idea,
                actor=request.user,
                assessors=data["people"],
                criteria=list(data["criteria"]),
                due_date=data["due_date"],
                blind=data["blind"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The assessment round was opened and the assessors were emailed.")
            )
            return redirect(_round_url(round_.pk))
    return render(
        request,
        "assessments/round_new.html",
        {"form": form, "idea": idea, "open_round": open_round},
        status=400 if form.errors else 200,
    )


# --- The round page ----------------------------------------------------------------------------


def _round_page(
    request: HttpRequest,
    ra: RoundAccess,
    *,
    score_form=None,
    decision_form=None,
    close_form=None,
    status: int = 200,
) -> HttpResponse:
    context = selectors.round_page_context(ra)
    if context["may_score"] and score_form is None:
        score_form = ScoreForm(criteria=context["criteria"], scores=context["own_scores"])
    if context["may_decide"] and decision_form is None:
        decision_form = DecisionForm(
            moves=moves_for(request.user, ra.idea), initial={"expected_stage": ra.idea.stage_id}
        )
    if context["may_close"] and close_form is None:
        close_form = CloseForm()
    context.update(
        score_form=score_form if context["may_score"] else None,
        decision_form=decision_form if context["may_decide"] else None,
        close_form=close_form if context["may_close"] else None,
    )
    return render(request, "assessments/round.html", context, status=status)


@login_required
@never_cache
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_page(request, selectors.round_for_user(request.user, round_id))


@login_required
@require_POST
def score(request: HttpRequest, round_id: int) -> HttpResponse:
    """An assessor saves a draft or hands in."""
    ra = selectors.round_for_user(request.user, round_id)
    if ra.assignment is None:
        raise Http404
    hand_in = "hand_in" in request.POST
    form = ScoreForm(
        request.POST,
        criteria=ra.round.criteria.order_by("position", "pk"),
        hand_in=hand_in,
    )
    if not ra.round.is_open or ra.assignment.is_submitted:
        messages.error(request, _("The assessment can no longer be changed."))
        return redirect(_round_url(round_id))
    if form.is_valid():
        try:
            services.score_save(
                assignment=ra.assignment,
                actor=request.user,
                scores=form.scores(),
                hand_in=hand_in,
            )
        except services.RoundClosed:
            messages.error(request, _("The round was closed while you were working."))
            return redirect(_round_url(round_id))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you. Your assessment was handed in.")
                if hand_in
                else _("Your draft was saved. Hand it in when you are done."),
            )
            return redirect(_round_url(round_id))
    return _round_page(request, ra, score_form=form, status=400)


@login_required
@require_POST
def decide(request: HttpRequest, round_id: int) -> HttpResponse:
    """The gate decision, made by a process leader on an open round."""
    ra = selectors.round_for_user(request.user, round_id)
    if not policies.may_decide(ra.access, ra.round, ra.idea):
        raise Http404
    moves = moves_for(request.user, ra.idea)
    form = DecisionForm(request.POST, moves=moves)
    if form.is_valid():
        to_stage = next(t.to_stage for t in moves if t.to_stage_id == form.cleaned_data["to_stage"])
        try:
            services.round_decide(
                round=ra.round,
                actor=request.user,
                to_stage=to_stage,
                expected_stage_id=form.cleaned_data["expected_stage"],
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            )
        except PermissionDenied:
            raise Http404 from None
        except services.RoundClosed:
            messages.error(request, _("Someone else closed the round first. Nothing was changed."))
            return redirect(_round_url(round_id))
        except StageConflict as conflict:
            messages.error(
                request,
                _(
                    "Someone else moved %(ref)s to %(stage)s while you were working. "
                    "Nothing was changed by you; check the idea and try again."
                )
                % {"ref": ra.idea.reference, "stage": conflict.current_stage.name},
            )
            return redirect(_round_url(round_id))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The gate decision was recorded: %(ref)s was moved to %(stage)s.")
                % {"ref": ra.idea.reference, "stage": to_stage.name},
            )
            return redirect("ideas:detail", reference=ra.idea.reference)
    return _round_page(request, ra, decision_form=form, status=400)


@login_required
@require_POST
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    """Close a round without a gate decision."""
    ra = selectors.round_for_user(request.user, round_id)
    if not policies.may_close(ra.access, ra.round, ra.idea, user_id=request.user.pk):
        raise Http404
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _round_page(request, ra, close_form=form, status=400)
    try:
        services.round_close(round=ra.round, actor=request.user, reason=form.cleaned_data["reason"])
    except (PermissionDenied, services.RoundClosed):
        raise Http404 from None
    messages.success(request, _("The assessment round was closed."))
    return redirect(_round_url(round_id))


@login_required
def attachment(request: HttpRequest, round_id: int, attachment_id: int) -> FileResponse:
    """A file of the round's idea, under a neutral name in a blind round."""
    shown = selectors.attachment_for_round(request.user, round_id, attachment_id)
    return attachment_response(shown.attachment, filename=shown.name)


# --- Criteria ----------------------------------------------------------------------------------


@login_required
def criteria(request: HttpRequest) -> HttpResponse:
    consortium = selectors.led_consortium(request.user)
    services.criteria_seed_default(consortium=consortium)
    return render(
        request,
        "assessments/criteria.html",
        {"consortium": consortium, "criteria": selectors.criteria_of(consortium.pk)},
    )


@login_required
def criterion_edit(request: HttpRequest, criterion_id: int | None = None) -> HttpResponse:
    consortium = selectors.led_consortium(request.user)
    criterion = (
        selectors.criterion_for_user(request.user, criterion_id)
        if criterion_id is not None
        else None
    )
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        if criterion is None:
            edited.consortium = consortium
        try:
            services.criterion_save(actor=request.user, criterion=edited)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The criterion was saved."))
            return redirect("assessments:criteria")
    return render(
        request,
        "assessments/criterion_form.html",
        {"form": form, "criterion": criterion},
        status=400 if form.errors else 200,
    )
