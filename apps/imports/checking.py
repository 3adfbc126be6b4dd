"""Checking every row of an import file against a consortium: its municipalities, units,
stages and people. Nothing is written here; the result is either a list of ready rows or
every reason a row cannot be imported, each with its row number.

The same check runs for the dry run on the upload page, before the worker imports, and
in the `import_ideas` command.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from apps.accounts.models import User
from apps.ideas import policies as idea_policies
from apps.ideas.models import Idea, Submitter, Tag
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for
from apps.workflow.models import Stage

from .columns import HeaderMap, map_headers
from .problems import FileProblem, RowError, quote
from .reading import Table, read_table

TITLE_MAX = Idea._meta.get_field("title").max_length
TEXT_MAX = Idea._meta.get_field("solution").max_length
NEED_MAX = Idea._meta.get_field("need").max_length
NAME_MAX = Submitter._meta.get_field("name").max_length
TAG_MAX = Tag._meta.get_field("name").max_length
REFERENCE_MAX = 100

#: Progress is reported after this many rows.
PROGRESS_EVERY = 500

Progress = Callable[[str, int, int], None]
"""Told (phase, rows done, rows in all); phase is "checking" or "writing"."""


@dataclass
class IdeaRow:
    """One row, checked and resolved to the consortium's objects, ready to be written."""

    line: int
    title: str
    text: str
    need: str
    municipality: Organisation
    unit: Organisation | None
    stage: Stage
    created_at: datetime | None
    submitter_name: str
    submitter_email: str
    tags: list[str]
    old_reference: str
    owner: User | None


@dataclass
class CheckedFile:
    """The outcome of reading and checking a file: the rows to import, or every error,
    and a summary for the dry-run report."""

    rows: list[IdeaRow]
    errors: list[RowError]
    ignored_columns: list[str]
    total_rows: int
    summary: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


def parse_created(value: object) -> datetime | None:
    """A cell's date as an aware time (Swedish time when none is given), None when the
    cell is empty; ValueError when it is not a date written like 2024-03-05."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = str(value).strip()
        if not text:
            return None
        moment = None
        for pattern in _DATE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            # ISO 8601 with a "T" or a time zone, as exports from other systems write it.
            if "-" not in text[:5]:
                raise ValueError(text)
            moment = datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class _Lookups:
    """The consortium's municipalities, units, stages and possible owners, read once."""

    def __init__(self, consortium: Organisation, owner_emails: set[str]):
        self.municipalities: dict[str, Organisation] = {}
        self.units: dict[tuple[int, str], Organisation] = {}
        organisations = Organisation.objects.filter(
            consortium=consortium,
            is_active=True,
            kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.UNIT],
        )
        for organisation in organisations:
            keys = {organisation.name.casefold().strip(), organisation.slug.casefold()}
            if organisation.kind == Organisation.Kind.MUNICIPALITY:
                for key in keys:
                    self.municipalities.setdefault(key, organisation)
            else:
                for key in keys:
                    self.units.setdefault((organisation.municipality_id, key), organisation)
        stages = list(Stage.objects.filter(consortium=consortium, is_active=True))
        self.first_stage = next((s for s in stages if s.is_initial), None) or min(
            (s for s in stages if not s.is_outcome),
            key=lambda s: (s.position, s.pk),
            default=None,
        )
        self.stages: dict[str, Stage] = {}
        for stage in stages:
            for key in (stage.key, stage.name_sv, stage.name_en):
                self.stages.setdefault(key.casefold().strip(), stage)
        self.owners: dict[str, User] = {
            user.email.casefold(): user
            for user in User.objects.filter(is_active=True, email__in=owner_emails)
        }


def check_table(
    table: Table, *, consortium: Organisation, progress: Progress | None = None
) -> CheckedFile:
    """Check every row of a read file for the consortium; collects every error."""
    header = map_headers(table.headers)
    owner_position = header.positions.get("owner_email")
    owner_emails = (
        {
            _text(cells[owner_position]).lower()
            for _line, cells in table.rows
            if owner_position < len(cells)
        }
        if owner_position is not None
        else set()
    )
    lookups = _Lookups(consortium, owner_emails - {""})
    if lookups.first_stage is None:
        raise FileProblem("no_process")
    now = timezone.now()
    rows: list[IdeaRow] = []
    errors: list[RowError] = []
    seen_references: dict[str, int] = {}
    total = len(table.rows)
    for done, (line, cells) in enumerate(table.rows, start=1):
        row, row_errors = _check_row(line, cells, header, lookups, now, seen_references)
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(row)
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress("checking", done, total)
    checked = CheckedFile(
        rows=rows, errors=errors, ignored_columns=header.ignored, total_rows=total
    )
    checked.summary = _summary(checked)
    return checked


