"""Every read of ideas, always scoped to the acting user (or to a private link)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from apps.organisations.selectors import Access, access_for, workspace_consortium_ids
from apps.workflow.selectors import (
    stages_of_consortia,
    transitions_by_from_stage,
    transitions_from_stage,
)

from . import policies
from .models import Attachment, Idea, IdeaLink, Submitter, TimelineEntry, hash_token


def _scope_q(access: Access) -> Q | None:
    if not policies.may_use_workspace(access):
        return None
    return (
        Q(municipality_id__in=access.coach_municipalities)
        | Q(consortium_id__in=access.process_leader_consortia)
        | Q(unit_id__in=access.manager_units)
    )


def ideas_visible_to(user) -> QuerySet[Idea]:
    """The one scoping function for ideas: what this user's roles let them see."""
    scope = _scope_q(access_for(user))
    if scope is None:
        return Idea.objects.none()
    return Idea.objects.filter(scope)


def idea_for_user(user, reference: str) -> Idea:
    """One idea by reference, or 404 whether it is missing or simply not the user's."""
    # The reference is unique: no ordering (`first()` would sort by the model's ordering,
    # which costs the ORM more to build than the database to answer).
    ideas = (
        ideas_visible_to(user)
        .select_related("municipality", "unit", "stage", "owner", "consortium")
        .filter(reference=reference)
        .order_by()[:1]
    )
    for idea in ideas:
        return idea
    raise Http404


def submitter_for_token(token: str) -> Submitter:
    """The submitter a private link belongs to, or 404 (also for a revoked link)."""
    submitter = (
        Submitter.objects.select_related("idea", "idea__stage", "idea__municipality")
        .filter(access_token_hash=hash_token(token), link_revoked_at__isnull=True)
        .first()
    )
    if submitter is None:
        raise Http404
    return submitter


def submitter_for_receipt(submitter_id: int | None) -> Submitter:
    """The submitter whose receipt this session may show (set by the session that
    handed the idea in), or 404."""
    submitter = (
        Submitter.objects.select_related("idea", "idea__municipality")
        .filter(pk=submitter_id)
        .first()
        if submitter_id
        else None
    )
    if submitter is None:
        raise Http404
    return submitter


@dataclass
class IdeaFilters:
    """The list's filters, parsed from the query string by the form."""

    municipality: int | None = None
    stage: int | None = None
    owner: int | None = None  # 0 means "no owner"
    tag: int | None = None
    older_than_days: int | None = None
    text: str = ""


#: The columns a row of the list shows (the rest of an idea's text is not read, except
#: by a search, whose rows show a snippet of the need and the solution).
LIST_FIELDS = (
    "reference",
    "title",
    "created_at",
    "municipality__name",
    "stage__name_sv",
    "stage__name_en",
    "owner__full_name",
    "owner__email",
)


def _filtered(user, filters: IdeaFilters) -> QuerySet[Idea]:
    """The visible ideas that pass the filters other than the search text, unordered,
    with what each row shows joined in."""
    ideas = ideas_visible_to(user).select_related("municipality", "stage", "owner")
    if filters.municipality:
        ideas = ideas.filter(municipality_id=filters.municipality)
    if filters.stage:
        ideas = ideas.filter(stage_id=filters.stage)
    if filters.owner == 0:
        ideas = ideas.filter(owner__isnull=True)
    elif filters.owner:
        ideas = ideas.filter(owner_id=filters.owner)
    if filters.tag:
        ideas = ideas.filter(
            pk__in=Idea.tags.through.objects.filter(tag_id=filters.tag).values("idea_id")
        )
    if filters.older_than_days:
        ideas = ideas.filter(
            created_at__lte=timezone.now() - timedelta(days=filters.older_than_days)
        )
    return ideas


