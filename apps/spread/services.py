"""Every write to solutions, adoptions and benefits. Each is one transaction that records
the original idea's timeline and puts the emails it causes in the outbox."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.models import Attachment, Idea, TimelineEntry
from apps.notifications.services import email_enqueue
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import policies, selectors
from .models import (
    Adoption,
    AdoptionStage,
    AdoptionStageChange,
    BenefitHypothesis,
    BenefitReminder,
    Measurement,
    Solution,
)


def _record(idea: Idea, kind: str, actor: User | None, body: str) -> TimelineEntry:
    Idea.objects.filter(pk=idea.pk).update(last_activity_at=timezone.now())
    return TimelineEntry.objects.create(idea=idea, kind=kind, actor=actor, body=body)


# --- Solutions -------------------------------------------------------------------------------


def _check_solution_fields(*, idea: Idea, contact: User, documents: list[Attachment]) -> None:
    if not selectors.people_working_in(idea.municipality).filter(pk=contact.pk).exists():
        raise ValidationError(
            {
                "contact": _(
                    "The contact person must be a coach of the municipality or a process leader."
                )
            }
        )
    if any(document.idea_id != idea.pk for document in documents):
        raise ValidationError({"documents": _("Choose only files of this idea.")})


@transaction.atomic
def solution_create(
    *,
    actor: User,
    idea: Idea,
    title: str,
    summary: str,
    results: str,
    category: str,
    contact: User,
    documents: list[Attachment],
) -> Solution:
    """Offer an idea in the catalogue as a reusable solution for the other municipalities.

    Only for an idea in a stage offered to others (Spread, Implemented), by those who work
    the idea. Recorded on the idea's timeline.
    """
    if not policies.can_write_solution(access_for(actor), idea):
        raise PermissionDenied
    if not policies.idea_offerable(idea):
        raise ValidationError(
            _("Only an idea in a stage offered to other municipalities can become a solution.")
        )
    if Solution.objects.filter(idea=idea).exists():
        raise ValidationError(_("This idea is already in the solution catalogue."))
    _check_solution_fields(idea=idea, contact=contact, documents=documents)
    solution = Solution.objects.create(
        idea=idea,
        title=title.strip(),
        summary=summary.strip(),
        results=results.strip(),
        category=category,
        contact=contact,
        created_by=actor,
    )
    solution.documents.set(documents)
    _record(
        idea,
        TimelineEntry.Kind.SOLUTION_PUBLISHED,
        actor,
        _("Offered to the other municipalities in the solution catalogue."),
    )
    return solution


@transaction.atomic
def solution_update(
    *,
    actor: User,
    solution: Solution,
    title: str,
    summary: str,
    results: str,
    category: str,
    contact: User,
    documents: list[Attachment],
) -> Solution:
    """Change a solution's write-up. Changing the text that the public sees withdraws an
    approval for publication: only approved text is ever public."""
    idea = solution.idea
    if not policies.can_write_solution(access_for(actor), idea):
        raise PermissionDenied
    _check_solution_fields(idea=idea, contact=contact, documents=documents)
    public_before = (solution.title, solution.summary, solution.results, solution.category)
    solution.title, solution.summary, solution.results = (
        title.strip(),
        summary.strip(),
        results.strip(),
    )
    solution.category = category
    solution.contact = contact
    solution.updated_at = timezone.now()
    if solution.approved_at and public_before != (
        solution.title,
        solution.summary,
        solution.results,
        solution.category,
    ):
        solution.approved_at = None
        solution.approved_by = None
        _record(
            idea,
            TimelineEntry.Kind.SOLUTION_PUBLISHED,
            actor,
            _("The solution's text changed; it is no longer public until approved again."),
        )
    solution.save()
    solution.documents.set(documents)
    return solution


@transaction.atomic
def solution_approve_publication(*, actor: User, solution: Solution) -> Solution:
    """A communicator or process leader approves the solution's text for the public
    catalogue. Needs the submitter's consent to publish. Records who and when."""
    idea = Idea.objects.select_related("stage").get(pk=solution.idea_id)
    if not policies.can_approve_publication(access_for(actor), idea):
        raise PermissionDenied
    if not idea.consent_to_publish:
        raise ValidationError(
            _("The submitter has not agreed to publication, so the solution stays internal.")
        )
    if not policies.idea_offerable(idea):
        raise ValidationError(
            _("Only an idea in a stage offered to other municipalities can be published.")
        )
    # Compare-and-set: of two approvals at once, one records who approved.
    now = timezone.now()
    changed = Solution.objects.filter(pk=solution.pk, approved_at__isnull=True).update(
        approved_at=now, approved_by=actor
    )
    solution.refresh_from_db(fields=["approved_at", "approved_by"])
    if changed:
        _record(
            idea,
            TimelineEntry.Kind.SOLUTION_PUBLISHED,
            actor,
            _("Approved for the public solution catalogue."),
        )
    return solution


