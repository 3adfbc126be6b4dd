"""The filter form of the statistics pages: the period, the consortium and the
municipality. It only parses and checks the input; which organisations a reader may name is
decided in `selectors` (naming another consortium's is a 404, not a form error)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

#: Dates outside these bounds are typing mistakes (and would overflow date arithmetic).
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, help_text) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date like 2026-03-31.")},
    )


class StatisticsFilterForm(forms.Form):
    """The period, and where: a consortium when the reader has several, and a municipality
    on the dashboard. Every field is optional; the selector fills in the defaults."""

    start = _date_field(_("From"), _("The first day of the period, like 2025-01-01."))
    end = _date_field(_("To"), _("The last day of the period, like 2025-12-31."))
    consortium = forms.TypedChoiceField(
        label=_("Consortium"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, consortia=(), municipalities=None, all_consortia_label=None, **kw):
        """`consortia` and `municipalities` are the organisations the reader may choose;
        with one consortium its field is left out, without municipalities theirs is."""
        super().__init__(*args, **kw)
        consortia = list(consortia)
        self.consortium_ids = [c.pk for c in consortia]
        if len(consortia) > 1:
            choices = [(c.pk, c.name) for c in consortia]
            if all_consortia_label is not None:
                choices.insert(0, ("", all_consortia_label))
            self.fields["consortium"].choices = choices
        else:
            del self.fields["consortium"]
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].choices = [
                ("", _("All municipalities")),
                *[(m.pk, m.name) for m in municipalities],
            ]
        self.municipality_consortium = {m.pk: m.consortium_id for m in municipalities or ()}
        self.names = {c.pk: c.name for c in consortia} | {
            m.pk: m.name for m in municipalities or ()
        }

    def _check_bounds(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST <= value <= LATEST:
            self.add_error(
                name,
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )

    def clean(self):
        cleaned = super().clean()
        self._check_bounds("start")
        self._check_bounds("end")
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last day must be on or after the first day."))
        consortium = cleaned.get("consortium")
        municipality = cleaned.get("municipality")
        if consortium and municipality and self.municipality_consortium[municipality] != consortium:
            self.add_error(
                "municipality", _("Choose a municipality of the chosen consortium, or none.")
            )
        return cleaned
