"""A hand-built follow-up scenario at a controlled moment: NOW is Monday 23 June 2031,
09:00 in Stockholm, the Monday after midsommarafton (Friday 20 June) and a little over
two weeks after nationaldagen (Friday 6 June).

Everything is made through the real services (ideas, action items, referrals) at the
real time, then its dates are set straight, as if it had happened back then. The
expectations below are worked out by hand; the tests compare against them exactly.

Ideas (stage, owner, in the stage since → working days at NOW; last activity):

- A  Skövde, Received (target 10), Cecilia, since Wed 4 June → 11: past target
- B  Skövde, Received, Cecilia, since Thu 5 June → 10 (6 and 20 June are days off; 12
     weekdays): NOT past target
- C  Skövde, Capture (target 30), Cecilia, since 2 June; last activity 1 May: stale
- D  Skövde, Closed (an outcome), Cecilia, ancient dates: never listed
- E  Skövde, Received, nobody, since 2 May: past target (every Skövde coach sees it)
- F  Skövde, Received, Sara (another Skövde coach), since 2 May: past target, not Cecilia's
- G  Hjo, Received, Olle, since 2 May: past target, Hjo's

Action items: on A owned by Cecilia due 19 June (overdue), on A due 23 June (today:
not overdue), on A done; on G owned by Olle due 2 June (overdue).
Referrals: on C sent by Cecilia due 20 June (overdue), one answered, one withdrawn; on
G sent by Olle due 10 June (overdue).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.core import testing
from apps.ideas.models import Idea
from apps.meetings.models import ActionItem
from apps.meetings.services import action_item_add, action_item_complete
from apps.organisations.models import Role
from apps.referrals import services as referral_services
from apps.referrals.models import Referral
from apps.referrals.testing import make_actor, send
from apps.workflow.models import Stage

NOW = timezone.make_aware(datetime(2031, 6, 23, 9, 0))
RECENT = timezone.make_aware(datetime(2031, 6, 20, 10, 0))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class Scenario:
    world: object
    sara: object
    ideas: dict[str, Idea]
    items: dict[str, ActionItem]
    referrals: dict[str, Referral]

    def expected(self, who: str) -> dict[str, set[str]]:
        """What each person must see, as references (ideas) and titles (action items)
        and references (referrals), per section."""
        ref = {key: idea.reference for key, idea in self.ideas.items()}
        return {
            "coach": {
                "past_target": {ref["A"], ref["E"]},
                "stale": {ref["C"]},
                "action_items": {"Ring Ida om testet"},
                "referrals": {ref["C"]},
            },
            "sara": {
                # A coach of Skövde too: the unowned E is hers to pick up as well.
                "past_target": {ref["E"], ref["F"]},
                "stale": set(),
                "action_items": set(),
                "referrals": set(),
            },
            "other_coach": {
                "past_target": {ref["G"]},
                "stale": set(),
                "action_items": {"Boka lokal i Hjo"},
                "referrals": {ref["G"]},
            },
            "process_leader": {
                "past_target": {ref["A"], ref["E"], ref["F"], ref["G"]},
                "stale": {ref["C"]},
                "action_items": {"Ring Ida om testet", "Boka lokal i Hjo"},
                "referrals": {ref["C"], ref["G"]},
            },
        }[who]


def _stage(idea: Idea, key: str) -> Stage:
    return Stage.objects.get(consortium_id=idea.consortium_id, key=key)


def build(world) -> Scenario:
    sara = testing.make_user("Sara Skövde", (Role.COACH, world.skovde))
    coach, olle = world.coach, world.other_coach

    def idea(municipality, title, owner):
        made = testing.submit_idea(municipality, title=title)
        if owner is not None:
            Idea.objects.filter(pk=made.pk).update(owner=owner)
        return made

    ideas = {
        "A": idea(world.skovde, "Föräldrautbildning på webben", coach),
        "B": idea(world.skovde, "Lånecyklar för hemtjänsten", coach),
        "C": idea(world.skovde, "Digital fritidsbank", coach),
        "D": idea(world.skovde, "Nedlagd idé om parkering", coach),
        "E": idea(world.skovde, "Ingen äger mig än", None),
        "F": idea(world.skovde, "Saras idé om skolmat", sara),
        "G": idea(world.hjo, "Hjos idé om hamnen", olle),
    }
    today = timezone.localdate()
    items = {
        "overdue": action_item_add(
            idea=ideas["A"],
            actor=coach,
            title="Ring Ida om testet",
            owner=coach,
            due_date=today + timedelta(days=3),
        ),
        "due_today": action_item_add(
            idea=ideas["A"],
            actor=coach,
            title="Skicka protokollet",
            owner=coach,
            due_date=today + timedelta(days=3),
        ),
        "done": action_item_add(
            idea=ideas["A"],
            actor=coach,
            title="Redan gjort",
            owner=coach,
            due_date=today + timedelta(days=3),
        ),
        "hjo": action_item_add(
            idea=ideas["G"],
            actor=olle,
            title="Boka lokal i Hjo",
            owner=olle,
            due_date=today + timedelta(days=3),
        ),
    }
    action_item_complete(item=items["done"], actor=coach)
    for key, due in (
        ("overdue", date(2031, 6, 19)),
        ("due_today", date(2031, 6, 23)),
        ("done", date(2031, 6, 1)),
        ("hjo", date(2031, 6, 2)),
    ):
        ActionItem.objects.filter(pk=items[key].pk).update(due_date=due)

    expert = make_actor(world.consortium)
    referrals = {
        "overdue": send(ideas["C"], coach, to=expert),
        "answered": send(ideas["C"], coach, to=expert),
        "revoked": send(ideas["C"], coach, to=expert),
        "hjo": send(ideas["G"], olle, to=expert),
    }
    referral_services.referral_answer(referral=referrals["answered"], body="Ja.")
    referral_services.referral_revoke(referral=referrals["revoked"], actor=coach)
    for key, due in (
        ("overdue", date(2031, 6, 20)),
        ("answered", date(2031, 6, 1)),
        ("revoked", date(2031, 6, 1)),
        ("hjo", date(2031, 6, 10)),
    ):
        Referral.objects.filter(pk=referrals[key].pk).update(
            due_date=due, expires_at=Referral.expiry_for(due)
        )

    # The ideas' clocks, set last (the services above touched their last activity).
    received, capture, closed = (
        _stage(ideas["A"], "received"),
        _stage(ideas["A"], "capture"),
        _stage(ideas["A"], "closed"),
    )
    clocks = {
        "A": (received, date(2031, 6, 4), RECENT),
        "B": (received, date(2031, 6, 5), RECENT),
        "C": (capture, date(2031, 6, 2), at(date(2031, 5, 1))),
        "D": (closed, date(2030, 1, 2), at(date(2030, 1, 2))),
        "E": (received, date(2031, 5, 2), RECENT),
        "F": (received, date(2031, 5, 2), RECENT),
        "G": (_stage(ideas["G"], "received"), date(2031, 5, 2), RECENT),
    }
    for key, (stage, entered, activity) in clocks.items():
        Idea.objects.filter(pk=ideas[key].pk).update(
            stage=stage, stage_entered_at=at(entered), last_activity_at=activity
        )
    for made in ideas.values():
        made.refresh_from_db()
    return Scenario(world=world, sara=sara, ideas=ideas, items=items, referrals=referrals)
