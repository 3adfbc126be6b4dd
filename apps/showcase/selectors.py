"""Every read of the showcase. Public reads need no user; workspace reads are scoped to the
acting user through `policies` and answer 404 alike for "missing" and "not yours"."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from apps.ideas.models import Idea
from apps.organisations.selectors import access_for
from apps.spread.selectors import published_solutions

from . import policies
from .models import ShowcaseEntry

# --- Public --------------------------------------------------------------------------------


def published_entries(*, consortium_id: int | None = None) -> QuerySet[ShowcaseEntry]:
    """Entries the public sees, newest publication first (a contract: the newsletters
    use it for their showcase blocks, with `headline`, `lead`, `published_at` and
    `get_absolute_url()`)."""
    entries = ShowcaseEntry.objects.published()
    if consortium_id is not None:
        entries = entries.filter(idea__consortium_id=consortium_id)
    return entries.select_related("idea__municipality").order_by("-approved_at", "-pk")


def search_words(query: str) -> list[str]:
    """At most eight case-folded words; every one must be found."""
    return [word.casefold() for word in query.split()[:8]]


def public_entries(*, query: str = "", category: str = "") -> QuerySet[ShowcaseEntry]:
    """The public list: published entries matching every word of `query` in the headline,
    lead, story or results (case-insensitive, also for å, ä, ö), in `category` if given.
    Each row knows whether its idea also has a published catalogue solution."""
    entries = published_entries()
    for word in search_words(query):
        entries = entries.filter(search_text__contains=word)
    if category:
        entries = entries.filter(category=category)
    return entries.annotate(
        public_solution_id=published_solutions()
        .filter(idea_id=OuterRef("idea_id"))
        .values("pk")[:1]
    )


def public_entry(entry_id: int) -> ShowcaseEntry:
    """One published entry, or 404 (also once withdrawn or when consent was taken back)."""
    entry = public_entries().filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


# --- Workspace ---------------------------------------------------------------------------


def may_use_workspace(user) -> bool:
    return policies.may_use_workspace(access_for(user))


def candidate_ideas(user, *, state: str = "") -> QuerySet[Idea]:
    """The workspace list: ideas of the user's showcase consortia whose submitter consented
    to publication, and ideas that already have an entry (so an entry whose consent was
    taken back stays in sight), newest first, with their entry."""
    access = access_for(user)
    consortia = policies.workspace_consortia(access)
    has_entry = ShowcaseEntry.objects.filter(idea_id=OuterRef("pk"))
    ideas = Idea.objects.filter(consortium_id__in=consortia).filter(
        Q(consent_to_publish=True) | Exists(has_entry)
    )
    if state == "none":
        ideas = ideas.exclude(Exists(has_entry))
    elif state == "draft":
        ideas = ideas.filter(showcase_entry__approved_at__isnull=True)
    elif state == "published":
        ideas = ideas.filter(
            showcase_entry__approved_at__isnull=False,
            showcase_entry__withdrawn_at__isnull=True,
            consent_to_publish=True,
        )
    elif state == "withdrawn":
        ideas = ideas.filter(showcase_entry__approved_at__isnull=False).filter(
            Q(showcase_entry__withdrawn_at__isnull=False) | Q(consent_to_publish=False)
        )
    return ideas.select_related("municipality", "stage", "showcase_entry").order_by(
        "-created_at", "-pk"
    )


def idea_for_showcase(user, idea_id: int) -> Idea:
    """An idea whose entry the user may draft, or 404 whether missing or not theirs."""
    idea = (
        Idea.objects.select_related("municipality", "stage", "consortium")
        .filter(pk=idea_id)
        .first()
    )
    if idea is None or not policies.can_draft(access_for(user), idea):
        raise Http404
    return idea


def entry_of_idea(idea: Idea) -> ShowcaseEntry | None:
    """The idea's entry, if any, holding the idea already loaded (no second query)."""
    entry = ShowcaseEntry.objects.select_related("approved_by").filter(idea=idea).first()
    if entry is not None:
        entry.idea = idea
    return entry


def public_solution_of_idea(idea: Idea):
    """The idea's published catalogue solution, if any, to link from its story."""
    return published_solutions().filter(idea=idea).first()