@transaction.atomic
def solution_withdraw_publication(*, actor: User, solution: Solution) -> Solution:
    """Take a solution out of the public catalogue (it stays in the internal one)."""
    if not policies.can_approve_publication(access_for(actor), solution.idea):
        raise PermissionDenied
    if Solution.objects.filter(pk=solution.pk, approved_at__isnull=False).update(
        approved_at=None, approved_by=None
    ):
        _record(
            solution.idea,
            TimelineEntry.Kind.SOLUTION_PUBLISHED,
            actor,
            _("Taken out of the public solution catalogue."),
        )
    solution.refresh_from_db(fields=["approved_at", "approved_by"])
    return solution


# --- Adoptions -------------------------------------------------------------------------------


def _require_owner_in(municipality: Organisation, owner: User, field: str = "owner") -> None:
    if not selectors.people_working_in(municipality).filter(pk=owner.pk).exists():
        raise ValidationError(
            {
                field: _("The owner must be a coach of %(municipality)s or a process leader.")
                % {"municipality": municipality.name}
            }
        )


@transaction.atomic
def adoption_create(
    *,
    actor: User,
    solution: Solution,
    municipality: Organisation,
    owner: User,
    planned_start: date | None = None,
    note: str = "",
) -> Adoption:
    """Another municipality takes a solution into use. Recorded on the original idea's
    timeline; the idea's owner is told by email."""
    if not policies.can_adopt_for(access_for(actor), solution, municipality):
        raise PermissionDenied
    _require_owner_in(municipality, owner)
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                solution=solution,
                municipality=municipality,
                owner=owner,
                planned_start=planned_start,
                note=note.strip(),
                created_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(
            {
                "municipality": _("%(municipality)s has already adopted this solution.")
                % {"municipality": municipality.name}
            }
        ) from error
    AdoptionStageChange.objects.create(
        adoption=adoption,
        to_stage=adoption.stage,
        on_date=adoption.stage_since,
        actor=actor,
    )
    idea = solution.idea
    _record(
        idea,
        TimelineEntry.Kind.ADOPTED,
        actor,
        _("%(municipality)s adopts the solution (owner: %(owner)s).")
        % {"municipality": municipality.name, "owner": str(owner)},
    )
    if idea.owner_id and idea.owner.is_active:
        email_enqueue(
            recipient=idea.owner.email,
            template="spread_adopted",
            context={"adoption": adoption, "idea": idea, "municipality": municipality},
            language=idea.owner.preferred_language,
        )
    return adoption


