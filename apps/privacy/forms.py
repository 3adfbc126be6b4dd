"""Input of the privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonLookupForm(forms.Form):
    """An administrator names the person by an address they are known by."""

    email = forms.EmailField(
        label=_("The person's email address"),
        help_text=_("An account's address, or the address a submitter handed ideas in with."),
        max_length=254,
    )


class ErasureForm(PersonLookupForm):
    """The erasure itself: the address again, and an explicit confirmation."""

    email = forms.EmailField(widget=forms.HiddenInput, max_length=254)
    confirm = forms.BooleanField(
        label=_("I have checked the list above and want to erase this person"),
        required=True,
    )
