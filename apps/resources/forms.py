"""Forms of the resource library. No business rules: the services check them and report
back through the forms' errors."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.ideas.uploads import allowed_types_text, validate_upload
from apps.organisations.models import Organisation

from .models import Category, Visibility


def _file_help() -> str:
    return _("Allowed types: %(types)s. At most %(max)s.") % {
        "types": allowed_types_text(),
        "max": filesizeformat(settings.SLUSS_ATTACHMENT_MAX_BYTES),
    }


class CheckedFileField(forms.FileField):
    """One file, checked by size, name and content before the form is valid."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                validate_upload(upload)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return upload


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    visibility = forms.ChoiceField(label=_("Who may see it"), required=False)
    archived = forms.BooleanField(label=_("Show archived resources"), required=False)

    def __init__(self, *args, sees_internal: bool = False, manages: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *Category.choices]
        if sees_internal:
            self.fields["visibility"].choices = [
                ("", _("Public and internal")),
                (Visibility.PUBLIC, _("Public")),
                (Visibility.INTERNAL, _("Internal")),
            ]
        else:
            del self.fields["visibility"]
        if not manages:
            del self.fields["archived"]


class ResourceForm(forms.Form):
    """A resource's description; a new resource also takes its first file."""

    consortium = forms.ModelChoiceField(label=_("Consortium"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is for and who it is for. Searched together with the title."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.INTERNAL,
        widget=forms.RadioSelect,
    )
    file = CheckedFileField(label=_("File"))
    change_note = forms.CharField(
        label=_("Note about this version"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, consortia=None, with_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if consortia is None or consortia.count() < 2:
            # One library to keep: nothing to choose.
            del self.fields["consortium"]
        else:
            self.fields["consortium"].queryset = consortia
        if with_file:
            self.fields["file"].help_text = _file_help()
        else:
            del self.fields["file"]
            del self.fields["change_note"]


class VersionForm(forms.Form):
    file = CheckedFileField(label=_("New file"))
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the version history, e.g. “Updated for 2026”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()
