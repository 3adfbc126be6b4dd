"""What the API takes and gives, as pydantic schemas (they make the OpenAPI description).

Only what the pages show: no submitters or their contact details, no assessment rounds
or scores, no internal notes.
"""

from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import field_validator, model_validator

from apps.ideas.models import Idea
from apps.ideas.selectors import IdeaFilters

#: The largest id a filter may name (a PostgreSQL bigint); larger is no id of ours.
MAX_ID = 2**63 - 1
#: Paging: the default and the largest page, and how deep one may page.
DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
#: The similar-ideas question: bounded like the idea form's own fields.
MAX_SIMILAR_TITLE = 150
MAX_SIMILAR_TEXT = 8000
MAX_SIMILAR_RESULTS = 50


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no person types one: refuse it here with a
    # clear 422 rather than let it reach the database.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


class BodyIn(Schema):
    """A request body: a JSON object, nothing else.

    ninja's Schema also validates from the attributes of any object, so a bare JSON
    string such as "x" would be read as one: its `title` is the string's own
    `str.title()`, and a similar-ideas question of "x" was answered 200 instead of 422
    (found by the schema fuzzing test)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        # ninja's own validator has already wrapped what was sent in a DjangoGetter.
        sent = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(sent, dict):
            raise ValueError("The body must be a JSON object.")
        return data


class Named(Schema):
    """Something with an id and a name (a municipality, unit, tag or person)."""

    id: int
    name: str


class StageOut(Schema):
    """A stage of the process: its stable key, and its name in the active language
    (Swedish unless the language cookie says otherwise)."""

    id: int
    key: str
    name: str


class IdeaSummary(Schema):
    """An idea as a row of the list shows it."""

    reference: str = Field(examples=["SLU-2026-0042"])
    title: str
    municipality: Named
    unit: Named | None
    stage: StageOut
    owner: Named | None = Field(description="The idea's coach; null while nobody owns it.")
    tags: list[Named]
    created_at: datetime
    last_activity_at: datetime
    url: str = Field(description="The idea's page in the workspace.")

    @classmethod
    def of(cls, idea: Idea, tags) -> dict:
        """The fields of an idea whose municipality, unit, stage and owner are joined in."""
        return {
            "reference": idea.reference,
            "title": idea.title,
            "municipality": {"id": idea.municipality_id, "name": idea.municipality.name},
            "unit": {"id": idea.unit_id, "name": idea.unit.name} if idea.unit_id else None,
            "stage": {"id": idea.stage_id, "key": idea.stage.key, "name": idea.stage.name},
            "owner": {"id": idea.owner_id, "name": str(idea.owner)} if idea.owner_id else None,
            "tags": [{"id": tag.pk, "name": tag.name} for tag in tags],
            "created_at": idea.created_at,
            "last_activity_at": idea.last_activity_at,
            "url": settings.SITE_URL
            + reverse("ideas:detail", kwargs={"reference": idea.reference}),
        }


class IdeaOut(IdeaSummary):
    """One idea, as its page shows it (without submitters, notes or assessments)."""

    need: str
    solution: str
    beneficiaries: str
    expected_effects: str

    @classmethod
    def of(cls, idea: Idea, tags) -> dict:
        return {
            **IdeaSummary.of(idea, tags),
            "need": idea.need,
            "solution": idea.solution,
            "beneficiaries": idea.beneficiaries,
            "expected_effects": idea.expected_effects,
        }


class PageQuery(Schema):
    """Paging of every list: `limit` rows from `offset`."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (1–100).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


class Page(Schema):
    """One page of a list: `count` rows in all, `results` those from `offset`, at most
    `limit` of them; `next` and `previous` are the addresses of the neighbouring pages
    (null at either end)."""

    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


class IdeaPage(Page):
    """One page of the idea list, newest first (best match first with `text`)."""

    results: list[IdeaSummary]


