"""Forms for handing in and working on ideas. No business rules: those are in services."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.organisations.models import Organisation
from apps.organisations.selectors import municipalities_for_submission, units_for_submission

from .models import IdeaLink
from .selectors import IdeaFilters
from .uploads import allowed_types_text, validate_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files and checks each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > settings.SLUSS_ATTACHMENT_MAX_FILES:
            raise ValidationError(
                ngettext(
                    "Choose at most %(n)d file.",
                    "Choose at most %(n)d files.",
                    settings.SLUSS_ATTACHMENT_MAX_FILES,
                )
                % {"n": settings.SLUSS_ATTACHMENT_MAX_FILES}
            )
        errors = []
        good = []
        for upload in files:
            try:
                validate_upload(upload)
                good.append(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        self.valid_files = good
        if errors:
            raise ValidationError(errors)
        return good


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


def _attachment_help() -> str:
    from django.template.defaultfilters import filesizeformat

    return _("Up to %(n)d files, at most %(size)s each. Allowed types: %(types)s.") % {
        "n": settings.SLUSS_ATTACHMENT_MAX_FILES,
        "size": filesizeformat(settings.SLUSS_ATTACHMENT_MAX_BYTES),
        "types": allowed_types_text(),
    }


class IdeaSubmissionForm(forms.Form):
    """The public idea form: what the idea is, where it comes from, and who you are."""

    title = forms.CharField(
        label=_("Give your idea a short name"),
        max_length=150,
        help_text=_("For example: Web-based parent education"),
    )
    need = forms.CharField(
        label=_("What need or problem does the idea solve?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    solution = forms.CharField(
        label=_("Describe your idea"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    beneficiaries = forms.CharField(
        label=_("Who would benefit from it?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_effects = forms.CharField(
        label=_("What effects do you expect?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example time saved, better quality, lower costs or a better life for someone."
        ),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality where you work"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose municipality"),
        error_messages={"required": _("Choose the municipality where you work.")},
    )
    unit = UnitChoiceField(
        label=_("Administration or unit (if you know it)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Don't know / not listed"),
    )
    workplace = forms.CharField(
        label=_("Workplace"),
        max_length=200,
        required=False,
        help_text=_("For example the name of your school, care home or department."),
    )
    submitter_name = forms.CharField(label=_("Your name"), max_length=200)
    submitter_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the receipt and your private link here."),
        error_messages={"invalid": _("Enter an email address like name@municipality.se.")},
    )
    submitter_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    co_submitter_names = forms.CharField(
        label=_("Co-submitters"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One person per line: name and email address, for example "
            "Anna Andersson anna.andersson@skovde.se"
        ),
    )
    attachments = MultipleFileField(label=_("Attach files"))
    consent_to_publish = forms.BooleanField(
        label=_("The idea may be published in the sluice's public showcase"),
        required=False,
        help_text=_("Your name is not published unless you agree to it separately."),
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_for_submission()
        units = units_for_submission()
        self.fields["unit"].queryset = units
        # Group the units under their municipality so the list works without JavaScript.
        grouped: dict[str, list] = {}
        for unit in units:
            grouped.setdefault(unit.municipality.name, []).append((unit.pk, unit.name))
        self.fields["unit"].choices = [("", self.fields["unit"].empty_label), *grouped.items()]
        self.fields["attachments"].help_text = _attachment_help()
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def clean_co_submitter_names(self) -> list[tuple[str, str]]:
        from django.core.validators import validate_email

        people = []
        for number, line in enumerate(self.cleaned_data["co_submitter_names"].splitlines(), 1):
            words = line.replace(",", " ").replace("<", " ").replace(">", " ").split()
            if not words:
                continue
            emails = [w for w in words if "@" in w]
            name = " ".join(w for w in words if "@" not in w)
            if len(emails) != 1 or not name:
                raise ValidationError(
                    _("Line %(n)d: write a name and one email address.") % {"n": number}
                )
            try:
                validate_email(emails[0])
            except ValidationError:
                raise ValidationError(
                    _("Line %(n)d: %(email)s is not a valid email address.")
                    % {"n": number, "email": emails[0]}
                ) from None
            people.append((name[:200], emails[0]))
        if len(people) > 10:
            raise ValidationError(_("Name at most 10 co-submitters."))
        return people

    def clean(self):
        cleaned = super().clean()
        unit, municipality = cleaned.get("unit"), cleaned.get("municipality")
        if unit and municipality and unit.municipality_id != municipality.pk:
            self.add_error(
                "unit", _("The unit you chose belongs to another municipality than the one chosen.")
            )
        return cleaned


class MoveForm(forms.Form):
    """Move an idea to another stage, with a reason and a message to the submitter."""

    to_stage = forms.TypedChoiceField(label=_("Move to"), coerce=int)
    expected_stage = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (needed when closing or parking)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message = forms.CharField(
        label=_("Message to the submitter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(t.to_stage_id, t.to_stage.name) for t in moves]


class TextForm(forms.Form):
    body = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label


class SubmitterReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Write to your idea coach"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(label=_("Add files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachment_help()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("body") and not cleaned.get("attachments") and not self.errors:
            raise ValidationError(_("Write a message or add a file."))
        return cleaned


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Add files"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _attachment_help()
        self.fields["attachments"].required = True


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("No owner")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = candidates


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )

    def clean_tags(self) -> list[str]:
        return [t for t in self.cleaned_data["tags"].split(",") if t.strip()]


AGE_CHOICES = [
    ("", _("Any age")),
    ("14", _("Older than 2 weeks")),
    ("30", _("Older than 30 days")),
    ("90", _("Older than 90 days")),
    ("365", _("Older than a year")),
]


class IdeaFilterForm(forms.Form):
    """The list's filters. Every field is optional; bad values are simply ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )
    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    age = forms.TypedChoiceField(
        label=_("Age"), required=False, coerce=int, empty_value=None, choices=AGE_CHOICES
    )

    def __init__(self, *args, municipalities, stages, owners, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            ("", _("All")),
            *[(m.pk, m.name) for m in municipalities],
        ]
        self.fields["stage"].choices = [("", _("All")), *[(s.pk, s.name) for s in stages]]
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            (0, _("No owner")),
            *[(u.pk, str(u)) for u in owners],
        ]
        self.fields["tag"].choices = [("", _("All")), *[(t.pk, t.name) for t in tags]]

    def filters(self) -> IdeaFilters:
        # Invalid fields drop out of cleaned_data; the valid ones still filter.
        self.is_valid()
        data = self.cleaned_data
        return IdeaFilters(
            municipality=data.get("municipality"),
            stage=data.get("stage"),
            owner=data.get("owner"),
            tag=data.get("tag"),
            older_than_days=data.get("age"),
            text=(data.get("q") or "").strip(),
        )


class IdeaLinkForm(forms.Form):
    """Link the idea to another one, named by its reference."""

    other = forms.CharField(
        label=_("Reference of the other idea"),
        max_length=24,
        help_text=_("For example SLU-2026-0042."),
        error_messages={"required": _("Write the reference of the idea to link to.")},
    )
    kind = forms.ChoiceField(
        label=_("The ideas are"),
        choices=IdeaLink.Kind.choices,
        initial=IdeaLink.Kind.RELATED,
        error_messages={"invalid_choice": _("Choose how the ideas are linked.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)
