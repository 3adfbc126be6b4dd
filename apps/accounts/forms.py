from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class PreferencesForm(forms.ModelForm):
    """A user's language and which emails they want."""

    class Meta:
        model = User
        fields = [
            "full_name",
            "phone",
            "preferred_language",
            "notify_new_idea",
            "notify_owner_assigned",
            "notify_submitter_message",
        ]
        labels = {"preferred_language": _("Language for email")}
