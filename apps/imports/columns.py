"""The columns an import file may have, the header names each accepts (Swedish and
English), and matching a file's header row to them.

The same table is shown on the upload page and written out in docs/import.md, so what
the page promises is exactly what the parser accepts.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .problems import FileProblem


@dataclass(frozen=True)
class Column:
    """One field of an imported idea and the header names that mean it."""

    key: str
    label: Promise
    names: tuple[str, ...]
    required: bool
    help: Promise


COLUMNS: tuple[Column, ...] = (
    Column(
        "title",
        _("Title"),
        ("titel", "title", "rubrik", "idétitel", "idea title"),
        True,
        _("At most 150 characters."),
    ),
    Column(
        "text",
        _("Text"),
        ("text", "beskrivning", "description", "idé", "idea", "lösning", "solution", "förslag"),
        True,
        _("The idea itself, at most 4,000 characters."),
    ),
    Column(
        "municipality",
        _("Municipality"),
        ("kommun", "municipality"),
        True,
        _("The municipality's name or short name, in any case (Skövde, skövde, SKÖVDE)."),
    ),
    Column(
        "need",
        _("Need"),
        ("behov", "need", "problem", "behov eller problem"),
        False,
        _("The need or problem the idea answers, at most 4,000 characters."),
    ),
    Column(
        "unit",
        _("Unit"),
        ("enhet", "unit", "förvaltning", "verksamhet"),
        False,
        _("A unit of that municipality, by name or short name."),
    ),
    Column(
        "stage",
        _("Stage"),
        ("steg", "stage", "fas"),
        False,
        _("The stage's Swedish or English name or its key; empty means the first stage."),
    ),
    Column(
        "created",
        _("Created"),
        ("datum", "date", "skapad", "created", "created at", "inkommen", "inlämnad"),
        False,
        _("When the idea was handed in: 2024-03-05 or 2024-03-05 14:30; empty means today."),
    ),
    Column(
        "submitter_name",
        _("Submitter's name"),
        ("idébärare", "namn", "name", "submitter", "submitter name", "inlämnad av"),
        False,
        _("Give the name and the email address together, or neither."),
    ),
    Column(
        "submitter_email",
        _("Submitter's email"),
        ("e post", "epost", "e postadress", "email", "e mail", "submitter email", "mejl"),
        False,
        _("The submitter gets a private link but no email about the import."),
    ),
    Column(
        "tags",
        _("Tags"),
        ("taggar", "tags", "etiketter", "nyckelord"),
        False,
        _("Separated by commas: skola, digitalisering."),
    ),
    Column(
        "reference",
        _("Earlier reference"),
        ("referens", "reference", "ref", "tidigare referens", "ärendenummer", "id"),
        False,
        _("The idea's number in the earlier system, kept on its timeline; it gets a new one."),
    ),
    Column(
        "owner_email",
        _("Owner's email"),
        ("ägare", "owner", "owner email", "ägarens e post", "idécoach", "coach", "ansvarig"),
        False,
        _("The email address of a coach of the municipality or a process leader."),
    ),
)

COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

_SEPARATORS = re.compile(r"[\s_\-./:]+")


def normalise_header(name: object) -> str:
    """A header as compared: case-folded, without a byte order mark, with runs of spaces,
    dashes, underscores, dots, slashes and colons as one space ("E-post" = "e post")."""
    text = "" if name is None else str(name)
    return _SEPARATORS.sub(" ", text.replace("\ufeff", "").casefold()).strip()


_KEY_BY_NAME = {normalise_header(name): column.key for column in COLUMNS for name in column.names}


@dataclass(frozen=True)
class HeaderMap:
    """Which position in a row holds which field, and the columns that are not read."""

    positions: dict[str, int]
    ignored: list[str]


def map_headers(headers: list[object]) -> HeaderMap:
    """Match a header row to the columns. Unknown columns are reported, not refused; two
    columns meaning the same field, and missing required ones, are refused."""
    positions: dict[str, int] = {}
    original: dict[str, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        shown = "" if header is None else str(header).replace("\ufeff", "").strip()
        key = _KEY_BY_NAME.get(normalise_header(header))
        if key is None:
            if shown:
                ignored.append(shown)
            continue
        if key in positions:
            raise FileProblem("duplicate_header", first=original[key], second=shown, field=key)
        positions[key] = position
        original[key] = shown
    missing = [c for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise FileProblem("missing_columns", columns=[c.key for c in missing])
    return HeaderMap(positions=positions, ignored=ignored)
