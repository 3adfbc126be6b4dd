"""Forms of the showcase. No business rules: the services check them and report back
through the forms' errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.spread.models import Category

from .models import ShowcaseEntry


class EntryForm(forms.ModelForm):
    class Meta:
        model = ShowcaseEntry
        fields = ["headline", "lead", "story", "results", "category", "credit_agreed", "credit"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 12}),
            "results": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose an area")), *Category.choices]
        self.fields["headline"].error_messages["required"] = _("Write a headline.")
        self.fields["lead"].error_messages["required"] = _("Write a short lead.")
        self.fields["story"].error_messages["required"] = _("Write the story.")
        self.fields["category"].error_messages["required"] = _("Choose an area.")

    def clean(self):
        data = super().clean()
        if data.get("credit", "").strip() and not data.get("credit_agreed"):
            self.add_error(
                "credit", _("A name is shown only when the person has agreed to be named.")
            )
        return data

    def _post_clean(self):
        # The entry is written by the service, not by ModelForm.save(); skip the model
        # validation that would need the idea and the author on the instance.
        pass


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All areas")), *Category.choices]


class WorkspaceFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Showcase state"),
        required=False,
        choices=[
            ("", _("All")),
            ("none", _("No entry yet")),
            ("draft", _("Draft, not approved")),
            ("published", _("Published")),
            ("withdrawn", _("Withdrawn or consent taken back")),
        ],
    )
