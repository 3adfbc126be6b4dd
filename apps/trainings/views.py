"""Pages of the trainings: the public course list, registration with a waiting list,
the person's own registrations, and the pages where communicators and process leaders
run courses, sessions and attendance.

Thin views: a selector finds (or 404s), a form validates, a service writes; a form with
errors comes back with status 400, its error summary and the values typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import ical, policies, selectors, services
from .forms import (
    AttendanceForm,
    CourseForm,
    ParticipationFilterForm,
    RegistrationForm,
    SessionCancelForm,
    SessionForm,
)
from .models import Registration


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _add_error(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _status(form: Form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _managed_consortia(request: HttpRequest):
    access = access_for(request.user)
    consortia = Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM).order_by("name")
    if not access.is_superuser:
        consortia = consortia.filter(pk__in=policies.managed_consortia(access))
    return consortia


# --- Public pages -----------------------------------------------------------------------------


def course_list(request: HttpRequest) -> HttpResponse:
    """Every offered course; those who run trainings also see the ones no longer offered."""
    access = access_for(request.user)
    return render(
        request,
        "trainings/course_list.html",
        {
            "courses": selectors.courses_visible_to(request.user),
            "may_manage": policies.may_manage_trainings(access),
        },
    )


def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_user(request.user, course_id)
    access = access_for(request.user)
    may_manage = policies.can_manage_course(access, course)
    sessions = selectors.sessions_of(course, include_past=may_manage)
    return render(
        request,
        "trainings/course_detail.html",
        {
            "course": course,
            "sessions": sessions,
            "may_manage": may_manage,
            "now": timezone.now(),
        },
    )


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for_user(request.user, session_id)
    registration = selectors.registration_of(request.user, session)
    return render(
        request,
        "trainings/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "registration": registration,
            "place": selectors.waiting_place(registration) if registration else None,
            "open": services.registration_open(session, now=timezone.now()),
            "may_manage": policies.can_manage_course(access_for(request.user), session.course),
        },
    )


def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session as a calendar file (under the person's own invitation UID once they
    have a seat)."""
    session = selectors.session_for_user(request.user, session_id)
    registration = selectors.registration_of(request.user, session)
    if registration is not None and registration.status != Registration.Status.REGISTERED:
        registration = None
    response = HttpResponse(ical.download(session, registration), content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="training-{session.pk}.ics"'
    return response


# --- Registration -----------------------------------------------------------------------------


@login_required
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    """Sign up for a session; a full one puts the person on its waiting list."""
    session = selectors.session_for_user(request.user, session_id)
    existing = selectors.registration_of(request.user, session)
    if existing is not None:
        return redirect(session.get_absolute_url())
    consortium_id = session.course.consortium_id
    form = RegistrationForm(
        _posted(request),
        initial=selectors.registration_defaults(request.user),
        municipalities=selectors.municipalities_for_registration(consortium_id=consortium_id),
        units=selectors.units_for_registration(consortium_id=consortium_id),
    )
    if form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user,
                session=session,
                municipality=form.cleaned_data["municipality"],
                unit=form.cleaned_data["unit"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            if registration.status == Registration.Status.REGISTERED:
                messages.success(
                    request, _("You are registered. We have emailed you a calendar invitation.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "The session is full: you are on the waiting list, in place %(place)s. "
                        "You move up automatically if a seat is freed."
                    )
                    % {"place": registration.place},
                )
            return redirect("trainings:mine")
    return render(
        request,
        "trainings/register.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "open": services.registration_open(session, now=timezone.now()),
        },
        status=_status(form),
    )


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "trainings/my_registrations.html",
        {"registrations": selectors.registrations_of_user(request.user), "now": timezone.now()},
    )


@login_required
@require_POST
def registration_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = selectors.registration_for_owner(request.user, registration_id)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("trainings:mine")


