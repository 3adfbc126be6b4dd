"""The handover form: one successor for everything, or one per kind of holding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import EVERYTHING


class SuccessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} ({obj.email})"


def field_name(kind: str) -> str:
    return f"successor_{kind}"


class HandoverForm(forms.Form):
    """A successor for everything; per kind held, an optional other successor; and
    whether to deactivate the person in the same step."""

    deactivate = forms.BooleanField(
        label=_("Deactivate the person once everything is handed over"), required=False
    )

    def __init__(self, *args, candidates, groups, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            field_name(EVERYTHING): SuccessorChoiceField(
                queryset=candidates,
                required=False,
                label=_("Successor for everything"),
                help_text=_("Takes over every group below that has no successor of its own."),
            )
        }
        self.kinds = []
        for kind, heading, _items in groups:
            self.kinds.append(kind)
            fields[field_name(kind)] = SuccessorChoiceField(
                queryset=candidates,
                required=False,
                label=heading,
                help_text=_("Leave empty to use the successor for everything."),
            )
        fields["deactivate"] = self.fields.pop("deactivate")
        self.fields = {**fields, **self.fields}

    def successors(self) -> dict:
        kinds = [EVERYTHING, *self.kinds]
        return {kind: self.cleaned_data.get(field_name(kind)) for kind in kinds}

    def kind_fields(self):
        return [(kind, self[field_name(kind)]) for kind in self.kinds]
