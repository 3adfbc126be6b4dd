"""Meeting pages: starting a poll on an idea, the meeting page where it is run, booked
and minuted, the participant's private page, "My tasks" and the calendar feed.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import ical, selectors, services
from .forms import (
    ActionItemForm,
    AddOptionsForm,
    AnswerForm,
    AvailabilityForm,
    CancelForm,
    InviteForm,
    MeetingDetailsForm,
    MeetingForm,
    NotesForm,
    ProposeForm,
)
from .models import Meeting


def _posted(request: HttpRequest):
    """The POST data to bind a form to (bound even when empty), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            if name == "options" and "option_1_date" in form.fields:
                target = "option_1_date"
            elif name == "guests" and "guest_1_name" in form.fields:
                target = "guest_1_name"
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


def _status(*forms: Form) -> int:
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("meetings:detail", meeting_id=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- Starting a poll ------------------------------------------------------------------------


@login_required
def new(request: HttpRequest, reference: str) -> HttpResponse:
    """Start finding a time: the meeting, the times to choose from, and who is invited."""
    idea = selectors.idea_to_organise(request.user, reference)
    may_propose = services.proposing_available()
    form = MeetingForm(
        _posted(request),
        users=selectors.users_to_invite(idea, request.user),
        submitters=selectors.submitters_to_invite(idea),
        may_propose=may_propose,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                idea=idea,
                actor=request.user,
                title=data["title"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                video_link=data["video_link"],
                description=data["description"],
                starts=data["starts"],
                users=data["users"],
                submitters=data["submitters"],
                guests=data["guests"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_error(form, error)
        else:
            if meeting.options.exists():
                messages.success(
                    request, _("The poll was started and the participants were invited.")
                )
            else:
                messages.success(
                    request,
                    _("The meeting was created. Add times, and the participants get the poll."),
                )
            return _to_meeting(meeting)
    return render(
        request,
        "meetings/new.html",
        {"idea": idea, "form": form, "may_propose": may_propose},
        status=_status(form),
    )


# --- The meeting page -------------------------------------------------------------------------


def _page(request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms) -> HttpResponse:
    context = selectors.meeting_page_context(request.user, meeting)
    if context["can_manage"]:
        idea = meeting.idea
        context.update(
            add_form=forms.get("add_form") or AddOptionsForm(),
            propose_form=forms.get("propose_form") or ProposeForm(),
            may_propose=services.proposing_available(),
            invite_form=forms.get("invite_form")
            or InviteForm(
                users=selectors.users_to_invite(idea, meeting.organiser, meeting),
                submitters=selectors.submitters_to_invite(idea, meeting),
            ),
            notes_form=forms.get("notes_form")
            or NotesForm(initial={"notes": meeting.notes, "decisions": meeting.decisions}),
            item_form=forms.get("item_form")
            or ActionItemForm(candidates=selectors.action_owner_candidates(idea)),
        )
    return render(request, "meetings/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _page(request, selectors.meeting_for_user(request.user, meeting_id))


@login_required
def edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Change the meeting's title, place, video link and agenda."""
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404
    form = MeetingDetailsForm(
        _posted(request),
        initial={
            "title": meeting.title,
            "location": meeting.location,
            "video_link": meeting.video_link,
            "description": meeting.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update_details(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            if meeting.status == Meeting.Status.BOOKED:
                messages.success(
                    request, _("The meeting was saved and the participants were sent an update.")
                )
            else:
                messages.success(request, _("The meeting was saved."))
            return _to_meeting(meeting)
    return render(
        request, "meetings/edit.html", {"meeting": meeting, "form": form}, status=_status(form)
    )


@login_required
@require_POST
def add_options(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    form = AddOptionsForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_add_options(
                meeting=meeting, actor=request.user, starts=form.cleaned_data["starts"]
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The times were added and the participants were told."))
            return _to_meeting(meeting, "poll-heading")
    return _page(request, meeting, status=400, add_form=form)


@login_required
@require_POST
def remove_option(request: HttpRequest, meeting_id: int, option_id: int) -> HttpResponse:
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    option = selectors.option_of(meeting, option_id)
    try:
        services.meeting_remove_option(meeting=meeting, actor=request.user, option=option)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The time was removed."))
    return _to_meeting(meeting, "poll-heading")


@login_required
@require_POST
def propose(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Let the system propose free times (when the free/busy modules are installed)."""
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    if not services.proposing_available():
        messages.error(request, _("The system cannot propose times here. Add them yourself."))
        return _to_meeting(meeting, "poll-heading")
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            options = services.meeting_propose_options(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(
                request,
                _("%(n)d times were proposed and added to the poll.") % {"n": len(options)},
            )
            return _to_meeting(meeting, "poll-heading")
    return _page(request, meeting, status=400, propose_form=form)


@login_required
@require_POST
def invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    idea = meeting.idea
    form = InviteForm(
        request.POST,
        users=selectors.users_to_invite(idea, meeting.organiser, meeting),
        submitters=selectors.submitters_to_invite(idea, meeting),
    )
    if form.is_valid():
        try:
            services.meeting_invite(
                meeting=meeting,
                actor=request.user,
                users=form.cleaned_data["users"],
                submitters=form.cleaned_data["submitters"],
                guests=form.cleaned_data["guests"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The invitations were sent."))
            return _to_meeting(meeting, "participants-heading")
    return _page(request, meeting, status=400, invite_form=form)


@login_required
@require_POST
def remove_participant(request: HttpRequest, meeting_id: int, participant_id: int):
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    participant = selectors.participant_of(meeting, participant_id)
    services.participant_remove(participant=participant, actor=request.user)
    messages.success(
        request,
        _("%(name)s was taken off the meeting; their link no longer works.")
        % {"name": participant.display_name},
    )
    return _to_meeting(meeting, "participants-heading")


@login_required
@require_POST
def book(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Book (or move to) one of the time options; the invitations go out."""
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    option_id = request.POST.get("option", "")
    if not option_id.isdigit():
        raise Http404
    option = selectors.option_of(meeting, int(option_id))
    moving = meeting.status == Meeting.Status.BOOKED
    try:
        services.meeting_book(meeting=meeting, actor=request.user, option=option)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if moving:
            messages.success(
                request, _("The meeting was moved and the participants were sent an update.")
            )
        else:
            messages.success(
                request,
                _("The meeting was booked and the participants were sent calendar invitations."),
            )
    return _to_meeting(meeting)


@login_required
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Ask before cancelling: the participants are told."""
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404
    form = CancelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(
            meeting=meeting, actor=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, _("The meeting was cancelled and the participants were told."))
        return _to_meeting(meeting)
    return render(
        request, "meetings/cancel.html", {"meeting": meeting, "form": form}, status=_status(form)
    )


@login_required
@require_POST
def notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _page(request, meeting, status=400, notes_form=form)
    services.meeting_save_notes(meeting=meeting, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The notes and decisions were saved."))
    return _to_meeting(meeting, "notes-heading")


@login_required
@require_POST
def add_action_item(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_to_manage(request.user, meeting_id)
    form = ActionItemForm(request.POST, candidates=selectors.action_owner_candidates(meeting.idea))
    if form.is_valid():
        try:
            services.action_item_add(
                idea=meeting.idea, meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The action item was added."))
            return _to_meeting(meeting, "items-heading")
    return _page(request, meeting, status=400, item_form=form)


# --- Mina uppgifter -------------------------------------------------------------------------


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    """ "My tasks": the user's action items, the meetings they are invited to, and their
    private calendar feed."""
    mine = selectors.my_tasks(request.user)
    feed_url = ""
    if mine.feed:
        feed_url = settings.SITE_URL + reverse(
            "meetings:feed", kwargs={"token": mine.feed.access_token}
        )
    return render(request, "meetings/tasks.html", {"mine": mine, "feed_url": feed_url})


@login_required
@require_POST
def action_item_done(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.action_item_for_user(request.user, item_id)
    try:
        services.action_item_complete(item=item, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("“%(title)s” is done.") % {"title": item.title})
    if request.POST.get("next") == "meeting" and item.meeting_id:
        return redirect("meetings:detail", meeting_id=item.meeting_id)
    return redirect("meetings:tasks")


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    had_one = selectors.has_calendar_feed(request.user)
    services.calendar_feed_reset(user=request.user)
    if had_one:
        messages.success(request, _("Your calendar feed has a new address; the old one is off."))
    else:
        messages.success(request, _("Your calendar feed is ready. Copy its address below."))
    response = redirect("meetings:tasks")
    response["Location"] += "#feed-heading"
    return response


@login_required
@require_POST
def feed_stop(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_stop(user=request.user)
    messages.success(request, _("Your calendar feed is turned off."))
    return redirect("meetings:tasks")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's private calendar feed: their booked meetings as iCalendar. The secret
    address is the key (calendar programs cannot log in); a wrong one answers 404."""
    user = selectors.feed_owner(token)
    body = ical.feed(
        selectors.feed_meetings(user), name=_("Sluss meetings of %(name)s") % {"name": user}
    )
    return _calendar_response(body, filename="sluss.ics")


def _calendar_response(body: str, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return _private(response)


# --- The participant's private page ---------------------------------------------------------


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's page: the times, and yes / if need be / no for each. No account
    needed: the link is the key."""
    participant = selectors.participant_for_token(token)
    context = selectors.answer_page_context(participant)
    meeting = participant.meeting
    form = AnswerForm(
        _posted(request),
        options=context["poll"].options,
        own_answers=context["own_answers"],
        comment=participant.comment,
    )
    if request.method == "POST":
        if not meeting.is_open:
            messages.info(request, _("The poll is closed; your answer was not needed."))
            return redirect("meetings:answer", token=token)
        if form.is_valid():
            try:
                services.participant_answer(
                    participant=participant,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your answers were saved; you can change them until the "
                        "meeting is booked."
                    ),
                )
                return redirect("meetings:answer", token=token)
    context.update(
        form=form, token=token, availability_form=AvailabilityForm(prefix="availability")
    )
    return _private(render(request, "meetings/answer.html", context, status=_status(form)))


@never_cache
@require_POST
def answer_availability(request: HttpRequest, token: str) -> HttpResponse:
    """The participant shares their calendar (a file, or an address the worker reads) or
    takes it back, from their private page. Same link rules as the page."""
    participant = selectors.participant_for_token(token)
    if not participant.meeting.is_open:
        messages.info(request, _("The poll is closed; your calendar was not needed."))
        return redirect("meetings:answer", token=token)
    form = AvailabilityForm(request.POST, request.FILES, prefix="availability")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["remove"]:
                services.participant_remove_availability(participant=participant)
                done = _("Your calendar is no longer shared.")
            elif data["ics_file"]:
                services.participant_share_availability(
                    participant=participant, ics_text=data["ics_file"]
                )
                done = _("Thank you. Your calendar file was shared.")
            else:
                services.participant_share_calendar_url(participant=participant, url=data["url"])
                done = _("Thank you. Your calendar address will be read in a moment.")
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if data["ics_file"] and not hasattr(error, "error_dict"):
                form.add_error("ics_file", error)
            else:
                _add_error(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("meetings:answer", args=[token]) + "#availability-heading")
    context = selectors.answer_page_context(participant)
    answer_form = AnswerForm(
        None,
        options=context["poll"].options,
        own_answers=context["own_answers"],
        comment=participant.comment,
    )
    context.update(form=answer_form, token=token, availability_form=form)
    return _private(render(request, "meetings/answer.html", context, status=400))


def _private(response: HttpResponse) -> HttpResponse:
    """A page behind a private link is for its holder only: never indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def answer_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The booked meeting as a calendar file, from the participant's page."""
    participant = selectors.participant_for_token(token)
    meeting = participant.meeting
    if meeting.status != Meeting.Status.BOOKED:
        raise Http404
    body = ical.invitation(meeting, selectors.active_participants(meeting), now=timezone.now())
    return _calendar_response(body, filename="invite.ics")