@transaction.atomic
def adoption_change_stage(
    *, actor: User, adoption: Adoption, stage: str, on_date: date, reason: str = ""
) -> Adoption:
    """Move an adoption to planned, testing, in use or stopped, on a date. Stopping needs
    a reason. Recorded on the adoption and on the original idea's timeline."""
    if not policies.can_work_adoption(access_for(actor), adoption):
        raise PermissionDenied
    if stage not in AdoptionStage.values:
        raise ValidationError({"stage": _("Choose a stage.")})
    reason = reason.strip()
    if stage == AdoptionStage.STOPPED and not reason:
        raise ValidationError({"reason": _("Say why the adoption was stopped.")})
    if stage == adoption.stage:
        raise ValidationError({"stage": _("The adoption is already in that stage.")})
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The date cannot be in the future.")})
    previous = adoption.stage
    # Compare-and-set on the stage the actor saw, so two changes at once cannot both win.
    moved = Adoption.objects.filter(pk=adoption.pk, stage=previous).update(
        stage=stage,
        stage_since=on_date,
        stop_reason=reason if stage == AdoptionStage.STOPPED else "",
    )
    if not moved:
        raise ValidationError(_("Someone else changed the adoption's stage first. Look again."))
    AdoptionStageChange.objects.create(
        adoption=adoption,
        from_stage=previous,
        to_stage=stage,
        on_date=on_date,
        reason=reason,
        actor=actor,
    )
    adoption.refresh_from_db()
    body = _("%(municipality)s: the adoption is now “%(stage)s”.") % {
        "municipality": adoption.municipality.name,
        "stage": AdoptionStage(stage).label,
    }
    if reason:
        body = f"{body} {reason}"
    _record(adoption.solution.idea, TimelineEntry.Kind.ADOPTED, actor, body)
    return adoption


# --- Benefits --------------------------------------------------------------------------------

BENEFIT_FIELDS = (
    "description",
    "indicator",
    "unit",
    "baseline",
    "target",
    "how_measured",
    "next_measurement_due",
    "follow_up_every_days",
    "value_per_unit_sek",
    "hours_per_unit",
    "phase",
)


def _benefit_label(benefit: BenefitHypothesis) -> str:
    if benefit.adoption_id:
        return f"{benefit.indicator} ({benefit.municipality.name})"
    return benefit.indicator


@transaction.atomic
def benefit_create(
    *,
    actor: User,
    idea: Idea,
    adoption: Adoption | None = None,
    owner: User,
    description: str,
    indicator: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    how_measured: str,
    phase: str,
    next_measurement_due: date | None = None,
    follow_up_every_days: int | None = None,
    value_per_unit_sek: Decimal | None = None,
    hours_per_unit: Decimal | None = None,
) -> BenefitHypothesis:
    """Specify a benefit for the idea in its own municipality, or for one adoption.
    Recorded on the original idea's timeline."""
    access = access_for(actor)
    if adoption is not None:
        if adoption.solution.idea_id != idea.pk or not policies.can_work_adoption(access, adoption):
            raise PermissionDenied
        municipality = adoption.municipality
    else:
        if not policies.can_work_benefit(access, BenefitHypothesis(idea=idea)):
            raise PermissionDenied
        municipality = idea.municipality
    _require_owner_in(municipality, owner)
    benefit = BenefitHypothesis(
        idea=idea,
        adoption=adoption,
        municipality=municipality,
        owner=owner,
        description=description.strip(),
        indicator=indicator.strip(),
        unit=unit.strip(),
        baseline=baseline,
        target=target,
        how_measured=how_measured.strip(),
        phase=phase,
        next_measurement_due=next_measurement_due,
        follow_up_every_days=follow_up_every_days,
        value_per_unit_sek=value_per_unit_sek,
        hours_per_unit=hours_per_unit,
    )
    benefit.full_clean()
    benefit.save()
    _record(
        idea,
        TimelineEntry.Kind.BENEFIT_CHANGED,
        actor,
        _("Benefit planned: %(benefit)s.") % {"benefit": _benefit_label(benefit)},
    )
    return benefit


