"""Idea pages: the public form, the submitter's private page, and the workspace.

Views stay thin: a selector finds (or 404s), a form validates, a service writes.
"""

import contextlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from apps.core.files import attachment_response
from apps.organisations.selectors import (
    access_for,
    municipalities_visible_to,
    workspace_consortium_ids,
)
from apps.workflow.selectors import stages_of_consortia

from . import exports, policies, selectors, services
from .forms import (
    AttachmentForm,
    IdeaFilterForm,
    IdeaLinkForm,
    IdeaSubmissionForm,
    MoveForm,
    OwnerForm,
    SubmitterReplyForm,
    TagsForm,
    TextForm,
)
from .models import Idea, Tag

RECEIPT_SESSION_KEY = "sluss_receipt_submitter"
ISSUED_TOKENS_SESSION_KEY = "sluss_issued_form_tokens"


# --- Handing in -------------------------------------------------------------------------


def submit(request: HttpRequest) -> HttpResponse:
    """The public idea form. On an error, files that passed their checks are kept."""
    form = IdeaSubmissionForm(request.POST or None, request.FILES or None)
    token = _form_token(request, form)
    if request.method == "POST":
        for attachment_id in request.POST.getlist("discard_upload"):
            if attachment_id.isdigit():
                services.attachment_discard_held(
                    upload_token=token, attachment_id=int(attachment_id)
                )
        valid = form.is_valid()
        held_files = getattr(form.fields["attachments"], "valid_files", [])
        if held_files and token:
            services.attachment_hold_for_form(upload_token=token, files=held_files)
        if "check_similar" in request.POST:
            # Without JavaScript, "Check for similar ideas" sends the whole form: show it
            # again as typed (no error messages, it was not handed in) with the list.
            return _render_submit(
                request,
                IdeaSubmissionForm(initial=request.POST.dict()),
                token,
                similar=_similar_on_form(request),
            )
        if valid:
            data = form.cleaned_data
            try:
                result = services.idea_submit(
                    municipality=data["municipality"],
                    unit=data["unit"],
                    workplace=data["workplace"],
                    title=data["title"],
                    need=data["need"],
                    solution=data["solution"],
                    beneficiaries=data["beneficiaries"],
                    expected_effects=data["expected_effects"],
                    consent_to_publish=data["consent_to_publish"],
                    submitter_name=data["submitter_name"],
                    submitter_email=data["submitter_email"],
                    submitter_phone=data["submitter_phone"],
                    co_submitters=[
                        services.CoSubmitter(name=n, email=e) for n, e in data["co_submitter_names"]
                    ],
                    submission_token=data["submission_token"],
                    language=get_language() or "sv",
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                main = result.idea.submitters.filter(is_primary=True).first()
                if not result.created and not _issued_here(request, result, main):
                    # The hidden form token is not a key to someone else's receipt.
                    messages.info(
                        request,
                        _("This idea has already been handed in. The receipt was sent by email."),
                    )
                    return redirect("core:home")
                request.session[RECEIPT_SESSION_KEY] = main.pk if main else None
                return redirect("ideas:receipt")
        # The form again with its errors and everything typed: 400, like every form.
        return _render_submit(request, form, token, status=400)
    else:
        issued = request.session.get(ISSUED_TOKENS_SESSION_KEY, [])
        issued = [*issued[-9:], str(form.initial["submission_token"])]
        request.session[ISSUED_TOKENS_SESSION_KEY] = issued
        if request.user.is_authenticated:
            form.initial.update(
                submitter_name=request.user.full_name, submitter_email=request.user.email
            )
    return _render_submit(request, form, token)


def _render_submit(request, form, token, *, similar=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "ideas/submit.html",
        {
            "form": form,
            "held_uploads": selectors.pending_uploads(token) if token else [],
            "similar": similar,
            "similar_url": reverse("ideas:similar_on_form"),
        },
        status=status,
    )


def _similar_on_form(request: HttpRequest) -> list:
    return selectors.similar_for_submission(
        request.user,
        title=request.POST.get("title", ""),
        text=f"{request.POST.get('need', '')}\n{request.POST.get('solution', '')}",
    )


@require_POST
def similar_on_form(request: HttpRequest) -> HttpResponse:
    """Similar ideas for the text being typed on the form: the list alone, which htmx puts
    under the idea's fields while the person types. A POST: the text may be long."""
    similar = _similar_on_form(request)
    return render(request, "ideas/submit.html#similar", {"similar": similar})


def _issued_here(request: HttpRequest, result, main) -> bool:
    """Whether this browser session handed in the idea or was given its form."""
    token = str(result.idea.submission_token)
    return (
        main is not None and request.session.get(RECEIPT_SESSION_KEY) == main.pk
    ) or token in request.session.get(ISSUED_TOKENS_SESSION_KEY, [])


def _form_token(request: HttpRequest, form: IdeaSubmissionForm) -> uuid.UUID | None:
    raw = request.POST.get("submission_token") if request.method == "POST" else None
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt after handing in; shown only in the session that handed the idea in."""
    submitter = selectors.submitter_for_receipt(request.session.get(RECEIPT_SESSION_KEY))
    # Without JavaScript nobody saw similar ideas while typing: this is their step after.
    similar = selectors.similar_to_idea(request.user, submitter.idea)
    return render(
        request,
        "ideas/receipt.html",
        {"submitter": submitter, "idea": submitter.idea, "similar": similar},
    )


# --- The submitter's private page ------------------------------------------------------


@never_cache
def submitter_page(request: HttpRequest, token: str) -> HttpResponse:
    submitter = selectors.submitter_for_token(token)
    form = SubmitterReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_submitter_reply(
                submitter=submitter,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your message has been sent."))
            return redirect("ideas:submitter_page", token=token)
    context = selectors.submitter_page_context(submitter)
    context.update(form=form, token=token)
    return render(request, "ideas/submitter_page.html", context)


@never_cache
def submitter_attachment(request: HttpRequest, token: str, attachment_id: int):
    submitter = selectors.submitter_for_token(token)
    return attachment_response(selectors.attachment_for_submitter(submitter, attachment_id))


# --- Mina idéer ----------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    submissions = selectors.submissions_of_user(request.user)
    return render(request, "ideas/mine.html", {"submissions": submissions})


# --- The workspace ----------------------------------------------------------------------


def _require_workspace(request: HttpRequest) -> None:
    if not policies.may_use_workspace(access_for(request.user)):
        raise Http404


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _require_workspace(request)
    return render(request, "ideas/board.html", {"columns": selectors.board(request.user)})


def _owner_asked(request: HttpRequest) -> int | None:
    """The owner the list's query string filters by, if it names one."""
    owner = request.GET.get("owner", "")
    return int(owner) if owner.isdigit() and owner != "0" else None


# One address, two answers (the page, or its results for htmx): a browser's cache must
# not give the fragment back when the address is opened as a page.
@vary_on_headers("HX-Request")
@login_required
def idea_list(request: HttpRequest) -> HttpResponse:
    _require_workspace(request)
    access = access_for(request.user)
    consortium_ids = workspace_consortium_ids(access)
    form = IdeaFilterForm(
        request.GET or None,
        municipalities=municipalities_visible_to(request.user),
        stages=stages_of_consortia(consortium_ids),
        owners=selectors.owners_in_scope(request.user, selected=_owner_asked(request)),
        tags=Tag.objects.filter(consortium_id__in=consortium_ids),
    )
    page = selectors.idea_list_page(
        request.user, form.filters() if request.GET else None, request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "access": access,
        "search_text": form.filters().text if request.GET else "",
    }
    template = "ideas/list.html#results" if request.htmx else "ideas/list.html"
    return render(request, template, context)


@login_required
def idea_list_export(request: HttpRequest) -> StreamingHttpResponse:
    """The list as a CSV file, with the list's query string: the same ideas (scope,
    filters, search, order) on every page at once. Who may: as for the list; what is in
    it and why: apps/ideas/exports.py. Recorded as an export (apps/audit/recorded_views.py).
    """
    _require_workspace(request)
    consortium_ids = workspace_consortium_ids(access_for(request.user))
    # The list's form with the same choices, so a filter the list ignores is ignored here.
    form = IdeaFilterForm(
        request.GET or None,
        municipalities=municipalities_visible_to(request.user),
        stages=stages_of_consortia(consortium_ids),
        owners=selectors.owners_in_scope(request.user, selected=_owner_asked(request)),
        tags=Tag.objects.filter(consortium_id__in=consortium_ids),
    )
    chunks = selectors.idea_list_export_chunks(
        request.user, form.filters() if request.GET else None, chunk_size=exports.CHUNK_SIZE
    )
    response = StreamingHttpResponse(
        exports.idea_list_csv(chunks), content_type=exports.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename()}"'
    return response


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    idea = selectors.idea_for_user(request.user, reference)
    return render(request, "ideas/detail.html", _detail_context(request, idea))


@vary_on_headers("HX-Request")
@login_required
def similar(request: HttpRequest, reference: str) -> HttpResponse:
    """The idea page's similar ideas: htmx fetches the list into the page once the page
    has loaded; without JavaScript the section's link opens it as a page of its own.
    Scoped like the idea page (404 for anyone who may not see the idea)."""
    idea = selectors.idea_for_user(request.user, reference)
    context = selectors.similar_section(request.user, idea)
    template = "ideas/similar.html#results" if request.htmx else "ideas/similar.html"
    return render(request, template, context)


def _detail_context(request: HttpRequest, idea: Idea, **forms) -> dict:
    context = selectors.idea_detail_context(request.user, idea)
    context.update(
        move_form=forms.get("move_form")
        or MoveForm(moves=context["moves"], initial={"expected_stage": idea.stage_id}),
        note_form=forms.get("note_form") or TextForm(label=_("Internal note"), prefix="note"),
        message_form=forms.get("message_form")
        or TextForm(label=_("Message to the submitter"), prefix="message"),
        owner_form=forms.get("owner_form")
        or OwnerForm(candidates=selectors.owner_candidates(idea), initial={"owner": idea.owner_id}),
        tags_form=forms.get("tags_form")
        or TagsForm(initial={"tags": ", ".join(t.name for t in context["tags"])}),
        attachment_form=forms.get("attachment_form") or AttachmentForm(),
        link_form=forms.get("link_form") or IdeaLinkForm(),
    )
    return context


def _work_idea(request: HttpRequest, reference: str) -> Idea:
    idea = selectors.idea_for_user(request.user, reference)
    if not policies.can_work(access_for(request.user), idea):
        raise Http404
    return idea


def _rerender(request, idea, **forms) -> HttpResponse:
    return render(request, "ideas/detail.html", _detail_context(request, idea, **forms), status=400)


@login_required
@require_POST
def move(request: HttpRequest, reference: str) -> HttpResponse:
    """Move an idea; from the board (htmx or not) or the idea page."""
    idea = selectors.idea_for_user(request.user, reference)
    seen_stage = request.POST.get("expected_stage", "")
    moves = selectors.moves_for(
        request.user, idea, from_stage_id=int(seen_stage) if seen_stage.isdigit() else None
    )
    if not moves:
        raise Http404
    form = MoveForm(request.POST, moves=moves)
    back_to_board = request.POST.get("from") == "board"
    if form.is_valid():
        to_stage = next(t.to_stage for t in moves if t.to_stage_id == form.cleaned_data["to_stage"])
        try:
            services.idea_move(
                idea=idea,
                actor=request.user,
                to_stage=to_stage,
                expected_stage_id=form.cleaned_data["expected_stage"],
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            )
        except services.StageConflict as conflict:
            messages.error(
                request,
                _(
                    "Someone else moved %(ref)s to %(stage)s while you were working. "
                    "Nothing was changed by you; check the idea and try again."
                )
                % {"ref": idea.reference, "stage": conflict.current_stage.name},
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if back_to_board:
                messages.error(request, " ".join(error.messages))
                return redirect("ideas:detail", reference=idea.reference)
            form.add_error(None, error)
            return _rerender(request, idea, move_form=form)
        else:
            messages.success(
                request,
                _("%(ref)s was moved to %(stage)s.")
                % {"ref": idea.reference, "stage": to_stage.name},
            )
    elif not back_to_board:
        return _rerender(request, idea, move_form=form)
    else:
        messages.error(
            request,
            _("%(ref)s could not be moved: choose one of the stages offered.")
            % {"ref": idea.reference},
        )
    if back_to_board:
        if request.htmx:
            return render(
                request, "ideas/board.html#board", {"columns": selectors.board(request.user)}
            )
        return redirect("ideas:board")
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _work_idea(request, reference)
    form = TextForm(request.POST, label=_("Internal note"), prefix="note")
    if not form.is_valid():
        return _rerender(request, idea, note_form=form)
    services.idea_add_note(idea=idea, actor=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("The note was saved."))
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def message_submitter(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _work_idea(request, reference)
    form = TextForm(request.POST, label=_("Message to the submitter"), prefix="message")
    if not form.is_valid():
        return _rerender(request, idea, message_form=form)
    services.idea_message_submitters(idea=idea, actor=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("The message was sent to the submitter."))
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def set_owner(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _work_idea(request, reference)
    form = OwnerForm(request.POST, candidates=selectors.owner_candidates(idea))
    if not form.is_valid():
        return _rerender(request, idea, owner_form=form)
    try:
        services.idea_assign_owner(idea=idea, actor=request.user, owner=form.cleaned_data["owner"])
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, idea, owner_form=form)
    messages.success(request, _("The owner was saved."))
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def set_tags(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _work_idea(request, reference)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _rerender(request, idea, tags_form=form)
    services.idea_set_tags(idea=idea, actor=request.user, names=form.cleaned_data["tags"])
    messages.success(request, _("The tags were saved."))
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def add_attachments(request: HttpRequest, reference: str) -> HttpResponse:
    idea = _work_idea(request, reference)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rerender(request, idea, attachment_form=form)
    services.idea_add_attachments(
        idea=idea, actor=request.user, files=form.cleaned_data["attachments"]
    )
    messages.success(request, _("The files were added."))
    return redirect("ideas:detail", reference=idea.reference)


@login_required
def attachment(request: HttpRequest, reference: str, attachment_id: int):
    return attachment_response(
        selectors.attachment_for_user(request.user, reference, attachment_id)
    )


@login_required
@require_POST
def link(request: HttpRequest, reference: str) -> HttpResponse:
    """Link the idea to a similar one, from a similar-idea card or by reference."""
    idea = _work_idea(request, reference)
    form = IdeaLinkForm(request.POST)
    if not form.is_valid():
        return _rerender(request, idea, link_form=form)
    other = selectors.idea_to_link(request.user, form.cleaned_data["other"])
    if other is None:
        form.add_error("other", _("There is no idea with this reference."))
        return _rerender(request, idea, link_form=form)
    try:
        services.idea_link(
            actor=request.user, idea=idea, other=other, kind=form.cleaned_data["kind"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, idea, link_form=form)
    messages.success(
        request,
        _("%(ref)s was linked to %(other)s.") % {"ref": idea.reference, "other": other.reference},
    )
    return redirect("ideas:detail", reference=idea.reference)


@login_required
@require_POST
def unlink(request: HttpRequest, reference: str, link_id: int) -> HttpResponse:
    """Remove one of the idea's links."""
    idea = _work_idea(request, reference)
    idea_link = selectors.link_of_idea(idea, link_id)
    other = idea_link.other_than(idea)
    # Someone may have removed it a moment ago: the page then already shows what was wanted.
    with contextlib.suppress(ValidationError):
        services.idea_unlink(actor=request.user, link=idea_link)
    messages.success(
        request,
        _("The link to %(other)s was removed.") % {"other": other.reference},
    )
    return redirect("ideas:detail", reference=idea.reference)
