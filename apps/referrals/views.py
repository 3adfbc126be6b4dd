"""Referral pages: the register of outside actors, sending and following a referral in
the workspace, and the recipient's private page.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from apps.core.files import attachment_response
from apps.ideas.selectors import idea_for_user
from apps.organisations.selectors import access_for

from . import policies, selectors, services
from .forms import (
    ActorSearchForm,
    ExternalActorForm,
    RecipientAnswerForm,
    ReferralForm,
    TextForm,
)
from .models import Referral


def _posted(request: HttpRequest):
    """The POST data to bind a form to (bound even when empty), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(*forms: Form) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


# --- The register of outside actors -------------------------------------------------------


def _require_register(request: HttpRequest) -> frozenset[int]:
    consortia = selectors.register_consortia(request.user)
    if not consortia:
        raise Http404
    return consortia


@login_required
def actors(request: HttpRequest) -> HttpResponse:
    """The register: search, one page at a time, with each actor's response times."""
    _require_register(request)
    form = ActorSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(selectors.actor_list(request.user, search=search), 25).get_page(
        request.GET.get("page")
    )
    times = selectors.response_times(request.user)
    for actor in page.object_list:
        actor.response_times = times.per_actor.get(actor.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/actors.html",
        {"form": form, "search": search, "page": page, "query": query.urlencode(), "times": times},
    )


def _actor_fields(data: dict) -> dict:
    return {
        key: data[key]
        for key in ("name", "organisation", "email", "phone", "expertise")
        if key in data
    }