# --- Running the trainings --------------------------------------------------------------------


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    consortia = _managed_consortia(request)
    if not consortia.exists():
        raise Http404
    form = CourseForm(_posted(request), consortia=consortia, initial={"is_active": True})
    if form.is_valid():
        data = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                consortium=data["consortium"],
                title=data["title"],
                description=data["description"],
                topic=data["topic"],
                audience=data["audience"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The course is saved. Add its sessions."))
            return redirect(course.get_absolute_url())
    return render(
        request, "trainings/course_form.html", {"form": form, "course": None}, status=_status(form)
    )


@login_required
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_manager(request.user, course_id)
    form = CourseForm(
        _posted(request),
        consortia=Organisation.objects.filter(pk=course.consortium_id),
        initial={
            "consortium": course.consortium_id,
            "title": course.title,
            "topic": course.topic,
            "description": course.description,
            "audience": course.audience,
            "is_active": course.is_active,
        },
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.course_update(
                actor=request.user,
                course=course,
                title=data["title"],
                description=data["description"],
                topic=data["topic"],
                audience=data["audience"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The course is saved."))
            return redirect(course.get_absolute_url())
    return render(
        request,
        "trainings/course_form.html",
        {"form": form, "course": course},
        status=_status(form),
    )


def _session_fields(form: SessionForm) -> dict:
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "place": data["place"],
        "online_link": data["online_link"],
        "seats": data["seats"],
        "registration_closes_at": data["registration_closes_at"],
    }


@login_required
def session_create(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_for_manager(request.user, course_id)
    form = SessionForm(_posted(request))
    if form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, course=course, **_session_fields(form)
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The session is added."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "trainings/session_form.html",
        {"form": form, "course": course, "session": None},
        status=_status(form),
    )


@login_required
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for_manager(request.user, session_id)
    if session.is_cancelled:
        raise Http404
    form = SessionForm(_posted(request), initial=SessionForm.initial_for(session))
    if form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **_session_fields(form))
        except ValidationError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The session is saved; participants have been told."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "trainings/session_form.html",
        {"form": form, "course": session.course, "session": session},
        status=_status(form),
    )


@login_required
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for_manager(request.user, session_id)
    form = SessionCancelForm(_posted(request))
    if not session.is_cancelled and form.is_valid():
        services.session_cancel(
            actor=request.user, session=session, message=form.cleaned_data["message"]
        )
        messages.success(request, _("The session is cancelled; everyone registered is told."))
        return redirect(session.get_absolute_url())
    return render(
        request,
        "trainings/session_cancel.html",
        {"form": form, "session": session, "course": session.course},
        status=_status(form),
    )


@login_required
def participants(request: HttpRequest, session_id: int) -> HttpResponse:
    """The participant list and waiting line; attendance is marked here once it starts."""
    session = selectors.session_for_manager(request.user, session_id)
    lists = selectors.participants_of(session)
    may_mark = not session.is_cancelled and session.starts_at <= timezone.now()
    form = AttendanceForm(_posted(request) if may_mark else None, registrations=lists["registered"])
    if request.method == "POST":
        if not may_mark:
            raise Http404
        if form.is_valid():
            try:
                services.attendance_mark(
                    actor=request.user, session=session, attendance=form.attendance()
                )
            except ValidationError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("Attendance is saved."))
                return redirect("trainings:participants", session_id=session.pk)
    return render(
        request,
        "trainings/participants.html",
        {
            "session": session,
            "course": session.course,
            "registered": lists["registered"],
            "waiting": lists["waiting"],
            "form": form,
            "may_mark": may_mark,
        },
        status=_status(form),
    )


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """Participation per municipality and per unit in the trainings this person runs."""
    consortium_ids = [c.pk for c in _managed_consortia(request)]
    if not consortium_ids:
        raise Http404
    form = ParticipationFilterForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    by_municipality = selectors.participation_by_municipality(
        consortium_ids=consortium_ids, start=start, end=end
    )
    by_unit = selectors.participation_by_unit(consortium_ids=consortium_ids, start=start, end=end)
    return render(
        request,
        "trainings/participation.html",
        {"form": form, "by_municipality": by_municipality, "by_unit": by_unit},
        status=_status(form),
    )
