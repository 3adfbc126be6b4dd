"""Forms for the register, for sending a referral and for answering one. No business
rules: the services check them and report back through the forms' errors."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ideas.forms import MultipleFileField
from apps.ideas.uploads import allowed_types_text
from apps.organisations.models import Organisation


def attachment_help() -> str:
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    return _("Up to %(n)d files, at most %(size)s each. Allowed types: %(types)s.") % {
        "n": settings.SLUSS_ATTACHMENT_MAX_FILES,
        "size": filesizeformat(settings.SLUSS_ATTACHMENT_MAX_BYTES),
        "types": allowed_types_text(),
    }


class ActorSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, organisation, email address or expertise"),
        required=False,
        max_length=200,
    )


class ExternalActorForm(forms.Form):
    """An outside actor's details. A person who may use several consortia's registers
    also chooses which one the actor goes into."""

    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("For example a university, a company, the region or a municipality."),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("Referrals and their private links are sent here."),
        error_messages={"invalid": _("Enter an email address like name@example.se.")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: patents and IP, service design, welfare technology."),
    )
    is_active = forms.BooleanField(
        label=_("Active: may be sent new referrals"), required=False, initial=True
    )
    consortium = forms.ModelChoiceField(
        label=_("Register of"), queryset=Organisation.objects.none(), required=True
    )

    def __init__(self, *args, consortia, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing or len(consortia) <= 1:
            del self.fields["consortium"]
        else:
            self.fields["consortium"].queryset = consortia
        if not editing:
            del self.fields["is_active"]


class RecipientField(forms.ChoiceField):
    """One choice among the outside actors and the colleagues, in two groups; the value
    says which ("actor-12", "user-7") and cleans to ("actor" or "colleague", object)."""

    actors: dict
    colleagues: dict

    def offer(self, *, actors, colleagues) -> None:
        self.actors = {str(a.pk): a for a in actors}
        self.colleagues = {str(u.pk): u for u in colleagues}
        choices = [("", _("Choose who should answer"))]
        if self.actors:
            choices.append(
                (
                    _("Outside actors"),
                    [(f"actor-{pk}", self._actor_label(a)) for pk, a in self.actors.items()],
                )
            )
        if self.colleagues:
            choices.append(
                (
                    _("Colleagues in the sluice"),
                    [(f"user-{pk}", f"{u} ({u.email})") for pk, u in self.colleagues.items()],
                )
            )
        self.choices = choices

    @staticmethod
    def _actor_label(actor) -> str:
        label = str(actor)
        if actor.expertise:
            expertise = " ".join(actor.expertise.split())
            label += f" – {expertise[:60]}{'…' if len(expertise) > 60 else ''}"
        return label

    def clean(self, value):
        value = super().clean(value)
        kind, _sep, pk = value.partition("-")
        found = (self.actors if kind == "actor" else self.colleagues).get(pk)
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return ("actor" if kind == "actor" else "colleague", found)


class AttachmentChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.original_name


class ReferralForm(forms.Form):
    """Send a referral: who answers, the question, what is shared, and by when."""

    recipient = RecipientField(
        label=_("Who should answer?"),
        help_text=_("Outside actors come from the register; colleagues hold a role in the sluice."),
        error_messages={"required": _("Choose who should answer.")},
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the question.")},
    )
    share_need = forms.BooleanField(label=_("The need or problem"), required=False, initial=True)
    share_solution = forms.BooleanField(label=_("The idea"), required=False, initial=True)
    share_beneficiaries = forms.BooleanField(label=_("Who benefits"), required=False)
    share_expected_effects = forms.BooleanField(label=_("Expected effects"), required=False)
    include_personal_data = forms.BooleanField(
        label=_("The submitters' names and contact details"),
        required=False,
        help_text=_("Only tick this when the recipient needs to contact the submitter."),
    )
    attachments = AttachmentChoiceField(label=_("Files to share"), queryset=None, required=False)
    due_date = forms.DateField(
        label=_("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The recipient is reminded two days before and the day after."),
        error_messages={
            "required": _("Enter the date to answer by."),
            "invalid": _("Enter the date as year-month-day, for example 2026-05-31."),
        },
    )

    SHARE_FIELDS = ("share_need", "share_solution", "share_beneficiaries", "share_expected_effects")

    def __init__(self, *args, actors, colleagues, attachments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].offer(actors=actors, colleagues=colleagues)
        self.fields["attachments"].queryset = attachments
        if not self.is_bound:
            self.initial.setdefault("due_date", timezone.localdate() + timedelta(days=14))

    def share_fields(self):
        return [self[name] for name in self.SHARE_FIELDS]


class RecipientAnswerForm(forms.Form):
    """The recipient's answer: text, files, or both."""

    body = forms.CharField(
        label=_("Your answer"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Attach files"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "answer")
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not cleaned.get("attachments") and not self.errors:
            self.add_error("body", _("Write your answer or add a file."))
        return cleaned


class TextForm(forms.Form):
    """One text to send: the recipient's question back, or the sluice's reply."""

    body = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label
        self.fields["body"].error_messages["required"] = required_message
