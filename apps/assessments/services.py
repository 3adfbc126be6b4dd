"""Every write to assessments. Each is one transaction that records the idea's timeline
where the idea's story changes and puts the emails it causes in the outbox."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.services import idea_move
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for
from apps.workflow.models import Stage

from . import policies
from .models import AssessmentRound, Assignment, Criterion, RoundCriterion, Score
from .redaction import redactor_for
from .selectors import transitions_out_of

# DESIGN.md §3: Swedish name, English name, Swedish guidance, English guidance. Each 1–5.
DEFAULT_CRITERIA = [
    (
        "Behov",
        "Need",
        "Löser idén ett verkligt problem eller behov? För vem, och hur ofta?",
        "Does the idea solve a real problem or need? For whom, and how often?",
    ),
    (
        "Nytta och effekter",
        "Benefit and effects",
        "Vilken nytta ger idén: sparad tid, bättre kvalitet, lägre kostnader eller ett bättre "
        "liv för någon?",
        "What good does the idea do: time saved, better quality, lower costs or a better life "
        "for someone?",
    ),
    (
        "Genomförbarhet",
        "Feasibility",
        "Går idén att genomföra med rimliga resurser, kunskaper och teknik?",
        "Can the idea be carried out with reasonable resources, skills and technology?",
    ),
    (
        "Kostnad",
        "Cost",
        "Är kostnaden för att ta fram och driva lösningen rimlig? Högt betyg betyder låg "
        "kostnad i förhållande till nyttan.",
        "Is the cost of building and running the solution reasonable? A high score means a low "
        "cost for the good it does.",
    ),
    (
        "Spridbarhet",
        "Spreadability",
        "Kan lösningen användas i fler verksamheter eller av de andra kommunerna?",
        "Can the solution be used in other units or by the other municipalities?",
    ),
    (
        "Nyhetsvärde",
        "Novelty",
        "Är idén ny för kommunerna, eller finns liknande lösningar redan?",
        "Is the idea new to the municipalities, or do similar solutions exist already?",
    ),
    (
        "Kommersiell potential",
        "Commercial potential",
        "Kan idén bli en produkt eller tjänst som andra vill köpa eller licensiera?",
        "Could the idea become a product or service that others would buy or license?",
    ),
    (
        "Jämställdhet och tillgänglighet",
        "Equality and accessibility",
        "Hur påverkar idén jämställdhet, likabehandling och tillgänglighet för personer med "
        "funktionsnedsättning?",
        "How does the idea affect gender equality, equal treatment and accessibility for "
        "people with disabilities?",
    ),
]


class RoundClosed(Exception):
    """The round was closed (by someone else) before this change could be made."""


def _touch(idea: Idea) -> None:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=timezone.now())


# --- Criteria -------------------------------------------------------------------------------


@transaction.atomic
def criteria_seed_default(*, consortium: Organisation) -> list[Criterion]:
    """Give a consortium the default criteria of DESIGN.md §3, unless it has criteria.

    Called lazily (the first time criteria are needed), so two requests may arrive at once:
    the consortium's row is locked first, so exactly one of them seeds.
    """
    if Criterion.objects.filter(consortium=consortium).exists():
        return list(Criterion.objects.filter(consortium=consortium).order_by("position", "pk"))
    Organisation.objects.select_for_update().filter(pk=consortium.pk).first()
    existing = list(Criterion.objects.filter(consortium=consortium).order_by("position", "pk"))
    if existing:
        return existing
    return Criterion.objects.bulk_create(
        Criterion(
            consortium=consortium,
            name_sv=name_sv,
            name_en=name_en,
            guidance_sv=guidance_sv,
            guidance_en=guidance_en,
            position=position,
        )
        for position, (name_sv, name_en, guidance_sv, guidance_en) in enumerate(DEFAULT_CRITERIA, 1)
    )


@transaction.atomic
def criterion_save(*, actor: User, criterion: Criterion) -> Criterion:
    """Create or change a criterion of the actor's consortium. Rounds already opened keep
    their own copy, so the change applies to rounds opened from now on."""
    if not policies.may_edit_criteria(access_for(actor), criterion.consortium_id):
        raise PermissionDenied
    criterion.full_clean()
    criterion.save()
    return criterion


# --- Opening a round ------------------------------------------------------------------------


def _assessor_errors(*, idea: Idea, assessors: list[User], blind: bool) -> list[str]:
    errors = []
    submitters = list(idea.submitters.select_related("user"))
    submitter_emails = {s.email.lower() for s in submitters}
    submitter_users = {s.user_id for s in submitters if s.user_id}
    # Who assessed an earlier round of the idea that was not blind has seen the submitters.
    seen_openly = (
        set(
            Assignment.objects.filter(round__idea=idea, round__blind=False).values_list(
                "assessor_id", flat=True
            )
        )
        if blind
        else set()
    )
    for person in assessors:
        if not person.is_active:
            errors.append(_("%(person)s no longer has an active account.") % {"person": person})
        elif person.pk in submitter_users or person.email.lower() in submitter_emails:
            errors.append(
                _("%(person)s handed in the idea and cannot assess it.") % {"person": person}
            )
        elif blind and (
            policies.blind_conflict(access_for(person), idea) or person.pk in seen_openly
        ):
            errors.append(
                _(
                    "%(person)s can see who handed the idea in. Choose someone else, or do "
                    "not make the round blind."
                )
                % {"person": person}
            )
    return errors


@transaction.atomic
def round_open(
    *,
    idea: Idea,
    actor: User,
    assessors: list[User],
    criteria: list[Criterion],
    due_date: date,
    blind: bool,
) -> AssessmentRound:
    """Open an assessment round on an idea at its current gate: copy the chosen criteria
    into the round, name the assessors, record it on the timeline and email each assessor
    a link to their page (in a blind round without anything about who handed it in)."""
    access = access_for(actor)
    if not policies.may_open_round(access, idea, transitions_out=transitions_out_of(idea)):
        raise PermissionDenied
    assessors = list({person.pk: person for person in assessors}.values())
    errors: dict[str, list[str]] = {}
    if not assessors:
        errors["assessors"] = [_("Choose at least one assessor.")]
    else:
        problems = _assessor_errors(idea=idea, assessors=assessors, blind=blind)
        if problems:
            errors["assessors"] = problems
    if not criteria:
        errors["criteria"] = [_("Choose at least one criterion.")]
    elif any(c.consortium_id != idea.consortium_id or not c.is_active for c in criteria):
        errors["criteria"] = [_("Choose among the criteria in use.")]
    if due_date < timezone.localdate():
        errors["due_date"] = [_("The date has passed. Choose today or a later day.")]
    if AssessmentRound.objects.filter(idea=idea, closed_at__isnull=True).exists():
        errors[NON_FIELD_ERRORS] = [
            _("The idea already has an open assessment round. Close it before opening another.")
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            round_ = AssessmentRound.objects.create(
                idea=idea,
                stage_id=idea.stage_id,
                opened_by=actor,
                opened_at=now,
                due_date=due_date,
                blind=blind,
            )
    except IntegrityError:
        # Someone opened a round on the same idea at the same moment.
        raise ValidationError(
            _("The idea already has an open assessment round. Close it before opening another.")
        ) from None
    RoundCriterion.objects.bulk_create(
        RoundCriterion(
            round=round_,
            source=criterion,
            name_sv=criterion.name_sv,
            name_en=criterion.name_en,
            guidance_sv=criterion.guidance_sv,
            guidance_en=criterion.guidance_en,
            weight=criterion.weight,
            scale_max=criterion.scale_max,
            position=number,
        )
        for number, criterion in enumerate(sorted(criteria, key=lambda c: (c.position, c.pk)), 1)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(round=round_, assessor=person) for person in assessors
    )
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.ASSESSMENT_OPENED,
        actor=actor,
        body=", ".join(sorted(str(person) for person in assessors)),
        created_at=now,
    )
    _touch(idea)
    # Blind or not, the invitation carries nothing about who handed the idea in.
    title = redactor_for(idea, list(idea.submitters.select_related("user")))(idea.title)
    for assignment in assignments:
        person = assignment.assessor
        email_enqueue(
            recipient=person.email,
            template="assessment_invited",
            context={
                "assessor": person,
                "round": round_,
                "reference": idea.reference,
                "title": title if round_.blind else idea.title,
                "municipality": idea.municipality.name,
                "opened_by": actor,
            },
            language=person.preferred_language,
        )
    return round_


# --- Scoring --------------------------------------------------------------------------------


@dataclass
class ScoreInput:
    value: int | None
    note: str = ""


@transaction.atomic
def score_save(
    *,
    assignment: Assignment,
    actor: User,
    scores: dict[int, ScoreInput],
    hand_in: bool,
) -> Assignment:
    """Save an assessor's scores and notes (keyed by the round's criterion), as a draft or
    handed in. Handing in needs a score on every criterion and is final. When the last
    assessor hands in, the person who opened the round is told."""
    if actor.pk != assignment.assessor_id:
        raise PermissionDenied
    assignment = (
        Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
    )
    round_ = assignment.round
    if not round_.is_open:
        raise RoundClosed
    if assignment.is_submitted:
        raise ValidationError(_("You have already handed in your assessment."))
    criteria = list(round_.criteria.order_by("position", "pk"))
    known = {c.pk for c in criteria}
    if set(scores) - known:
        raise ValidationError(_("The assessment names a criterion that is not in this round."))
    problems = []
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if given is not None and given.value is not None and given.value not in criterion.scale:
            problems.append(
                _("Score %(name)s from 1 to %(top)d.")
                % {"name": criterion.name, "top": criterion.scale_max}
            )
        elif hand_in and (given is None or given.value is None):
            problems.append(_("Score %(name)s.") % {"name": criterion.name})
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    for criterion in criteria:
        given = scores.get(criterion.pk) or ScoreInput(value=None)
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={"value": given.value, "note": given.note.strip(), "updated_at": now},
        )
    if hand_in:
        assignment.submitted_at = now
        assignment.save(update_fields=["submitted_at"])
        _touch(round_.idea)
        still_waiting = round_.assignments.filter(submitted_at__isnull=True).exists()
        opener = round_.opened_by
        if not still_waiting and opener.is_active:
            email_enqueue(
                recipient=opener.email,
                template="assessment_all_in",
                context={"round": round_, "reference": round_.idea.reference, "person": opener},
                language=opener.preferred_language,
            )
    return assignment


# --- Closing --------------------------------------------------------------------------------


def _lock_open(round_: AssessmentRound) -> AssessmentRound:
    locked = (
        AssessmentRound.objects.select_for_update()
        .filter(pk=round_.pk, closed_at__isnull=True)
        .first()
    )
    if locked is None:
        raise RoundClosed
    return locked


@transaction.atomic
def round_decide(
    *,
    round: AssessmentRound,
    actor: User,
    to_stage: Stage,
    expected_stage_id: int,
    reason: str = "",
    message: str = "",
) -> AssessmentRound:
    """The gate decision: move the idea (go on, park, close, hand over) through the one
    move service, attach that decision to the round and close the round, all at once.
    The submitters are told by the move's own email."""
    locked = _lock_open(round)
    idea = Idea.objects.select_related("stage").get(pk=locked.idea_id)
    if not policies.may_decide(access_for(actor), locked, idea):
        raise PermissionDenied
    idea_move(
        idea=idea,
        actor=actor,
        to_stage=to_stage,
        expected_stage_id=expected_stage_id,
        reason=reason,
        message=message,
    )
    decision = (
        TimelineEntry.objects.filter(
            idea=idea, kind=TimelineEntry.Kind.STAGE_CHANGED, actor=actor, to_stage=to_stage
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    now = timezone.now()
    locked.closed_at = now
    locked.closed_by = actor
    locked.decision_entry = decision
    locked.save(update_fields=["closed_at", "closed_by", "decision_entry"])
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.ASSESSMENT_CLOSED,
        actor=actor,
        from_stage_id=expected_stage_id,
        to_stage=to_stage,
        created_at=now,
    )
    return locked


@transaction.atomic
def round_close(*, round: AssessmentRound, actor: User, reason: str = "") -> AssessmentRound:
    """Close a round without a gate decision (it is no longer needed). Scores already
    handed in stay with it; assessors who have not handed in no longer can."""
    locked = _lock_open(round)
    idea = Idea.objects.get(pk=locked.idea_id)
    if not policies.may_close(access_for(actor), locked, idea, user_id=actor.pk):
        raise PermissionDenied
    now = timezone.now()
    locked.closed_at = now
    locked.closed_by = actor
    locked.save(update_fields=["closed_at", "closed_by"])
    TimelineEntry.objects.create(
        idea=idea,
        kind=TimelineEntry.Kind.ASSESSMENT_CLOSED,
        actor=actor,
        body=reason.strip(),
        created_at=now,
    )
    _touch(idea)
    return locked