class IdeaListQuery(PageQuery):
    """The list page's filters, and paging."""

    municipality: int | None = Field(None, ge=1, le=MAX_ID, description="A municipality's id.")
    stage: int | None = Field(None, ge=1, le=MAX_ID, description="A stage's id.")
    owner: int | None = Field(
        None, ge=0, le=MAX_ID, description="The owner's id; 0 for ideas nobody owns."
    )
    tag: int | None = Field(None, ge=1, le=MAX_ID, description="A tag's id.")
    older_than_days: int | None = Field(
        None, ge=1, le=36500, description="Only ideas handed in at least this many days ago."
    )
    text: str = Field(
        "",
        max_length=200,
        description="Search words, as the list page's search: best match first.",
    )

    @field_validator("text")
    @classmethod
    def _text_has_no_nul(cls, value: str) -> str:
        return _no_nul(value)

    def filters(self) -> IdeaFilters:
        return IdeaFilters(
            municipality=self.municipality,
            stage=self.stage,
            owner=self.owner,
            tag=self.tag,
            older_than_days=self.older_than_days,
            text=self.text.strip(),
        )


class SimilarIn(BodyIn):
    """A would-be idea: its title and/or text, and how many similar ideas to return."""

    title: str = Field("", max_length=MAX_SIMILAR_TITLE)
    text: str = Field("", max_length=MAX_SIMILAR_TEXT)
    limit: int = Field(5, ge=1, le=MAX_SIMILAR_RESULTS)

    @field_validator("title", "text")
    @classmethod
    def _has_no_nul(cls, value: str) -> str:
        return _no_nul(value)

    @model_validator(mode="after")
    def _title_or_text(self) -> "SimilarIn":
        if not (self.title.strip() or self.text.strip()):
            raise ValueError("Give a title or a text (or both) to compare with.")
        return self


class SimilarOut(Schema):
    """A similar idea: higher scores are more alike (comparable within one answer)."""

    reference: str
    title: str
    municipality: Named
    score: float


class SimilarAnswer(Schema):
    results: list[SimilarOut]


class ErrorDetail(Schema):
    """What went wrong: a stable `code` for programs, a sentence for people, and the
    fields (parameters or body fields) that broke their rules, each with its messages."""

    code: str = Field(
        examples=["not_found"],
        description=(
            "bad_request, unauthorized, forbidden, not_found, method_not_allowed, "
            "stage_conflict, submission_conflict, invalid, too_many_requests or server_error"
        ),
    )
    message: str
    fields: dict[str, list[str]] = Field(
        description="Field name → messages; '__all__' for a rule across fields."
    )
    current_stage: StageOut | None = Field(
        None, description="Only with stage_conflict: the stage the idea is in now."
    )


class ErrorOut(Schema):
    """Every error answer has this one shape."""

    error: ErrorDetail


# --- Writing ideas ---------------------------------------------------------------------------


class CoSubmitterIn(BodyIn):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)

    @field_validator("name", "email")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if any(c in value for c in "\x00\r\n"):
            raise ValueError("must be one line")
        return value


class IdeaIn(BodyIn):
    """A new idea, as the public idea form takes it. The caller is its submitter (their
    account's name and email get the receipt and the private link)."""

    municipality: int = Field(ge=1, le=MAX_ID, description="A municipality's id.")
    unit: int | None = Field(None, ge=1, le=MAX_ID, description="A unit of that municipality.")
    workplace: str = Field("", max_length=200)
    title: str = Field(max_length=150)
    need: str = Field(max_length=4000)
    solution: str = Field(max_length=4000)
    beneficiaries: str = Field("", max_length=2000)
    expected_effects: str = Field("", max_length=2000)
    consent_to_publish: bool = False
    phone: str = Field("", max_length=40, description="The submitter's phone (optional).")
    co_submitters: list[CoSubmitterIn] = Field([], max_length=10)
    submission_token: UUID | None = Field(
        None,
        description=(
            "Any UUID you choose; sending the same one again answers with the first idea "
            "instead of handing it in twice."
        ),
    )

    @field_validator(
        "workplace", "title", "need", "solution", "beneficiaries", "expected_effects", "phone"
    )
    @classmethod
    def _has_no_nul(cls, value: str) -> str:
        return _no_nul(value)


