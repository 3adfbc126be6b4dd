"""Forms for administering organisations, people and roles. No business rules here: the
services check them and report back through the form's errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role

ROLE_PLACES = _(
    "Idea coaches are held in a municipality, managers in a unit, and process leaders, "
    "communicators and administrators in the consortium."
)


class MunicipalityForm(forms.Form):
    """A municipality's name and how many people work there."""

    name = forms.CharField(label=_("Name"), max_length=200)
    employee_count = forms.IntegerField(
        label=_("Number of employees"),
        min_value=0,
        help_text=_("Used to compare municipalities: ideas per 1,000 employees."),
    )


class UnitForm(forms.Form):
    """A unit's name."""

    name = forms.CharField(label=_("Name"), max_length=200)


def organisation_form_class(kind: str) -> type[forms.Form]:
    return MunicipalityForm if kind == Organisation.Kind.MUNICIPALITY else UnitForm


class OrganisationChoiceField(forms.ModelChoiceField):
    """Names an organisation with its kind and, for a unit, its municipality."""

    def label_from_instance(self, obj: Organisation) -> str:
        if obj.kind == Organisation.Kind.UNIT and obj.municipality_id:
            return f"{obj.name}, {obj.municipality.name} ({obj.get_kind_display()})"
        return f"{obj.name} ({obj.get_kind_display()})"


class RoleGrantForm(forms.Form):
    """Which role, held where."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = OrganisationChoiceField(
        label=_("Held in"), queryset=Organisation.objects.none(), help_text=ROLE_PLACES
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PersonForm(RoleGrantForm):
    """A new person and the first role they hold."""

    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "They log in with a one-time code sent to this address, or set a password "
            "with “Forgot your password?”."
        ),
    )

    field_order = ["full_name", "email", "role", "organisation"]


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by email address or name"), required=False, max_length=200)


class ConfirmForm(forms.Form):
    """A confirmation button; carries a refusal back to the page as an error."""


class LeaveDateForm(forms.Form):
    """The day a person leaves, set in advance so the handover is prepared in time."""

    leaves_on = forms.DateField(
        label=_("Leaves on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Administrators and process leaders are reminded 14 and 3 days before. Leave "
            "empty when no date is planned."
        ),
    )
