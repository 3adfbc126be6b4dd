"""The process pages, where process leaders read and edit their consortium's process."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import services
from .forms import StageForm, TransitionForm
from .models import Stage, Transition
from .selectors import stages_of, transitions_of


def _led_consortium(request) -> Organisation:
    """The consortium whose process the user leads (the first, if several)."""
    access = access_for(request.user)
    consortium = (
        Organisation.objects.filter(pk__in=access.process_leader_consortia).order_by("name").first()
    )
    if consortium is None:
        raise Http404
    return consortium


@login_required
def process(request, transition_form=None):
    consortium = _led_consortium(request)
    stages = stages_of(consortium.pk, include_inactive=True)
    return render(
        request,
        "workflow/process.html",
        {
            "consortium": consortium,
            "stages": stages,
            "transitions": transitions_of(consortium.pk),
            "transition_form": transition_form or TransitionForm(stages=stages),
        },
        status=400 if transition_form is not None else 200,
    )


@login_required
def stage_edit(request, stage_id: int | None = None):
    consortium = _led_consortium(request)
    stage = None
    if stage_id is not None:
        stage = Stage.objects.filter(consortium=consortium, pk=stage_id).first()
        if stage is None:
            raise Http404
    form = StageForm(request.POST or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        edited.consortium = consortium
        if not edited.key:
            edited.key = _unique_key(consortium, edited.name_en or edited.name_sv)
        try:
            services.stage_save(actor=request.user, stage=edited)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stage was saved."))
            return redirect("workflow:process")
    return render(
        request,
        "workflow/stage_form.html",
        {"form": form, "stage": stage},
        status=400 if form.errors else 200,
    )


def _unique_key(consortium: Organisation, name: str) -> str:
    base = slugify(name)[:30] or "stage"
    key, number = base, 1
    while Stage.objects.filter(consortium=consortium, key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key


@login_required
@require_POST
def transition_add(request):
    consortium = _led_consortium(request)
    form = TransitionForm(request.POST, stages=stages_of(consortium.pk, include_inactive=True))
    if form.is_valid():
        try:
            services.transition_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The move was saved."))
            return redirect("workflow:process")
    return process(request, transition_form=form)


@login_required
@require_POST
def transition_delete(request, transition_id: int):
    consortium = _led_consortium(request)
    transition = Transition.objects.filter(
        pk=transition_id, from_stage__consortium=consortium
    ).first()
    if transition is None:
        raise Http404
    services.transition_delete(actor=request.user, transition=transition)
    messages.success(request, _("The move is no longer allowed."))
    return redirect("workflow:process")
