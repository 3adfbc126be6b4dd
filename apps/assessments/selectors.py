"""Every read of assessments, always scoped to the acting user.

A round is seen by its assessors and by the people who work its idea; everyone else gets
404, the same as for a round that does not exist.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Attachment, Idea, Submitter
from apps.ideas.selectors import idea_for_user
from apps.organisations.models import Organisation
from apps.organisations.selectors import Access, access_for
from apps.workflow.selectors import transitions_by_from_stage

from . import policies
from .models import AssessmentRound, Assignment, Criterion, RoundCriterion, Score
from .redaction import NO_REDACTION, Redactor, redactor_for
from .summary import RoundSummary, summarise

# --- Scope ------------------------------------------------------------------------------


def _works_q(access: Access, prefix: str = "idea__") -> Q:
    """The ideas a user works (apps.ideas.policies.can_work), as a filter."""
    return Q(**{f"{prefix}municipality_id__in": access.coach_municipalities}) | Q(
        **{f"{prefix}consortium_id__in": access.process_leader_consortia}
    )


def rounds_visible_to(user) -> QuerySet[AssessmentRound]:
    """The one scoping function for rounds: the user's own as an assessor, and every round
    on an idea they work."""
    access = access_for(user)
    if not access.is_authenticated:
        return AssessmentRound.objects.none()
    visible = AssessmentRound.objects.filter(
        Q(assignments__assessor_id=access.user_id) | _works_q(access)
    ).values("pk")
    return AssessmentRound.objects.filter(pk__in=visible)


@dataclass
class RoundAccess:
    """A round as one user reaches it: the round, its idea, the user's own assignment in it
    (None for someone who works the idea without assessing), and the user's roles."""

    round: AssessmentRound
    idea: Idea
    assignment: Assignment | None
    access: Access

    @property
    def works_idea(self) -> bool:
        return policies.works_idea(self.access, self.idea)

    @property
    def sees_submitters(self) -> bool:
        return policies.sees_submitters(self.access, self.round, self.idea)


def round_for_user(user, round_id: int) -> RoundAccess:
    """One round the user may see, or 404 whether it is missing or simply not theirs."""
    round_ = (
        rounds_visible_to(user)
        .select_related(
            "idea",
            "idea__municipality",
            "idea__unit",
            "idea__stage",
            "idea__consortium",
            "opened_by",
            "closed_by",
            "decision_entry",
            "decision_entry__to_stage",
        )
        .filter(pk=round_id)
        .first()
    )
    if round_ is None:
        raise Http404
    access = access_for(user)
    assignment = (
        Assignment.objects.filter(round=round_, assessor_id=access.user_id).first()
        if access.user_id
        else None
    )
    if not policies.can_see_round(access, round_.idea, assignment):
        raise Http404
    return RoundAccess(round=round_, idea=round_.idea, assignment=assignment, access=access)


def transitions_out_of(idea: Idea) -> list:
    """The allowed moves out of the idea's current stage (one query)."""
    return transitions_by_from_stage([idea.consortium_id]).get(idea.stage_id, [])


def idea_for_opening(user, reference: str) -> Idea:
    """The idea a round is to be opened on, or 404 if the user may not open one there."""
    idea = idea_for_user(user, reference)
    transitions = transitions_out_of(idea)
    if not policies.may_open_round(access_for(user), idea, transitions_out=transitions):
        raise Http404
    return idea


def open_round_of(idea: Idea) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(idea=idea, closed_at__isnull=True).first()


# --- People -----------------------------------------------------------------------------


def assessor_candidates(idea: Idea) -> QuerySet[User]:
    """Active people holding any role in the idea's consortium (its municipalities and units
    included), for the round form's list. Anyone else with an account is named by email."""
    organisations = Organisation.objects.filter(
        Q(pk=idea.consortium_id) | Q(consortium_id=idea.consortium_id), is_active=True
    ).values("pk")
    return (
        User.objects.filter(is_active=True, memberships__organisation__in=organisations)
        .distinct()
        .order_by("full_name", "email")
    )