def idea_list(user, filters: IdeaFilters | None = None) -> QuerySet[Idea]:
    """The workspace list: visible ideas, filtered, with what each row shows joined in.

    No DISTINCT: the scope tests the idea's own columns, and the tag filter is a
    subquery rather than a join that could repeat an idea; DISTINCT over every column
    made the database sort the whole scope before the page's LIMIT.
    """
    filters = filters or IdeaFilters()
    ideas = _filtered(user, filters)
    if filters.text:
        return _ranked_by_search(ideas, filters.text)
    return ideas.order_by("-created_at", "-pk")


def idea_list_rows(user, filters: IdeaFilters | None = None) -> QuerySet[Idea]:
    """The list page's rows: `idea_list` reading only the columns a row shows (and the
    texts a search result's snippet is cut from). Other readers of `idea_list` (the API,
    the export) choose their own columns."""
    text = filters.text if filters else ""
    return idea_list(user, filters).only(*_row_fields(text))


def _row_fields(text: str) -> tuple[str, ...]:
    return (*LIST_FIELDS, *(("need", "solution") if text else ()))


#: Ideas per page of the workspace list.
LIST_PAGE_SIZE = 25


def idea_list_page(
    user, filters: IdeaFilters | None, page_number, *, per_page: int = LIST_PAGE_SIZE
) -> Page:
    """One page of the workspace list (the ideas of `idea_list`, in its order).

    With a search text the ranking is a list of at most SEARCH_LIMIT ids: it is paged
    here and only the page's rows are read, by primary key. Ordering the database's rows
    by the rank instead took a CASE of up to a thousand WHENs, built by the ORM for the
    count and again for the page (most of a search page's time at 100,000 ideas).
    """
    filters = filters or IdeaFilters()
    if not filters.text:
        return Paginator(idea_list_rows(user, filters), per_page).get_page(page_number)
    ideas = _filtered(user, filters)
    page = Paginator(_ranked_ids(ideas, filters.text), per_page).get_page(page_number)
    rows = {
        idea.pk: idea
        for idea in ideas.filter(pk__in=page.object_list).only(*_row_fields(filters.text))
    }
    # An idea deleted since the search simply drops out of its page.
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


#: The most ideas one search lists; beyond this the filters narrow it down.
SEARCH_LIMIT = 1000

#: What a reference looks like (SLU-2026-0042: the consortium's prefix, the year, the
#: number); only such a text is looked up as one.
_REFERENCE = re.compile(r"[A-Za-z0-9]+-[0-9]{4}-[0-9]+")


def _ranked_ids(ideas: QuerySet[Idea], text: str) -> list[int]:
    """The ids of the filtered ideas that match the search text, best match first: an
    idea whose reference is the text itself, then the search engine's ranking."""
    from apps.search.similarity import search_ideas

    exact: list[int] = []
    if _REFERENCE.fullmatch(text):
        # References are stored upper case (the prefix, digits): an exact match on the
        # stored form is answered by the unique index, where a case-insensitive one
        # read every idea in the scope.
        exact = list(
            ideas.filter(reference__in=sorted({text, text.upper()}))
            .order_by()
            .values_list("pk", flat=True)[:1]
        )
    return exact + [
        m.idea_id
        for m in search_ideas(query=text, scope=ideas, limit=SEARCH_LIMIT)
        if m.idea_id not in exact
    ]


def _ranked_by_search(ideas: QuerySet[Idea], text: str) -> QuerySet[Idea]:
    """`_ranked_ids` as an ordered queryset, for the readers that need one (the API's
    list and the CSV export page or stream through the database)."""
    ranked = _ranked_ids(ideas, text)
    if not ranked:
        return ideas.none()
    rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)])
    return ideas.filter(pk__in=ranked).order_by(rank, "-pk")


#: What the list's CSV export reads of each idea: no text of the idea beyond its title,
#: and nothing about the people who handed it in (see apps/ideas/exports.py).
EXPORT_FIELDS = (
    "pk",
    "reference",
    "title",
    "municipality__name",
    "stage__name_sv",
    "stage__name_en",
    "owner__full_name",
    "owner__email",
    "created_at",
    "last_activity_at",
    "stage_entered_at",
)


