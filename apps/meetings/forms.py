"""Forms for finding a time, answering a poll, notes and action items. No business
rules: the services check them and report back through the forms' errors.

Times are typed as a date and a start time in separate fields (a native date and time
picker where the browser has one, plain text where not), read in the sluice's time
zone, Europe/Stockholm.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Answer
from .services import Guest

#: Blank rows on the forms: enough for a poll, more can be added on the meeting page.
OPTION_ROWS = 5
GUEST_ROWS = 3

DURATION_CHOICES = [
    (15, _("15 minutes")),
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def local_moment(day: date, at: time) -> datetime:
    """A wall-clock time in the sluice's time zone; refused when the clocks skip it or
    pass it twice (the night daylight saving time starts or ends)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    naive = datetime.combine(day, at)
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise ValidationError(
            _("The clocks change at that time. Choose another time."), code="ambiguous"
        )
    moment = first
    if moment.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(_("That time does not exist: the clocks skip it."), code="skipped")
    return moment


class TimeRowsMixin:
    """Rows of date + start time fields, read into `starts` (aware datetimes)."""

    def add_time_rows(self, rows: int, *, required_first: bool) -> None:
        for n in range(1, rows + 1):
            self.fields[f"option_{n}_date"] = forms.DateField(
                label=_("Time %(n)d: date") % {"n": n},
                required=False,
                widget=DateInput(),
                help_text=_("For example 2026-03-16") if n == 1 else "",
                error_messages={"invalid": _("Write the date like 2026-03-16.")},
            )
            self.fields[f"option_{n}_time"] = forms.TimeField(
                label=_("Time %(n)d: starts at") % {"n": n},
                required=False,
                widget=TimeInput(),
                help_text=_("For example 13:30") if n == 1 else "",
                error_messages={"invalid": _("Write the time like 13:30.")},
            )
        self.time_rows = rows
        self.required_first = required_first

    def time_row_fields(self):
        return [
            (self[f"option_{n}_date"], self[f"option_{n}_time"])
            for n in range(1, self.time_rows + 1)
        ]

    def clean_time_rows(self, cleaned: dict) -> list[datetime]:
        starts = []
        for n in range(1, self.time_rows + 1):
            day_name, time_name = f"option_{n}_date", f"option_{n}_time"
            day, at = cleaned.get(day_name), cleaned.get(time_name)
            if self.has_error(day_name) or self.has_error(time_name):
                continue
            if day and not at:
                self.add_error(time_name, _("Give the start time too."))
            elif at and not day:
                self.add_error(day_name, _("Give the date too."))
            elif day and at:
                try:
                    starts.append(local_moment(day, at))
                except ValidationError as error:
                    self.add_error(time_name, error)
        if not starts and self.required_first and not self.errors:
            self.add_error("option_1_date", _("Give at least one time."))
        return starts


class GuestRowsMixin:
    """Rows of name + email address for people invited by address."""

    def add_guest_rows(self, rows: int) -> None:
        for n in range(1, rows + 1):
            self.fields[f"guest_{n}_name"] = forms.CharField(
                label=_("Person %(n)d: name") % {"n": n}, required=False, max_length=200
            )
            self.fields[f"guest_{n}_email"] = forms.EmailField(
                label=_("Person %(n)d: email address") % {"n": n},
                required=False,
                error_messages={"invalid": _("Enter an email address like name@example.se.")},
            )
        self.guest_rows = rows

    def guest_row_fields(self):
        return [
            (self[f"guest_{n}_name"], self[f"guest_{n}_email"])
            for n in range(1, self.guest_rows + 1)
        ]

    def clean_guest_rows(self, cleaned: dict) -> list[Guest]:
        guests = []
        for n in range(1, self.guest_rows + 1):
            name_field, email_field = f"guest_{n}_name", f"guest_{n}_email"
            name = (cleaned.get(name_field) or "").strip()
            email = cleaned.get(email_field) or ""
            if self.has_error(email_field):
                if not name:
                    self.add_error(name_field, _("Give the person's name."))
                continue
            if name and not email:
                self.add_error(email_field, _("Give the person's email address."))
            elif email and not name:
                self.add_error(name_field, _("Give the person's name."))
            elif name and email:
                guests.append(Guest(name=name, email=email))
        return guests


