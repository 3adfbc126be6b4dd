"""What can be wrong with an import file: with the whole file, or with one row.

Problems are kept as a code and its parameters, not as text, so a report stored on an
import job is shown in the language of whoever reads it, and the command prints it in
its own. The English texts below are the msgids; Swedish comes from the catalogue.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FILE_MESSAGES = {
    "empty": _("The file is empty."),
    "wrong_type": _("Choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
    "old_excel": _("Old Excel files (.xls) cannot be read: save the workbook as .xlsx or as CSV."),
    "too_big": _("The file is larger than %(limit)s MB, the most a %(kind)s file may be."),
    "not_text": _(
        "The file is not a CSV text file. Save it from the spreadsheet as CSV (UTF-8) or .xlsx."
    ),
    "broken_xlsx": _(
        "The Excel workbook could not be read. Open it in Excel and save it again as .xlsx."
    ),
    "unexpected": _(
        "The import stopped on an unexpected error and nothing was imported. Try again, or "
        "ask the system's administrator."
    ),
    "no_process": _("The sluice has no process set up yet."),
    "no_header": _("The file has no header row."),
    "no_rows": _("The file has a header row but no ideas."),
    "too_many_rows": _("The file has more than %(limit)s ideas: split it into smaller files."),
    "missing_columns": _(
        "Columns missing: %(columns)s. The accepted column names are listed below."
    ),
    "duplicate_header": _(
        "The columns '%(first)s' and '%(second)s' both mean %(field)s: keep one of them."
    ),
}

ROW_MESSAGES = {
    "title_missing": _("the title is missing"),
    "title_too_long": _("the title is longer than %(limit)s characters"),
    "text_missing": _("the text is missing"),
    "text_too_long": _("the text is longer than %(limit)s characters"),
    "need_too_long": _("the need is longer than %(limit)s characters"),
    "municipality_missing": _("the municipality is missing"),
    "unknown_municipality": _("the municipality '%(value)s' does not exist"),
    "unknown_unit": _("the unit '%(value)s' does not exist in %(municipality)s"),
    "unknown_stage": _("the stage '%(value)s' does not exist"),
    "bad_date": _("'%(value)s' is not a date like 2024-03-05"),
    "future_date": _("the date %(value)s is in the future"),
    "submitter_incomplete": _("give both the submitter's name and email address, or neither"),
    "name_too_long": _("the submitter's name is longer than %(limit)s characters"),
    "bad_email": _("'%(value)s' is not an email address"),
    "unknown_owner": _("nobody with the email address '%(value)s' has an account"),
    "owner_not_allowed": _(
        "%(value)s cannot own ideas in %(municipality)s: only its coaches and the process "
        "leaders can"
    ),
    "tag_too_long": _("the tag '%(value)s' is longer than %(limit)s characters"),
    "reference_too_long": _("the reference is longer than %(limit)s characters"),
    "duplicate_reference": _("the reference '%(value)s' is also on row %(other)s"),
}

#: Values quoted back in a message are cut to this length.
QUOTE_LIMIT = 80


def quote(value: object) -> str:
    text = str(value).replace("\n", " ").strip()
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _column_label(key: str) -> str:
    from .columns import COLUMNS_BY_KEY

    column = COLUMNS_BY_KEY.get(key)
    return str(column.label) if column else key


def _render_params(params: dict) -> dict:
    rendered = dict(params)
    if "field" in rendered:
        rendered["field"] = _column_label(rendered["field"])
    if "columns" in rendered:
        from .columns import COLUMNS_BY_KEY

        rendered["columns"] = ", ".join(
            f"{_column_label(key)} ({' / '.join(COLUMNS_BY_KEY[key].names[:2])})"
            for key in rendered["columns"]
        )
    return rendered


class FileProblem(Exception):
    """The file as a whole cannot be imported: its type, size, encoding or header row."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return gettext(FILE_MESSAGES[self.code]) % _render_params(self.params)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RowError:
    """One reason one row cannot be imported. `line` is the row number a spreadsheet
    shows for it (the header is row 1)."""

    line: int
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        reason = gettext(ROW_MESSAGES[self.code]) % _render_params(self.params)
        return gettext("Row %(line)s: %(reason)s") % {"line": self.line, "reason": reason}

    def as_json(self) -> dict:
        return {"line": self.line, "code": self.code, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> "RowError":
        return cls(line=data["line"], code=data["code"], params=data.get("params", {}))