def check_file(
    *,
    data: bytes,
    filename: str,
    consortium: Organisation,
    progress: Progress | None = None,
) -> CheckedFile:
    """Read and check a file (raises FileProblem for the file as a whole)."""
    return check_table(
        read_table(data=data, filename=filename), consortium=consortium, progress=progress
    )


def _check_row(
    line: int,
    cells: list[object],
    header: HeaderMap,
    lookups: _Lookups,
    now: datetime,
    seen_references: dict[str, int],
) -> tuple[IdeaRow | None, list[RowError]]:
    def cell(key: str) -> object:
        position = header.positions.get(key)
        return cells[position] if position is not None and position < len(cells) else None

    errors: list[RowError] = []

    def error(code: str, **params) -> None:
        errors.append(RowError(line=line, code=code, params=params))

    title = _text(cell("title"))
    if not title:
        error("title_missing")
    elif len(title) > TITLE_MAX:
        error("title_too_long", limit=TITLE_MAX)
    text = _text(cell("text"))
    if not text:
        error("text_missing")
    elif len(text) > TEXT_MAX:
        error("text_too_long", limit=TEXT_MAX)
    need = _text(cell("need"))
    if len(need) > NEED_MAX:
        error("need_too_long", limit=NEED_MAX)

    municipality = unit = None
    municipality_name = _text(cell("municipality"))
    if not municipality_name:
        error("municipality_missing")
    else:
        municipality = lookups.municipalities.get(municipality_name.casefold())
        if municipality is None:
            error("unknown_municipality", value=quote(municipality_name))
    unit_name = _text(cell("unit"))
    if unit_name and municipality is not None:
        unit = lookups.units.get((municipality.pk, unit_name.casefold()))
        if unit is None:
            error("unknown_unit", value=quote(unit_name), municipality=municipality.name)

    stage = lookups.first_stage
    stage_name = _text(cell("stage"))
    if stage_name:
        stage = lookups.stages.get(stage_name.casefold())
        if stage is None:
            error("unknown_stage", value=quote(stage_name))

    created_at = None
    try:
        created_at = parse_created(cell("created"))
    except ValueError:
        error("bad_date", value=quote(_text(cell("created"))))
    if created_at is not None and created_at.date() > timezone.localdate(now):
        error("future_date", value=quote(_text(cell("created"))))

    name = _text(cell("submitter_name"))
    email = _text(cell("submitter_email"))
    if bool(name) != bool(email):
        error("submitter_incomplete")
    if len(name) > NAME_MAX:
        error("name_too_long", limit=NAME_MAX)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("bad_email", value=quote(email))

    tags: list[str] = []
    for tag in _text(cell("tags")).split(","):
        tag = " ".join(tag.split())
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            error("tag_too_long", value=quote(tag), limit=TAG_MAX)
        elif tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)

    old_reference = _text(cell("reference"))
    if len(old_reference) > REFERENCE_MAX:
        error("reference_too_long", limit=REFERENCE_MAX)
    elif old_reference:
        other = seen_references.setdefault(old_reference.casefold(), line)
        if other != line:
            error("duplicate_reference", value=quote(old_reference), other=other)

    owner = None
    owner_email = _text(cell("owner_email")).lower()
    if owner_email:
        owner = lookups.owners.get(owner_email)
        if owner is None:
            error("unknown_owner", value=quote(owner_email))
        elif municipality is not None and not idea_policies.can_be_owner(
            access_for(owner),
            Idea(municipality=municipality, consortium_id=municipality.consortium_id),
        ):
            error("owner_not_allowed", value=quote(owner_email), municipality=municipality.name)

    if errors:
        return None, errors
    return (
        IdeaRow(
            line=line,
            title=title,
            text=text,
            need=need,
            municipality=municipality,
            unit=unit,
            stage=stage,
            created_at=created_at,
            submitter_name=name,
            submitter_email=email,
            tags=tags,
            old_reference=old_reference,
            owner=owner,
        ),
        [],
    )


def _summary(checked: CheckedFile) -> dict:
    """What the dry-run report shows: ideas per municipality and per stage, submitters,
    owners and tags; plain values so that it can be stored on the job."""
    per_municipality: dict[str, int] = {}
    per_stage: dict[str, int] = {}
    tags: set[str] = set()
    for row in checked.rows:
        per_municipality[row.municipality.name] = per_municipality.get(row.municipality.name, 0) + 1
        per_stage[str(row.stage.pk)] = per_stage.get(str(row.stage.pk), 0) + 1
        tags.update(t.casefold() for t in row.tags)
    return {
        "ideas": len(checked.rows),
        "per_municipality": sorted(per_municipality.items()),
        "per_stage": per_stage,
        "submitters": sum(1 for row in checked.rows if row.submitter_email),
        "owners": sum(1 for row in checked.rows if row.owner is not None),
        "tags": len(tags),
        "ignored_columns": checked.ignored_columns,
    }
