"""Forms for assessment rounds. No business rules: those are in services and policies."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ideas.forms import MoveForm

from .models import Criterion
from .selectors import active_users_by_email
from .services import ScoreInput


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class CriterionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RoundOpenForm(forms.Form):
    """Open a round: who assesses, on which criteria, by when, and whether blind."""

    assessors = PersonChoiceField(
        label=_("Assessors"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with a role in the sluice's municipalities."),
    )
    other_assessors = forms.CharField(
        label=_("Other assessors"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Anyone else with an account: their email addresses, one per line, for example "
            "anna.andersson@skovde.se"
        ),
    )
    criteria = CriterionChoiceField(
        label=_("Criteria"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one criterion.")},
    )
    due_date = forms.DateField(
        label=_("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 2026-05-31."),
        error_messages={
            "required": _("Give the date the assessors should answer by."),
            "invalid": _("Write the date as year-month-day, for example 2026-05-31."),
        },
    )
    blind = forms.BooleanField(
        label=_("Blind round: the assessors are not told who handed the idea in"),
        required=False,
    )

    def __init__(self, *args, candidates, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = candidates
        self.fields["criteria"].queryset = criteria
        if not self.is_bound:
            self.initial.setdefault("criteria", [c.pk for c in criteria])

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise ValidationError(_("The date has passed. Choose today or a later day."))
        return due_date

    def clean_other_assessors(self) -> list:
        lines = [
            line.strip().strip("<>,;")
            for line in self.cleaned_data["other_assessors"].splitlines()
            if line.strip()
        ]
        if len(lines) > 20:
            raise ValidationError(_("Name at most 20 other assessors."))
        for line in lines:
            try:
                validate_email(line)
            except ValidationError:
                raise ValidationError(
                    _("%(email)s is not an email address.") % {"email": line}
                ) from None
        found = active_users_by_email(lines)
        unknown = [line for line in lines if line.lower() not in found]
        if unknown:
            raise ValidationError(
                _("Nobody with an active account has the address %(emails)s.")
                % {"emails": ", ".join(unknown)}
            )
        return [found[line.lower()] for line in lines]

    def clean(self):
        cleaned = super().clean()
        people = list(cleaned.get("assessors") or []) + list(cleaned.get("other_assessors") or [])
        if not people and "other_assessors" not in self.errors:
            self.add_error("assessors", _("Choose at least one assessor."))
        cleaned["people"] = people
        return cleaned


class ScoreForm(forms.Form):
    """An assessor's scores: one group of options per criterion, and a note on each.

    Drafts may leave scores out; handing in needs every one.
    """

    def __init__(self, *args, criteria, scores=None, hand_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.hand_in = hand_in
        scores = scores or {}
        for criterion in self.criteria:
            saved = scores.get(criterion.pk)
            value_field = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(n, str(n)) for n in criterion.scale],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
                initial=saved.value if saved else None,
            )
            note_field = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=saved.note if saved else "",
            )
            self.fields[f"score_{criterion.pk}"] = value_field
            self.fields[f"note_{criterion.pk}"] = note_field

    def rows(self):
        """(criterion, its score field, its note field) in the round's order."""
        for criterion in self.criteria:
            yield criterion, self[f"score_{criterion.pk}"], self[f"note_{criterion.pk}"]

    def clean(self):
        cleaned = super().clean()
        if self.hand_in:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        _("Choose a score from 1 to %(top)d.") % {"top": criterion.scale_max},
                    )
        return cleaned

    def scores(self) -> dict[int, ScoreInput]:
        data = self.cleaned_data
        return {
            c.pk: ScoreInput(value=data.get(f"score_{c.pk}"), note=data.get(f"note_{c.pk}") or "")
            for c in self.criteria
        }


class DecisionForm(MoveForm):
    """The gate decision: one of the moves allowed from the idea's stage, with a reason and
    a message to the submitter (the move service tells them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].label = _("Decision: move the idea to")
        self.fields["message"].help_text = _(
            "The submitter is told of the decision by email. Write to them in plain "
            "Swedish, without the sluice's own words for things."
        )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the round closed without a decision?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class CriterionForm(forms.ModelForm):
    """A process leader's edit of one criterion."""

    class Meta:
        model = Criterion
        fields = [
            "name_sv",
            "name_en",
            "guidance_sv",
            "guidance_en",
            "weight",
            "scale_max",
            "position",
            "is_active",
        ]
        widgets = {
            "guidance_sv": forms.Textarea(attrs={"rows": 3}),
            "guidance_en": forms.Textarea(attrs={"rows": 3}),
        }
