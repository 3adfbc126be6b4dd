"""Pages of the newsletters: subscribing, the public archive, composing and sending.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.organisations.selectors import access_for

from . import policies, rendering, selectors, services
from .forms import BlockForm, NewsletterForm, SubscribeForm
from .models import NewsletterBlock

PAGE_SIZE = 20


def newsletter_edit_url(newsletter) -> str:
    return reverse("newsletters:edit", kwargs={"newsletter_id": newsletter.pk})


def _add_error(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Public: the archive ------------------------------------------------------------------


def archive(request: HttpRequest) -> HttpResponse:
    """Every issue sent, newest first, and the way to subscribe."""
    page = Paginator(selectors.archive_issues(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsletters/archive.html", {"page": page})


def issue(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """One issue exactly as it was sent."""
    newsletter = selectors.archive_issue(newsletter_id=newsletter_id)
    return render(request, "newsletters/issue.html", {"newsletter": newsletter})


# --- Public: subscribing ------------------------------------------------------------------


def subscribe(request: HttpRequest) -> HttpResponse:
    """Ask for a newsletter; the answer page is the same whatever the address's state."""
    consortia = selectors.consortia_for_subscription()
    form = SubscribeForm(request.POST or None, consortia=consortia)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_subscribe(
                consortium=form.cleaned_data["consortium"],
                email=form.cleaned_data["email"],
                language=get_language() or "sv",
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect("newsletters:subscribe_sent")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "newsletters/subscribe.html", {"form": form}, status=status)


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletters/subscribe_sent.html")


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link opens a page with a button, so a mail scanner that follows
    links does not subscribe anyone; the button confirms."""
    subscriber = selectors.subscriber_by_confirm_token(token)
    if request.method == "POST":
        subscriber = services.subscriber_confirm(subscriber=subscriber)
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058 one-click: mail providers POST here without a form; the token is the key
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every issue: a page with a button; a POST (the button, or a mail
    provider's one-click List-Unsubscribe-Post) unsubscribes."""
    subscriber = selectors.subscriber_by_unsubscribe_token(token)
    if request.method == "POST":
        subscriber = services.subscriber_unsubscribe(subscriber=subscriber)
    return render(request, "newsletters/unsubscribe.html", {"subscriber": subscriber})


# --- Composing ---------------------------------------------------------------------------


