"""What the API takes and gives, as pydantic schemas (they make the OpenAPI description).

Only what the pages show: no submitters or their contact details, no assessment rounds
or scores, no internal notes.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema
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


class IdeaPage(Schema):
    """One page of the list: `count` ideas match in all, `results` are those from
    `offset`, at most `limit` of them, newest first (best match first with `text`)."""

    count: int
    limit: int
    offset: int
    results: list[IdeaSummary]


class IdeaListQuery(Schema):
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
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

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


class SimilarIn(Schema):
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


class ErrorOut(Schema):
    """What went wrong, in one sentence."""

    detail: str
