"""The form for making a personal access token."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NEVER = "never"
LIFETIME_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    (NEVER, _("Never")),
]


class ApiTokenForm(forms.Form):
    """A name to recognise the token by, and how long it should last."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Report for the steering group”."),
        error_messages={"required": _("Give the token a name, so you can recognise it.")},
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"),
        choices=LIFETIME_CHOICES,
        initial="90",
        help_text=_("A token that expires is safer: a forgotten copy stops working by itself."),
    )

    def expires_at(self, now: datetime | None = None) -> datetime | None:
        choice = self.cleaned_data["expires_in"]
        if choice == NEVER:
            return None
        return (now or timezone.now()) + timedelta(days=int(choice))
