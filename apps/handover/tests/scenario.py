"""A leaver who holds one of everything that must move, made through the real services."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from apps.assessments.tests.helpers import idea_in_assess, open_round
from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Idea
from apps.meetings import services as meeting_services
from apps.newsletters import services as newsletter_services
from apps.organisations.models import Role
from apps.referrals import services as referral_services
from apps.showcase import services as showcase_services
from apps.spread.testing import adopt, make_benefit, make_solution, spreadable_idea


@dataclass
class Leaver:
    person: object
    ideas: list[Idea]
    objects: dict[str, object]  # kind → the one item of that kind


def make_leaver(world, *, name: str = "Lena Lämnar", email: str = "lena@skovde.se") -> Leaver:
    """A coach of Skövde who is also a process leader, holding one item of every kind."""
    person = testing.make_user(
        name, (Role.COACH, world.skovde), (Role.PROCESS_LEADER, world.consortium), email=email
    )
    soon = timezone.localdate() + timedelta(days=14)
    owned = testing.submit_idea(world.skovde, title="Ägd idé")
    idea_services.idea_assign_owner(idea=owned, actor=person, owner=person)

    assessed = idea_in_assess(world)
    round_ = open_round(world, assessed, [person])

    referral = referral_services.referral_send(
        idea=owned,
        actor=person,
        question="Vad tycker ni?",
        due_date=soon,
        colleague=world.other_coach,
    )
    meeting = meeting_services.meeting_create(
        idea=owned,
        actor=person,
        title="Uppstart",
        duration_minutes=60,
        starts=[timezone.now() + timedelta(days=3)],
    )
    item = meeting_services.action_item_add(
        idea=owned, actor=person, title="Skicka underlag", owner=person, due_date=soon
    )
    spread_idea = spreadable_idea(world.skovde, world.process_leader)
    idea_services.idea_assign_owner(idea=spread_idea, actor=person, owner=person)
    solution = make_solution(spread_idea, person, contact=person)
    adoption = adopt(solution, person, world.hjo)
    benefit = make_benefit(spread_idea, person)
    newsletter = newsletter_services.newsletter_create(
        actor=person, consortium=world.consortium, subject="Nyhetsbrev i vår"
    )
    entry = showcase_services.entry_save(
        actor=person,
        idea=spread_idea,
        headline="Nycklar",
        lead="Kortare.",
        story="Berättelse.",
        results="",
        category="care",
        credit_agreed=False,
        credit="",
    )
    return Leaver(
        person=person,
        ideas=[owned, spread_idea],
        objects={
            "assessments": round_.assignments.get(assessor=person),
            "referrals": referral,
            "meetings": meeting,
            "action_items": item,
            "adoptions": adoption,
            "benefits": benefit,
            "solutions": solution,
            "newsletters": newsletter,
            "showcase": entry,
        },
    )
