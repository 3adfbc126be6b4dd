"""Handing over everything a person holds, in one step, and reminding before a leave date.

Nothing is deactivated automatically on a leave date: a leave date is a plan that often
changes (a notice period is extended, a person stays on part-time), and an automatic
deactivation would either be refused (they still hold things) or, worse, end the access of
someone still at work. A person is deactivated only through the handover or deactivation
step, by an administrator who sees what moves where. The reminders make sure that step is
taken in time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.assessments import policies as assessment_policies
from apps.assessments.models import Assignment
from apps.audit.services import audit_record
from apps.ideas import policies as idea_policies
from apps.ideas.models import TimelineEntry
from apps.newsletters import policies as newsletter_policies
from apps.notifications.services import email_enqueue
from apps.organisations import policies as organisation_policies
from apps.organisations import services as organisation_services
from apps.organisations.models import Role
from apps.organisations.selectors import Access, access_for, consortium_ids_of
from apps.showcase import policies as showcase_policies
from apps.spread import policies as spread_policies

from .models import LeaveReminder
from .selectors import KIND_LABELS, MUST_MOVE, Holdings, describe, holdings_of, idea_of

#: Reminders go out this many days before a leave date.
REMINDER_DAYS = (14, 3)

#: The key of the successor who takes every kind not given its own.
EVERYTHING = "all"


def may_take(kind: str, access: Access, item) -> bool:
    """May the person with `access` hold this item? The same rules as the apps that own it."""
    if kind in ("ideas", "referrals", "meetings", "action_items", "solutions"):
        # Owners, senders, organisers, action owners and contacts all work the idea.
        return idea_policies.can_work(access, idea_of(kind, item))
    if kind == "assessments":
        idea = item.round.idea
        return access.user_id is not None and not (
            item.round.blind and assessment_policies.blind_conflict(access, idea)
        )
    if kind == "adoptions":
        return spread_policies.can_work_adoption(access, item)
    if kind == "benefits":
        return spread_policies.can_work_benefit(access, item)
    if kind == "newsletters":
        return newsletter_policies.can_compose(access, item)
    if kind == "showcase":
        return showcase_policies.can_draft(access, item.idea)
    raise ValueError(kind)


def _assessor_refusal(item: Assignment, successor: User) -> str | None:
    """An assessor must not have handed the idea in, nor already sit in the round."""
    idea = item.round.idea
    if (
        idea.submitters.filter(user=successor).exists()
        or idea.submitters.filter(email__iexact=successor.email).exists()
    ):
        return _("%(person)s handed in %(idea)s and cannot assess it.") % {
            "person": successor,
            "idea": idea.reference,
        }
    if Assignment.objects.filter(round=item.round, assessor=successor).exists():
        return _("%(person)s already assesses %(idea)s in the same round.") % {
            "person": successor,
            "idea": idea.reference,
        }
    return None


def _successor_for(kind: str, successors: dict[str, User | None]) -> User | None:
    return successors.get(kind) or successors.get(EVERYTHING)


def handover_problems(
    *, holdings: Holdings, successors: dict[str, User | None]
) -> dict[str, list[str]]:
    """What stops the handover, per kind: no successor named, or one who may not hold an
    item. Empty when everything can move."""
    problems: dict[str, list[str]] = {}
    for kind, _heading, items in holdings.groups:
        successor = _successor_for(kind, successors)
        if successor is None:
            problems[kind] = [_("Choose who takes these over.")]
            continue
        if not successor.is_active or successor.pk == holdings.person.pk:
            problems[kind] = [_("%(person)s cannot take anything over.") % {"person": successor}]
            continue
        access = access_for(successor)
        for item in items:
            if not may_take(kind, access, item):
                problems.setdefault(kind, []).append(
                    _("%(person)s may not hold %(item)s.")
                    % {"person": successor, "item": describe(kind, item)}
                )
            elif kind == "assessments" and (refusal := _assessor_refusal(item, successor)):
                problems.setdefault(kind, []).append(refusal)
    return problems


def _require_administrator_of(actor: User, person: User) -> None:
    access = access_for(actor)
    if not organisation_policies.can_see_person(access, consortium_ids_of(person)):
        raise PermissionDenied


def _audit(*, actor: User, person: User, moved: dict[str, list[tuple[str, User]]]) -> None:
    """One audit event for the whole handover. People go in actor/subject, never in the
    detail (erasure pseudonymises them there); successors are named by account id."""
    consortium_ids = sorted(consortium_ids_of(person))
    audit_record(
        kind="handover",
        actor=actor,
        subject_user=person,
        organisation_id=consortium_ids[0] if consortium_ids else None,
        object_repr=", ".join(f"{kind}: {len(entries)}" for kind, entries in moved.items()),
        detail={
            kind: {"count": len(entries), "to_user_ids": sorted({s.pk for _l, s in entries})}
            for kind, entries in moved.items()
        },
    )


@dataclass(frozen=True)
class HandoverResult:
    """What moved where: kind → [(description, successor)], and whether the person was
    deactivated in the same step."""

    moved: dict[str, list[tuple[str, User]]]
    deactivated: bool

    @property
    def count(self) -> int:
        return sum(len(entries) for entries in self.moved.values())


@transaction.atomic
def handover_perform(
    *,
    actor: User,
    person: User,
    successors: dict[str, User | None],
    deactivate: bool = False,
) -> HandoverResult:
    """Hand everything `person` holds to the named successors, in one transaction.

    `successors` maps a kind (a key of MUST_MOVE) or "all" to the person taking it over.
    Each successor is checked against the owning app's rules for every item; one problem
    refuses the whole handover (ValidationError keyed by kind), so nothing is half moved.
    Each idea that changes owner gets an "owner changed" entry "from → to" on its timeline,
    and every other item that belongs to an idea is noted there too. The successors get a
    summary by email, the audit log records the handover, and with `deactivate` the person
    is deactivated in the same transaction (which refuses if anything were still held).
    """
    _require_administrator_of(actor, person)
    # Lock the person's row so that two administrators handing over at once serialise.
    User.objects.select_for_update().filter(pk=person.pk).first()
    holdings = holdings_of(person)
    problems = handover_problems(holdings=holdings, successors=successors)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    moved: dict[str, list[tuple[str, User]]] = {}
    noted_ideas: dict[int, tuple] = {}
    for kind, _heading, items in holdings.groups:
        successor = _successor_for(kind, successors)
        _model, _dot, field_name = MUST_MOVE[kind].rpartition(".")
        model = type(items[0])
        try:
            with transaction.atomic():
                model.objects.filter(pk__in=[item.pk for item in items]).update(
                    **{field_name: successor}
                )
        except IntegrityError as error:  # e.g. the successor joined the round meanwhile
            raise ValidationError(
                {kind: [_("Someone changed these meanwhile. Try again.")]}
            ) from error
        for item in items:
            moved.setdefault(kind, []).append((describe(kind, item), successor))
            idea = idea_of(kind, item)
            if kind == "ideas":
                TimelineEntry.objects.create(
                    idea=item,
                    kind=TimelineEntry.Kind.OWNER_CHANGED,
                    actor=actor,
                    body=f"{person} → {successor}",
                    created_at=now,
                )
                item.last_activity_at = now
                item.save(update_fields=["last_activity_at"])
            elif idea is not None:
                noted_ideas.setdefault(idea.pk, (idea, []))[1].append((kind, successor))
    for idea, entries in noted_ideas.values():
        lines = [f"{KIND_LABELS[kind]}: {person} → {successor}" for kind, successor in entries]
        TimelineEntry.objects.create(
            idea=idea,
            kind=TimelineEntry.Kind.NOTE,
            actor=actor,
            body="\n".join(dict.fromkeys(lines)),
            created_at=now,
        )
    _email_successors(actor=actor, person=person, moved=moved)
    _audit(actor=actor, person=person, moved=moved)
    deactivated = False
    if deactivate and person.is_active:
        organisation_services.person_deactivate(actor=actor, person=person)
        deactivated = True
    return HandoverResult(moved=moved, deactivated=deactivated)


def _email_successors(
    *, actor: User, person: User, moved: dict[str, list[tuple[str, User]]]
) -> None:
    by_successor: dict[int, tuple[User, dict[str, list[str]]]] = {}
    for kind, entries in moved.items():
        for label, successor in entries:
            groups = by_successor.setdefault(successor.pk, (successor, {}))[1]
            groups.setdefault(str(KIND_LABELS[kind]), []).append(label)
    for successor, groups in by_successor.values():
        email_enqueue(
            recipient=successor.email,
            template="handover_summary",
            context={"successor": successor, "person": person, "actor": actor, "groups": groups},
            language=successor.preferred_language,
            kind="handover",
        )


# --- Leave dates ---------------------------------------------------------------------------


def _reminder_recipients(person: User) -> list[User]:
    """The administrators and process leaders of the consortia the person has roles in."""
    consortium_ids = consortium_ids_of(person)
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=consortium_ids,
            memberships__role__in=[Role.ADMINISTRATOR, Role.PROCESS_LEADER],
        )
        .exclude(pk=person.pk)
        .distinct()
        .order_by("email")
    )


def remind_upcoming_leavers(*, now: datetime | None = None) -> int:
    """Periodic job: 14 and 3 days before a person's leave date, while they still hold
    anything, email their consortium's administrators and process leaders.

    A reminder is due once the leave date is that close; each is sent once
    (LeaveReminder), however often the job runs, and a missed run catches up. Only the
    nearest reminder is sent (a date set 2 days ahead gets the 3-day one, not both).
    Returns how many reminders were sent. Deactivates nobody (see the module docstring).
    """
    today = timezone.localdate(now or timezone.now())
    reminded = 0
    people = User.objects.filter(
        is_active=True,
        leaves_on__gte=today,
        leaves_on__lte=today + timedelta(days=max(REMINDER_DAYS)),
    )
    for person in people:
        days_left = (person.leaves_on - today).days
        days = min(d for d in REMINDER_DAYS if d >= days_left)
        if _remind_about(person=person, days=days):
            reminded += 1
    return reminded


@transaction.atomic
def _remind_about(*, person: User, days: int) -> bool:
    holdings = holdings_of(person)
    if not holdings.must_move:
        return False
    try:
        with transaction.atomic():
            LeaveReminder.objects.create(
                person=person, leaves_on=person.leaves_on, days_before=days
            )
    except IntegrityError:  # sent already
        return False
    groups = {
        str(heading): [describe(kind, item) for item in items]
        for kind, heading, items in holdings.groups
    }
    for recipient in _reminder_recipients(person):
        email_enqueue(
            recipient=recipient.email,
            template="handover_leaver_reminder",
            context={"person": person, "days": days, "groups": groups, "recipient": recipient},
            language=recipient.preferred_language,
            kind="handover",
        )
    return True
