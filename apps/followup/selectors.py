"""Nothing stalls unseen: what needs the acting user's attention, and who gets a digest.

Four kinds of thing need attention (DESIGN.md §1, "every stage has a clock"):

- ideas past their stage's target: more working days in the stage than the stage's
  `target_days` (Swedish working days, see apps.meetings.slots);
- ideas without activity for SLUSS_STALE_DAYS days (30 unless set);
- overdue action items (apps.meetings): not done, due date passed;
- overdue referrals (apps.referrals): not answered, not withdrawn, due date passed.

Whose: a coach's ideas are those they own in their municipalities, and the new ideas
there that nobody owns yet; a process leader's are every idea of the consortia they
lead. Only open ideas (not at an outcome) count. Action items and referrals count on
those ideas, and also when the user owns the action item or sent the referral, on any
idea they still work. Everything is read in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.ideas.models import Idea
from apps.meetings.models import ActionItem
from apps.meetings.slots import working_days_between
from apps.organisations.models import Membership, Organisation, Role
from apps.organisations.selectors import Access, access_for
from apps.referrals.models import Referral
from apps.workflow.models import Stage

from . import policies

DEFAULT_STALE_DAYS = 30


def stale_days() -> int:
    """After how many days without activity an idea needs attention."""
    return int(getattr(settings, "SLUSS_STALE_DAYS", DEFAULT_STALE_DAYS))


@dataclass(frozen=True)
class PastTarget:
    """An idea that has waited in its stage longer than the stage's target."""

    idea: Idea
    working_days: int
    target_days: int

    @property
    def over_by(self) -> int:
        return self.working_days - self.target_days


@dataclass(frozen=True)
class Stale:
    """An idea nobody has done anything with for a while."""

    idea: Idea
    days: int


@dataclass(frozen=True)
class Overdue:
    """An action item or a referral past its due date."""

    item: object  # ActionItem or Referral
    days: int

    @property
    def idea(self) -> Idea:
        return self.item.idea


@dataclass
class Attention:
    """Everything that needs one user's attention at one moment."""

    past_target: list[PastTarget] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    action_items: list[Overdue] = field(default_factory=list)
    referrals: list[Overdue] = field(default_factory=list)
    stale_days: int = DEFAULT_STALE_DAYS

    @property
    def total(self) -> int:
        return (
            len(self.past_target) + len(self.stale) + len(self.action_items) + len(self.referrals)
        )


def _scope(user, access: Access) -> Q | None:
    """The open ideas whose clocks this user watches (see the module's docstring)."""
    if not policies.may_follow_up(access):
        return None
    coached = access.coach_municipalities
    return Q(stage__is_outcome=False) & (
        Q(owner_id=user.pk, municipality_id__in=coached)
        | Q(owner__isnull=True, municipality_id__in=coached)
        | Q(consortium_id__in=access.process_leader_consortia)
    )


def _works(access: Access) -> Q:
    """Ideas the user works at all (their own action items and referrals count there)."""
    return Q(municipality_id__in=access.coach_municipalities) | Q(
        consortium_id__in=access.process_leader_consortia
    )


def _ideas(scope: Q) -> QuerySet[Idea]:
    return Idea.objects.filter(scope).select_related("stage", "municipality", "owner")


def _past_target(scope: Q, access: Access, now: datetime) -> list[PastTarget]:
    """Working days are counted in Python (holidays are no SQL), over the ideas the
    database has already narrowed down: a stage's target in working days can only be
    passed after at least as many calendar days."""
    coached_consortia = Organisation.objects.filter(pk__in=access.coach_municipalities).values(
        "consortium_id"
    )
    stages = Stage.objects.filter(
        Q(consortium_id__in=access.process_leader_consortia)
        | Q(consortium_id__in=coached_consortia),
        is_outcome=False,
        target_days__isnull=False,
    )
    candidates = Q()
    targets: dict[int, int] = {}
    for stage in stages.only("pk", "target_days"):
        targets[stage.pk] = stage.target_days
        candidates |= Q(stage_id=stage.pk, stage_entered_at__lt=now - timedelta(stage.target_days))
    if not targets:
        return []
    found = []
    for idea in _ideas(scope & candidates):
        days = working_days_between(idea.stage_entered_at, now)
        if days > targets[idea.stage_id]:
            found.append(
                PastTarget(idea=idea, working_days=days, target_days=targets[idea.stage_id])
            )
    found.sort(key=lambda p: (-p.over_by, p.idea.stage_entered_at, p.idea.pk))
    return found


def _stale(scope: Q, now: datetime, days: int) -> list[Stale]:
    ideas = _ideas(scope & Q(last_activity_at__lt=now - timedelta(days=days))).order_by(
        "last_activity_at", "pk"
    )
    return [Stale(idea=idea, days=(now - idea.last_activity_at).days) for idea in ideas]


def _overdue_action_items(user, scope: Q, access: Access, today: date) -> list[Overdue]:
    in_scope = Idea.objects.filter(scope).values("pk")
    own = Idea.objects.filter(_works(access)).values("pk")
    items = (
        ActionItem.objects.filter(done_at__isnull=True, due_date__lt=today)
        .filter(Q(idea__in=in_scope) | Q(owner_id=user.pk, idea__in=own))
        .select_related("idea", "owner", "meeting")
        .order_by("due_date", "pk")
    )
    return [Overdue(item=item, days=(today - item.due_date).days) for item in items]


def _overdue_referrals(user, scope: Q, access: Access, today: date) -> list[Overdue]:
    in_scope = Idea.objects.filter(scope).values("pk")
    own = Idea.objects.filter(_works(access)).values("pk")
    referrals = (
        Referral.objects.filter(
            answered_at__isnull=True, revoked_at__isnull=True, due_date__lt=today
        )
        .filter(Q(idea__in=in_scope) | Q(created_by_id=user.pk, idea__in=own))
        .select_related("idea", "external_actor", "colleague", "created_by")
        .order_by("due_date", "pk")
    )
    return [Overdue(item=referral, days=(today - referral.due_date).days) for referral in referrals]


def attention_items(user, now: datetime | None = None) -> Attention:
    """What needs this user's attention at `now` (the current time when left out).

    Empty for anyone who is neither a coach nor a process leader. A fixed number of
    queries whatever the amount of data: the user's roles, the stages with a target,
    then one query per kind of item.
    """
    now = now or timezone.now()
    access = access_for(user)
    scope = _scope(user, access)
    days = stale_days()
    if scope is None:
        return Attention(stale_days=days)
    today = timezone.localdate(now)
    return Attention(
        past_target=_past_target(scope, access, now),
        stale=_stale(scope, now, days),
        action_items=_overdue_action_items(user, scope, access, today),
        referrals=_overdue_referrals(user, scope, access, today),
        stale_days=days,
    )


def digest_recipients() -> QuerySet[User]:
    """Everyone who may get the weekly digest: active coaches and process leaders."""
    holders = Membership.objects.filter(
        role__in=[Role.COACH, Role.PROCESS_LEADER], organisation__is_active=True
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=holders).order_by("pk")
