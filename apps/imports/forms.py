"""The upload form: one file, and the consortium when the user leads more than one."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation

from .problems import FILE_MESSAGES, FileProblem
from .reading import MAX_CSV_BYTES, MAX_XLSX_BYTES, MB, check_size


class UploadForm(forms.Form):
    """Choose a CSV or XLSX file of ideas; the dry run follows."""

    file = forms.FileField(
        label=_("File of ideas"),
        help_text=_(
            "A CSV file (.csv, at most %(csv)s MB) or an Excel workbook (.xlsx, at most "
            "%(xlsx)s MB; the first sheet is read)."
        )
        % {"csv": MAX_CSV_BYTES // MB, "xlsx": MAX_XLSX_BYTES // MB},
        error_messages={
            "required": _("Choose a file to import."),
            "empty": FILE_MESSAGES["empty"],
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    consortium = forms.ModelChoiceField(
        label=_("Import into"),
        queryset=Organisation.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, consortia: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.consortia = consortia
        if len(consortia) == 1:
            # Nothing to choose: the one consortium the user leads.
            del self.fields["consortium"]
        else:
            self.fields["consortium"].queryset = Organisation.objects.filter(
                pk__in=[c.pk for c in consortia]
            ).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(filename=upload.name, size=upload.size)
        except FileProblem as problem:
            raise ValidationError(problem.message, code=problem.code) from None
        return upload

    def chosen_consortium(self) -> Organisation:
        return self.cleaned_data.get("consortium") or self.consortia[0]