class InviteFieldsMixin(GuestRowsMixin):
    def add_invite_fields(self, *, users, submitters) -> None:
        self.fields["users"] = forms.ModelMultipleChoiceField(
            label=_("Colleagues"),
            queryset=users,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["users"].label_from_instance = lambda u: f"{u} ({u.email})"
        self.fields["submitters"] = forms.ModelMultipleChoiceField(
            label=_("Submitters"),
            queryset=submitters,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["submitters"].label_from_instance = lambda s: f"{s.name} ({s.email})"
        self.add_guest_rows(GUEST_ROWS)


class MeetingDetailsForm(forms.Form):
    title = forms.CharField(
        label=_("What is the meeting about?"),
        max_length=150,
        help_text=_("For example: Plan the test at Ekbackens förskola"),
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("A room and address, or leave empty for a video meeting."),
    )
    video_link = forms.URLField(
        label=_("Video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address like https://meet.example.se/abc.")},
    )
    description = forms.CharField(
        label=_("Agenda"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MeetingForm(TimeRowsMixin, InviteFieldsMixin, MeetingDetailsForm):
    """Start a poll: what, how long, where, the times to choose from, and who."""

    duration_minutes = forms.TypedChoiceField(
        label=_("How long?"), choices=DURATION_CHOICES, coerce=int, initial=60
    )
    field_order = ["title", "duration_minutes", "location", "video_link", "description"]

    def __init__(self, *args, users, submitters, may_propose: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_time_rows(OPTION_ROWS, required_first=not may_propose)
        self.add_invite_fields(users=users, submitters=submitters)

    def clean(self):
        cleaned = super().clean()
        cleaned["starts"] = self.clean_time_rows(cleaned)
        cleaned["guests"] = self.clean_guest_rows(cleaned)
        return cleaned


class AddOptionsForm(TimeRowsMixin, forms.Form):
    """More times for an open poll."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "add")
        super().__init__(*args, **kwargs)
        self.add_time_rows(3, required_first=True)

    def clean(self):
        cleaned = super().clean()
        cleaned["starts"] = self.clean_time_rows(cleaned)
        return cleaned


class InviteForm(InviteFieldsMixin, forms.Form):
    """More people for a meeting."""

    def __init__(self, *args, users, submitters, **kwargs):
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self.add_invite_fields(users=users, submitters=submitters)

    def clean(self):
        cleaned = super().clean()
        cleaned["guests"] = self.clean_guest_rows(cleaned)
        if (
            not self.errors
            and not cleaned["guests"]
            and not cleaned.get("users")
            and not cleaned.get("submitters")
        ):
            raise ValidationError(_("Choose someone to invite, or write a name and address."))
        return cleaned


class ProposeForm(forms.Form):
    """Ask the system for free times."""

    start = forms.DateField(
        label=_("Look from"),
        widget=DateInput(),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )
    days = forms.TypedChoiceField(
        label=_("Within"),
        coerce=int,
        initial=14,
        choices=[(7, _("1 week")), (14, _("2 weeks")), (21, _("3 weeks")), (28, _("4 weeks"))],
    )
    count = forms.TypedChoiceField(
        label=_("How many times to propose"),
        coerce=int,
        initial=5,
        choices=[(n, str(n)) for n in (3, 4, 5, 6, 8, 10)],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "propose")
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate() + timedelta(days=1)


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the participants"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the meeting is cancelled, or what happens instead."),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "notes")
        super().__init__(*args, **kwargs)


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("What is to be done?"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Who does it?"), queryset=None)
    due_date = forms.DateField(
        label=_("By when?"),
        widget=DateInput(),
        help_text=_("For example 2026-03-16"),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        kwargs.setdefault("prefix", "item")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates
        self.fields["owner"].empty_label = _("Choose a person")


ANSWER_CHOICES = [
    (Answer.Value.YES, _("Yes")),
    (Answer.Value.MAYBE, _("If need be")),
    (Answer.Value.NO, _("No")),
]


class AnswerForm(forms.Form):
    """One yes / if need be / no per time option, and a comment."""

    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example what times suit you better."),
    )

    def __init__(self, *args, options, own_answers: dict[int, str], comment: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        for option in self.options:
            start, end = timezone.localtime(option.start), timezone.localtime(option.end)
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}",
                choices=ANSWER_CHOICES,
                widget=forms.RadioSelect,
                initial=own_answers.get(option.pk),
                error_messages={"required": _("Answer yes, if need be, or no.")},
            )
        self.fields["comment"].initial = comment
        self.order_fields([f"option_{o.pk}" for o in self.options] + ["comment"])

    def option_fields(self):
        return [(option, self[f"option_{option.pk}"]) for option in self.options]

    def answers(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data[f"option_{o.pk}"] for o in self.options}


#: The largest calendar file a participant may upload.
AVAILABILITY_MAX_BYTES = 1_000_000


class AvailabilityForm(forms.Form):
    """A participant's calendar: a file, or the address of one, or taking it back."""

    ics_file = forms.FileField(
        label=_("Calendar file (.ics)"),
        required=False,
        help_text=_("Export your calendar or your free/busy times as an .ics file, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,.ifb,.vfb,text/calendar"}),
    )
    url = forms.CharField(
        label=_("Or the address of your calendar"),
        max_length=500,
        required=False,
        help_text=_("A calendar address that begins with https://, http:// or webcal://."),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remove = forms.BooleanField(label=_("Stop sharing my calendar"), required=False)

    def clean_ics_file(self):
        upload = self.cleaned_data.get("ics_file")
        if not upload:
            return ""
        if upload.size > AVAILABILITY_MAX_BYTES:
            raise ValidationError(_("The calendar file is larger than 1 MB."))
        data = upload.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("remove"):
            return cleaned
        if cleaned.get("ics_file") and cleaned.get("url"):
            raise ValidationError(_("Give either a calendar file or an address, not both."))
        if not cleaned.get("ics_file") and not cleaned.get("url"):
            self.add_error("ics_file", _("Choose a calendar file or give the address of one."))
        return cleaned