def _composer(request: HttpRequest) -> None:
    if not policies.may_compose_anywhere(access_for(request.user)):
        raise Http404


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The composer's issues: drafts and sent, newest first."""
    _composer(request)
    page = Paginator(selectors.newsletters_for_composer(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "newsletters/manage.html", {"page": page})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    _composer(request)
    consortia = selectors.composer_consortia(request.user)
    form = NewsletterForm(request.POST or None, consortia=consortia)
    if request.method == "POST" and form.is_valid():
        newsletter = services.newsletter_create(
            actor=request.user,
            consortium=form.cleaned_data["consortium"],
            subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"],
        )
        return redirect("newsletters:edit", newsletter_id=newsletter.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "newsletters/new.html", {"form": form}, status=status)


def _block_forms(newsletter, bound: BlockForm | None = None) -> dict[str, BlockForm]:
    entries = selectors.choosable_entries(newsletter)
    forms = {kind: BlockForm(kind=kind, entries=entries) for kind in NewsletterBlock.Kind.values}
    if bound is not None:
        forms[bound.kind] = bound
    return forms


def _edit_page(request, newsletter, *, form=None, block_form=None, status=200) -> HttpResponse:
    if form is None:
        form = NewsletterForm(initial={"subject": newsletter.subject, "intro": newsletter.intro})
    return render(
        request,
        "newsletters/edit.html",
        {
            "newsletter": newsletter,
            "form": form,
            "blocks": rendering.filled_blocks(newsletter),
            "block_forms": _block_forms(newsletter, block_form),
            "bound_block_form": block_form,
        },
        status=status,
    )


def _draft_for(request: HttpRequest, newsletter_id: int):
    """A draft of the composer's; a sent issue goes to its preview instead."""
    _composer(request)
    return selectors.newsletter_for_composer(request.user, newsletter_id=newsletter_id)


@login_required
def edit(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """A draft: its subject and introduction, its blocks, and the forms to add more."""
    newsletter = _draft_for(request, newsletter_id)
    if not newsletter.is_draft:
        return redirect("newsletters:preview", newsletter_id=newsletter.pk)
    if request.method != "POST":
        return _edit_page(request, newsletter)
    form = NewsletterForm(request.POST)
    if form.is_valid():
        services.newsletter_update(
            actor=request.user,
            newsletter=newsletter,
            subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"],
        )
        messages.success(request, _("The issue was saved."))
        return redirect("newsletters:edit", newsletter_id=newsletter.pk)
    return _edit_page(request, newsletter, form=form, status=400)


@login_required
@require_POST
def block_add(request: HttpRequest, newsletter_id: int, kind: str) -> HttpResponse:
    newsletter = _draft_for(request, newsletter_id)
    if kind not in NewsletterBlock.Kind.values or not newsletter.is_draft:
        raise Http404
    form = BlockForm(request.POST, kind=kind, entries=selectors.choosable_entries(newsletter))
    if form.is_valid():
        try:
            block = services.block_add(
                actor=request.user,
                newsletter=newsletter,
                kind=kind,
                heading=form.cleaned_data["heading"],
                text=form.cleaned_data.get("text", ""),
                entry_ids=form.cleaned_data.get("entries", []),
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The block was added."))
            return redirect(f"{newsletter_edit_url(newsletter)}#block-{block.pk}")
    return _edit_page(request, newsletter, block_form=form, status=400)


@login_required
@require_POST
def block_remove(request: HttpRequest, newsletter_id: int, block_id: int) -> HttpResponse:
    newsletter = _draft_for(request, newsletter_id)
    if not newsletter.is_draft:
        raise Http404
    block = selectors.block_of(newsletter, block_id=block_id)
    services.block_remove(actor=request.user, block=block)
    messages.success(request, _("The block was removed."))
    return redirect(f"{newsletter_edit_url(newsletter)}#blocks")


@login_required
@require_POST
def block_move(request: HttpRequest, newsletter_id: int, block_id: int) -> HttpResponse:
    newsletter = _draft_for(request, newsletter_id)
    if not newsletter.is_draft:
        raise Http404
    block = selectors.block_of(newsletter, block_id=block_id)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return _edit_page(request, newsletter, status=400)
    services.block_move(actor=request.user, block=block, direction=direction)
    messages.success(request, _("The block was moved."))
    return redirect(f"{newsletter_edit_url(newsletter)}#block-{block.pk}")


@login_required
def preview(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """The issue exactly as subscribers get it (as sent, once it has been)."""
    _composer(request)
    newsletter = selectors.newsletter_for_composer(request.user, newsletter_id=newsletter_id)
    body_text, body_html = rendering.preview_content(newsletter)
    return render(
        request,
        "newsletters/preview.html",
        {
            "newsletter": newsletter,
            "body_text": body_text,
            "body_html": body_html,
            "unsubscribe_url": services.preview_unsubscribe_url(),
            "deliveries": newsletter.deliveries.count() if not newsletter.is_draft else 0,
        },
    )


@login_required
@require_POST
def send_test(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    _composer(request)
    newsletter = selectors.newsletter_for_composer(request.user, newsletter_id=newsletter_id)
    services.newsletter_send_test(actor=request.user, newsletter=newsletter)
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect("newsletters:preview", newsletter_id=newsletter.pk)


@login_required
def send(request: HttpRequest, newsletter_id: int) -> HttpResponse:
    """Ask once more, then send the issue to every confirmed subscriber."""
    newsletter = _draft_for(request, newsletter_id)
    if not newsletter.is_draft:
        return redirect("newsletters:preview", newsletter_id=newsletter.pk)
    error = None
    if request.method == "POST":
        try:
            services.newsletter_send(actor=request.user, newsletter=newsletter)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, _("The issue is being sent."))
            return redirect("newsletters:preview", newsletter_id=newsletter.pk)
    recipients = selectors.confirmed_subscriber_count(newsletter)
    return render(
        request,
        "newsletters/send.html",
        {"newsletter": newsletter, "recipients": recipients, "error": error},
        status=400 if error else 200,
    )