def active_users_by_email(emails: list[str]) -> dict[str, User]:
    """Active accounts with these email addresses, keyed by the lower-cased address."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if not wanted:
        return {}
    return {u.email.lower(): u for u in User.objects.filter(email__in=wanted, is_active=True)}


# --- Criteria ---------------------------------------------------------------------------


def led_consortium(user) -> Organisation:
    """The consortium whose criteria the user edits (the first they lead), or 404."""
    access = access_for(user)
    consortium = (
        Organisation.objects.filter(pk__in=access.process_leader_consortia).order_by("name").first()
    )
    if consortium is None:
        raise Http404
    return consortium


def criteria_of(consortium_id: int, *, active_only: bool = False) -> QuerySet[Criterion]:
    criteria = Criterion.objects.filter(consortium_id=consortium_id)
    if active_only:
        criteria = criteria.filter(is_active=True)
    return criteria.order_by("position", "pk")


def criterion_for_user(user, criterion_id: int) -> Criterion:
    """A criterion of a consortium the user leads, or 404."""
    criterion = Criterion.objects.filter(
        pk=criterion_id, consortium_id__in=access_for(user).process_leader_consortia
    ).first()
    if criterion is None:
        raise Http404
    return criterion


# --- A round's contents -----------------------------------------------------------------


def _round_prefetches() -> list[Prefetch]:
    return [
        Prefetch("criteria", queryset=RoundCriterion.objects.order_by("position", "pk")),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("assessor")
            .order_by("assessor__full_name", "pk")
            .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("pk"))),
        ),
    ]


def round_summary(round_: AssessmentRound) -> RoundSummary:
    """The round's result from its handed-in scores. Uses the prefetched criteria and
    assignments when they are there."""
    return summarise(list(round_.criteria.all()), list(round_.assignments.all()))


def own_scores(assignment: Assignment) -> dict[int, Score]:
    """The assessor's own scores (or draft) keyed by the round's criterion."""
    return {s.criterion_id: s for s in assignment.scores.all()}


@dataclass
class ShownFile:
    attachment: Attachment
    name: str  # what the assessor sees and the download is called


def _neutral_name(number: int, original: str) -> str:
    suffix = PurePath(original).suffix.lower()
    if not (1 < len(suffix) <= 6 and suffix[1:].isalnum()):
        suffix = ""
    return _("Attachment %(number)d") % {"number": number} + suffix


def files_for(ra: RoundAccess, attachments: list[Attachment]) -> list[ShownFile]:
    """The idea's files as the round's reader sees them: in a blind round under neutral names
    (a file name often carries its author's name), otherwise under their own."""
    if ra.sees_submitters:
        return [ShownFile(a, a.original_name) for a in attachments]
    return [ShownFile(a, _neutral_name(n, a.original_name)) for n, a in enumerate(attachments, 1)]


def _idea_attachments(idea: Idea) -> list[Attachment]:
    return list(Attachment.objects.filter(idea=idea).order_by("created_at", "pk"))


def attachment_for_round(user, round_id: int, attachment_id: int) -> ShownFile:
    """A file of the round's idea, for someone who may see the round, or 404."""
    ra = round_for_user(user, round_id)
    for shown in files_for(ra, _idea_attachments(ra.idea)):
        if shown.attachment.pk == attachment_id:
            return shown
    raise Http404


def _submitters(idea: Idea) -> list[Submitter]:
    return list(idea.submitters.select_related("user").order_by("-is_primary", "pk"))


def redactor(ra: RoundAccess, submitters: list[Submitter] | None = None) -> Redactor:
    """Who may not see the submitters gets the idea's texts without their identifiers."""
    if ra.sees_submitters:
        return NO_REDACTION
    return redactor_for(ra.idea, submitters if submitters is not None else _submitters(ra.idea))


@dataclass
class IdeaText:
    """The parts of an idea an assessor reads, redacted where the round is blind."""

    reference: str
    title: str
    need: str
    solution: str
    beneficiaries: str
    expected_effects: str
    municipality: str


def idea_text(idea: Idea, redact: Redactor) -> IdeaText:
    return IdeaText(
        reference=idea.reference,
        title=redact(idea.title),
        need=redact(idea.need),
        solution=redact(idea.solution),
        beneficiaries=redact(idea.beneficiaries),
        expected_effects=redact(idea.expected_effects),
        municipality=idea.municipality.name,
    )


def round_page_context(ra: RoundAccess) -> dict:
    """Everything the round page shows, in a fixed number of queries.

    Assessors of a blind round get nothing about the submitters; an assessor who has not
    handed in sees only their own scores.
    """
    round_ = (
        AssessmentRound.objects.filter(pk=ra.round.pk).prefetch_related(*_round_prefetches()).get()
    )
    submitters = _submitters(ra.idea)
    redact = redactor(ra, submitters)
    criteria = list(round_.criteria.all())
    assignments = list(round_.assignments.all())
    own = next((a for a in assignments if a.assessor_id == ra.access.user_id), None)
    results_visible = policies.may_see_results(ra.access, ra.idea, own)
    summary = summarise(criteria, assignments)
    return {
        "round": ra.round,
        "idea": idea_text(ra.idea, redact),
        "submitter_names": [s.name for s in submitters] if ra.sees_submitters else [],
        "files": files_for(ra, _idea_attachments(ra.idea)),
        "criteria": criteria,
        "assignment": own,
        "own_scores": own_scores(own) if own else {},
        "may_score": policies.may_score(ra.round, own),
        "results_visible": results_visible,
        "summary": summary if results_visible else None,
        "waiting": summary.waiting,
        "assessor_count": len(assignments),
        "works_idea": ra.works_idea,
        "may_decide": policies.may_decide(ra.access, ra.round, ra.idea),
        "may_close": policies.may_close(ra.access, ra.round, ra.idea, user_id=ra.access.user_id),
    }


# --- The idea page's section --------------------------------------------------------------


@dataclass
class RoundView:
    """One round as the idea page shows it to someone who works the idea."""

    round: AssessmentRound
    own: Assignment | None
    summary: RoundSummary
    results_visible: bool
    may_decide: bool
    may_close: bool


def idea_section(user, idea: Idea) -> dict:
    """The rounds of an idea for its page, for the people who work it; a fixed number of
    queries however many rounds, assessors and scores there are."""
    access = access_for(user)
    if not policies.works_idea(access, idea):
        return {"shown": False}
    rounds = list(
        AssessmentRound.objects.filter(idea=idea)
        .select_related("opened_by", "closed_by", "decision_entry", "decision_entry__to_stage")
        .prefetch_related(*_round_prefetches())
        .order_by("-opened_at", "-pk")
    )
    views = []
    for round_ in rounds:
        assignments = list(round_.assignments.all())
        own = next((a for a in assignments if a.assessor_id == access.user_id), None)
        views.append(
            RoundView(
                round=round_,
                own=own,
                summary=summarise(list(round_.criteria.all()), assignments),
                results_visible=policies.may_see_results(access, idea, own),
                may_decide=policies.may_decide(access, round_, idea),
                may_close=policies.may_close(access, round_, idea, user_id=access.user_id),
            )
        )
    has_open = any(r.is_open for r in rounds)
    may_open = (
        not has_open
        and not idea.stage.is_outcome
        and (
            policies.leads_process(access, idea.consortium_id)
            or policies.may_open_round(access, idea, transitions_out=transitions_out_of(idea))
        )
    )
    return {"shown": True, "rounds": views, "may_open": may_open}


# --- The assessor's own list ----------------------------------------------------------------


@dataclass
class MyAssignment:
    assignment: Assignment
    round: AssessmentRound
    reference: str
    title: str


def my_assignments(user) -> list[MyAssignment]:
    """The rounds the user assesses, newest first, with the idea's title redacted where the
    round is blind and the user may not see who handed it in."""
    access = access_for(user)
    if not access.is_authenticated:
        return []
    assignments = list(
        Assignment.objects.filter(assessor_id=access.user_id)
        .select_related("round", "round__idea", "round__idea__unit")
        .order_by("-round__opened_at", "-pk")
    )
    blind_rounds = {
        a.round_id
        for a in assignments
        if not policies.sees_submitters(access, a.round, a.round.idea)
    }
    submitters_by_idea: dict[int, list[Submitter]] = {}
    if blind_rounds:
        blind_ideas = {a.round.idea_id for a in assignments if a.round_id in blind_rounds}
        for submitter in Submitter.objects.filter(idea_id__in=blind_ideas).select_related("user"):
            submitters_by_idea.setdefault(submitter.idea_id, []).append(submitter)
    mine = []
    for assignment in assignments:
        idea = assignment.round.idea
        redact = (
            redactor_for(idea, submitters_by_idea.get(idea.pk, []))
            if assignment.round_id in blind_rounds
            else NO_REDACTION
        )
        mine.append(
            MyAssignment(
                assignment=assignment,
                round=assignment.round,
                reference=idea.reference,
                title=redact(idea.title),
            )
        )
    return mine
