"""The JSON API, version 1: ideas (list, one, create, move, timeline, similar), stages,
municipalities, statistics and the showcase, with the pages' access rules.

Mounted at /api/v1/; its OpenAPI description is /api/v1/openapi.json. There is no docs
page: ninja's Swagger UI loads from a CDN unless ninja is an installed app, and the
project serves nothing from outside. Endpoints are thin: a scoped selector reads, a
service writes, a schema shapes the answer. Whatever the caller's roles do not let them
see answers 404, the same JSON as for something that does not exist; every refusal has
the one error format of `errors.py`.
"""

import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import get_language
from ninja import NinjaAPI, Query, Status

from apps.ideas import services as idea_services
from apps.ideas.forms import IdeaSubmissionForm
from apps.ideas.selectors import idea_for_user, idea_list, moves_for, similarity_scope
from apps.organisations.selectors import access_for
from apps.search.similarity import similar_ideas
from apps.showcase.selectors import published_entries
from apps.stats import selectors as stats_selectors

from . import errors, policies, selectors
from .auth import PersonalAccessToken, SignedInSession
from .errors import ApiError
from .schemas import (
    ErrorOut,
    IdeaIn,
    IdeaListQuery,
    IdeaOut,
    IdeaPage,
    IdeaReceipt,
    IdeaSummary,
    MoveIn,
    MunicipalityPage,
    PageQuery,
    PublicStatisticsQuery,
    ShowcasePage,
    SimilarAnswer,
    SimilarIn,
    StagePage,
    StatisticsOut,
    StatisticsQuery,
    TimelinePage,
)

DESCRIPTION = """Read and work the ideas of the innovation sluice with the same access as the
pages. Authenticate with a personal access token: `Authorization: Bearer <token>` (make one
under *API tokens* in your settings). The showcase and the public statistics need no token.

**Errors.** Every answer that is not a success has one shape:
`{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`.
`code` is one of bad_request (400: the body is not JSON), unauthorized (401: no, or a bad,
token; with a `WWW-Authenticate` header), forbidden (403: a signed-in browser session without
its CSRF token), not_found (404: it does not exist *or* you may not see or do it; the two are
never told apart), method_not_allowed (405, with an `Allow` header), stage_conflict and
submission_conflict (409), invalid (422: `fields` names each parameter or body field that
broke its rules, `__all__` a rule across fields), too_many_requests (429) and server_error
(500).

**Paging.** Every list answers `{"count", "limit", "offset", "next", "previous",
"results"}`: `limit` 1–100 (default 25), `next`/`previous` the addresses of the neighbouring
pages or null.
"""

api = NinjaAPI(
    title="Sluss API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=[PersonalAccessToken(), SignedInSession()],
    openapi_url="/openapi.json",
    docs_url=None,
)

errors.install(api)

#: The refusals every endpoint behind a token may give; each endpoint adds its own.
REFUSED = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    405: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    500: ErrorOut,
}
#: The refusals of an endpoint anyone may call.
PUBLIC_REFUSED = {key: value for key, value in REFUSED.items() if key not in {401, 403}}


def _page(request: HttpRequest, rows, *, count: int, limit: int, offset: int) -> dict:
    """A page of a list with the addresses of its neighbours (the request's query with
    another offset), absolute like every address the API gives."""

    def address(at: int) -> str:
        query = {key: value for key, value in request.GET.items() if key != "offset"}
        query["offset"] = str(at)
        return settings.SITE_URL + request.path + "?" + urlencode(query)

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": address(offset + limit) if offset + limit < count else None,
        "previous": address(max(offset - limit, 0)) if offset > 0 and count else None,
        "results": rows,
    }


def _reference(reference: str) -> str:
    if len(reference) > 24 or "\x00" in reference:
        raise Http404  # no reference looks like this; do not ask the database
    return reference


def _stage(stage) -> dict:
    return {"id": stage.pk, "key": stage.key, "name": stage.name}


@api.get(
    "/ideas",
    response={200: IdeaPage, **REFUSED},
    url_name="ideas",
    summary="List ideas",
)
def ideas(request: HttpRequest, query: Query[IdeaListQuery]):
    """The ideas the caller may see, with the list page's filters and search, newest
    first (best match first when searching).
    Callers without a workspace (no coach, process leader or manager role) get 404, as
    the list page answers them."""
    user = request.auth
    if not policies.may_list_ideas(access_for(user)):
        raise Http404
    found = idea_list(user, query.filters())
    count = found.count()
    # The list page reads only the columns a row shows; the API's summary needs the rest.
    page = (
        found.defer(None)
        .select_related("unit")
        .prefetch_related("tags")[query.offset : query.offset + query.limit]
    )
    return _page(
        request,
        [IdeaSummary.of(idea, idea.tags.all()) for idea in page],
        count=count,
        limit=query.limit,
        offset=query.offset,
    )


