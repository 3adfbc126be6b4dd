from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Stage


class StageForm(forms.ModelForm):
    """A process leader's edit of one stage."""

    class Meta:
        model = Stage
        fields = [
            "name_sv",
            "name_en",
            "description_sv",
            "description_en",
            "position",
            "is_outcome",
            "requires_reason",
            "target_days",
            "is_spreadable",
            "is_active",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class TransitionForm(forms.Form):
    """Allow a move between two stages, for coaches and/or process leaders."""

    from_stage = forms.ModelChoiceField(label=_("From"), queryset=Stage.objects.none())
    to_stage = forms.ModelChoiceField(label=_("To"), queryset=Stage.objects.none())
    coach_may = forms.BooleanField(label=_("Idea coaches may make this move"), required=False)
    process_leader_may = forms.BooleanField(
        label=_("Process leaders may make this move"), required=False, initial=True
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_stage"].queryset = stages
        self.fields["to_stage"].queryset = stages