def idea_list_export_chunks(
    user, filters: IdeaFilters | None = None, *, chunk_size: int
) -> Iterator[list[dict]]:
    """The ideas of `idea_list` (same scope, filters and order) for the CSV export, in
    chunks of at most `chunk_size` rows, each row a dict of `EXPORT_FIELDS` and `tags`
    (the tag names, alphabetical).

    Read with a database cursor (`iterator`), so memory holds one chunk, however many
    ideas there are; the tags of a chunk come in one query for the whole chunk.
    """
    rows = idea_list(user, filters).values(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        tags: dict[int, list[str]] = {}
        for idea_id, name in (
            Idea.tags.through.objects.filter(idea_id__in=[row["pk"] for row in chunk])
            .order_by("tag__name")
            .values_list("idea_id", "tag__name")
        ):
            tags.setdefault(idea_id, []).append(name)
        for row in chunk:
            row["tags"] = tags.get(row["pk"], [])
        yield chunk


@dataclass(slots=True)
class BoardIdea:
    """What a board card shows of an idea: a row of the board's query rather than an
    `Idea` (150 model instances cost a national board about 1 ms of its 13)."""

    pk: int
    reference: str
    title: str
    stage_id: int
    consortium_id: int
    municipality_id: int
    owner_id: int | None
    stage_entered_at: datetime
    municipality_name: str
    owner_full_name: str | None
    owner_email: str | None


@dataclass
class BoardCard:
    idea: BoardIdea
    moves: list  # Transitions this user may make from the idea's stage


@dataclass
class BoardColumn:
    stage: object
    cards: list[BoardCard]
    total: int


BOARD_CARDS_PER_COLUMN = 25


def board(user) -> list[BoardColumn]:
    """One column per active stage with the newest ideas in it and the moves the user may
    make on each card. A fixed number of queries, however many ideas there are. A card's
    idea is a `BoardIdea`: only what the card shows, its municipality's and owner's names
    included."""
    from apps.workflow.policies import may_make_move

    access = access_for(user)
    visible = ideas_visible_to(user)
    consortium_ids = workspace_consortium_ids(access)
    stages = [s for s in stages_of_consortia(consortium_ids) if not s.is_outcome]
    counts = dict(
        visible.filter(stage__in=stages)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    moves = transitions_by_from_stage(consortium_ids)
    cards_by_stage: dict[int, list[BoardCard]] = {s.pk: [] for s in stages}
    # The newest cards of every column in one query: rank within the stage, keep the top.
    # Only what a card shows (the column already names the stage, and the texts of an
    # idea stay on disk), as plain rows: the municipality's and the owner's names come as
    # columns of the idea's row rather than as objects of their own.
    newest = (
        visible.filter(stage__in=stages)
        .annotate(
            municipality_name=F("municipality__name"),
            owner_full_name=F("owner__full_name"),
            owner_email=F("owner__email"),
            rank=Window(
                RowNumber(),
                partition_by=F("stage_id"),
                order_by=[F("stage_entered_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=BOARD_CARDS_PER_COLUMN)
        .order_by("stage_id", "rank")
        .values_list(*BoardIdea.__slots__)
    )
    for row in newest:
        idea = BoardIdea(*row)
        allowed = [
            t
            for t in moves.get(idea.stage_id, [])
            if may_make_move(
                access,
                t,
                municipality_id=idea.municipality_id,
                consortium_id=idea.consortium_id,
            )
        ]
        cards_by_stage[idea.stage_id].append(BoardCard(idea=idea, moves=allowed))
    return [
        BoardColumn(stage=s, cards=cards_by_stage[s.pk], total=counts.get(s.pk, 0)) for s in stages
    ]


def idea_timeline(idea: Idea, *, for_submitter: bool = False, internal: bool = True):
    """The idea's timeline, oldest first, with actors and stages joined in."""
    entries = idea.timeline.select_related("actor", "actor_submitter", "from_stage", "to_stage")
    if for_submitter:
        # Files added by coaches or outside experts are working material, not the
        # submitter's: only files a submitter added show up on their side.
        entries = entries.filter(kind__in=TimelineEntry.SUBMITTER_VISIBLE).exclude(
            kind=TimelineEntry.Kind.ATTACHMENT_ADDED, actor_submitter__isnull=True
        )
    elif not internal:
        entries = entries.exclude(kind=TimelineEntry.Kind.NOTE)
    return entries.order_by("created_at", "pk")


@dataclass
class StageTime:
    stage: object
    entered_at: datetime
    left_at: datetime | None

    @property
    def duration(self) -> timedelta:
        return (self.left_at or timezone.now()) - self.entered_at


def time_in_stages(idea: Idea, timeline=None) -> list[StageTime]:
    """How long the idea spent in each stage, derived from the timeline's moves."""
    entries = timeline if timeline is not None else idea_timeline(idea)
    spans: list[StageTime] = []
    for entry in entries:
        if entry.kind == TimelineEntry.Kind.SUBMITTED and entry.to_stage_id:
            spans.append(StageTime(entry.to_stage, entry.created_at, None))
        elif entry.kind == TimelineEntry.Kind.STAGE_CHANGED:
            if spans:
                spans[-1].left_at = entry.created_at
            spans.append(StageTime(entry.to_stage, entry.created_at, None))
    return spans


def moves_for(user, idea: Idea, *, from_stage_id: int | None = None) -> list:
    """The moves this user may make on this idea from its current stage, or from the
    stage they last saw it in (so a stale page meets a clear conflict, not a 404)."""
    from apps.workflow.policies import may_make_move

    access = access_for(user)
    stage_id = from_stage_id or idea.stage_id
    return [
        t
        for t in transitions_from_stage(idea.consortium_id, stage_id)
        if may_make_move(
            access, t, municipality_id=idea.municipality_id, consortium_id=idea.consortium_id
        )
    ]


#: The fields of a timeline entry that the idea page reads (apps/ideas/templates/ideas/
#: _timeline.html, `TimelineEntry.actor_name`, `time_in_stages`).
_PAGE_TIMELINE_FIELDS = (
    "idea_id",
    "kind",
    "body",
    "created_at",
    "actor__full_name",
    "actor__email",
    "actor_submitter__name",
    "from_stage__name_sv",
    "from_stage__name_en",
    "to_stage__name_sv",
    "to_stage__name_en",
)


def idea_detail_context(user, idea: Idea) -> dict:
    """Everything the idea page shows, in a fixed number of queries."""
    access = access_for(user)
    internal = policies.can_read_internal(access, idea)
    # Only what the page's timeline and its time in each stage show: every column of an
    # entry's user, submitter and two stages cost more to build into SQL and into objects
    # than the entries themselves.
    timeline = list(idea_timeline(idea, internal=internal).only(*_PAGE_TIMELINE_FIELDS))
    moves = moves_for(user, idea)
    links = linked_ideas(user, idea)
    # No similar ideas here: the search costs more than the rest of the page together,
    # so the page links to `similar_section`, which htmx fetches once it is shown.
    return {
        "links": links,
        "can_link": policies.can_link(access, idea),
        "idea": idea,
        "timeline": timeline,
        "stage_times": time_in_stages(idea, timeline),
        "submitters": list(idea.submitters.all()),
        "attachments": list(idea.attachments.all()),
        "tags": list(idea.tags.all()),
        "moves": moves,
        "can_work": policies.can_work(access, idea),
    }


def attachment_for_user(user, reference: str, attachment_id: int) -> Attachment:
    idea = idea_for_user(user, reference)
    attachment = idea.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def attachments_for_submitter(idea: Idea) -> QuerySet[Attachment]:
    """The files a submitter sees: those that submitters added, not the working material
    that coaches and outside experts put on the idea."""
    return idea.attachments.filter(uploaded_by_submitter__isnull=False)


def attachment_for_submitter(submitter: Submitter, attachment_id: int) -> Attachment:
    attachment = attachments_for_submitter(submitter.idea).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def pending_uploads(upload_token) -> QuerySet[Attachment]:
    """Files kept from a form that failed validation, waiting for the same form."""
    return Attachment.objects.filter(upload_token=upload_token, idea__isnull=True)


def ideas_of_submitter_user(user) -> QuerySet[Idea]:
    """ "Mina idéer": ideas the logged-in employee handed in or is named on."""
    if not user.is_authenticated:
        return Idea.objects.none()
    return (
        Idea.objects.filter(Q(submitters__user=user) | Q(submitters__email__iexact=user.email))
        .select_related("stage", "municipality")
        .distinct()
        .order_by("-created_at")
    )


def submissions_of_user(user) -> QuerySet[Submitter]:
    """The logged-in employee's own submitter rows, each with its private link."""
    if not user.is_authenticated:
        return Submitter.objects.none()
    return (
        Submitter.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .filter(link_revoked_at__isnull=True)
        .select_related("idea", "idea__stage", "idea__municipality")
        .order_by("-idea__created_at", "pk")
    )


def owner_candidates(idea: Idea):
    """People who may own the idea: its municipality's coaches and the process leaders."""
    from apps.accounts.models import User
    from apps.organisations.models import Role

    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                memberships__role=Role.COACH,
                memberships__organisation_id=idea.municipality_id,
            )
            | Q(
                memberships__role=Role.PROCESS_LEADER,
                memberships__organisation_id=idea.consortium_id,
            )
        )
        .distinct()
        .order_by("full_name")
    )


def submitter_page_context(submitter: Submitter) -> dict:
    idea = submitter.idea
    return {
        "idea": idea,
        "submitter": submitter,
        "timeline": list(idea_timeline(idea, for_submitter=True)),
        "attachments": list(attachments_for_submitter(idea)),
        "submitters": list(idea.submitters.all()),
        "linked_municipalities": linked_municipalities_for_submitter(idea),
    }


def start_page_summary(user) -> dict:
    """Counts for the start page: ideas per stage in the user's scope, and what is theirs."""
    visible = ideas_visible_to(user)
    return {
        "visible": visible.count(),
        "owned_open": visible.filter(owner=user, stage__is_outcome=False).count(),
        "unowned_new": visible.filter(owner__isnull=True, stage__is_initial=True).count(),
    }


def owners_in_scope(user, *, selected: int | None = None):
    """People the list's owner filter offers: those who may own the ideas the user sees
    (the coaches of their municipalities and the process leaders of their consortia, the
    people `owner_candidates` offers for one idea), and the `selected` owner when they own
    one of those ideas, also without such a role any more (a filter in a link still
    works). Asking which people own the ideas in scope read every idea in it.
    """
    from apps.accounts.models import User
    from apps.organisations.models import Membership, Organisation, Role

    access = access_for(user)
    if not policies.may_use_workspace(access):
        return User.objects.none()
    local = Organisation.objects.filter(pk__in=access.coach_municipalities | access.manager_units)
    municipalities = Organisation.objects.filter(
        Q(pk__in=access.coach_municipalities)
        | Q(pk__in=local.values("municipality_id"))
        | Q(consortium_id__in=access.process_leader_consortia),
        kind=Organisation.Kind.MUNICIPALITY,
    )
    consortia = Organisation.objects.filter(
        Q(pk__in=access.process_leader_consortia) | Q(pk__in=local.values("consortium_id")),
        kind=Organisation.Kind.CONSORTIUM,
    )
    holders = Membership.objects.filter(
        Q(role=Role.COACH, organisation__in=municipalities)
        | Q(role=Role.PROCESS_LEADER, organisation__in=consortia)
    ).values("user_id")
    people = Q(pk__in=holders, is_active=True)
    if selected:
        people |= Q(pk__in=ideas_visible_to(user).filter(owner_id=selected).values("owner_id")[:1])
    return User.objects.filter(people).order_by("full_name")


def similarity_scope(user) -> QuerySet[Idea]:
    """The ideas similar-idea answers may come from for this user.

    Coaches, process leaders and managers see similar ideas from every municipality (the
    point of a shared sluice: nobody develops the same idea twice), but only as a card of
    title, summary, municipality and owner; the idea page itself stays scoped by
    `ideas_visible_to`. Everyone else (the public form, role-less accounts) sees only
    published ideas.
    """
    from apps.spread.selectors import published_ideas

    if user is not None and user.is_authenticated and policies.may_use_workspace(access_for(user)):
        return Idea.objects.all()
    return published_ideas()


# --- Similar and linked ideas ---------------------------------------------------------

#: How many similar ideas the idea page and the form show.
SIMILAR_LIMIT = 5
#: How much of an idea's text a card shows.
SUMMARY_CHARS = 200


def _summary(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class SimilarCard:
    """One similar idea as a card. Never the submitters' personal data: a workspace
    card names the idea's owner (a coach, at work), a public card not even that, nor
    the idea's reference. `may_open`: whether the user may open the idea's page."""

    idea_id: int
    title: str
    summary: str
    municipality: str
    stage: str = ""
    owner: str = ""
    reference: str = ""
    may_open: bool = False
    public_solution_id: int | None = None  # the catalogue's public page, for the public


_CARD_FIELDS = (
    "reference",
    "title",
    "solution",
    "municipality_id",
    "consortium_id",
    "unit_id",
    "municipality__name",
    "stage__name_sv",
    "stage__name_en",
    "owner__full_name",
    "owner__email",
)


def _cards(user, idea_ids: list[int]) -> list[SimilarCard]:
    """Cards for these ideas, in the given order, in one or two queries."""
    if not idea_ids:
        return []
    access = access_for(user)
    # Only what a card shows and `policies.can_view` reads, unordered (the ids give the
    # order): the other texts of an idea are not read.
    by_id = {
        idea.pk: idea
        for idea in Idea.objects.filter(pk__in=idea_ids)
        .select_related("municipality", "stage", "owner")
        .only(*_CARD_FIELDS)
        .order_by()
    }
    ideas = [by_id[pk] for pk in idea_ids if pk in by_id]
    if not policies.may_use_workspace(access):
        return _public_cards(ideas)
    return [
        SimilarCard(
            idea_id=idea.pk,
            title=idea.title,
            summary=_summary(idea.solution),
            municipality=idea.municipality.name,
            stage=idea.stage.name,
            owner=str(idea.owner) if idea.owner_id else "",
            reference=idea.reference,
            may_open=policies.can_view(access, idea),
        )
        for idea in ideas
    ]


def _public_cards(ideas: list[Idea]) -> list[SimilarCard]:
    """Published ideas as the public sees them: the approved title and summary of the
    solution the catalogue shows, and the municipality."""
    from apps.spread.models import Solution

    solutions = {
        s.idea_id: s for s in Solution.objects.filter(idea_id__in=[idea.pk for idea in ideas])
    }
    cards = []
    for idea in ideas:
        solution = solutions.get(idea.pk)
        if solution is None:  # Published means written up; never show the raw idea.
            continue
        cards.append(
            SimilarCard(
                idea_id=idea.pk,
                title=solution.title,
                summary=_summary(solution.summary),
                municipality=idea.municipality.name,
                public_solution_id=solution.pk,
            )
        )
    return cards


def similar_for_submission(user, *, title: str, text: str) -> list[SimilarCard]:
    """Ideas like the one being typed on the form: published ones for the public, every
    municipality's for coaches, process leaders and managers."""
    from apps.search.similarity import similar_ideas

    # The form's own limits; longer input is cut rather than refused, it is only a hint.
    title, text = title.strip()[:150], text.strip()[:8000]
    if not (title or text):
        return []
    matches = similar_ideas(
        title=title, text=text, scope=similarity_scope(user), limit=SIMILAR_LIMIT
    )
    return _cards(user, [m.idea_id for m in matches])


def similar_to_idea(user, idea: Idea, *, exclude_ids=()) -> list[SimilarCard]:
    """The ideas most like this one across all municipalities, leaving out the idea itself
    and those it is already linked to."""
    from apps.search.similarity import similar_ideas

    matches = similar_ideas(
        title=idea.title,
        text=f"{idea.need}\n{idea.solution}",
        scope=similarity_scope(user),
        limit=SIMILAR_LIMIT,
        exclude_ids={idea.pk, *exclude_ids},
        stored_idea_id=idea.pk,
    )
    return _cards(user, [m.idea_id for m in matches])


def similar_section(user, idea: Idea) -> dict:
    """The idea page's "Similar ideas", read on its own request: the ideas most like this
    one that it is not yet linked to, and whether the user may link them. `idea` comes
    from `idea_for_user`, so the section is scoped like the page. A fixed number of
    queries: the links' ids, the search, and the cards."""
    linked = IdeaLink.objects.filter(Q(idea_a=idea) | Q(idea_b=idea)).values_list(
        "idea_a_id", "idea_b_id"
    )
    return {
        "idea": idea,
        "similar": similar_to_idea(user, idea, exclude_ids={pk for pair in linked for pk in pair}),
        "can_link": policies.can_link(access_for(user), idea),
    }


@dataclass(frozen=True)
class LinkedIdea:
    """A link seen from one idea: the idea at the other end, and whether the user may open
    its page."""

    link: IdeaLink
    other: Idea
    may_open: bool


#: What a linked idea's card shows (apps/ideas/templates/ideas/_links_section.html) and
#: what `policies.can_view` reads.
_LINKED_IDEA_FIELDS = (
    "reference",
    "title",
    "municipality_id",
    "consortium_id",
    "unit_id",
    "municipality__name",
    "stage__name_sv",
    "stage__name_en",
    "owner__full_name",
    "owner__email",
)


def linked_ideas(user, idea: Idea) -> list[LinkedIdea]:
    """The ideas linked to this one, oldest link first, in one query."""
    access = access_for(user)
    links = (
        IdeaLink.objects.filter(Q(idea_a=idea) | Q(idea_b=idea))
        .select_related(
            "idea_a__municipality",
            "idea_a__stage",
            "idea_a__owner",
            "idea_b__municipality",
            "idea_b__stage",
            "idea_b__owner",
        )
        # What a linked idea's card shows and `policies.can_view` reads; every column of
        # two ideas and six related rows cost more to build into SQL than to read.
        .only(
            "kind",
            "created_at",
            *(f"{side}__{field}" for side in ("idea_a", "idea_b") for field in _LINKED_IDEA_FIELDS),
        )
        .order_by("created_at", "pk")
    )
    result = []
    for link in links:
        other = link.other_than(idea)
        result.append(LinkedIdea(link=link, other=other, may_open=policies.can_view(access, other)))
    return result


def link_of_idea(idea: Idea, link_id: int) -> IdeaLink:
    """One of this idea's links, or 404 (also for another idea's link)."""
    link = (
        IdeaLink.objects.filter(Q(idea_a=idea) | Q(idea_b=idea), pk=link_id)
        .select_related("idea_a", "idea_b")
        .first()
    )
    if link is None:
        raise Http404
    return link


def idea_to_link(user, reference: str) -> Idea | None:
    """An idea the user may link to, by reference: any in their similarity scope. None
    alike for "missing" and "outside the scope"."""
    return (
        similarity_scope(user)
        .select_related("municipality")
        .filter(reference__iexact=reference.strip())
        .first()
    )


def linked_municipalities_for_submitter(idea: Idea) -> list[str]:
    """For the submitter's private page: the municipalities of the ideas theirs is linked
    to, and nothing more about those ideas."""
    names = set()
    for link in IdeaLink.objects.filter(Q(idea_a=idea) | Q(idea_b=idea)).select_related(
        "idea_a__municipality", "idea_b__municipality"
    ):
        names.add(link.other_than(idea).municipality.name)
    return sorted(names)