#: The public form's fields under the API's names, for its validation errors.
FORM_FIELDS = {"co_submitter_names": "co_submitters", "submitter_phone": "phone"}


@api.post(
    "/ideas",
    response={201: IdeaReceipt, 200: IdeaReceipt, 409: ErrorOut, **REFUSED},
    url_name="ideas",
    summary="Hand in an idea",
)
def create_idea(request: HttpRequest, payload: IdeaIn):
    """Hand in an idea, as the public idea form does, with the same rules: the caller is
    its submitter (their account's name and email; the receipt with the private link goes
    there) and the municipality's coaches are told. 201 with the receipt; 200 with the
    first receipt when `submission_token` was used before by the caller; 409 when it was
    used by someone else."""
    user = request.auth
    token = payload.submission_token or uuid.uuid4()
    form = IdeaSubmissionForm(
        data={
            "title": payload.title,
            "need": payload.need,
            "solution": payload.solution,
            "beneficiaries": payload.beneficiaries,
            "expected_effects": payload.expected_effects,
            "municipality": str(payload.municipality),
            "unit": str(payload.unit) if payload.unit else "",
            "workplace": payload.workplace,
            "submitter_name": user.full_name or user.email,
            "submitter_email": user.email,
            "submitter_phone": payload.phone,
            "co_submitter_names": "\n".join(
                f"{person.name} {person.email}" for person in payload.co_submitters
            ),
            "consent_to_publish": "on" if payload.consent_to_publish else "",
            "submission_token": str(token),
        }
    )
    if not form.is_valid():
        raise ApiError(
            422,
            errors.INVALID,
            fields={
                FORM_FIELDS.get(name, errors.NON_FIELD if name == "__all__" else name): list(
                    messages
                )
                for name, messages in form.errors.items()
            },
        )
    data = form.cleaned_data
    result = idea_services.idea_submit(
        municipality=data["municipality"],
        unit=data["unit"],
        workplace=data["workplace"],
        title=data["title"],
        need=data["need"],
        solution=data["solution"],
        beneficiaries=data["beneficiaries"],
        expected_effects=data["expected_effects"],
        consent_to_publish=data["consent_to_publish"],
        submitter_name=data["submitter_name"],
        submitter_email=data["submitter_email"],
        submitter_phone=data["submitter_phone"],
        co_submitters=[
            idea_services.CoSubmitter(name=name, email=email)
            for name, email in data["co_submitter_names"]
        ],
        submission_token=token,
        language=get_language() or "sv",
        user=user,
    )
    idea = result.idea
    if not result.created and not policies.handed_in_by(user, idea):
        # The token is not a key to someone else's idea: say only that it is taken.
        raise ApiError(
            409,
            "This submission_token was used for another submission; send a new one.",
            code="submission_conflict",
        )
    receipt = {
        "reference": idea.reference,
        "title": idea.title,
        "municipality": {"id": idea.municipality_id, "name": idea.municipality.name},
        "stage": _stage(idea.stage),
        "created": result.created,
    }
    return Status(201 if result.created else 200, receipt)


# Before /ideas/{reference}: Django tries the patterns in order, and "similar" would
# otherwise be taken for a reference.
@api.post(
    "/ideas/similar",
    response={200: SimilarAnswer, **REFUSED},
    url_name="similar",
    summary="Find similar ideas",
)
def similar(request: HttpRequest, question: SimilarIn):
    """Ideas like the given title and text, best first, across all municipalities for
    coaches, process leaders and managers (title and municipality only); others get
    published ideas only."""
    scope = similarity_scope(request.auth)
    matches = similar_ideas(
        title=question.title, text=question.text, scope=scope, limit=question.limit
    )
    found = scope.filter(pk__in=[m.idea_id for m in matches]).select_related("municipality")
    by_id = {idea.pk: idea for idea in found}
    return {
        "results": [
            {
                "reference": by_id[m.idea_id].reference,
                "title": by_id[m.idea_id].title,
                "municipality": {
                    "id": by_id[m.idea_id].municipality_id,
                    "name": by_id[m.idea_id].municipality.name,
                },
                "score": round(float(m.score), 4),
            }
            for m in matches
            if m.idea_id in by_id
        ]
    }