class IdeaReceipt(Schema):
    """The receipt of a handed-in idea. The idea itself is read with GET by those whose
    roles let them see it; the submitter's private link goes by email."""

    reference: str
    title: str
    municipality: Named
    stage: StageOut
    created: bool = Field(description="False when the submission_token was used before.")


class MoveIn(BodyIn):
    """A move of an idea to another stage: `expected_stage` is the stage you saw it in
    (the move is refused with 409 if someone moved it since)."""

    to_stage: int = Field(ge=1, le=MAX_ID)
    expected_stage: int = Field(ge=1, le=MAX_ID)
    reason: str = Field("", max_length=2000, description="Needed for some stages.")
    message: str = Field("", max_length=4000, description="Sent to the submitters.")

    @field_validator("reason", "message")
    @classmethod
    def _has_no_nul(cls, value: str) -> str:
        return _no_nul(value)


# --- Timeline, stages, municipalities -------------------------------------------------------


class TimelineEntryOut(Schema):
    """One event of an idea's life. `actor` is the staff member who did it; events of a
    submitter have `by_submitter` true and no name (the API never names submitters)."""

    id: int
    kind: str
    kind_label: str
    created_at: datetime
    actor: Named | None
    by_submitter: bool
    from_stage: StageOut | None
    to_stage: StageOut | None
    body: str


class TimelinePage(Page):
    """One page of an idea's timeline, oldest first."""

    results: list[TimelineEntryOut]


class TransitionOut(Schema):
    """An allowed move from a stage, and which roles may make it."""

    to_stage: StageOut
    coach_may: bool
    process_leader_may: bool


class StageDetail(Schema):
    """A stage of a consortium's process, in order, with the moves out of it."""

    id: int
    key: str
    name: str
    consortium: Named
    position: int
    is_initial: bool
    is_outcome: bool = Field(description="An outcome ends the idea's journey.")
    requires_reason: bool
    transitions: list[TransitionOut]


class StagePage(Page):
    results: list[StageDetail]


class MunicipalityOut(Schema):
    """A municipality ideas can be handed in to, with its units."""

    id: int
    name: str
    consortium: Named
    units: list[Named]


class MunicipalityPage(Page):
    results: list[MunicipalityOut]


# --- Statistics and showcase ----------------------------------------------------------------


class StatisticsQuery(Schema):
    """The dashboard's filters: a period (the last twelve months by default) and a
    consortium or municipality of yours."""

    start: date | None = None
    end: date | None = None
    consortium: int | None = Field(None, ge=1, le=MAX_ID)
    municipality: int | None = Field(None, ge=1, le=MAX_ID)


class PublicStatisticsQuery(Schema):
    start: date | None = None
    end: date | None = None
    consortium: int | None = Field(None, ge=1, le=MAX_ID)


class ColumnOut(Schema):
    key: str
    label: str
    numeric: bool
    unit: str


class TableOut(Schema):
    """One statistic as the page shows it: the same rows as its table and exports."""

    slug: str
    title: str
    summary: str
    note: str
    columns: list[ColumnOut]
    rows: list[list[int | float | str | None]] = Field(
        description="Cells in column order; dates as YYYY-MM-DD, null where there is none."
    )


class StatisticsOut(Schema):
    start: date
    end: date
    consortia: list[int]
    municipalities: list[int] | None = Field(description="null: every municipality.")
    tables: list[TableOut]


class ShowcaseEntryOut(Schema):
    """A published story of the showcase, as its public page shows it."""

    id: int
    headline: str
    lead: str
    story: str
    results: str
    category: str
    municipality: Named
    published_at: datetime
    url: str


class ShowcasePage(Page):
    """Published stories, newest first."""

    results: list[ShowcaseEntryOut]
