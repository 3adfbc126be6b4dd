"""The filters of the audit log page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .selectors import AuditFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), required=False)
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=200,
        help_text=_("Part of a name or an email address."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *AuditEvent.Kind.choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            kind=data.get("kind") or "",
            person=(data.get("person") or "").strip(),
            start=data.get("start"),
            end=data.get("end"),
        )