@api.get(
    "/ideas/{reference}",
    response={200: IdeaOut, **REFUSED},
    url_name="idea",
    summary="Read one idea",
)
def idea(request: HttpRequest, reference: str):
    """One idea by its reference (e.g. SLU-2026-0042). 404 when it does not exist or the
    caller may not see it: the two are never told apart."""
    found = idea_for_user(request.auth, _reference(reference))
    return IdeaOut.of(found, found.tags.all())


@api.post(
    "/ideas/{reference}/move",
    response={200: IdeaOut, 409: ErrorOut, **REFUSED},
    url_name="idea-move",
    summary="Move an idea to another stage",
    # The body is read in the endpoint, after the idea is found: an idea the caller may
    # not see answers 404 whatever the body, as its page does.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": MoveIn.model_json_schema()}},
        }
    },
)
def move_idea(request: HttpRequest, reference: str):
    """Move an idea, as its page does: only a move the process allows to the caller's
    role over this idea (404 otherwise, also for an idea the caller may not see), a
    reason where the stage asks for one (422), and a compare-and-set on `expected_stage`:
    when someone moved the idea since, nothing changes and the answer is 409 with the
    stage it is in now. The submitters are told, with `message` if given."""
    user = request.auth
    idea = idea_for_user(user, _reference(reference))
    payload = errors.parse_body(request, MoveIn)
    moves = moves_for(user, idea, from_stage_id=payload.expected_stage)
    if not moves:
        raise Http404
    transition = next((t for t in moves if t.to_stage_id == payload.to_stage), None)
    if transition is None:
        raise ApiError(
            422,
            errors.INVALID,
            fields={"to_stage": ["Not a move allowed to you from expected_stage."]},
        )
    try:
        idea_services.idea_move(
            idea=idea,
            actor=user,
            to_stage=transition.to_stage,
            expected_stage_id=payload.expected_stage,
            reason=payload.reason,
            message=payload.message,
        )
    except idea_services.StageConflict as conflict:
        raise ApiError(
            409,
            "Someone else moved the idea first; nothing was changed. Check its stage and "
            "try again.",
            code="stage_conflict",
            extra={"current_stage": _stage(conflict.current_stage)},
        ) from None
    except PermissionDenied:
        raise Http404 from None
    moved = idea_for_user(user, idea.reference)
    return IdeaOut.of(moved, moved.tags.all())


@api.get(
    "/ideas/{reference}/timeline",
    response={200: TimelinePage, **REFUSED},
    url_name="idea-timeline",
    summary="An idea's timeline",
)
def timeline(request: HttpRequest, reference: str, query: Query[PageQuery]):
    """What happened to an idea, oldest first, as the caller's pages show it: everything
    for its coaches and process leaders, without internal notes for a manager, the
    submitter's side for the account that handed it in; 404 for anyone else."""
    entries = selectors.timeline_for_user(request.auth, _reference(reference))
    count = entries.count()
    rows = [
        {
            "id": entry.pk,
            "kind": entry.kind,
            "kind_label": str(entry.get_kind_display()),
            "created_at": entry.created_at,
            "actor": {"id": entry.actor_id, "name": str(entry.actor)} if entry.actor_id else None,
            "by_submitter": entry.actor_submitter_id is not None,
            "from_stage": _stage(entry.from_stage) if entry.from_stage_id else None,
            "to_stage": _stage(entry.to_stage) if entry.to_stage_id else None,
            "body": entry.body,
        }
        for entry in entries[query.offset : query.offset + query.limit]
    ]
    return _page(request, rows, count=count, limit=query.limit, offset=query.offset)


@api.get("/stages", response={200: StagePage, **REFUSED}, url_name="stages", summary="Stages")
def stages(request: HttpRequest, query: Query[PageQuery]):
    """The active stages of the consortia the caller holds a role in, in process order,
    each with the moves out of it and the roles that may make them (empty for an account
    without a role)."""
    found = selectors.stages_for_user(request.auth)
    count = found.count()
    page = list(found[query.offset : query.offset + query.limit])
    moves = selectors.transitions_for_stages([stage.pk for stage in page])
    rows = [
        {
            **_stage(stage),
            "consortium": {"id": stage.consortium_id, "name": stage.consortium.name},
            "position": stage.position,
            "is_initial": stage.is_initial,
            "is_outcome": stage.is_outcome,
            "requires_reason": stage.requires_reason,
            "transitions": [
                {
                    "to_stage": _stage(move.to_stage),
                    "coach_may": move.coach_may,
                    "process_leader_may": move.process_leader_may,
                }
                for move in moves.get(stage.pk, [])
            ],
        }
        for stage in page
    ]
    return _page(request, rows, count=count, limit=query.limit, offset=query.offset)


@api.get(
    "/municipalities",
    response={200: MunicipalityPage, **REFUSED},
    url_name="municipalities",
    summary="Municipalities and their units",
)
def municipalities(request: HttpRequest, query: Query[PageQuery]):
    """Every active municipality, by name, with its units: those an idea can be handed
    in to (the public form offers the same)."""
    found = selectors.municipalities_with_units()
    count = found.count()
    page = list(found[query.offset : query.offset + query.limit])
    units = selectors.units_of([m.pk for m in page])
    rows = [
        {
            "id": municipality.pk,
            "name": municipality.name,
            "consortium": {
                "id": municipality.consortium_id,
                "name": municipality.consortium.name,
            },
            "units": [
                {"id": unit.pk, "name": unit.name} for unit in units.get(municipality.pk, [])
            ],
        }
        for municipality in page
    ]
    return _page(request, rows, count=count, limit=query.limit, offset=query.offset)


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _statistics(filters, tables) -> dict:
    return {
        "start": filters.start,
        "end": filters.end,
        "consortia": sorted(filters.consortium_ids),
        "municipalities": (
            sorted(filters.municipality_ids) if filters.municipality_ids is not None else None
        ),
        "tables": [
            {
                "slug": table.slug,
                "title": str(table.title),
                "summary": str(table.summary),
                "note": str(table.note),
                "columns": [
                    {
                        "key": column.key,
                        "label": str(column.label),
                        "numeric": column.numeric,
                        "unit": str(column.unit),
                    }
                    for column in table.columns
                ],
                "rows": [[_cell(cell) for cell in row] for row in table.rows],
            }
            for table in tables
        ],
    }


def _filter_data(query) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in query.dict().items():
        if value is not None:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def _invalid_filters(error: stats_selectors.InvalidFilters) -> ApiError:
    return ApiError(
        422,
        errors.INVALID,
        fields={
            (errors.NON_FIELD if name == "__all__" else name): list(messages)
            for name, messages in error.form.errors.items()
        },
    )


@api.get(
    "/statistics",
    response={200: StatisticsOut, **REFUSED},
    url_name="statistics",
    summary="The statistics dashboard",
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]):
    """Every table of the statistics dashboard for the caller's consortia (those they
    hold any role in), narrowed to a consortium or municipality of theirs, over a period
    (the last twelve months by default). 404 for an account without a role, or naming a
    consortium or municipality outside the caller's, as the dashboard answers."""
    try:
        filters = stats_selectors.dashboard_filters_for(request.auth, _filter_data(query))
    except stats_selectors.InvalidFilters as error:
        raise _invalid_filters(error) from None
    return _statistics(filters, stats_selectors.dashboard_tables(filters))


@api.get(
    "/statistics/public",
    response={200: StatisticsOut, **PUBLIC_REFUSED},
    url_name="statistics-public",
    summary="The public statistics",
    auth=None,
)
def public_statistics(request: HttpRequest, query: Query[PublicStatisticsQuery]):
    """The public statistics page's aggregates, one consortium at a time (the first by
    name unless `consortium` says which). Needs no token."""
    try:
        filters = stats_selectors.public_filters_for(_filter_data(query))
    except stats_selectors.InvalidFilters as error:
        raise _invalid_filters(error) from None
    return _statistics(filters, stats_selectors.public_tables(filters))


@api.get(
    "/showcase",
    response={200: ShowcasePage, **PUBLIC_REFUSED},
    url_name="showcase",
    summary="The showcase",
    auth=None,
)
def showcase(request: HttpRequest, query: Query[PageQuery]):
    """The published stories of the public showcase, newest first. Needs no token: the
    showcase is public."""
    found = published_entries()
    count = found.count()
    rows = [
        {
            "id": entry.pk,
            "headline": entry.headline,
            "lead": entry.lead,
            "story": entry.story,
            "results": entry.results,
            "category": entry.category,
            "municipality": {
                "id": entry.idea.municipality_id,
                "name": entry.idea.municipality.name,
            },
            "published_at": entry.approved_at,
            "url": settings.SITE_URL + entry.get_absolute_url(),
        }
        for entry in found[query.offset : query.offset + query.limit]
    ]
    return _page(request, rows, count=count, limit=query.limit, offset=query.offset)