@login_required
def actor_new(request: HttpRequest) -> HttpResponse:
    """Add an outside actor to the register."""
    consortia = _require_register(request)
    choices = selectors.consortia_for_register(request.user)
    form = ExternalActorForm(_posted(request), consortia=choices)
    if request.method == "POST" and form.is_valid():
        consortium = form.cleaned_data.get("consortium") or choices.get(pk__in=consortia)
        try:
            actor = services.external_actor_create(
                actor=request.user, consortium=consortium, **_actor_fields(form.cleaned_data)
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s was added to the register.") % {"name": actor})
            return redirect("referrals:actors")
    return render(
        request, "referrals/actor_form.html", {"form": form, "actor": None}, status=_status(form)
    )


@login_required
def actor_edit(request: HttpRequest, actor_id: int) -> HttpResponse:
    """Correct an outside actor's details, or make them inactive."""
    _require_register(request)
    actor = selectors.actor_for_user(request.user, actor_id)
    form = ExternalActorForm(
        _posted(request),
        consortia=None,
        editing=True,
        initial={
            "name": actor.name,
            "organisation": actor.organisation,
            "email": actor.email,
            "phone": actor.phone,
            "expertise": actor.expertise,
            "is_active": actor.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.external_actor_update(
                actor=request.user,
                external_actor=actor,
                is_active=form.cleaned_data["is_active"],
                **_actor_fields(form.cleaned_data),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": actor})
            return redirect("referrals:actors")
    return render(
        request, "referrals/actor_form.html", {"form": form, "actor": actor}, status=_status(form)
    )


# --- Sending and following a referral -------------------------------------------------------


@login_required
def new(request: HttpRequest, reference: str) -> HttpResponse:
    """Send a referral about an idea."""
    idea = idea_for_user(request.user, reference)
    if not policies.can_send(access_for(request.user), idea):
        raise Http404
    form = ReferralForm(
        _posted(request),
        actors=selectors.actors_to_refer_to(idea),
        colleagues=selectors.colleagues_to_refer_to(idea),
        attachments=selectors.shareable_attachments(idea),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, recipient = data["recipient"]
        try:
            referral = services.referral_send(
                idea=idea,
                actor=request.user,
                external_actor=recipient if kind == "actor" else None,
                colleague=recipient if kind == "colleague" else None,
                question=data["question"],
                share_need=data["share_need"],
                share_solution=data["share_solution"],
                share_beneficiaries=data["share_beneficiaries"],
                share_expected_effects=data["share_expected_effects"],
                include_personal_data=data["include_personal_data"],
                attachments=list(data["attachments"]),
                due_date=data["due_date"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("The referral was sent to %(recipient)s.")
                % {"recipient": referral.recipient_label},
            )
            return redirect("ideas:detail", reference=idea.reference)
    return render(request, "referrals/new.html", {"form": form, "idea": idea}, status=_status(form))


def _reply_form(data=None) -> TextForm:
    return TextForm(
        data,
        label=_("Reply to the recipient"),
        required_message=_("Write the reply."),
        prefix="reply",
    )


def _detail(request: HttpRequest, referral: Referral, *, reply_form=None) -> HttpResponse:
    access = access_for(request.user)
    reply_form = reply_form or _reply_form()
    context = {
        "referral": referral,
        "idea": referral.idea,
        "shared_parts": referral.shared_parts(),
        "shared_files": list(referral.shared_attachments.order_by("created_at", "pk")),
        "messages_": selectors.conversation(referral),
        "can_handle": policies.can_handle(access, referral),
        "can_revoke": policies.can_revoke(access, referral),
        "link_open": policies.link_opens(referral),
        "reply_form": reply_form,
    }
    return render(request, "referrals/detail.html", context, status=_status(reply_form))


@login_required
def detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """A referral as the sluice sees it: what was shared, the conversation, a reply."""
    return _detail(request, selectors.referral_for_user(request.user, referral_id))


def _handled_referral(request: HttpRequest, referral_id: int) -> Referral:
    referral = selectors.referral_for_user(request.user, referral_id)
    if not policies.can_handle(access_for(request.user), referral):
        raise Http404
    return referral


@login_required
@require_POST
def reply(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _handled_referral(request, referral_id)
    form = _reply_form(request.POST)
    if form.is_valid():
        try:
            services.referral_reply(
                referral=referral, actor=request.user, body=form.cleaned_data["body"]
            )
        except PermissionDenied:
            form.add_error(
                None, _("The referral's link no longer works, so the reply cannot be sent.")
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your reply was sent."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return _detail(request, referral, reply_form=form)


@login_required
def revoke(request: HttpRequest, referral_id: int) -> HttpResponse:
    """Confirm, then withdraw a referral: its link stops working at once."""
    referral = _handled_referral(request, referral_id)
    if referral.revoked_at is not None:
        messages.info(request, _("The referral has already been withdrawn."))
        return redirect("referrals:detail", referral_id=referral.pk)
    if request.method == "POST":
        services.referral_revoke(referral=referral, actor=request.user)
        messages.success(
            request,
            _("The referral to %(recipient)s was withdrawn; its link no longer works.")
            % {"recipient": referral.recipient_label},
        )
        return redirect("ideas:detail", reference=referral.idea.reference)
    return render(request, "referrals/revoke.html", {"referral": referral})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Referrals past their due date, of the ideas the user works."""
    if not policies.may_see_overdue(access_for(request.user)):
        raise Http404
    page = Paginator(selectors.overdue_referrals(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "referrals/overdue.html", {"page": page})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Referrals to me: what colleagues have asked this person to answer."""
    return render(
        request, "referrals/mine.html", {"referrals": selectors.referrals_to_user(request.user)}
    )


# --- The recipient's private link -----------------------------------------------------------


def _expired(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "referrals/expired.html", status=410))


def _question_form(data=None) -> TextForm:
    return TextForm(
        data,
        label=_("Your question"),
        required_message=_("Write your question."),
        prefix="question",
    )


@never_cache
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The recipient's page: what was shared, the conversation, the answer form and the
    form to ask a question back. No account needed; the link is the key."""
    try:
        referral = selectors.referral_for_token(token)
    except selectors.LinkExpired:
        return _expired(request)
    answer_form = RecipientAnswerForm()
    question_form = _question_form()
    if request.method == "POST":
        if request.POST.get("intent") == "question":
            question_form = _question_form(request.POST)
            form, write = question_form, _ask
            thanks = _("Your question has been sent. You will get an email when it is answered.")
        else:
            answer_form = RecipientAnswerForm(request.POST, request.FILES)
            form, write = answer_form, _answer
            thanks = _("Thank you. Your answer has been sent.")
        if form.is_valid():
            try:
                write(referral, form)
            except PermissionDenied:
                # Revoked or expired since the page was opened: answer as the link now does.
                with contextlib.suppress(selectors.LinkExpired):
                    selectors.referral_for_token(token)  # 404 when it was revoked
                return _expired(request)
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(request, thanks)
                return redirect("referrals:respond", token=token)
    context = selectors.recipient_page_context(referral)
    context.update(token=token, answer_form=answer_form, question_form=question_form)
    return _private(
        render(
            request,
            "referrals/respond.html",
            context,
            status=_status(answer_form, question_form),
        )
    )


def _private(response: HttpResponse) -> HttpResponse:
    """A page behind a private link is for its holder only: never indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(referral: Referral, form: RecipientAnswerForm) -> None:
    services.referral_answer(
        referral=referral,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )


def _ask(referral: Referral, form: TextForm) -> None:
    services.referral_ask(referral=referral, body=form.cleaned_data["body"])


@never_cache
def respond_file(request: HttpRequest, token: str, attachment_id: int):
    """A file the referral shares, through its private link."""
    try:
        referral = selectors.referral_for_token(token)
    except selectors.LinkExpired:
        return _expired(request)
    return _private(attachment_response(selectors.shared_attachment(referral, attachment_id)))
