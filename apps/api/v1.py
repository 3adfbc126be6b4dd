"""The JSON API, version 1: ideas (list, one, similar), with the pages' access rules.

Mounted at /api/v1/; its OpenAPI description is /api/v1/openapi.json. There is no docs
page: ninja's Swagger UI loads from a CDN unless ninja is an installed app, and the
project serves nothing from outside. Endpoints are thin: a scoped selector from
apps.ideas reads, a schema shapes the answer. Whatever the caller's roles do not let
them see answers 404, the same JSON as for something that does not exist.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError

from apps.ideas.selectors import idea_for_user, idea_list, similarity_scope
from apps.organisations.selectors import access_for
from apps.search.similarity import similar_ideas

from . import policies
from .auth import MISSING, PersonalAccessToken, SignedInSession
from .schemas import (
    ErrorOut,
    IdeaListQuery,
    IdeaOut,
    IdeaPage,
    IdeaSummary,
    SimilarAnswer,
    SimilarIn,
)

api = NinjaAPI(
    title="Sluss API",
    version="1",
    description=(
        "Read the ideas of the innovation sluice with the same access as the pages. "
        "Authenticate with a personal access token: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api-v1",
    auth=[PersonalAccessToken(), SignedInSession()],
    openapi_url="/openapi.json",
    docs_url=None,
)

REFUSED = {401: ErrorOut, 404: ErrorOut}


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    # Ninja's own "Unauthorized" (no token, no session) becomes a sentence that says what
    # to send; RFC 6750 asks for the WWW-Authenticate challenge on every 401.
    message = MISSING if type(error) is AuthenticationError else error.message
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sluss"'
    return response


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
    page = found.select_related("unit").prefetch_related("tags")[
        query.offset : query.offset + query.limit
    ]
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "results": [IdeaSummary.of(idea, idea.tags.all()) for idea in page],
    }


# Before /ideas/{reference}: Django tries the patterns in order, and "similar" would
# otherwise be taken for a reference.
@api.post(
    "/ideas/similar",
    response={200: SimilarAnswer, 401: ErrorOut},
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
    if len(reference) > 24 or "\x00" in reference:
        raise Http404  # no reference looks like this; do not ask the database
    found = idea_for_user(request.auth, reference)
    return IdeaOut.of(found, found.tags.all())
