"""Forms for courses, sessions, registrations and attendance. No business rules: the
services check them and report back through the forms' errors."""

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.meetings.forms import DateInput, TimeInput, local_moment
from apps.organisations.models import Organisation

from .models import Course


class CourseForm(forms.Form):
    consortium = forms.ModelChoiceField(
        label=_("Consortium"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=Course.Topic.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    audience = forms.CharField(
        label=_("For whom"),
        required=False,
        max_length=300,
        help_text=_("For example: managers and team leaders"),
    )
    is_active = forms.BooleanField(label=_("Offered (shown in the course list)"), required=False)

    def __init__(self, *args, consortia, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consortium"].queryset = consortia
        if len(consortia) == 1:
            # Nothing to choose: most people run the trainings of one consortium.
            self.fields["consortium"].widget = forms.HiddenInput()
            self.fields["consortium"].initial = consortia[0].pk


class SessionForm(forms.Form):
    day = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        help_text=_("For example 2026-03-16"),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=TimeInput(),
        help_text=_("For example 09:00"),
        error_messages={"invalid": _("Write the time like 13:30.")},
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(),
        help_text=_("For example 16:00"),
        error_messages={"invalid": _("Write the time like 13:30.")},
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=300, help_text=_("Address and room")
    )
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For a session held online, or both on site and online"),
    )
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000)
    closes_on = forms.DateField(
        label=_("Last day to register"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to take registrations until the session starts"),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )

    @staticmethod
    def initial_for(session) -> dict:
        local = timezone.localtime
        closes = session.registration_closes_at
        return {
            "day": local(session.starts_at).date(),
            "start_time": local(session.starts_at).time(),
            "end_time": local(session.ends_at).time(),
            "place": session.place,
            "online_link": session.online_link,
            "seats": session.seats,
            "closes_on": (local(closes) - timedelta(days=1)).date() if closes else None,
        }

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            try:
                cleaned["starts_at"] = local_moment(day, start)
            except ValidationError as error:
                self.add_error("start_time", error)
            try:
                cleaned["ends_at"] = local_moment(day, end)
            except ValidationError as error:
                self.add_error("end_time", error)
        closes_on = cleaned.get("closes_on")
        # Registration is open through the whole last day.
        cleaned["registration_closes_at"] = (
            timezone.make_aware(datetime.combine(closes_on + timedelta(days=1), time.min))
            if closes_on
            else None
        )
        return cleaned


class SessionCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the participants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.municipality.name}: {obj.name}" if obj.municipality_id else obj.name


class RegistrationForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality you work in"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a municipality"),
        error_messages={"required": _("Choose the municipality you work in.")},
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No unit"),
    )

    def __init__(self, *args, municipalities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        municipality, unit = cleaned.get("municipality"), cleaned.get("unit")
        if municipality and unit and unit.municipality_id != municipality.pk:
            self.add_error("unit", _("Choose a unit of the municipality you chose."))
        return cleaned


class AttendanceForm(forms.Form):
    """One choice per participant with a seat: attended, did not attend, not marked."""

    CHOICES = [("", _("Not marked")), ("yes", _("Attended")), ("no", _("Did not attend"))]

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            self.fields[f"attended_{registration.pk}"] = forms.ChoiceField(
                label=str(registration.user),
                choices=self.CHOICES,
                required=False,
                initial={True: "yes", False: "no", None: ""}[registration.attended],
            )

    def rows(self):
        return [(r, self[f"attended_{r.pk}"]) for r in self.registrations]

    def attendance(self) -> dict[int, bool | None]:
        values = {"yes": True, "no": False, "": None}
        return {r.pk: values[self.cleaned_data[f"attended_{r.pk}"]] for r in self.registrations}


class ParticipationFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Write the date like 2026-03-16.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned
