"""What a person holds, who may take it over, and the ideas and people at risk of a gap.

DESIGN.md §1, item 3: "every idea always has a named owner; a person who leaves hands over
everything in one step". Every foreign key to the user model was read and decided:

Must move (a live responsibility that would be orphaned; `MUST_MOVE`):

| field                              | what is held                                   |
|------------------------------------|------------------------------------------------|
| ideas.Idea.owner                   | open ideas (closed ones keep their owner as history) |
| assessments.Assignment.assessor    | assessments in an open round not yet handed in |
| referrals.Referral.created_by      | referrals they sent, still waiting for an answer |
| meetings.Meeting.organiser         | meetings still ahead: a poll, or booked in the future |
| meetings.ActionItem.owner          | action items not yet done                      |
| spread.Adoption.owner              | adoptions not stopped                          |
| spread.BenefitHypothesis.owner     | benefit hypotheses (followed up for years)     |
| spread.Solution.contact            | solutions they are the contact person of       |
| newsletters.Newsletter.created_by  | newsletter drafts (sent ones stay as history)  |
| showcase.ShowcaseEntry.created_by  | showcase drafts not yet published (published ones stay) |

May stay (history, or personal to the person; `MAY_STAY` gives the reason per field):
memberships end with deactivation (they are listed, not moved: the successor must already
hold a role that lets them take each item), and everything named *_by, actor, author,
recorded or uploaded is a record of who did something, which a handover must not rewrite.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.assessments.models import Assignment
from apps.ideas.models import Idea
from apps.meetings.models import ActionItem, Meeting
from apps.newsletters.models import Newsletter
from apps.organisations.models import Membership, Organisation, Role
from apps.organisations.selectors import Access, access_for
from apps.referrals.models import Referral
from apps.showcase.models import ShowcaseEntry
from apps.spread.models import Adoption, AdoptionStage, BenefitHypothesis, Solution

#: Kind of holding → the user foreign key it is held through ("app_label.Model.field").
MUST_MOVE: dict[str, str] = {
    "ideas": "ideas.Idea.owner",
    "assessments": "assessments.Assignment.assessor",
    "referrals": "referrals.Referral.created_by",
    "meetings": "meetings.Meeting.organiser",
    "action_items": "meetings.ActionItem.owner",
    "adoptions": "spread.Adoption.owner",
    "benefits": "spread.BenefitHypothesis.owner",
    "solutions": "spread.Solution.contact",
    "newsletters": "newsletters.Newsletter.created_by",
    "showcase": "showcase.ShowcaseEntry.created_by",
}

#: Foreign keys to the user model that a handover leaves alone, and why.
MAY_STAY: dict[str, str] = {
    "admin.LogEntry.user": "Django admin history",
    "account.EmailAddress.user": "the person's own login address",
    "socialaccount.SocialAccount.user": "the person's own municipal sign-in",
    "organisations.Membership.user": "roles end with deactivation; listed, not moved",
    "ideas.Submitter.user": "they handed the idea in; that stays true",
    "ideas.Attachment.uploaded_by": "history: who added the file",
    "ideas.TimelineEntry.actor": "history: the timeline is never rewritten",
    "ideas.IdeaLink.created_by": "history",
    "assessments.AssessmentRound.opened_by": "history",
    "assessments.AssessmentRound.closed_by": "history",
    "referrals.Referral.colleague": "the question was put to them; the sender (who moves) "
    "withdraws it and asks someone else",
    "referrals.Referral.revoked_by": "history",
    "referrals.ReferralMessage.author": "history",
    "meetings.Participant.user": "an invitation to that person; organisers remove them",
    "meetings.ActionItem.created_by": "history",
    "meetings.ActionItem.done_by": "history",
    "meetings.CalendarFeed.user": "the person's own calendar feed",
    "followup.DigestRecord.user": "the person's own digest log",
    "spread.Solution.created_by": "history",
    "spread.Solution.approved_by": "history",
    "spread.Adoption.created_by": "history",
    "spread.AdoptionStageChange.actor": "history",
    "spread.Measurement.recorded_by": "history",
    "imports.ImportJob.created_by": "history",
    "api.ApiToken.user": "the person's own tokens; they stop working with the account",
    "showcase.ShowcaseEntry.approved_by": "history",
    "newsletters.Newsletter.sent_by": "history",
    "trainings.Course.created_by": "history; courses are run by the communicators together",
    "trainings.Registration.user": "the person's own registration",
    "trainings.Registration.marked_by": "history",
    "resources.Resource.created_by": "history; resources belong to the consortium",
    "resources.Resource.archived_by": "history",
    "resources.ResourceVersion.uploaded_by": "history",
    "handover.LeaveReminder.person": "which leave-date reminders were sent",
    "audit.AuditIdentity.user": "the audit log names who did what; never rewritten",
    "privacy.Erasure.erased_by": "history: who carried out an erasure",
}

#: The heading of each kind, in the order the page lists them.
KIND_LABELS = {
    "ideas": _("Open ideas they own"),
    "assessments": _("Assessments not yet handed in"),
    "referrals": _("Referrals waiting for an answer"),
    "meetings": _("Meetings ahead that they organise"),
    "action_items": _("Open action items"),
    "adoptions": _("Adoptions they own"),
    "benefits": _("Benefit hypotheses they own"),
    "solutions": _("Solutions they are the contact for"),
    "newsletters": _("Newsletter drafts"),
    "showcase": _("Showcase drafts"),
}


def idea_of(kind: str, item) -> Idea | None:
    """The idea an item belongs to (None for newsletters)."""
    if kind == "ideas":
        return item
    if kind == "assessments":
        return item.round.idea
    if kind == "adoptions":
        return item.solution.idea
    if kind == "newsletters":
        return None
    return item.idea


def describe(kind: str, item) -> str:
    """One line naming an item, with its idea's reference when it belongs to one."""
    idea = idea_of(kind, item)
    if idea is None or kind == "ideas":
        return str(item)
    if kind == "referrals":  # its own name is "reference → recipient"
        return f"{idea.reference}: {item.question[:80]}"
    return f"{idea.reference}: {item}"


@dataclass
class Holdings:
    """Everything one person holds, per kind (the keys of MUST_MOVE), plus their roles."""

    person: User
    items: dict[str, list] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list]]:
        """(kind, heading, items) for every kind that holds something."""
        return [
            (kind, KIND_LABELS[kind], self.items[kind]) for kind in MUST_MOVE if self.items[kind]
        ]

    @property
    def listed(self) -> list[tuple[str, str, list[tuple[str, Idea | None]]]]:
        """(kind, heading, [(description, idea)]) for the page."""
        return [
            (kind, heading, [(describe(kind, item), idea_of(kind, item)) for item in items])
            for kind, heading, items in self.groups
        ]

    @property
    def must_move(self) -> bool:
        return any(self.items.values())

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.items.values())

    def summary(self, *, per_kind: int = 5) -> str:
        """What is held, for refusals and lists: "Open ideas they own: SLU-… Title, …"."""
        parts = []
        for kind, heading, items in self.groups:
            named = [describe(kind, item) for item in items[:per_kind]]
            if len(items) > per_kind:
                named.append(
                    ngettext("%(count)d more", "%(count)d more", len(items) - per_kind)
                    % {"count": len(items) - per_kind}
                )
            parts.append(f"{heading}: {', '.join(named)}")
        return "; ".join(parts)


def held(kind: str, people: list[int]) -> QuerySet:
    """The items of one kind that the people (ids) hold and that must move."""
    field_name = MUST_MOVE[kind].rpartition(".")[2]
    mine = Q(**{f"{field_name}_id__in": people})
    if kind == "ideas":
        return (
            Idea.objects.filter(mine, stage__is_outcome=False)
            .select_related("municipality", "consortium", "stage")
            .order_by("reference")
        )
    if kind == "assessments":
        return Assignment.objects.filter(
            mine, submitted_at__isnull=True, round__closed_at__isnull=True
        ).select_related("round__idea")
    if kind == "referrals":
        return Referral.objects.filter(
            mine, answered_at__isnull=True, revoked_at__isnull=True
        ).select_related("idea")
    if kind == "meetings":
        return (
            Meeting.objects.filter(mine)
            .filter(
                Q(status=Meeting.Status.POLL)
                | Q(status=Meeting.Status.BOOKED, booked_start__gte=timezone.now())
            )
            .select_related("idea")
        )
    if kind == "action_items":
        return ActionItem.objects.filter(mine, done_at__isnull=True).select_related("idea")
    if kind == "adoptions":
        return (
            Adoption.objects.filter(mine)
            .exclude(stage=AdoptionStage.STOPPED)
            .select_related("solution__idea", "municipality")
        )
    if kind == "benefits":
        return BenefitHypothesis.objects.filter(mine).select_related(
            "idea", "adoption__solution__idea"
        )
    if kind == "solutions":
        return Solution.objects.filter(mine).select_related("idea")
    if kind == "newsletters":
        return Newsletter.objects.filter(mine, status=Newsletter.Status.DRAFT)
    if kind == "showcase":
        return ShowcaseEntry.objects.filter(mine, approved_at__isnull=True).select_related("idea")
    raise ValueError(kind)


def holdings_of(person: User) -> Holdings:
    """Everything `person` holds that must move before they can leave (see MUST_MOVE).

    Not scoped to an actor: it is the building block of the scoped pages (which first
    look the person up through `person_for_admin`) and of the services.
    """
    items = {kind: list(held(kind, [person.pk])) for kind in MUST_MOVE}
    memberships = list(
        Membership.objects.filter(user=person).select_related("organisation").order_by("role")
    )
    return Holdings(person=person, items=items, memberships=memberships)


def held_counts(people: list[int]) -> dict[int, dict[str, int]]:
    """How many items of each kind each person holds: one query per kind, however many
    people (for lists of people)."""
    counts: dict[int, dict[str, int]] = {pk: {} for pk in people}
    for kind, path in MUST_MOVE.items():
        column = f"{path.rpartition('.')[2]}_id"
        rows = held(kind, people).order_by().values(column).annotate(n=Count("pk"))
        for row in rows:
            counts[row[column]][kind] = row["n"]
    return counts


def _consortium_ids(person: User) -> set[int]:
    ids = set()
    for organisation in Organisation.objects.filter(memberships__user=person):
        ids.add(organisation.consortium_id_or_self)
    return ids


def successor_candidates(person: User) -> QuerySet[User]:
    """Active people with a working role (coach, process leader, communicator) in one of
    the consortia the person holds a role in; each item is then checked for its taker."""
    consortium_ids = _consortium_ids(person)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation__consortium_id__in=consortium_ids)
            | Q(memberships__organisation_id__in=consortium_ids),
            memberships__role__in=[Role.COACH, Role.PROCESS_LEADER, Role.COMMUNICATOR],
            memberships__organisation__is_active=True,
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("full_name", "email")
    )


def report_consortium_ids(access: Access) -> frozenset[int]:
    """The consortia whose gap report the user reads: administrators and process leaders."""
    return access.administrator_consortia | access.process_leader_consortia


def may_read_report(access: Access) -> bool:
    return access.is_superuser or bool(report_consortium_ids(access))


def _scope(access: Access) -> Q:
    if access.is_superuser:
        return Q()
    return Q(consortium_id__in=report_consortium_ids(access))


def orphaned_ideas_for(user: User) -> QuerySet[Idea]:
    """Open ideas without an active owner in the user's consortia, by municipality."""
    access = access_for(user)
    if not may_read_report(access):
        return Idea.objects.none()
    return (
        Idea.objects.filter(_scope(access), stage__is_outcome=False)
        .filter(Q(owner__isnull=True) | Q(owner__is_active=False))
        .select_related("municipality", "stage", "owner")
        .order_by("municipality__name", "reference")
    )


@dataclass(frozen=True)
class Leaver:
    """A person with a leave date, and how many items of each kind they still hold."""

    person: User
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        return "; ".join(
            f"{KIND_LABELS[kind]}: {self.counts[kind]}" for kind in MUST_MOVE if kind in self.counts
        )


def leavers_for(user: User, *, within_days: int = 30) -> list[Leaver]:
    """Active people of the user's consortia with a leave date in the next `within_days`
    days (or already past), each with what they still hold."""
    access = access_for(user)
    if not may_read_report(access):
        return []
    today = timezone.localdate()
    people = User.objects.filter(
        is_active=True, leaves_on__isnull=False, leaves_on__lte=today + timedelta(days=within_days)
    )
    if not access.is_superuser:
        ids = report_consortium_ids(access)
        people = people.filter(
            Q(memberships__organisation__consortium_id__in=ids)
            | Q(memberships__organisation_id__in=ids)
        )
    found = list(people.distinct().order_by("leaves_on", "full_name"))
    counts = held_counts([person.pk for person in found])
    return [Leaver(person=person, counts=counts[person.pk]) for person in found]