@transaction.atomic
def benefit_update(
    *, actor: User, benefit: BenefitHypothesis, owner: User, **fields
) -> BenefitHypothesis:
    """Change a benefit's plan (indicator, baseline, target, follow-up, phase, owner).
    Recorded on the original idea's timeline. `fields` are those of BENEFIT_FIELDS."""
    if not policies.can_work_benefit(access_for(actor), benefit):
        raise PermissionDenied
    unknown = set(fields) - set(BENEFIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown benefit fields: {sorted(unknown)}")
    _require_owner_in(benefit.municipality, owner)
    for name, value in fields.items():
        setattr(benefit, name, value.strip() if isinstance(value, str) else value)
    benefit.owner = owner
    benefit.full_clean()
    benefit.save()
    _record(
        benefit.idea,
        TimelineEntry.Kind.BENEFIT_CHANGED,
        actor,
        _("Benefit plan changed: %(benefit)s.") % {"benefit": _benefit_label(benefit)},
    )
    return benefit


@transaction.atomic
def measurement_record(
    *, actor: User, benefit: BenefitHypothesis, measured_on: date, value: Decimal, note: str = ""
) -> Measurement:
    """Record the indicator's value on a date. The next measurement falls due the chosen
    number of days later; without a rhythm, a due date this measurement meets is cleared.
    Recorded on the original idea's timeline."""
    if not policies.can_work_benefit(access_for(actor), benefit):
        raise PermissionDenied
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    measurement = Measurement.objects.create(
        benefit=benefit, measured_on=measured_on, value=value, note=note.strip(), recorded_by=actor
    )
    if benefit.follow_up_every_days:
        next_due = measured_on + timedelta(days=benefit.follow_up_every_days)
        if benefit.next_measurement_due is None or next_due > benefit.next_measurement_due:
            benefit.next_measurement_due = next_due
    elif benefit.next_measurement_due and benefit.next_measurement_due <= measured_on:
        benefit.next_measurement_due = None
    BenefitHypothesis.objects.filter(pk=benefit.pk).update(
        next_measurement_due=benefit.next_measurement_due
    )
    _record(
        benefit.idea,
        TimelineEntry.Kind.BENEFIT_MEASURED,
        actor,
        _("%(benefit)s measured: %(value)s %(unit)s.")
        % {"benefit": _benefit_label(benefit), "value": f"{value:g}", "unit": benefit.unit},
    )
    return measurement


# --- Reminders -------------------------------------------------------------------------------


@transaction.atomic
def benefit_send_reminder(*, benefit: BenefitHypothesis, now: datetime) -> int:
    """Remind the benefit's owner that a measurement is due, once per due date: the unique
    BenefitReminder row claims it, so two runs at once send one email."""
    due_on = benefit.next_measurement_due
    try:
        with transaction.atomic():
            BenefitReminder.objects.create(benefit=benefit, due_on=due_on, sent_at=now)
    except IntegrityError:
        return 0
    email_enqueue(
        recipient=benefit.owner.email,
        template="spread_benefit_due",
        context={"benefit": benefit, "due_on": due_on},
        language=benefit.owner.preferred_language,
    )
    return 1


def send_benefit_reminders(*, now: datetime) -> int:
    """The periodic job: remind each benefit's owner when its next measurement is due
    (today or overdue), once per due date, however often the job runs. Each reminder is
    its own transaction. Returns how many were sent."""
    today = timezone.localdate(now)
    due = (
        BenefitHypothesis.objects.filter(
            next_measurement_due__lte=today,
            owner__is_active=True,
        )
        # Closed, parked or handed-over ideas and stopped adoptions are not followed up.
        .exclude(idea__stage__is_outcome=True, idea__stage__is_spreadable=False)
        .exclude(adoption__stage=AdoptionStage.STOPPED)
        .exclude(
            Exists(
                BenefitReminder.objects.filter(
                    benefit=OuterRef("pk"), due_on=OuterRef("next_measurement_due")
                )
            )
        )
        .select_related("owner", "idea", "municipality", "adoption")
    )
    sent = 0
    for benefit in due:
        sent += benefit_send_reminder(benefit=benefit, now=now)
    return sent
