"""Forms for the catalogue, solutions, adoptions and benefits. No business rules: the
services check them and report back through the forms' errors."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.ideas.models import Attachment
from apps.organisations.models import Organisation

from .models import AdoptionStage, BenefitPhase, Category


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )


def number_field(label, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    """A number typed the Swedish way (12,5) or the English way (12.5)."""
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter a number, like 12,5."),
            "max_decimal_places": _("Use at most two decimals."),
            "max_digits": _("The number is too large."),
            "max_whole_digits": _("The number is too large."),
        },
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("From the municipality"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )
    category = forms.ChoiceField(label=_("Area"), required=False)
    adoption_stage = forms.ChoiceField(label=_("In use elsewhere"), required=False)

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["municipality"]
            del self.fields["adoption_stage"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["adoption_stage"].choices = [
                ("", _("Any")),
                *[
                    (value, _("Adopted somewhere, now: %(stage)s") % {"stage": label})
                    for value, label in AdoptionStage.choices
                ],
            ]
        self.fields["category"].choices = [("", _("All areas")), *Category.choices]


class DocumentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Attachment) -> str:
        return obj.original_name


class SolutionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("What it is"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Written for other municipalities (and, once approved, for the public): the need, "
            "the solution and who it is for. Do not name the submitters."
        ),
    )
    results = forms.CharField(
        label=_("Results so far"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = forms.ChoiceField(label=_("Area"), choices=[("", "—"), *Category.choices])
    contact = PersonChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        help_text=_("Whom other municipalities ask about the solution."),
    )
    documents = DocumentsField(
        label=_("Documents for the catalogue"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only colleagues in the consortium who are logged in can open them."),
    )

    def __init__(self, *args, contacts, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["documents"].queryset = documents
        if not documents.exists():
            del self.fields["documents"]


class AdoptionForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Adopting municipality"), queryset=Organisation.objects.none()
    )
    owner = PersonChoiceField(
        label=_("Owner of the adoption"),
        queryset=User.objects.none(),
        help_text=_("A coach of the adopting municipality, or a process leader."),
    )
    planned_start = date_field(_("Planned start"), required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example which unit tries it first."),
    )

    def __init__(self, *args, municipalities, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["owner"].queryset = owners


class AdoptionStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=AdoptionStage.choices)
    on_date = date_field(_("Since"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the adoption is stopped."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "stage")
        super().__init__(*args, **kwargs)
        self.fields["on_date"].initial = timezone.localdate()


class BenefitForm(forms.Form):
    description = forms.CharField(
        label=_("Expected benefit"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What gets better, for whom."),
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        help_text=_("What is measured, e.g. “minutes of travel per home visit”."),
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("E.g. minutes, visits, %."))
    baseline = number_field(_("Baseline"), help_text=_("The value before the change."))
    target = number_field(_("Target"), help_text=_("The value you aim for."))
    how_measured = forms.CharField(
        label=_("How it is measured"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = PersonChoiceField(label=_("Benefit owner"), queryset=User.objects.none())
    phase = forms.ChoiceField(
        label=_("Phase"), choices=BenefitPhase.choices, initial=BenefitPhase.SPECIFY
    )
    next_measurement_due = date_field(
        _("Next measurement due"),
        required=False,
        help_text=_("The owner is reminded by email on this day."),
    )
    follow_up_every_days = forms.IntegerField(
        label=_("Measure every (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("After each measurement the next one falls due this many days later."),
    )
    value_per_unit_sek = number_field(
        _("Value per unit (SEK)"),
        required=False,
        help_text=_("What one unit of change towards the target is worth in kronor."),
    )
    hours_per_unit = number_field(
        _("Hours per unit"),
        required=False,
        help_text=_("Working hours freed by one unit of change towards the target."),
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MeasurementForm(forms.Form):
    measured_on = date_field(_("Date measured"))
    value = number_field(_("Value"))
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate()
