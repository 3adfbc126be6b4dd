"""Input of the newsletter pages: subscribing, an issue's subject, its blocks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import NewsletterBlock


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Write the subject on one line."))
    return value


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consortium = forms.ModelChoiceField(label=_("Newsletter"), queryset=None, empty_label=None)

    def __init__(self, *args, consortia, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consortium"].queryset = consortia
        self.single = consortia.count() == 1
        if self.single:
            # With one newsletter there is nothing to choose.
            self.fields["consortium"].widget = forms.HiddenInput()
            self.fields["consortium"].initial = consortia.get().pk
        self.fields["consortium"].error_messages["required"] = _("Choose a newsletter.")
        self.fields["email"].error_messages["required"] = _("Enter your email address.")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address like name@example.se."
        )


class NewsletterForm(forms.Form):
    consortium = forms.ModelChoiceField(label=_("Newsletter of"), queryset=None, empty_label=None)
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[_one_line])
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences at the top of the issue."),
    )

    def __init__(self, *args, consortia=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consortia is None:
            del self.fields["consortium"]
        else:
            self.fields["consortium"].queryset = consortia
            if consortia.count() == 1:
                self.fields["consortium"].widget = forms.HiddenInput()
                self.fields["consortium"].initial = consortia.get().pk
        self.fields["subject"].error_messages["required"] = _("Write a subject.")


class BlockForm(forms.Form):
    """A new block of one kind (the kind comes from the URL; the form's prefix is the kind,
    so the edit page holds one form per kind without clashing ids)."""

    heading = forms.CharField(
        label=_("Heading"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the usual heading."),
    )
    text = forms.CharField(
        label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    entries = forms.TypedMultipleChoiceField(
        label=_("Showcase entries"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published entries of the showcase."),
    )

    def __init__(self, *args, kind: str, entries=(), **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        if kind != NewsletterBlock.Kind.TEXT:
            del self.fields["text"]
        else:
            self.fields["text"].error_messages["required"] = _("Write the text of the block.")
        if kind != NewsletterBlock.Kind.SHOWCASE:
            del self.fields["entries"]
        else:
            self.fields["entries"].choices = [(entry.pk, entry.headline) for entry in entries]
            self.fields["entries"].error_messages["required"] = _(
                "Choose at least one published entry."
            )
